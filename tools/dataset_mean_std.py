"""Per-channel mean and std of a dataset's images, for a preprocessor's
normalisation (e.g. the authors' AnimalPose target, normalised with its own
real-image mean).

    python tools/dataset_mean_std.py CONFIG \
        [--dataset train_dataloader.dataset.target] [--max-images 2000] \
        [--per-image] [--out stats.json]

Every distinct image of the dataset (or an evenly spaced ``--max-images``
subset) is decoded with MMPose's ``LoadImage``, as training decodes it, and
the mean and std over all pixels are printed in RGB order on the 0-255 scale,
as ``PoseDataPreprocessor(mean=..., std=..., bgr_to_rgb=True)`` takes them,
with the ``--cfg-options`` that set them. ``--per-image`` averages each
image's own mean and std instead (the CC-SSL / UDAPE / MLDA authors'
``_compute_mean``: images of different sizes weigh alike). ``--out`` writes
``{"mean": [...], "std": [...], ...}`` as JSON, the file that
``DomainAdaptationDataPreprocessor(target_mean=<file>)`` reads.
"""
import argparse
import json
import os.path as osp
import sys

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
import numpy as np  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmpose.datasets.transforms import LoadImage  # noqa: E402
from mmpose.registry import DATASETS  # noqa: E402

from mmpose_mlda.utils.atomic_io import atomic_write_text  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--dataset', default='train_dataloader.dataset',
                        help='dotted key of the dataset in the config')
    parser.add_argument('--max-images', type=int, default=None)
    parser.add_argument('--per-image', action='store_true',
                        help="average each image's mean and std (the "
                        "authors' rule) instead of pooling every pixel")
    parser.add_argument('--out', help='write the figures to this JSON file')
    args = parser.parse_args(argv)
    if args.max_images is not None and args.max_images < 1:
        parser.error('--max-images must be at least 1')
    return args


def dataset_config(cfg: Config, key: str) -> dict:
    node = cfg.to_dict()
    for part in key.split('.'):
        if not isinstance(node, dict) or part not in node:
            raise SystemExit(f'{key}: the config has no {part!r} there; '
                             'pass --dataset with the dotted key of a '
                             'dataset (e.g. train_dataloader.dataset.target)')
        node = node[part]
    if not isinstance(node, dict) or 'type' not in node:
        raise SystemExit(f'{key} is not a dataset config (no type)')
    return node


def image_paths(dataset) -> list:
    """Each image the dataset lists, once, in order."""
    paths = (dataset.get_data_info(i).get('img_path')
             for i in range(len(dataset)))
    return list(dict.fromkeys(p for p in paths if p is not None))


def mean_std(paths, load=None, per_image: bool = False) -> tuple:
    """(mean, std), each (3,) in RGB order: over every pixel of the images
    (float64 sums, so large sets lose nothing), or with ``per_image`` the
    average of each image's mean and (sample) std."""
    load = load or LoadImage()
    images = (load(dict(img_path=path))['img'].astype(np.float64).reshape(
        -1, 3)[:, ::-1] for path in paths)  # BGR -> RGB
    if per_image:
        stats = np.array([(p.mean(0), p.std(0, ddof=1)) for p in images])
        return stats[:, 0].mean(0), stats[:, 1].mean(0)
    total = np.zeros(3)
    squares = np.zeros(3)
    count = 0
    for pixels in images:
        total += pixels.sum(0)
        squares += (pixels**2).sum(0)
        count += pixels.shape[0]
    mean = total / count
    return mean, np.sqrt(np.maximum(squares / count - mean**2, 0.0))


def main(argv=None):
    args = parse_args(argv)
    init_default_scope('mmpose')
    cfg = Config.fromfile(args.config)
    dataset = DATASETS.build(dataset_config(cfg, args.dataset))
    paths = image_paths(dataset)
    if not paths:
        raise SystemExit(f'{args.dataset} lists no images')
    if args.max_images and len(paths) > args.max_images:
        picks = np.linspace(0, len(paths) - 1, args.max_images).round()
        paths = [paths[int(i)] for i in picks]
    mean, std = mean_std(paths, per_image=args.per_image)
    fmt = lambda v: '[' + ', '.join(f'{x:.3f}' for x in v) + ']'  # noqa
    print(f'{len(paths)} images of {args.dataset}')
    print(f'mean (RGB, 0-255): {fmt(mean)}')
    print(f'std  (RGB, 0-255): {fmt(std)}')
    print('as the data preprocessor\'s mean / std (bgr_to_rgb=True), e.g. '
          '--cfg-options '
          f'"model.pose_model.data_preprocessor.mean={fmt(mean)}" '
          f'"model.pose_model.data_preprocessor.std={fmt(std)}"')
    if args.out:
        atomic_write_text(args.out, json.dumps(dict(
            mean=mean.tolist(), std=std.tolist(), images=len(paths),
            dataset=args.dataset, config=args.config,
            average='per-image' if args.per_image else 'pixels'), indent=1))
        print(f'written to {args.out}')
    return mean, std


if __name__ == '__main__':
    main()
