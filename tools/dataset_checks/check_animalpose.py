"""Check a downloaded copy of Animal-Pose (original release, MMPose's COCO
conversion, or UDAPE's per-category split files).

    python tools/dataset_checks/check_animalpose.py ANN_FILE
        [--format {auto,original,mmpose,udape}] [--img-dir DIR]
        [--image-json KEYPOINTS_JSON] [--quick] [--margin PX]

``ANN_FILE`` is ``animal-pose/keypoints.json`` (images in ``images/`` beside
it), an MMPose ``animalpose_*.json`` (``--img-dir`` = the folder its
``file_name``s are relative to, default: the json's folder) or a UDAPE
``<cat>/{train,test}_anno.npy`` (``--image-json`` = the original
keypoints.json that names its images). Every problem found is listed:
unreadable files, annotations of the wrong shape, unknown categories,
references to unlisted images, missing or unreadable images, empty or
out-of-image boxes, visible keypoints more than ``--margin`` px outside
their image; then a summary with the annotations per category. Exit code 0
when clean, 1 otherwise.

``AnimalPoseCategoryDataset`` reads these files as they are: there is no
cache to build.
"""
import argparse
import os.path as osp
import sys
from collections import Counter
from typing import Dict, List, Optional, Tuple

import numpy as np

_HERE = osp.dirname(osp.abspath(__file__))
sys.path.insert(0, osp.join(_HERE, '..', '..'))
if _HERE not in sys.path:  # for _common when loaded by path
    sys.path.insert(0, _HERE)

from mmpose_mlda.datasets.animalpose_category_dataset import (  # noqa: E402
    ANIMALPOSE_CATEGORIES, category_from_file_name, detect_format)
from mmpose_mlda.datasets.synanimal_dataset import load_json  # noqa: E402
from _common import (add_problem, add_quick_argument,  # noqa: E402
                     image_size, outside_image, print_summary, report)

NUM_KEYPOINTS = 20
_CATEGORY_NAMES = {v: k for k, v in ANIMALPOSE_CATEGORIES.items()}


def _records(path: str, fmt: str, img_dir: Optional[str],
             image_json: Optional[str], problems: List[str]) -> List[dict]:
    """Uniform records {where, img_path, category, kpts (20,3), xyxy}."""
    if fmt == 'udape':
        anns = np.load(path, allow_pickle=True).tolist()
        image_json = image_json or osp.join(
            osp.dirname(path), 'animal-pose', 'keypoints.json')
        if not osp.isfile(image_json):
            problems.append(f'{path} needs the original keypoints.json for '
                            f'file names: {image_json} is missing (pass '
                            '--image-json)')
            return []
        images = load_json(image_json, 'AnimalPose').get('images', {})
        img_dir = img_dir or osp.join(osp.dirname(image_json), 'images')
    elif fmt == 'original':
        data = load_json(path, 'AnimalPose')
        anns, images = data.get('annotations'), data.get('images')
        if not isinstance(anns, list) or not isinstance(images, dict):
            problems.append(f'{path} lacks "annotations" (a list) or "images" '
                            '(a dict id -> file_name)')
            return []
        img_dir = img_dir or osp.join(osp.dirname(path), 'images')
    else:
        data = load_json(path, 'AnimalPose')
        if not isinstance(data.get('images'), list) or not isinstance(
                data.get('annotations'), list):
            problems.append(f'{path} lacks a list "images" or "annotations"')
            return []
        images = {im.get('id'): im for im in data['images']}
        anns = data['annotations']
        img_dir = img_dir or osp.dirname(path)

    records = []
    bad_shape, bad_cat, bad_ref = [], [], []
    for idx, ann in enumerate(anns):
        where = f'annotation {idx}'
        if fmt == 'mmpose':
            img = images.get(ann.get('image_id'))
            kpts = np.asarray(ann.get('keypoints', ()), np.float32)
            box = ann.get('bbox', ())
            if img is None:
                bad_ref.append(f'{idx} (image_id {ann.get("image_id")!r})')
                continue
            if kpts.size != NUM_KEYPOINTS * 3 or len(box) != 4:
                bad_shape.append(f'{idx} ({kpts.size} values, bbox {box})')
                continue
            name = category_from_file_name(img['file_name'])
            x, y, w, h = box
            records.append(dict(
                where=where, img_path=osp.join(img_dir, img['file_name']),
                category=name or 'unknown',
                kpts=kpts.reshape(NUM_KEYPOINTS, 3),
                xyxy=np.array([x, y, x + w, y + h], np.float32)))
            continue
        kpts = np.asarray(ann.get('keypoints', ()), np.float32)
        box = np.asarray(ann.get('bbox', ()), np.float32)
        cat = ann.get('category_id')
        name = images.get(str(ann.get('image_id')))
        if kpts.shape != (NUM_KEYPOINTS, 3) or box.shape != (4, ):
            bad_shape.append(f'{idx} (keypoints {kpts.shape}, bbox '
                             f'{box.shape})')
            continue
        if cat not in _CATEGORY_NAMES:
            bad_cat.append(f'{idx} ({cat!r})')
            continue
        if name is None:
            bad_ref.append(f'{idx} (image_id {ann.get("image_id")!r})')
            continue
        records.append(dict(where=where, img_path=osp.join(img_dir, name),
                            category=_CATEGORY_NAMES[cat], kpts=kpts,
                            xyxy=box))
    add_problem(problems, bad_shape,
                'annotation(s) with the wrong shape (expected '
                f'{NUM_KEYPOINTS} x [x, y, v] and a 4-number bbox)')
    add_problem(problems, bad_cat, 'annotation(s) with a category_id '
                'outside 1 dog, 2 cat, 3 sheep, 4 horse, 5 cow')
    add_problem(problems, bad_ref, 'annotation(s) refer to unlisted images')
    return records


