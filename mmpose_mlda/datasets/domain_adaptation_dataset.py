"""A labelled source and an unlabelled target pose dataset behind one index."""
import copy
import json
import logging
import os
import os.path as osp
from typing import List, Optional, Union

import numpy as np
from mmengine.logging import print_log

from mmengine.dataset import BaseDataset, ConcatDataset, force_full_init

from mmpose.registry import DATASETS

from .image_probe import load_readable_sample

_ROLES = ('source', 'target')


def _is_remote(path) -> bool:
    return '://' in str(path)


def _describe(ds: BaseDataset) -> str:
    """``CocoDataset(dataset_name='coco', ann_file='...')`` for messages."""
    name = ds.metainfo.get('dataset_name')
    return (f'{type(ds).__name__}(dataset_name={name!r}, '
            f'ann_file={getattr(ds, "ann_file", None)!r})')


def _check_keypoint_counts(role: str, ds: BaseDataset) -> None:
    """Every instance must have the metainfo's number of keypoints (else
    MMPose fails later, at the first flip, with an IndexError)."""
    expected = ds.metainfo.get('num_keypoints')
    if not expected or not hasattr(ds, 'get_data_info'):
        return
    for i in range(len(ds)):
        keypoints = ds.get_data_info(i).get('keypoints')
        if keypoints is not None and np.shape(keypoints)[-2] != expected:
            raise ValueError(
                f'{role} annotation of {ds.get_data_info(i).get("img_path")}'
                f' in {getattr(ds, "ann_file", None)} has '
                f'{np.shape(keypoints)[-2]} keypoints, the {role} metainfo '
                f'{ds.metainfo.get("dataset_name")!r} has {expected}: give '
                f'`{role}` the metainfo of its annotations, or convert them '
                "with MMPose's KeypointConverter.")


def _warn_dropped_boxes(role: str, ds: BaseDataset) -> None:
    """MMPose's COCO-style datasets drop instances with zero-size boxes
    without a word: count them in one warning."""
    ann_file = getattr(ds, 'ann_file', None)
    if not (hasattr(ds, 'data_mode') and ann_file
            and str(ann_file).endswith('.json') and osp.isfile(ann_file)):
        return
    with open(ann_file) as f:
        annotations = json.load(f).get('annotations', [])
    empty = [a for a in annotations
             if len(a.get('bbox', [])) == 4 and not a.get('iscrowd', 0)
             and (a['bbox'][2] <= 0 or a['bbox'][3] <= 0)]
    if empty:
        print_log(
            f'{role}: {len(empty)} of {len(annotations)} annotations in '
            f'{ann_file} have zero-size boxes (width or height <= 0) and '
            f'were dropped (e.g. annotation id {empty[0].get("id")}).',
            logger='current', level=logging.WARNING)


def _keypoint_names(metainfo: dict) -> Optional[List[str]]:
    id2name = metainfo.get('keypoint_id2name')
    if not id2name:
        return None
    return [id2name[i] for i in sorted(id2name)]


