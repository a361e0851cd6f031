"""SURREAL as prepared for the keypoint-detection DA benchmarks."""
import json
import os.path as osp
import random
from typing import List, Optional, Sequence, Tuple

import numpy as np

from mmpose.registry import DATASETS
from .human_base import HumanKeypointDataset
from .metainfo import metainfo_file

SURREAL_SPLITS = ('train', 'val', 'test')
SURREAL_NUM_JOINTS = 24
#: the peers' test subset: shuffle with this seed, keep min(20 %, 3200)
PEERS_SEED, PEERS_FRACTION, PEERS_MAX_TEST = 42, 0.2, 3200


def peers_split_indices(num_samples: int, split: str) -> List[int]:
    """Indices the peers keep of ``num_samples`` concatenated samples.

    Transfer-Learning-Library / UDAPE ``SURREAL`` concatenate run0..run2 of
    the split, shuffle with ``random.seed(42)`` and split off
    ``n = min(int(0.2 * len), 3200)`` samples: ``split='test'`` keeps the
    first ``n`` (of ``test/``), ``split='train'`` drops them (of ``train/``)
    and ``'val'`` keeps everything. ``random.shuffle`` permutes a list the
    same way whatever it holds, so shuffling indices reproduces it.
    """
    order = list(range(num_samples))
    random.Random(PEERS_SEED).shuffle(order)
    n_test = min(int(num_samples * PEERS_FRACTION), PEERS_MAX_TEST)
    if split == 'train':
        return order[n_test:]
    if split == 'test':
        return order[:n_test]
    return order


def record_problem(sample) -> Optional[str]:
    """What is wrong with one run-json record for the adapter, or None.

    The adapter needs ``name`` (a string) and ``keypoint2d`` (24 x 2).
    """
    if not isinstance(sample, dict):
        return f'is a {type(sample).__name__}, not a dict'
    if not isinstance(sample.get('name'), str):
        return 'has no string "name"'
    try:
        shape = np.shape(np.asarray(sample['keypoint2d'], dtype=np.float32))
    except KeyError:
        return 'has no "keypoint2d"'
    except (TypeError, ValueError):
        return '"keypoint2d" is not a numeric array'
    if shape != (SURREAL_NUM_JOINTS, 2):
        return f'"keypoint2d" has shape {shape}, expected (24, 2)'
    return None


