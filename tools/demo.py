"""The built-in domain-shift benchmark (what ``make demo`` runs).

    python tools/demo.py [--work-dir work_dirs/demo] [--num-images N]
        [--source-iters N] [--adapt-iters N]

1. generates the toy figure splits (seeded; skipped when present);
2. trains ``configs/demo/source_only.py`` on the labelled source figures;
3. trains ``configs/demo/oracle.py`` on the labelled target figures (the
   upper bound), or reuses its result cached under the hash of its config;
4. adapts from the source-only checkpoint with ``configs/demo/mlda.py``
   (target labels unused);
5. with ``--ablations``, also adapts with each alignment level added to
   the mean teacher and with all three (the paper's Table 6; about 4 more
   minutes per row on a 2-core CPU, so it is opt-in);
6. prints target PCK@0.05 (heatmap space) per joint group, and the share of
   the source-only-to-oracle gap that adaptation closed.
"""
import argparse
import copy
import hashlib
import json
import os.path as osp
import sys
import time

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
from mmengine.config import Config  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

from mmpose_mlda.datasets.toy_figures import write_coco_split  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
ABLATIONS = (('+ image level (FDA)', 'mt_style'),
             ('+ feature level (GRL)', 'mt_feature'),
             ('+ feature level (head)', 'mt_feature_head'),
             ('+ pose level (IM)', 'mt_pose'),
             ('all three levels', 'mlda_all'))
GROUPS = ('Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle', 'All')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--data-root', default='data_cache/toy_figures/')
    parser.add_argument('--num-images', type=int, default=1000,
                        help='images per training split')
    parser.add_argument('--source-iters', type=int, default=600)
    parser.add_argument('--adapt-iters', type=int, default=400)
    parser.add_argument('--ablations', action='store_true',
                        help='add one row per alignment level (Table 6)')
    return parser.parse_args()


def make_data(root, num_images):
    splits = (('source_train', 'source', num_images, 1),
              ('target_train', 'target', num_images, 2),
              ('target_test', 'target', max(num_images // 3, 8), 3))
    for split, domain, num, seed in splits:
        if not osp.exists(osp.join(root, split, 'annotations.json')):
            print(f'generating {num} {domain} figures into {root}{split}/')
            write_coco_split(
                osp.join(root, split), num, domain, seed, progress=True)
            print()


def load_config(config, work_dir, root, iters, **options):
    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.work_dir = work_dir
    train = cfg.train_dataloader.dataset
    datasets = [cfg.val_dataloader.dataset, cfg.test_dataloader.dataset]
    datasets += [train.source, train.target] if 'source' in train else [train]
    for dataset in datasets:
        split = osp.basename(osp.normpath(dataset.data_root))
        dataset.data_root = osp.join(root, split) + '/'
    cfg.train_cfg.max_iters = iters
    cfg.train_cfg.val_interval = max(iters // 2, 1)
    cfg.default_hooks.checkpoint.interval = cfg.train_cfg.val_interval
    cfg.merge_from_dict(options)
    return cfg


def train(cfg):
    """Train, then score the final model on the target test set."""
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner.val_loop.run()


def oracle_metrics(cfg, root, num_images):
    """Train the oracle unless a result for this exact setting is cached."""
    settings = copy.deepcopy(cfg)
    settings.work_dir = None  # where logs go does not change the result
    key = hashlib.sha256(
        (settings.pretty_text + f'{num_images}').encode()).hexdigest()[:16]
    cache = osp.join(root, f'oracle_{key}.json')
    if osp.exists(cache):
        print(f'oracle: reusing {cache}')
        return json.load(open(cache))
    metrics = train(cfg)
    json.dump({k: float(v) for k, v in metrics.items()}, open(cache, 'w'))
    return metrics


def main():
    args = parse_args()
    start = time.time()
    make_data(args.data_root, args.num_images)
    source_dir = osp.join(args.work_dir, 'source_only')
    source = train(
        load_config('configs/demo/source_only.py', source_dir,
                    args.data_root, args.source_iters))
    checkpoint = osp.join(source_dir, f'iter_{args.source_iters}.pth')
    oracle = oracle_metrics(
        load_config('configs/demo/oracle.py',
                    osp.join(args.work_dir, 'oracle'), args.data_root,
                    args.source_iters), args.data_root, args.num_images)

    def adapt(config):
        return train(
            load_config(
                f'configs/demo/{config}.py',
                osp.join(args.work_dir, config),
                args.data_root,
                args.adapt_iters,
                load_from=checkpoint))

    adapted = adapt('mlda')
    rows = [('source only', source, 'hm_pck/'),
            ('mean teacher (teacher)', adapted, 'teacher/hm_pck/'),
            ('mean teacher (student)', adapted, 'student/hm_pck/')]
    if args.ablations:
        rows += [(name, adapt(config), 'teacher/hm_pck/')
                 for name, config in ABLATIONS]
    rows.append(('oracle (target labels)', oracle, 'hm_pck/'))
    print('\nTarget test set, PCK@0.05 in heatmap space (%)')
    print(f'{"":<24}' + ''.join(f'{g:>9}' for g in GROUPS))
    for name, metrics, prefix in rows:
        print(f'{name:<24}' + ''.join(
            f'{100 * metrics[prefix + g]:>9.1f}' for g in GROUPS))
    gap = oracle['hm_pck/All'] - source['hm_pck/All']
    closed = adapted['teacher/hm_pck/All'] - source['hm_pck/All']
    if gap > 0:
        print(f'\nadaptation closed {100 * closed / gap:.0f}% of the '
              'source-only-to-oracle gap (All)')
    print(f'wall time {time.time() - start:.0f} s; logs and checkpoints in '
          f'{osp.abspath(args.work_dir)}')


if __name__ == '__main__':
    main()
