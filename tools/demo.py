"""Quick demo on the built-in toy figures: source-only, then adaptation.

    python tools/demo.py [--work-dir work_dirs/demo] [--source-iters N]
        [--adapt-iters N] [--num-images N]

1. generates the toy figure splits (seeded; skipped when present);
2. trains ``configs/demo/source_only.py`` on the labelled source figures;
3. adapts from its best checkpoint with ``configs/demo/mlda.py`` (target
   labels unused);
4. prints target PCK@0.05 (heatmap space) per joint group for both.
"""
import argparse
import glob
import os.path as osp
import sys
import time

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
from mmengine.config import Config  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

from mmpose_mlda.datasets.toy_figures import write_coco_split  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
GROUPS = ('Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle', 'All')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--data-root', default='data_cache/toy_figures/')
    parser.add_argument('--num-images', type=int, default=600,
                        help='images per training split')
    parser.add_argument('--source-iters', type=int, default=600)
    parser.add_argument('--adapt-iters', type=int, default=400)
    return parser.parse_args()


def make_data(root, num_images):
    splits = (('source_train', 'source', num_images, 1),
              ('target_train', 'target', num_images, 2),
              ('target_test', 'target', max(num_images // 3, 8), 3))
    for split, domain, num, seed in splits:
        ann_file = osp.join(root, split, 'annotations.json')
        if not osp.exists(ann_file):
            print(f'generating {num} {domain} figures into {split}/ ...')
            write_coco_split(osp.join(root, split), num, domain, seed)


def point_at_data(cfg, root):
    datasets = [cfg.val_dataloader.dataset, cfg.test_dataloader.dataset]
    train = cfg.train_dataloader.dataset
    datasets += [train.source, train.target] if 'source' in train else [train]
    for dataset in datasets:
        split = osp.basename(osp.normpath(dataset.data_root))
        dataset.data_root = osp.join(root, split) + '/'


def run(config, work_dir, root, iters, **options):
    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.work_dir = work_dir
    point_at_data(cfg, root)
    cfg.train_cfg.max_iters = iters
    cfg.train_cfg.val_interval = max(iters // 3, 1)
    cfg.default_hooks.checkpoint.interval = cfg.train_cfg.val_interval
    cfg.merge_from_dict(options)
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner, runner.val_loop.run()


def main():
    args = parse_args()
    start = time.time()
    make_data(args.data_root, args.num_images)
    source_dir = osp.join(args.work_dir, 'source_only')
    _, source_metrics = run('configs/demo/source_only.py', source_dir,
                            args.data_root, args.source_iters)
    best = sorted(glob.glob(osp.join(source_dir, 'best_*.pth')))[-1]
    _, adapted_metrics = run(
        'configs/demo/mlda.py', osp.join(args.work_dir, 'mlda'),
        args.data_root, args.adapt_iters, load_from=best)

    rows = [('source only', {g: source_metrics[f'hm_pck/{g}']
                             for g in GROUPS}),
            ('adapted (teacher)',
             {g: adapted_metrics[f'teacher/hm_pck/{g}'] for g in GROUPS})]
    print('\nTarget test set, PCK@0.05 in heatmap space (%)')
    print(f'{"":<20}' + ''.join(f'{g:>10}' for g in GROUPS))
    for name, values in rows:
        print(f'{name:<20}' +
              ''.join(f'{100 * values[g]:>10.1f}' for g in GROUPS))
    print(f'\nwall time {time.time() - start:.0f} s; work dir '
          f'{osp.abspath(args.work_dir)}')


if __name__ == '__main__':
    main()
