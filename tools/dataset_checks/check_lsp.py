"""Check a downloaded copy of LSP or LSP Extended (LSPet).

    python tools/dataset_checks/check_lsp.py ROOT
        [--layout {auto,lsp,lspet}] [--num-images N] [--img-dir images]

ROOT holds ``joints.mat`` and ``images/``. The layout is detected from the
shape of ``joints.mat['joints']`` (LSP 3x14xN, flag 1 = occluded, images
``im0001.jpg``; LSPet 14x3xN, flag 1 = visible, images ``im00001.jpg``) or
forced with ``--layout``. Every problem found is listed (a missing or
unreadable annotation file, a wrong shape, missing or unreadable images,
visible keypoints more than ``--margin`` px outside their image,
non-finite coordinates), then a
summary: records, images, image size range, visible fraction. Exit code 0
when clean, 1 otherwise.

``LSPDataset`` / ``LSPetDataset`` read the release as it is: this tool builds
no cache or split file, there is none to build.
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional, Tuple

import numpy as np

from mmpose_mlda.datasets.lsp_dataset import LSP_LAYOUTS, load_lsp_joints

_HERE = osp.dirname(osp.abspath(__file__))
if _HERE not in sys.path:  # for _common when loaded by path
    sys.path.insert(0, _HERE)

from _common import image_size, print_summary, report  # noqa: E402


def _ranges(indices: List[int]) -> List[Tuple[int, int]]:
    """Consecutive runs of sorted ints as (first, last) pairs."""
    runs: List[Tuple[int, int]] = []
    for i in indices:
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def check_lsp(root: str,
              layout: str = 'auto',
              num_images: Optional[int] = None,
              img_dir: str = 'images',
              margin: float = 5.0) -> Tuple[List[str], Dict]:
    """Check an LSP / LSPet folder.

    Args:
        root (str): the folder with ``joints.mat`` and the image folder.
        layout (str): ``'auto'``, ``'lsp'`` or ``'lspet'``.
        num_images (int, optional): check the first N records only (the
            adapters' ``num_images``); default: every record.
        img_dir (str): the image folder, relative to ``root``.
        margin (float): visible joints up to this many pixels outside the
            image are annotation noise (counted, not a problem); the real
            LSPet has a head top at y = -1.2.

    Returns:
        tuple: the list of problems (empty when clean) and a summary dict.
    """
    problems: List[str] = []
    summary: Dict = {'root': root}
    ann = osp.join(root, 'joints.mat')
    try:
        keypoints, visible, found = load_lsp_joints(
            ann, None if layout == 'auto' else layout)
    except (FileNotFoundError, ValueError) as err:
        problems.append(str(err))
        if not osp.isdir(osp.join(root, img_dir)):
            problems.append(f'image folder {osp.join(root, img_dir)} not '
                            'found')
        return problems, summary
    total = len(keypoints)
    summary.update(layout=found, records=total)
    n = total if num_images is None else num_images
    if n > total:
        problems.append(f'--num-images {n} but {ann} holds {total} records; '
                        f'at most {total} can be checked')
        n = total
    summary['checked'] = n
    keypoints, visible = keypoints[:n], visible[:n]

    folder = osp.join(root, img_dir)
    if not osp.isdir(folder):
        problems.append(f'image folder {folder} not found: {found.upper()} '
                        'expects ' +
                        LSP_LAYOUTS[found]['img_template'].format(1) +
                        f'... there (download: {LSP_LAYOUTS[found]["url"]})')
        return problems, summary

    template = LSP_LAYOUTS[found]['img_template']
    missing, sizes = [], []
    outside, border = 0, 0
    for i in range(n):
        path = osp.join(folder, template.format(i + 1))
        if not osp.isfile(path):
            missing.append(i)
            continue
        size = image_size(path)
        if size is None:
            problems.append(f'{path}: cannot be decoded as an image '
                            '(corrupt or not an image); re-download it')
            continue
        sizes.append(size)
        w, h = size
        vis = visible[i] > 0
        kpts = keypoints[i]
        bad = ~np.isfinite(kpts).all(axis=1) & vis
        if bad.any():
            problems.append(f'{path}: visible joints {np.flatnonzero(bad)} '
                            'have non-finite coordinates')
        ok = vis & np.isfinite(kpts).all(axis=1)
        dist = np.maximum.reduce([-kpts[:, 0], -kpts[:, 1], kpts[:, 0] - w,
                                  kpts[:, 1] - h])
        off = ok & (dist > margin)
        border += int((ok & (dist > 0) & (dist <= margin)).sum())
        if off.any():
            outside += int(off.sum())
            joints = ', '.join(
                f'{j} ({kpts[j, 0]:.1f}, {kpts[j, 1]:.1f})'
                for j in np.flatnonzero(off))
            problems.append(f'{path}: visible joints more than {margin} '
                            f'px outside the {w}x{h} image: {joints}')
    for first, last in _ranges(missing):
        names = template.format(first + 1)
        if last > first:
            names += f' .. {template.format(last + 1)} ({last - first + 1} '
            names += 'files)'
        hint = 'joints.mat annotates them; complete the download'
        if 0 < first and last == n - 1:
            hint += (f', or set num_images={first} (here --num-images '
                     f'{first}) to use only the images present')
        problems.append(f'missing image(s) in {folder}: {names}; {hint}')

    summary.update(
        images_found=n - len(missing),
        images_readable=len(sizes),
        visible_fraction=float(visible.mean()) if n else 0.0,
        visible_outside_image=outside,
        visible_within_margin_outside=border,
    )
    if sizes:
        arr = np.array(sizes)
        summary.update(width_range=(int(arr[:, 0].min()),
                                    int(arr[:, 0].max())),
                       height_range=(int(arr[:, 1].min()),
                                     int(arr[:, 1].max())))
    return problems, summary


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description='Check a downloaded LSP / LSPet folder (joints.mat + '
        'images/); lists every problem, exit code 1 if any.')
    parser.add_argument('root', help='folder holding joints.mat')
    parser.add_argument('--layout', choices=('auto', 'lsp', 'lspet'),
                        default='auto',
                        help='force the layout (default: from the shape)')
    parser.add_argument('--num-images', type=int, default=None,
                        help='check only the first N records (the '
                        "adapters' num_images); default: all")
    parser.add_argument('--img-dir', default='images',
                        help='image folder relative to ROOT')
    parser.add_argument('--margin', type=float, default=5.0,
                        help='pixels a visible joint may lie outside its '
                        'image before it counts as a problem (default 5)')
    args = parser.parse_args(argv)

    problems, summary = check_lsp(args.root, args.layout, args.num_images,
                                  args.img_dir, args.margin)
    print(f'== {args.root}')
    print_summary({
        key: f'{value:.3f}' if key == 'visible_fraction' else value
        for key, value in summary.items()
    })
    return report(problems)


if __name__ == '__main__':
    sys.exit(main())