def check_animalpose(path: str, fmt: str = 'auto',
                     img_dir: Optional[str] = None,
                     image_json: Optional[str] = None, decode: bool = True,
                     margin: float = 5.0) -> Tuple[List[str], Dict]:
    """Check one annotation file; returns the problems (empty when clean)
    and a summary dict."""
    problems: List[str] = []
    summary: Dict = dict(file=path)
    if not osp.isfile(path):
        return [f'missing annotation file {path}'], summary
    try:
        if fmt == 'auto':
            data = None if path.endswith('.npy') else load_json(
                path, 'AnimalPose')
            fmt = detect_format(path, data)
        summary['format'] = fmt
        records = _records(path, fmt, img_dir, image_json, problems)
    except (ValueError, OSError) as err:
        return problems + [str(err)], summary

    sizes: Dict[str, Optional[Tuple[int, int]]] = {}
    unreadable, bad_box, outside = [], [], []
    for r in records:
        if r['img_path'] not in sizes:
            sizes[r['img_path']] = image_size(r['img_path'], decode)
            if sizes[r['img_path']] is None:
                unreadable.append(r['img_path'])
        size = sizes[r['img_path']]
        x1, y1, x2, y2 = r['xyxy']
        if x2 <= x1 or y2 <= y1:
            bad_box.append(f'{r["where"]} ({r["xyxy"].tolist()})')
        if size is None:
            continue
        w, h = size
        if x1 < -margin or y1 < -margin or x2 > w + margin or \
                y2 > h + margin:
            bad_box.append(f'{r["where"]} ({r["xyxy"].tolist()} in {w}x{h})')
        k = r['kpts'][r['kpts'][:, 2] > 0]
        off = outside_image(k, w, h, margin)
        if off.any():
            outside.append(f'{r["where"]} ({int(off.sum())} in {w}x{h})')
    add_problem(problems, unreadable, 'image(s) missing or unreadable')
    add_problem(problems, bad_box, 'empty or out-of-image box(es)')
    add_problem(problems, outside, 'annotation(s) with visible keypoints '
                f'more than {margin} px outside the image')
    summary.update(
        annotations=len(records), images=len(sizes),
        per_category=dict(sorted(Counter(r['category']
                                         for r in records).items())))
    return problems, summary


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description='Check an Animal-Pose annotation file (original '
        'keypoints.json, MMPose COCO json or UDAPE *_anno.npy) and its '
        'images; lists every problem, exit code 1 if any.')
    parser.add_argument('ann_file')
    parser.add_argument('--format', default='auto',
                        choices=('auto', 'original', 'mmpose', 'udape'))
    parser.add_argument('--img-dir', default=None,
                        help='image folder (default: images/ beside the '
                        'original json; the json folder for MMPose files)')
    parser.add_argument('--image-json', default=None,
                        help='original keypoints.json naming the images of '
                        'a UDAPE *_anno.npy')
    add_quick_argument(parser)
    parser.add_argument('--margin', type=float, default=5.0,
                        help='pixels a box or visible keypoint may lie '
                        'outside its image before it counts as a problem')
    args = parser.parse_args(argv)

    problems, summary = check_animalpose(args.ann_file, args.format,
                                         args.img_dir, args.image_json,
                                         not args.quick, args.margin)
    print(f'== Animal-Pose {args.ann_file}')
    print_summary(summary)
    return report(problems)


if __name__ == '__main__':
    sys.exit(main())