def read_surreal_json(path: str) -> list:
    """The records of one ``run<k>.json``, checked to be a JSON list."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{path} not found: SURREAL expects <root>/<split>/run<k>.json '
            '(k = 0, 1, 2) with images under <root>/<split>/run<k>/; point '
            'data_root at the folder holding train/ val/ test/ of the '
            'processed SURREAL release.')
    try:
        with open(path) as f:
            samples = json.load(f)
    except (OSError, ValueError) as err:
        raise ValueError(f'{path} cannot be read as JSON ({err}); '
                         're-download it.') from None
    if not isinstance(samples, list):
        raise ValueError(f'{path}: expected a list of records '
                         '{name, keypoint2d 24x2, keypoint3d 24x3, '
                         f'intrinsic_matrix 3x3}}, got {type(samples)}.')
    return samples


def load_surreal_run(path: str) -> Tuple[List[str], np.ndarray]:
    """Read one ``run<k>.json``: image names and (M, 24, 2) keypoints.

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: not JSON, not a list of records, or a record without a
            ``name`` or with a ``keypoint2d`` that is not 24 x 2.
    """
    samples = read_surreal_json(path)
    for i, sample in enumerate(samples):
        problem = record_problem(sample)
        if problem is not None:
            raise ValueError(
                f'{path}: record {i} {problem}; expected records {{name, '
                'keypoint2d 24x2 (SMPL joints), keypoint3d, '
                'intrinsic_matrix}. tools/dataset_checks/'
                'check_surreal.py lists every bad record.')
    names = [sample['name'] for sample in samples]
    keypoints = np.asarray([sample['keypoint2d'] for sample in samples],
                           dtype=np.float32).reshape(-1, SURREAL_NUM_JOINTS,
                                                     2)
    return names, keypoints


@DATASETS.register_module()
class SurrealDataset(HumanKeypointDataset):
    """SURREAL, the processed release of the keypoint-detection DA papers.

    Layout (``data_root``)::

        train/run0.json run1.json run2.json   # [{name, keypoint2d 24x2,
        train/run0/<name> ...                 #   keypoint3d 24x3,
        val/...  test/...                     #   intrinsic_matrix 3x3}, ...]

    The images are person crops the release made in advance. Keypoints are
    the 24 SMPL joints; all are treated as visible, as the peers do. SURREAL
    is the labelled *source* domain of SURREAL -> LSP.

    Args:
        split (str): ``'train'``, ``'val'`` or ``'test'``: the folder read.
        runs (Sequence[int]): which ``run<k>.json`` to read, in this order.
        peers_subset (bool): apply the peers' protocol (see
            :func:`peers_split_indices`): shuffle the concatenated runs with
            seed 42 and split off ``min(20 %, 3200)`` samples, which
            ``'test'`` keeps and ``'train'`` drops; ``'val'`` is kept
            whole. It reproduces the peers' sample sets only with
            ``runs=(0, 1, 2)``. False keeps every sample in file order.
        bbox_mode (str): ``'keypoints'`` (default: the crop is a square
            ``bbox_padding`` (1.5) times the keypoint extent, the rule the
            peers cut their crops with: TLL's ``scale_box`` with 1.5) or
            ``'image'`` (the whole stored crop, exactly the peers' resize
            of the image to 256; reads every image header at construction,
            slow for the full train set).
        convert_to (str, optional): ``'body16'`` converts to Body16 and
            switches the metainfo; None keeps SMPL-24.
        data_prefix (dict): ``img`` = the root of the image folders if they
            are not next to the json files (default: ``data_root``).
        **kwargs: see :class:`HumanKeypointDataset` and
            :class:`BaseCocoStyleDataset`.

    Boxes are stored for ``GetBBoxCenterScale``'s default padding 1.25
    (see ``pipeline_padding`` in :class:`HumanKeypointDataset`).
    """

    METAINFO: dict = dict(from_file=metainfo_file('surreal'))
    JOINT_SET = 'smpl24'

    def __init__(self,
                 split: str = 'train',
                 runs: Sequence[int] = (0, 1, 2),
                 peers_subset: bool = True,
                 bbox_mode: str = 'keypoints',
                 data_prefix: dict = dict(img=''),
                 **kwargs):
        if split not in SURREAL_SPLITS:
            raise ValueError(f'SurrealDataset: split={split!r}; expected one '
                             f'of {SURREAL_SPLITS}.')
        if not runs:
            raise ValueError('SurrealDataset: runs is empty; use e.g. '
                             '(0, 1, 2).')
        if not kwargs.get('data_root'):
            raise ValueError('SurrealDataset needs data_root: the folder '
                             'that holds train/ val/ test/.')
        self.split = split
        self.runs = tuple(int(k) for k in runs)
        self.peers_subset = peers_subset
        super().__init__(
            bbox_mode=bbox_mode, data_prefix=data_prefix, **kwargs)

    def _load_annotations(self) -> Tuple[List[dict], List[dict]]:
        """Instances from ``<split>/run<k>.json``, in the peers' order."""
        img_root = osp.join(self.data_prefix['img'] or self.data_root,
                            self.split)
        paths, chunks = [], []
        for k in self.runs:
            ann = osp.join(self.data_root, self.split, f'run{k}.json')
            names, keypoints = load_surreal_run(ann)
            folder = osp.join(img_root, f'run{k}')
            if names and not osp.isdir(folder):
                raise FileNotFoundError(
                    f'SurrealDataset: image folder {folder} not found; '
                    f'{ann} lists {len(names)} images under it (e.g. '
                    f'{names[0]}). Unpack the images of run{k} there.')
            if names and not osp.isfile(osp.join(folder, names[0])):
                raise FileNotFoundError(
                    f'SurrealDataset: {osp.join(folder, names[0])}, the first '
                    f'image {ann} lists, is missing; the images of run{k} are '
                    'incomplete (tools/dataset_checks/check_surreal.py '
                    'lists every missing file).')
            paths += [osp.join(folder, name) for name in names]
            chunks.append(keypoints)
        keypoints = np.concatenate(chunks, axis=0)
        if self.peers_subset:
            index = peers_split_indices(len(paths), self.split)
        else:
            index = list(range(len(paths)))
        paths = [paths[i] for i in index]
        visible = np.ones(keypoints.shape[:2], dtype=np.float32)[index]
        return self._build_instances(paths, keypoints[index], visible,
                                     f'{self.data_root}/{self.split}',
                                     ids=index)
