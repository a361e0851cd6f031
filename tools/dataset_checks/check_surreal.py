"""Check a downloaded copy of the processed SURREAL release.

    python tools/dataset_checks/check_surreal.py ROOT
        [--splits train val test] [--runs 0 1 2] [--max-images N]

ROOT holds ``{train,val,test}/run{0,1,2}.json`` (lists of ``{name,
keypoint2d 24x2, keypoint3d 24x3, intrinsic_matrix 3x3}``) and the images at
``<split>/run<k>/<name>``. Every problem found is listed (a missing or
malformed json, records with wrong keys or shapes, a missing image folder,
missing or unreadable images), then a summary per split: samples per run,
the sizes of the peers' train / test subsets, image size range and the share
of keypoints inside their image. Keypoints outside the crop are reported as
a count, not as a problem: the peers treat all 24 joints as visible.
Exit code 0 when clean, 1 otherwise.

``SurrealDataset`` reads the release as it is (the peers' test subset is
recomputed from the seed): this tool builds no cache or split file.
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from mmpose_mlda.datasets.surreal_dataset import (SURREAL_NUM_JOINTS,
                                                  SURREAL_SPLITS,
                                                  peers_split_indices,
                                                  read_surreal_json,
                                                  record_problem)

_HERE = osp.dirname(osp.abspath(__file__))
if _HERE not in sys.path:  # for _common when loaded by path
    sys.path.insert(0, _HERE)

from _common import image_size, print_summary, report  # noqa: E402


def _load_run(path: str, problems: List[str]
              ) -> Optional[Tuple[List[str], np.ndarray]]:
    """Names and keypoints of the usable records of one run json.

    Every bad record is reported (one line per file, with the first few);
    ``keypoint3d`` (24x3) and ``intrinsic_matrix`` (3x3) are checked too:
    the adapter does not need them, but a release without them is not the
    one the peers used.
    """
    try:
        samples = read_surreal_json(path)
    except (FileNotFoundError, ValueError) as err:
        problems.append(str(err))
        return None
    names, keypoints, bad = [], [], []
    for i, sample in enumerate(samples):
        problem = record_problem(sample)
        if problem is None:
            try:
                ok = (np.shape(sample['keypoint3d']) == (SURREAL_NUM_JOINTS,
                                                         3) and
                      np.shape(sample['intrinsic_matrix']) == (3, 3))
            except (KeyError, ValueError):
                ok = False
            if not ok:
                problem = 'lacks keypoint3d 24x3 / intrinsic_matrix 3x3'
            names.append(sample['name'])
            keypoints.append(sample['keypoint2d'])
        if problem is not None:
            bad.append(f'record {i} {problem}')
    if bad:
        problems.append(f'{path}: {len(bad)} bad record(s): ' +
                        '; '.join(bad[:5]) +
                        (' ...' if len(bad) > 5 else ''))
    return names, np.asarray(keypoints, dtype=np.float32).reshape(
        -1, SURREAL_NUM_JOINTS, 2)


def check_surreal(root: str,
                  splits: Sequence[str] = SURREAL_SPLITS,
                  runs: Sequence[int] = (0, 1, 2),
                  max_images: Optional[int] = None
                  ) -> Tuple[List[str], Dict]:
    """Check a processed SURREAL folder.

    Args:
        root (str): the folder holding ``train/ val/ test/``.
        splits, runs: what to check.
        max_images (int, optional): decode at most this many images per run
            (evenly spread); default: every image. Existence is always
            checked for every image.

    Returns:
        tuple: the list of problems (empty when clean) and a summary dict
        ``{split: {...}}``.
    """
    problems: List[str] = []
    summary: Dict = {}
    for split in splits:
        info: Dict = {'samples_per_run': {}}
        sizes, inside, total_kpts, num_samples = [], 0, 0, 0
        for k in runs:
            ann = osp.join(root, split, f'run{k}.json')
            loaded = _load_run(ann, problems)
            if loaded is None:
                continue
            names, keypoints = loaded
            info['samples_per_run'][f'run{k}'] = len(names)
            num_samples += len(names)
            folder = osp.join(root, split, f'run{k}')
            if not osp.isdir(folder):
                problems.append(f'image folder {folder} not found; {ann} '
                                f'lists {len(names)} images under it')
                continue
            present = []
            for i, name in enumerate(names):
                if osp.isfile(osp.join(folder, name)):
                    present.append(i)
                else:
                    problems.append(f'missing image {osp.join(folder, name)}'
                                    f' (listed in {ann})')
            if max_images is not None and len(present) > max_images:
                step = len(present) / max_images
                present = [present[int(j * step)] for j in range(max_images)]
            for i in present:
                path = osp.join(folder, names[i])
                size = image_size(path)
                if size is None:
                    problems.append(f'{path}: cannot be decoded as an image '
                                    '(corrupt or not an image); re-download '
                                    'it')
                    continue
                sizes.append(size)
                w, h = size
                kpts = keypoints[i]
                inside += int(((kpts[:, 0] >= 0) & (kpts[:, 1] >= 0) &
                               (kpts[:, 0] <= w) & (kpts[:, 1] <= h)).sum())
                total_kpts += len(kpts)
        info['samples'] = num_samples
        if split != 'val':
            info[f'peers_{split}_subset'] = len(
                peers_split_indices(num_samples, split))
        info['images_decoded'] = len(sizes)
        if sizes:
            arr = np.array(sizes)
            info['width_range'] = (int(arr[:, 0].min()), int(arr[:, 0].max()))
            info['height_range'] = (int(arr[:, 1].min()),
                                    int(arr[:, 1].max()))
            info['keypoints_inside_image'] = f'{inside / total_kpts:.3f}'
        summary[split] = info
    return problems, summary


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description='Check a processed SURREAL folder ({train,val,test}/'
        'run{0,1,2}.json + images); lists every problem, exit code 1 if '
        'any.')
    parser.add_argument('root', help='folder holding train/ val/ test/')
    parser.add_argument('--splits', nargs='+', choices=SURREAL_SPLITS,
                        default=list(SURREAL_SPLITS))
    parser.add_argument('--runs', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument('--max-images', type=int, default=None,
                        help='decode at most N images per run (all are '
                        'still checked for existence); default: all')
    args = parser.parse_args(argv)

    problems, summary = check_surreal(args.root, args.splits, args.runs,
                                      args.max_images)
    print(f'== {args.root}')
    for split, info in summary.items():
        print(f'  {split}:')
        print_summary(info, indent='    ')
    print('  visibility: all 24 joints count as visible (peers\' convention)')
    return report(problems)


if __name__ == '__main__':
    sys.exit(main())
