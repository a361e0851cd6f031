"""Check a downloaded copy of TigDog (behaviorDiscovery2.0) and its splits.

    python tools/dataset_checks/check_tigdog.py ANIMAL_DATA
        [--animal {horse,tiger,all}] [--split-root DIR] [--quick]
        [--margin PX]

ANIMAL_DATA holds ``behaviorDiscovery2.0/`` (ranges/, landmarks/, frames);
``--split-root`` (default ANIMAL_DATA) holds
``real_animal/<animal>/{train,valid}_idxs_by_video.npy`` (UDAPE's
``cached_data`` or CC-SSL's ``data`` folder). Every problem found is listed
(missing or malformed ranges/landmark files, landmark files shorter than
their shot, missing or unreadable frames, visible keypoints more than
``--margin`` px outside their frame, split files missing, out of range or
overlapping), then a summary: shots, frames, split sizes (published: horse
8380/1772, tiger 6523/1765). Shots without a landmark file are skipped by
the peers' frame list too, so they are counted, not reported as problems.
Exit code 0 when clean, 1 otherwise.

``TigDogDataset`` reads the release as it is: there is no cache to build.
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

import numpy as np

_HERE = osp.dirname(osp.abspath(__file__))
sys.path.insert(0, osp.join(_HERE, '..', '..'))
if _HERE not in sys.path:  # for _common when loaded by path
    sys.path.insert(0, _HERE)

from mmpose_mlda.datasets.tigdog_dataset import (  # noqa: E402
    TIGDOG_ANIMALS, read_ranges, read_shot_landmarks, tigdog_paths,
    tigdog_split_file)
from _common import (add_problem, add_quick_argument,  # noqa: E402
                     image_size, outside_image, print_summary, report)

#: split sizes of the published by-video splits
PUBLISHED_SPLITS = dict(horse=(8380, 1772), tiger=(6523, 1765))


def check_tigdog(data_root: str, animal: str,
                 split_root: Optional[str] = None, decode: bool = True,
                 margin: float = 5.0) -> Tuple[List[str], Dict]:
    """Check one animal; returns the problems (empty when clean) and a
    summary dict."""
    problems: List[str] = []
    summary: Dict = dict(animal=animal)
    paths = tigdog_paths(data_root, animal)
    try:
        ranges = read_ranges(paths['ranges'])
    except (FileNotFoundError, ValueError) as err:
        return [str(err)], summary

    num_frames, skipped, kept_shots = 0, [], 0
    unreadable, outside = [], []
    for shot_id, start, end in ranges:
        n = int(end - start + 1)
        lm_file = osp.join(paths['landmarks'], f'{shot_id}.mat')
        if not osp.isfile(lm_file):
            skipped.append(int(shot_id))
            continue
        try:
            coords, vis = read_shot_landmarks(lm_file, n)
        except ValueError as err:
            problems.append(str(err))
            num_frames += n  # keep the indices of later shots aligned
            continue
        kept_shots += 1
        for f, frame in enumerate(range(start, end + 1)):
            img = osp.join(paths['images'], f'{frame:08d}.jpg')
            size = image_size(img, decode)
            if size is None:
                unreadable.append(img)
                continue
            w, h = size
            k = coords[f][vis[f] > 0]
            off = outside_image(k, w, h, margin)
            if off.any():
                outside.append(f'{img} ({int(off.sum())} of {w}x{h})')
        num_frames += n
    add_problem(problems, unreadable, 'frame(s) missing or unreadable')
    add_problem(problems, outside, 'frame(s) with visible keypoints more '
                f'than {margin} px outside the image')
    if kept_shots == 0 and not problems:
        problems.append(f'no shot of {paths["ranges"]} has a landmark file '
                        f'in {paths["landmarks"]}')
    summary.update(shots=len(ranges), shots_without_landmarks=len(skipped),
                   frames=num_frames)

    split_root = split_root or data_root
    splits = {}
    for split in ('train', 'valid'):
        path = tigdog_split_file(split_root, animal, split)
        if not osp.isfile(path):
            problems.append(f'missing split file {path}; copy the published '
                            'real_animal/<animal>/*_idxs_by_video.npy there '
                            'or pass --split-root')
            continue
        idxs = np.load(path).reshape(-1)
        splits[split] = set(idxs.tolist())
        summary[f'{split}_size'] = int(idxs.size)
        if idxs.size and (idxs.min() < 0 or idxs.max() >= num_frames):
            problems.append(
                f'{path} indexes up to {int(idxs.max())} but the frame list '
                f'has {num_frames} frames: the release is incomplete or '
                'from another version')
        if len(splits[split]) != idxs.size:
            problems.append(f'{path} repeats {idxs.size - len(splits[split])}'
                            ' indices')
    if len(splits) == 2 and splits['train'] & splits['valid']:
        problems.append(f'train and valid splits share '
                        f'{len(splits["train"] & splits["valid"])} frames')
    if len(splits) == 2:
        summary['published_split_sizes'] = PUBLISHED_SPLITS[animal]
    return problems, summary


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description='Check a downloaded TigDog (behaviorDiscovery2.0) copy '
        'and its by-video split files; lists every problem, exit code 1 if '
        'any.')
    parser.add_argument('root', help='the animal_data folder holding '
                        'behaviorDiscovery2.0/')
    parser.add_argument('--animal', choices=TIGDOG_ANIMALS + ('all', ),
                        default='all')
    parser.add_argument('--split-root', default=None,
                        help='folder holding real_animal/<animal>/*_idxs_by_'
                        'video.npy (default: ROOT)')
    add_quick_argument(parser)
    parser.add_argument('--margin', type=float, default=5.0,
                        help='pixels a visible keypoint may lie outside its '
                        'frame before it counts as a problem (default 5)')
    args = parser.parse_args(argv)

    animals = TIGDOG_ANIMALS if args.animal == 'all' else (args.animal, )
    all_problems = []
    for animal in animals:
        problems, summary = check_tigdog(args.root, animal, args.split_root,
                                         not args.quick, args.margin)
        print(f'== TigDog {animal} in {args.root}')
        print_summary(summary)
        all_problems += [f'[{animal}] {p}' for p in problems]
    return report(all_problems)


if __name__ == '__main__':
    sys.exit(main())
