"""A folder of images as the unlabelled target domain."""
import hashlib
import json
import logging
import os
import os.path as osp
import re
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.logging import print_log
from mmengine.registry import DefaultScope
from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from mmpose.registry import DATASETS

from mmpose_mlda.utils import atomic_write_text, check_number
from .image_probe import (UnreadableImageError, decoded_image_size,
                          load_readable_sample)

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff',
                    '.webp')
SPLITS = ('all', 'train', 'val')


def list_images(folder: str) -> List[str]:
    """Image files under ``folder``, recursive, sorted, relative paths."""
    found = []
    for root, _, files in os.walk(folder, followlinks=True):
        for name in files:
            if name.lower().endswith(IMAGE_EXTENSIONS):
                found.append(osp.relpath(osp.join(root, name), folder))
    return sorted(found)


def _detection_box(det, index: int, path: str) -> Tuple[list, float]:
    """``([x, y, w, h], score)`` of one detection-results entry; a
    malformed entry is an error naming the file, the entry and the field."""
    where = f'UnlabeledImageDataset: bbox_file {path}, entry {index}'
    if not isinstance(det, dict):
        raise ValueError(f'{where} is a {type(det).__name__}, not an object '
                         'with "bbox" and "score".')
    bbox, score = det.get('bbox'), det.get('score', 1.0)
    if not isinstance(bbox, (list, tuple)) or len(bbox) != 4 or not all(
            isinstance(v, (int, float)) for v in bbox):
        raise ValueError(f'{where}: "bbox" must be 4 numbers [x, y, w, h], '
                         f'got {bbox!r}.')
    if isinstance(score, bool) or not isinstance(score, (int, float)):
        raise ValueError(f'{where}: "score" must be a number, got '
                         f'{score!r}.')
    if not np.all(np.isfinite(list(bbox) + [score])):
        raise ValueError(f'{where}: bbox {list(bbox)} / score {score} is not '
                         'finite (NaN or infinite): re-create the file.')
    return [float(v) for v in bbox], float(score)


