"""Check a downloaded copy of SynAnimal and build its keypoints_18.json cache.

    python tools/dataset_checks/check_synanimal.py ANIMAL_DATA
        [--animal {horse,tiger,sheep,hound,elephant,all}] [--split-root DIR]
        [--build-cache] [--cache-file PATH] [--quick]

ANIMAL_DATA holds ``synthetic_animal/<animal>_combineds5r5_texture/``
(``<stem>img.png`` + ``<stem>kpts.npy``); ``--split-root`` (default
ANIMAL_DATA) holds ``synthetic_animal/<animal>_combineds5r5_texture/
{train,valid}_idxs.npy`` (UDAPE's ``cached_data`` or CC-SSL's ``data``).
``--animal all`` checks the animals whose image folder exists.

Every problem found is listed: a missing image folder, images without a
vertex file, vertex files of the wrong shape, missing, unreadable or
non-640x480 images, split files missing, out of range or overlapping, and a
``clean_data/keypoints_18.json`` cache that disagrees with the vertex files
or split files. Keypoints outside the image are counted, not reported (the
renders crop animals; the adapter marks those keypoints invisible).
``--build-cache`` then (re)writes the cache, atomically, for the animals
that had no problem, keeping other animals' entries. Exit code 0 when clean,
1 otherwise.
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

from mmpose_mlda.datasets.synanimal_dataset import (  # noqa: E402
    CACHE_FILE, IMAGE_HEIGHT, IMAGE_WIDTH, SYNANIMAL_ANIMALS,
    build_synanimal_cache, list_synanimal_images, load_json,
    read_synanimal_cache, read_vertices, resolve_cache_imgpath,
    synanimal_image_dir, synanimal_split_file, vertex_file,
    vertices_to_record)
from _common import (add_problem, add_quick_argument,  # noqa: E402
                     image_size, print_summary, report)

#: images per animal in the release, and the published split sizes
PUBLISHED_IMAGES, PUBLISHED_SPLITS = 10000, (8000, 2000)


def check_synanimal(data_root: str, animal: str,
                    split_root: Optional[str] = None,
                    cache_file: Optional[str] = None,
                    decode: bool = True) -> Tuple[List[str], Dict]:
    """Check one animal; returns the problems (empty when clean) and a
    summary dict."""
    problems: List[str] = []
    summary: Dict = dict(animal=animal)
    try:
        images = list_synanimal_images(data_root, animal)
    except FileNotFoundError as err:
        return [str(err)], summary
    if not images:
        return [f'no *img.png in {synanimal_image_dir(data_root, animal)}'
                ], summary
    summary['images'] = len(images)
    if len(images) != PUBLISHED_IMAGES:
        summary['note'] = (f'the release has {PUBLISHED_IMAGES} images per '
                           'animal; the split files assume all of them')

    no_vertices, bad_vertices, bad_images = [], [], []
    records, outside = {}, 0
    for i, img in enumerate(images):
        try:
            kpts, box = vertices_to_record(
                read_vertices(vertex_file(img)), animal)
            records[i] = (kpts, box)
            outside += int(((kpts[:, 0] < 0) | (kpts[:, 0] > IMAGE_WIDTH)
                            | (kpts[:, 1] < 0)
                            | (kpts[:, 1] > IMAGE_HEIGHT)).sum())
        except FileNotFoundError:
            no_vertices.append(osp.basename(vertex_file(img)))
        except ValueError as err:
            bad_vertices.append(str(err))
        size = image_size(img, decode)
        if size != (IMAGE_WIDTH, IMAGE_HEIGHT):
            bad_images.append(f'{osp.basename(img)} '
                              f'({"unreadable" if size is None else size})')
    folder = synanimal_image_dir(data_root, animal)
    add_problem(problems, no_vertices,
                f'image(s) in {folder} without their <stem>kpts.npy')
    add_problem(problems, bad_vertices, 'malformed vertex file(s)')
    add_problem(problems, bad_images, f'image(s) in {folder} missing, '
                f'unreadable or not {IMAGE_WIDTH}x{IMAGE_HEIGHT}')
    summary['keypoints_outside_image'] = outside

    split_root = split_root or data_root
    splits = {}
    for split in ('train', 'valid'):
        path = synanimal_split_file(split_root, animal, split)
        if not osp.isfile(path):
            problems.append(f'missing split file {path}; copy the published '
                            'synthetic_animal/<animal>_combineds5r5_texture/'
                            '*_idxs.npy there or pass --split-root')
            continue
        idxs = np.load(path).reshape(-1)
        splits[split] = idxs
        summary[f'{split}_size'] = int(idxs.size)
        if idxs.size and (idxs.min() < 0 or idxs.max() >= len(images)):
            problems.append(
                f'{path} indexes up to {int(idxs.max())} but {folder} has '
                f'{len(images)} images: the download is incomplete')
        if len(set(idxs.tolist())) != idxs.size:
            problems.append(f'{path} repeats indices')
    if len(splits) == 2:
        shared = set(splits['train'].tolist()) & set(
            splits['valid'].tolist())
        if shared:
            problems.append(f'train and valid splits share {len(shared)} '
                            'images')
        summary['published_split_sizes'] = PUBLISHED_SPLITS

    cache_file = cache_file or osp.join(data_root, CACHE_FILE)
    if osp.isfile(cache_file):
        problems += [
            'cache: ' + p for p in _check_cache(
                cache_file, animal, data_root, images, records, splits)
        ]
    summary['cache'] = cache_file if osp.isfile(cache_file) else 'absent'
    return problems, summary


def _check_cache(cache_file: str, animal: str, data_root: str,
                 images: List[str], records: dict, splits: dict) -> List[str]:
    """Compare an existing cache entry with the vertex and split files."""
    try:
        data = load_json(cache_file, 'SynAnimal cache')
        if animal not in data:
            return []  # nothing cached for this animal: not a problem
        entry = read_synanimal_cache(cache_file, animal, data)
    except (KeyError, ValueError) as err:
        return [f'{err} (rebuild with --build-cache)']
    problems = []
    paths = [resolve_cache_imgpath(p, data_root) for p in entry['imgpath']]
    if [osp.normpath(p) for p in paths] != [osp.normpath(p) for p in images]:
        problems.append(f'{cache_file}[{animal!r}] lists {len(paths)} images '
                        f'that differ from the {len(images)} on disk '
                        '(rebuild with --build-cache)')
        return problems
    differ = [i for i, (k, box) in records.items()
              if not np.allclose(entry['keypoints'][i], k, atol=1e-2)
              or not np.allclose(entry['bbox'][i], box, atol=1e-2)]
    if differ:
        problems.append(f'{cache_file}[{animal!r}]: keypoints/boxes of '
                        f'{len(differ)} images differ from their vertex files '
                        '(rebuild with --build-cache)')
    for split, idxs in splits.items():
        cached = entry.get(f'{split}_idxs')
        if cached is not None and list(cached) != idxs.tolist():
            problems.append(f'{cache_file}[{animal!r}][{split}_idxs] differs '
                            'from the split file (rebuild with --build-cache)')
    return problems


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description='Check a downloaded SynAnimal copy and its split files, '
        'and build clean_data/keypoints_18.json; lists every problem, exit '
        'code 1 if any.')
    parser.add_argument('root', help='the animal_data folder holding '
                        'synthetic_animal/')
    parser.add_argument('--animal', choices=SYNANIMAL_ANIMALS + ('all', ),
                        default='all')
    parser.add_argument('--split-root', default=None,
                        help='folder holding synthetic_animal/<animal>_'
                        'combineds5r5_texture/*_idxs.npy (default: ROOT)')
    parser.add_argument('--build-cache', action='store_true',
                        help='write the keypoints_18.json cache for the '
                        'animals without problems')
    parser.add_argument('--cache-file', default=None,
                        help=f'cache path (default: ROOT/{CACHE_FILE})')
    add_quick_argument(parser)
    args = parser.parse_args(argv)

    if args.animal == 'all':
        animals = tuple(a for a in SYNANIMAL_ANIMALS
                        if osp.isdir(synanimal_image_dir(args.root, a)))
        if not animals:
            print(f'no synthetic_animal/<animal>_combineds5r5_texture folder '
                  f'under {args.root}')
            return 1
    else:
        animals = (args.animal, )
    all_problems, clean = [], []
    for animal in animals:
        problems, summary = check_synanimal(args.root, animal,
                                            args.split_root, args.cache_file,
                                            not args.quick)
        print(f'== SynAnimal {animal} in {args.root}')
        print_summary(summary)
        all_problems += [f'[{animal}] {p}' for p in problems]
        if all(p.startswith('cache: ') for p in problems):
            clean.append(animal)
    if args.build_cache and clean:
        path = build_synanimal_cache(args.root, clean, args.split_root,
                                     args.cache_file)
        print(f'wrote {path} for {", ".join(clean)}')
        # a stale cache was just rebuilt: those problems are fixed
        fixed = [p for p in all_problems
                 if any(p.startswith(f'[{a}]') for a in clean)]
        for problem in fixed:
            print(f'  fixed by the rebuild: {problem}')
        all_problems = [p for p in all_problems if p not in fixed]
    return report(all_problems)


if __name__ == '__main__':
    sys.exit(main())
