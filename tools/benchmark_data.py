"""How fast the training pipelines make samples, per data-loader worker.

    python tools/benchmark_data.py [--data-root DIR] [--num-images 40]
        [--samples 200] [--step-time SECONDS]

A benchmark, not a test. One process (= one data-loader worker) runs, on
real LSPet photos (``../shared/data/lsp/MiraiLouis+lsp_cpm`` by default,
JPEGs of 126-776 px), the 256x256 pipelines of the paper configs and of the
authors' presets: the labelled source pipeline (one view, heatmap targets)
and the unlabelled target pipeline (a weak and a strong view per image). It
prints samples per second and the data time of one 32 + 32 batch; with
``--step-time`` (e.g. the GPU step ``tools/benchmark_step.py --paper``
measured) it also prints how many workers keep that step fed.
"""
import argparse
import math
import os.path as osp
import sys
import time

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
import numpy as np  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmpose.registry import DATASETS  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_ROOT = osp.join(REPO, '..', 'shared', 'data', 'lsp',
                        'MiraiLouis+lsp_cpm')
RECIPES = (('paper', 'configs/_base_/mlda_human_256.py'),
           ('authors', 'configs/_base_/mlda_authors_human_256.py'))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', default=DEFAULT_ROOT,
                        help='an LSPet-layout folder (joints.mat, images/)')
    parser.add_argument('--num-images', type=int, default=40)
    parser.add_argument('--samples', type=int, default=200)
    parser.add_argument('--step-time', type=float,
                        help='seconds of one training step to keep fed')
    return parser.parse_args(argv)


def samples_per_second(pipeline, args) -> float:
    dataset = DATASETS.build(
        dict(type='LSPetDataset', data_root=args.data_root,
             num_images=args.num_images, convert_to='body16',
             pipeline=pipeline))
    np.random.seed(0)
    dataset[0]  # warm-up: file cache, lazy imports
    start = time.perf_counter()
    for i in range(args.samples):
        dataset[i % len(dataset)]
    return args.samples / (time.perf_counter() - start)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isdir(args.data_root):
        raise SystemExit(f'--data-root {args.data_root} does not exist')
    init_default_scope('mmpose')
    print(f'one worker, {args.samples} samples each, images from '
          f'{osp.abspath(args.data_root)}')
    for recipe, config in RECIPES:
        cfg = Config.fromfile(osp.join(REPO, config))
        dataset = cfg.train_dataloader.dataset
        source = samples_per_second(dataset.source.pipeline, args)
        target = samples_per_second(dataset.target.pipeline, args)
        batch_time = 32 / source + 32 / target
        line = (f'{recipe:>8}: source pipeline {source:6.1f} samples/s, '
                f'two-view target pipeline {target:6.1f} samples/s; one '
                f'32+32 batch {batch_time:.2f} s per worker')
        if args.step_time:
            line += (f'; {math.ceil(batch_time / args.step_time)} workers '
                     f'keep a {args.step_time:.2f} s step fed')
        print(line)


if __name__ == '__main__':
    main()