@DATASETS.register_module()
class UnlabeledImageDataset(BaseCocoStyleDataset):
    """Every image under ``data_root`` (recursive), one top-down instance
    per person/animal box, no keypoint labels: the target of
    ``DomainAdaptationDataset`` when all you have is a folder of images.

    Boxes come from (first that is set):

    - ``detector``: an MMDetection model run once over the folder,
      ``dict(config=..., checkpoint=..., score_thr=0.5, label=0,
      device='cpu')`` (``label`` is the detector's class index, 0 = person
      for COCO detectors, None keeps every class); its boxes are cached
      in ``cache_dir`` under a hash of the folder listing (names, sizes,
      times) and the detector, and reused while both are unchanged;
    - ``bbox_file``: COCO detection results, a json list of ``{"image_id" |
      "file_name", "bbox": [x, y, w, h], "score"}``; ``file_name`` is the
      image's path relative to ``data_root``, an ``image_id`` is matched to
      the file name without extension, or to the number it ends with
      (``"im0042"``, ``"0042"`` or ``42`` for ``im0042.jpg``); boxes below
      ``score_thr`` (in [0, 1]) are dropped, and, as MMPose's own loader
      does, entries whose ``category_id`` is not in ``category_ids``
      (default: 1, COCO's person; None keeps every class); a malformed
      entry (not 4 finite numbers, a score that is not a number) is an
      error naming the entry;
    - otherwise the whole image is one box (pre-cropped images).

    Boxes are clipped to the image. Every image is decoded once when the
    folder is listed, through MMPose's ``LoadImage`` (so sizes are those
    training sees: EXIF orientation applied); unreadable, truncated or
    empty images, and zero-size boxes, are listed and skipped with one
    warning. A file that becomes unreadable later is skipped when drawn
    (bounded: a folder with nothing readable stops with an error).
    ``split`` holds out every ``val_every``-th image (in sorted order) for
    label-free monitoring: ``'train'`` is the rest, ``'val'`` the held-out
    slice, ``'all'`` both.

    Give it the source's ``metainfo`` (same keypoints), e.g.
    ``metainfo=dict(from_file='configs/_base_/datasets/coco.py')``.
    """

    def __init__(self,
                 data_root: str,
                 bbox_file: Optional[str] = None,
                 score_thr: float = 0.3,
                 detector: Optional[dict] = None,
                 cache_dir: str = 'work_dirs/detection_cache',
                 split: str = 'all',
                 val_every: int = 10,
                 category_ids: Optional[Sequence[int]] = (1, ),
                 **kwargs) -> None:
        if split not in SPLITS:
            raise ValueError(f'UnlabeledImageDataset: split must be one of '
                             f'{SPLITS}, got {split!r}.')
        if not isinstance(data_root, str) or not osp.isdir(data_root):
            raise FileNotFoundError(
                f'UnlabeledImageDataset: data_root {data_root!r} is not a '
                'folder: point it at your images.')
        # score_thr: the lowest detection score kept; val_every: every n-th
        # image is held out for monitoring (1 would leave nothing to train)
        owner = 'UnlabeledImageDataset'
        score_thr = check_number(owner, 'score_thr', score_thr, 0, 1)
        val_every = check_number(owner, 'val_every', val_every, 2, 1e9,
                                 integer=True)
        self.boxes_file = bbox_file
        self.score_thr = score_thr
        if isinstance(category_ids, int):
            category_ids = (category_ids, )
        if category_ids is not None and (
                not isinstance(category_ids, (list, tuple, set))
                or not all(isinstance(c, int) for c in category_ids)):
            raise ValueError(
                'UnlabeledImageDataset: category_ids are the detection '
                'classes kept, a list of integers (COCO person: [1]) or '
                f'None for every class, got {category_ids!r}.')
        self.category_ids = None if category_ids is None else set(
            category_ids)
        self._unreadable = set()
        self.detector = detector
        self.cache_dir = cache_dir
        self.split = split
        self.val_every = val_every
        kwargs.setdefault('data_mode', 'topdown')
        super().__init__(data_root=data_root, **kwargs)

    # ---------------------------------------------------------- loading
    def filter_data(self) -> List[dict]:
        """Keep every box: MMPose's filter drops instances without labelled
        keypoints, which here is all of them."""
        return self.data_list

    def load_data_list(self) -> List[dict]:
        images = self._readable_images()
        if self.detector is not None:
            boxes = self._detect(images)
        elif self.boxes_file is not None:
            boxes = self._read_bbox_file(images)
        else:
            boxes = {name: [([0., 0., w, h], 1.0)]
                     for name, (w, h) in images.items()}
        return self._instances(images, boxes)

    def _readable_images(self) -> Dict[str, Tuple[int, int]]:
        """``{relative path: (width, height)}`` of the split's images that
        the training pipeline can decode (sizes as it decodes them: EXIF
        orientation applied)."""
        names = list_images(self.data_root)
        if not names:
            kinds = ', '.join(IMAGE_EXTENSIONS)
            raise FileNotFoundError(
                f'UnlabeledImageDataset: no images ({kinds}) under '
                f'{self.data_root}.')
        if self.split != 'all':
            held_out = set(names[::self.val_every])
            split = [n for n in names
                     if (n in held_out) == (self.split == 'val')]
            if not split:
                raise ValueError(
                    f'UnlabeledImageDataset: the {self.split!r} split of '
                    f'{self.data_root} is empty: of its {len(names)} image '
                    f'files every {self.val_every}th (val_every) is held out '
                    "for monitoring, the rest trains. Add images, or use "
                    "split='all'.")
            names = split
        sizes, broken = {}, []
        for name in names:
            try:
                sizes[name] = decoded_image_size(
                    osp.join(self.data_root, name))
            except UnreadableImageError:
                broken.append(name)
        if broken:
            print_log(
                f'UnlabeledImageDataset: {len(broken)} of {len(names)} files '
                f'under {self.data_root} are empty or not readable images '
                f'and are skipped: {broken[:10]}'
                + (' ...' if len(broken) > 10 else ''),
                logger='current', level=logging.WARNING)
        if not sizes:
            raise FileNotFoundError(
                f'UnlabeledImageDataset: none of the {len(names)} image files '
                f'of the {self.split!r} split under {self.data_root} can be '
                f'read (e.g. {broken[:3]}).')
        return sizes

    def __getitem__(self, idx: int) -> dict:
        """The sample, or another one when its image has become unreadable
        since the folder was listed (bounded, see
        :func:`load_readable_sample`)."""
        return load_readable_sample(
            super().__getitem__, lambda i: self.get_data_info(i)['img_path'],
            idx, lambda: int(np.random.randint(len(self))), self._unreadable,
            f'image folder {self.data_root}')

    def _read_bbox_file(self, images: Dict[str, Tuple[int, int]]) -> dict:
        path = self.boxes_file
        if not osp.isabs(path) and not osp.isfile(path):
            path = osp.join(self.data_root, path)
        if not osp.isfile(path):
            what = ('is a folder, not a json file' if osp.isdir(path) else
                    'does not exist')
            raise FileNotFoundError(
                f'UnlabeledImageDataset: bbox_file {self.boxes_file!r} '
                f'{what}.')
        with open(path) as f:
            try:
                detections = json.load(f)
            except json.JSONDecodeError as error:
                raise ValueError(
                    f'UnlabeledImageDataset: bbox_file {path} is not valid '
                    f'JSON: {error.msg} at line {error.lineno}, column '
                    f'{error.colno}.') from None
        if not isinstance(detections, list):
            raise ValueError(
                f'UnlabeledImageDataset: bbox_file {path} holds a '
                f'{type(detections).__name__}; COCO detection results are a '
                'list of {"image_id" | "file_name", "bbox", "score"}.')
        by_key = {}
        for name in images:
            stem = osp.splitext(name)[0]
            for key in (name, stem, osp.basename(stem)):
                by_key.setdefault(key, name)
            digits = re.search(r'(\d+)$', osp.basename(stem))
            if digits:  # image_id 42 for 000042.jpg or frame_0042.png
                by_key.setdefault(str(int(digits.group(1))), name)
        boxes, unmatched, other_class = {}, 0, 0
        for index, det in enumerate(detections):
            (x, y, w, h), score = _detection_box(det, index, path)
            if self.category_ids is not None and det.get(
                    'category_id', next(iter(self.category_ids))) \
                    not in self.category_ids:
                other_class += 1
                continue
            key = str(det.get('file_name', det.get('image_id')))
            name = by_key.get(key)
            if name is None:
                unmatched += 1
                continue
            if score < self.score_thr:
                continue
            boxes.setdefault(name, []).append(([x, y, x + w, y + h], score))
        if other_class:
            print_log(
                f'UnlabeledImageDataset: {other_class} detections in {path} '
                f'are of other classes (category_id not in '
                f'{sorted(self.category_ids)}) and are ignored; set '
                'category_ids (None keeps every class).', logger='current')
        if unmatched and unmatched == len(detections) - other_class:
            first = detections[0].get('file_name',
                                      detections[0].get('image_id'))
            raise ValueError(
                f'UnlabeledImageDataset: none of the {len(detections)} '
                f'detections in {path} names an image under {self.data_root}'
                f' (e.g. image_id/file_name {first!r}, images e.g. '
                f'{next(iter(images))!r}).')
        if unmatched:
            print_log(
                f'UnlabeledImageDataset: {unmatched} detections in {path} '
                'name no image of the folder and are ignored.',
                logger='current', level=logging.WARNING)
        return boxes

    def _detect(self, images: Dict[str, Tuple[int, int]]) -> dict:
        """Run the detector once; cache its boxes as a bbox file."""
        cfg = dict(score_thr=0.5, label=0, device='cpu')
        cfg.update(self.detector)
        for key in ('config', 'checkpoint'):
            if not cfg.get(key) or not osp.isfile(cfg[key]):
                raise FileNotFoundError(
                    f'UnlabeledImageDataset: detector.{key} '
                    f'{cfg.get(key)!r} does not exist.')
        listing = [(n, os.stat(osp.join(self.data_root, n)).st_size,
                    int(os.stat(osp.join(self.data_root, n)).st_mtime))
                   for n in images]
        detector_id = [cfg['config'], cfg['checkpoint'],
                       int(os.stat(cfg['checkpoint']).st_mtime),
                       cfg['score_thr'], cfg['label']]
        key = hashlib.sha256(
            json.dumps([osp.abspath(self.data_root), listing, detector_id],
                       default=str).encode()).hexdigest()[:16]
        cache = osp.join(self.cache_dir, f'detections_{key}.json')
        if not osp.isfile(cache):
            detections = self._run_detector(cfg, list(images))
            atomic_write_text(cache, json.dumps(detections))
        else:
            print_log(f'UnlabeledImageDataset: reusing detections {cache}',
                      logger='current')
        self.boxes_file, threshold = cache, self.score_thr
        self.score_thr = cfg['score_thr']
        try:
            return self._read_bbox_file(images)
        finally:
            self.score_thr = threshold

    def _run_detector(self, cfg: dict, names: Sequence[str]) -> List[dict]:
        # init_detector makes 'mmdet' the process's default scope; the
        # context puts the caller's scope back afterwards
        with DefaultScope.overwrite_default_scope('mmdet'):
            return self._detect_with_mmdet(cfg, names)

    def _detect_with_mmdet(self, cfg: dict,
                           names: Sequence[str]) -> List[dict]:
        import torch
        from mmdet.apis import inference_detector, init_detector
        from mmengine.utils import ProgressBar
        try:
            model = init_detector(cfg['config'], cfg['checkpoint'],
                                  device=cfg['device'])
        except Exception as error:  # noqa: BLE001 - re-raised with the path
            raise RuntimeError(
                f'UnlabeledImageDataset: the detector {cfg["config"]} with '
                f'checkpoint {cfg["checkpoint"]} does not load: {error}'
            ) from error
        print_log(f'UnlabeledImageDataset: detecting in {len(names)} images '
                  f'under {self.data_root} (once; cached)', logger='current')
        detections, bar = [], ProgressBar(len(names))
        for name in names:
            result = inference_detector(
                model, osp.join(self.data_root, name)).pred_instances
            keep = torch.ones_like(result.labels, dtype=torch.bool) \
                if cfg['label'] is None else result.labels == cfg['label']
            for box, score in zip(result.bboxes[keep].tolist(),
                                  result.scores[keep].tolist()):
                detections.append(
                    dict(file_name=name, score=score,
                         bbox=[box[0], box[1], box[2] - box[0],
                               box[3] - box[1]]))
            bar.update()
        return detections

    def _instances(self, images: Dict[str, Tuple[int, int]],
                   boxes: dict) -> List[dict]:
        num_keypoints = self.metainfo['num_keypoints']
        data_list, empty = [], 0
        for img_id, name in enumerate(sorted(images)):
            width, height = images[name]
            for box, score in boxes.get(name, []):
                # the part of the box inside the image
                x0, x1 = np.clip([box[0], box[2]], 0, width)
                y0, y1 = np.clip([box[1], box[3]], 0, height)
                box = [float(x0), float(y0), float(x1), float(y1)]
                if x1 - x0 < 1 or y1 - y0 < 1:
                    empty += 1
                    continue
                data_list.append(
                    dict(
                        img_id=img_id,
                        img_path=osp.join(self.data_root, name),
                        bbox=np.array([box], dtype=np.float32),
                        bbox_score=np.array([score], dtype=np.float32),
                        num_keypoints=0,
                        keypoints=np.zeros((1, num_keypoints, 2),
                                           dtype=np.float32),
                        keypoints_visible=np.zeros((1, num_keypoints),
                                                   dtype=np.float32),
                        iscrowd=0,
                        segmentation=None,
                        id=len(data_list),
                        category_id=1))
        if empty:
            print_log(
                f'UnlabeledImageDataset: {empty} zero-size boxes (after '
                f'clipping to the image) under {self.data_root} are '
                'skipped.', logger='current',
                level=logging.WARNING)
        if not data_list:
            raise ValueError(
                f'UnlabeledImageDataset: no box left under {self.data_root} '
                f'(score_thr={self.score_thr}).')
        return data_list