@DATASETS.register_module()
class DomainAdaptationDataset(ConcatDataset):
    """One labelled *source* dataset and one unlabelled *target* dataset,
    concatenated for unsupervised domain-adaptive pose estimation.

    Every training batch needs labelled source samples (supervised loss) and
    unlabelled target samples (adaptation losses). Keeping both domains in one
    dataset lets a single dataloader with :class:`TwoDomainSampler` build such
    mixed batches, while each domain keeps its own dataset class, annotation
    file and pipeline (e.g. a stronger augmentation for the target).

    Index layout::

        [0, source_size)                             -> source[i]
        [source_size, source_size + target_size)     -> target[i - source_size]

    MMEngine's ``ConcatDataset`` does the indexing; ``__getitem__`` returns
    the sub-dataset's item unchanged (its own pipeline applied) and
    ``metainfo`` is the source's. Both domains must use the same
    keypoint definition (number, names, flip indices); this is checked at
    construction, and before building a sub-dataset from a config its
    ``data_root`` / ``ann_file`` are checked to exist, so a wrong path fails
    with a message naming the config key. Empty domains are rejected once
    annotations are loaded (:meth:`full_init`).

    Args:
        source (dict | BaseDataset): Labelled source dataset or its config.
        target (dict | BaseDataset): Unlabelled target dataset or its config
            (a ``ConcatDataset`` of several is accepted, e.g. two animal
            categories).
        lazy_init (bool): If True, do not call :meth:`full_init` (load
            annotations and check for empty domains) now; it runs on first
            use or when mmengine's runner calls it. Defaults to False.
    """

    def __init__(self,
                 source: Union[dict, BaseDataset],
                 target: Union[dict, BaseDataset],
                 lazy_init: bool = False) -> None:
        self._unreadable = set()
        self.source: BaseDataset = self._build('source', source)
        self.target: BaseDataset = self._build('target', target)
        self._check_keypoints()
        # the keypoint check above replaces ConcatDataset's generic
        # all-keys metainfo comparison (dataset names etc. may differ)
        ignore_keys = list(self.source.metainfo) + list(self.target.metainfo)
        # a target that is itself a ConcatDataset (e.g. two categories) is
        # flattened: MMEngine concatenates plain datasets only
        targets = self.target.datasets if isinstance(
            self.target, ConcatDataset) else [self.target]
        super().__init__([self.source] + list(targets), lazy_init,
                         ignore_keys)

    # ------------------------------------------------------------------ #
    # construction and validation
    # ------------------------------------------------------------------ #
    @staticmethod
    def _check_paths(role: str, cfg: dict) -> None:
        """Fail early, before building, if the config's local paths are
        missing."""
        backend_args = cfg.get('backend_args')
        if backend_args:  # a storage backend may map paths elsewhere
            return
        data_root = cfg.get('data_root')
        if data_root and not _is_remote(data_root):
            data_root = str(data_root)
            abs_root = osp.abspath(data_root)
            if not osp.exists(data_root):
                raise FileNotFoundError(
                    f'{role}.data_root {data_root!r} (= {abs_root}) does not '
                    f'exist: put or link the {role} dataset there, or fix '
                    f'`{role}.data_root` in the config.')
            if not osp.isdir(data_root):
                raise FileNotFoundError(
                    f'{role}.data_root {data_root!r} (= {abs_root}) is not a '
                    f'directory: set `{role}.data_root` to the folder '
                    f'holding the {role} dataset.')
            if not os.listdir(data_root):
                raise FileNotFoundError(
                    f'{role}.data_root {data_root!r} (= {abs_root}) exists '
                    f'but is empty (unfinished download or broken mount?): '
                    f'put the {role} dataset there, or fix `{role}.data_root`'
                    ' in the config.')
        image_prefix = (cfg.get('data_prefix') or {}).get('img')
        loads_images = any(
            isinstance(t, dict) and str(t.get('type')).endswith('LoadImage')
            for t in cfg.get('pipeline') or [])
        if image_prefix and loads_images and not _is_remote(
                str(image_prefix)):
            images = osp.join(str(data_root or ''), str(image_prefix))
            if not osp.isdir(images):
                raise FileNotFoundError(
                    f"{role}.data_prefix.img {image_prefix!r} (resolved to "
                    f'{osp.abspath(images)}) is not a folder: the {role} '
                    'images are looked up there. Fix '
                    f'`{role}.data_prefix` (joined to `{role}.data_root`).')
        ann_file = cfg.get('ann_file')
        if ann_file and not _is_remote(ann_file):
            ann_file = str(ann_file)
            if not osp.isabs(ann_file) and data_root:
                ann_file = osp.join(str(data_root), ann_file)
            if not osp.isfile(ann_file):
                raise FileNotFoundError(
                    f'{role}.ann_file {cfg.get("ann_file")!r} (resolved to '
                    f'{osp.abspath(ann_file)}) does not exist: fix '
                    f'`{role}.ann_file` (relative paths are joined to '
                    f'`{role}.data_root`).')

    def _build(self, role: str, dataset: Union[dict,
                                               BaseDataset]) -> BaseDataset:
        if isinstance(dataset, (BaseDataset, ConcatDataset)):
            return dataset
        if isinstance(dataset, dict):
            cfg = copy.deepcopy(dataset)
            self._check_paths(role, cfg)
            # Annotations are loaded by this wrapper's ``full_init`` (which
            # honours the wrapper's ``lazy_init``), where an empty domain is
            # reported clearly instead of failing inside mmengine.
            cfg['lazy_init'] = True
            return DATASETS.build(cfg)
        raise TypeError(
            f'DomainAdaptationDataset `{role}` must be a dataset config dict '
            f'or a BaseDataset, got {type(dataset).__name__}.')

    def _check_keypoints(self) -> None:
        """Source and target must share number, names and flip indices of
        keypoints; otherwise raise naming the first differing index."""
        src, tgt = self.source.metainfo, self.target.metainfo
        n_src, n_tgt = src.get('num_keypoints'), tgt.get('num_keypoints')
        names_src, names_tgt = _keypoint_names(src), _keypoint_names(tgt)
        flip_src = src.get('flip_indices')
        flip_tgt = tgt.get('flip_indices')

        def first_diff(a, b) -> Optional[int]:
            if a is None or b is None:
                return None
            a, b = list(a), list(b)
            for i, (x, y) in enumerate(zip(a, b)):
                if x != y:
                    return i
            return None if len(a) == len(b) else min(len(a), len(b))

        def item(seq, i):
            return repr(seq[i]) if seq is not None and i < len(seq) else \
                '(none)'

        if n_src != n_tgt:
            i = first_diff(names_src, names_tgt)
            i = min(n_src or 0, n_tgt or 0) if i is None else i
            cause = (f'source has {n_src} keypoints, target has {n_tgt}; '
                     f'first differing keypoint index {i} (source '
                     f'{item(names_src, i)} vs target {item(names_tgt, i)})')
        elif first_diff(names_src, names_tgt) is not None:
            i = first_diff(names_src, names_tgt)
            cause = (f'keypoint names differ; first differing keypoint index '
                     f'{i}: source {item(names_src, i)} vs target '
                     f'{item(names_tgt, i)}')
        elif first_diff(flip_src, flip_tgt) is not None:
            i = first_diff(flip_src, flip_tgt)
            cause = (f'flip_indices differ; first differing keypoint index '
                     f'{i}: source {item(flip_src, i)} vs target '
                     f'{item(flip_tgt, i)}')
        else:
            return
        raise ValueError(
            'Source and target keypoint sets do not match: source '
            f'{_describe(self.source)}, target {_describe(self.target)}: '
            f'{cause}. Convert the target to the source keypoints with '
            "MMPose's KeypointConverter (first transform of the target "
            "pipeline, and give the target the source's metainfo, e.g. "
            "metainfo=dict(from_file='configs/_base_/datasets/coco.py')), "
            'or use a common metainfo file for both datasets.')

    def _full_init_sub(self, role: str, ds: BaseDataset) -> None:
        """``ds.full_init()``; a corrupt annotation file is named as such
        (with the parse position), and an empty ``data_list``, which makes
        mmengine's data serialisation fail with an obscure numpy error, is
        reported as an empty domain."""
        try:
            ds.full_init()
        except ValueError as err:
            cause = err
            while cause is not None and not isinstance(
                    cause, json.JSONDecodeError):
                cause = cause.__cause__ or cause.__context__
            if cause is not None:
                raise ValueError(
                    f'The {role} annotation file '
                    f'{getattr(ds, "ann_file", None)} is not valid JSON '
                    f'(corrupt or truncated): {cause.msg} at line '
                    f'{cause.lineno}, column {cause.colno} (character '
                    f'{cause.pos}). Re-create or re-download it.') from err
            if getattr(ds, 'data_list', None) == []:
                raise ValueError(self._empty_message(role, ds)) from err
            raise

    @staticmethod
    def _empty_message(role: str, ds: BaseDataset) -> str:
        hint = ''
        if hasattr(ds, 'data_mode'):  # MMPose COCO-style dataset
            hint = (' (MMPose COCO-style datasets drop crowd instances and '
                    'instances without labelled keypoints; for unlabelled '
                    'target images give person boxes via `bbox_file`, which '
                    'needs test_mode=True)')
        return (f'The {role} dataset is empty after loading: {_describe(ds)}'
                f' with data_root={getattr(ds, "data_root", None)!r} gives '
                f'0 samples. Check that `{role}.ann_file` lists images and '
                f'annotations{hint}, and any `{role}.indices`/filter_cfg.')

    def full_init(self) -> None:
        """Load annotations of both sub-datasets; an empty domain is an
        error naming its annotation file. Idempotent."""
        if self._fully_initialized:
            return
        for role, ds in zip(_ROLES, (self.source, self.target)):
            self._full_init_sub(role, ds)
            if len(ds) == 0:
                raise ValueError(self._empty_message(role, ds))
        super().full_init()
        for role, ds in zip(_ROLES, (self.source, self.target)):
            for part in getattr(ds, 'datasets', [ds]):
                _check_keypoint_counts(role, part)
                _warn_dropped_boxes(role, part)

    def __getitem__(self, idx: int) -> dict:
        """The sample, or, when its image cannot be read, another sample of
        the same domain (each file named in one warning; a domain with
        nothing readable stops with an error instead of retrying for
        ever)."""
        return load_readable_sample(
            super().__getitem__, self._image_path, idx,
            lambda: self._another_of_domain(idx), self._unreadable,
            self.domain_of(idx))

    def _image_path(self, idx: int) -> Optional[str]:
        part, local = self._get_ori_dataset_idx(idx)
        try:
            return self.datasets[part].get_data_info(local).get('img_path')
        except Exception:  # noqa: BLE001 - only used for the message
            return None

    def _another_of_domain(self, idx: int) -> int:
        if self.domain_of(idx) == 'source':
            return int(np.random.randint(self.source_size))
        return self.source_size + int(np.random.randint(self.target_size))

    @property
    @force_full_init
    def source_size(self) -> int:
        """Number of source samples (indices ``[0, source_size)``)."""
        return len(self.source)

    @property
    @force_full_init
    def target_size(self) -> int:
        """Number of target samples (the indices after the source ones)."""
        return len(self.target)

    def domain_of(self, idx: int) -> str:
        """``'source'`` or ``'target'`` for a global index."""
        return _ROLES[min(self._get_ori_dataset_idx(idx)[0], 1)]

    def __repr__(self) -> str:
        sizes = (f'source_size={self.source_size}, '
                 f'target_size={self.target_size}'
                 if self._fully_initialized else 'not fully initialised')
        return (f'DomainAdaptationDataset(source={_describe(self.source)}, '
                f'target={_describe(self.target)}, {sizes})')
