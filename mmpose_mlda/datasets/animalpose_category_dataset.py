"""Animal-Pose (Cao et al. ICCV 2019) with per-category selection, read from
the original release or from MMPose's COCO-format conversion.

Formats (``ann_format``):

* ``'original'``: ``animal-pose/keypoints.json`` = ``{images: {id:
  file_name}, annotations: [{image_id, bbox: [xmin, ymin, xmax, ymax],
  keypoints: 20 x [x, y, v], num_keypoints, category_id}], categories}``,
  keypoints in the ORIGINAL order, category 1 dog, 2 cat, 3 sheep, 4 horse,
  5 cow; images in ``animal-pose/images/`` next to the json.
* ``'udape'``: UDAPE's per-category split files
  ``cached_data/real_animal_pose/<cat>/{train,test}_anno.npy``, object arrays
  of the same annotation dicts; file names come from ``image_json`` (the
  original ``keypoints.json``).
* ``'mmpose'``: MMPose's COCO files (``animalpose_{train,val,test}.json``):
  20 keypoints in MMPose's order, bbox xywh, a single category. The species
  is recovered from the file name (``animalpose_image_part2/<cat>/...`` or a
  Part-II name such as ``ca110.jpeg``); the VOC-based train/val files do not
  record it, so category selection needs the original json there.
* ``'auto'``: ``.npy`` -> udape; json with a dict ``images`` -> original,
  with a list -> mmpose.

``convert_to``: ``None`` keeps the 20 keypoints in the file's own order
(metainfo ``animalpose_original`` or MMPose's ``animalpose``),
``'animalpose'`` gives the original order from either format, and
``'animalpose14'`` the 14-keypoint subset of SynAnimal -> AnimalPose. All
conversions go through :mod:`.joint_sets`.
"""
import os.path as osp
import re
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from mmpose.registry import DATASETS

from .joint_sets import convert_keypoints
from .metainfo import metainfo_file, mmpose_metainfo_file
from .synanimal_dataset import load_json

#: category ids of the original release
ANIMALPOSE_CATEGORIES = dict(dog=1, cat=2, sheep=3, horse=4, cow=5)
_CATEGORY_NAMES = {i: name for name, i in ANIMALPOSE_CATEGORIES.items()}
#: Part-II image names start with these letters (ca110.jpeg, ho105.jpeg)
_NAME_PREFIX = dict(ca='cat', co='cow', do='dog', ho='horse', sh='sheep')
NUM_KEYPOINTS = 20
#: joint-set name of each file format's own order (see joint_sets.py)
_SOURCE_SET = dict(original='animalpose', udape='animalpose',
                   mmpose='mmpose_animalpose')
_NUM_TARGET = dict(animalpose=20, animalpose14=14)


def detect_format(path: str, data) -> str:
    """``'original'``, ``'udape'`` or ``'mmpose'`` from a loaded file."""
    if path.endswith('.npy'):
        return 'udape'
    if isinstance(data, dict) and isinstance(data.get('images'), dict):
        return 'original'
    if isinstance(data, dict) and isinstance(data.get('images'), list):
        return 'mmpose'
    raise ValueError(
        f'AnimalPose: cannot tell the format of {path}: expected the original '
        'keypoints.json ("images" a dict id -> file_name), an MMPose COCO '
        'file ("images" a list) or a UDAPE *_anno.npy.')


def category_from_file_name(file_name: str) -> Optional[str]:
    """The species of an MMPose-format image, if its path records it."""
    parts = file_name.replace('\\', '/').split('/')
    for part in parts[:-1]:
        if part in ANIMALPOSE_CATEGORIES:
            return part
    m = re.fullmatch(r'([a-z]{2})\d+\.\w+', parts[-1])
    return _NAME_PREFIX.get(m.group(1)) if m else None


def _category_ids(categories) -> Optional[List[int]]:
    if categories is None or categories == 'all':
        return None
    if isinstance(categories, (str, int)):
        categories = (categories, )
    ids = []
    for c in categories:
        if isinstance(c, str) and c in ANIMALPOSE_CATEGORIES:
            ids.append(ANIMALPOSE_CATEGORIES[c])
        elif isinstance(c, int) and c in ANIMALPOSE_CATEGORIES.values():
            ids.append(c)
        else:
            raise ValueError(
                f'AnimalPose: unknown category {c!r}; expected names '
                f'{tuple(ANIMALPOSE_CATEGORIES)} or their ids 1..5.')
    return ids


@DATASETS.register_module()
class AnimalPoseCategoryDataset(BaseCocoStyleDataset):
    """Animal-Pose instances of selected categories, in any of the three
    on-disk formats (see the module docstring). Each instance records its
    species name as ``animal`` (``'unknown'`` where an MMPose file cannot
    tell), for per-category scores (``HeatmapPCKMetric(categories=...)``).

    Args:
        ann_file (str): the annotation file, relative to ``data_root``.
            Default ``'animal-pose/keypoints.json'``.
        ann_format (str): ``'auto'``, ``'original'``, ``'udape'`` or
            ``'mmpose'``.
        categories (str | int | Sequence, optional): names (dog, cat, sheep,
            horse, cow) or original ids; ``None``/``'all'`` keeps all.
        convert_to (str, optional): ``None``, ``'animalpose'`` or
            ``'animalpose14'``; the metainfo follows.
        image_json (str): for ``'udape'`` files, the original
            ``keypoints.json`` giving file names (relative to ``data_root``).
        data_prefix (dict): ``img`` folder of the images. Default: the
            ``images/`` folder beside the original json for the original and
            udape formats, ``data_root`` for MMPose files.
    """

    METAINFO: dict = dict(from_file=metainfo_file('animalpose_original'))

    def __init__(self,
                 ann_file: str = 'animal-pose/keypoints.json',
                 data_root: str = '',
                 ann_format: str = 'auto',
                 categories: Union[None, str, int, Sequence] = None,
                 convert_to: Optional[str] = None,
                 image_json: str = 'animal-pose/keypoints.json',
                 metainfo: Optional[dict] = None,
                 data_prefix: dict = dict(img=''),
                 **kwargs):
        if ann_format not in ('auto', 'original', 'udape', 'mmpose'):
            raise ValueError(
                f'AnimalPose: unknown ann_format {ann_format!r}; expected '
                "'auto', 'original', 'udape' or 'mmpose'.")
        if convert_to not in (None, 'animalpose', 'animalpose14'):
            raise ValueError(
                f'AnimalPose: unknown convert_to {convert_to!r}; expected '
                "None, 'animalpose' or 'animalpose14'.")
        self.category_ids = _category_ids(categories)
        self.convert_to = convert_to
        self.image_json = _under(data_root, image_json)
        self._img_prefix_given = bool(data_prefix.get('img'))

        # the format decides the metainfo, so read the file now
        path = _under(data_root, ann_file)
        self._raw = self._read(path)
        self.ann_format = detect_format(path, self._raw) \
            if ann_format == 'auto' else ann_format
        if metainfo is None:
            if convert_to is not None:
                name = 'animalpose_original' if convert_to == 'animalpose' \
                    else convert_to
                metainfo = dict(from_file=metainfo_file(name))
            elif self.ann_format == 'mmpose':
                metainfo = dict(from_file=mmpose_metainfo_file('animalpose'))
        kwargs.setdefault('data_mode', 'topdown')
        super().__init__(
            ann_file=ann_file, data_root=data_root, metainfo=metainfo,
            data_prefix=data_prefix, **kwargs)

    @staticmethod
    def _read(path: str):
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'AnimalPose: missing annotation file {path}. Expected the '
                'original animal-pose/keypoints.json, an MMPose '
                'animalpose_*.json or a UDAPE *_anno.npy; check data_root and '
                'ann_file, or run tools/dataset_checks/'
                'check_animalpose.py.')
        if path.endswith('.npy'):
            return np.load(path, allow_pickle=True).tolist()
        return load_json(path, 'AnimalPose')

    def _load_annotations(self) -> Tuple[List[dict], List[dict]]:
        num_kpts = self.metainfo['num_keypoints']
        expected = _NUM_TARGET.get(self.convert_to, NUM_KEYPOINTS)
        if num_kpts != expected:
            raise ValueError(
                f'AnimalPose gives {expected} keypoints here but the metainfo '
                f'{self.metainfo.get("dataset_name")} has {num_kpts}; leave '
                'metainfo unset or pick a matching convert_to.')
        raw = self._raw if self._raw is not None else self._read(
            self.ann_file)
        self._raw = None
        if self.ann_format == 'mmpose':
            records = self._records_mmpose(raw)
        else:
            records = self._records_original(raw)
        if not records:
            raise ValueError(
                f'AnimalPose: no annotations of categories '
                f'{self.category_ids} in {self.ann_file}.')

        kpts = np.stack([r['kpts'] for r in records]).astype(np.float32)
        vis = (kpts[..., 2] > 0).astype(np.float32)
        xy = kpts[..., :2]
        if self.convert_to is not None:
            xy, vis = convert_keypoints(xy, vis,
                                        _SOURCE_SET[self.ann_format],
                                        self.convert_to, num_kpts)
        instances, images, seen = [], [], set()
        for r, k, v in zip(records, xy, vis):
            bbox = np.asarray(r['bbox'], np.float32)
            instances.append(dict(
                img_id=r['img_id'],
                img_path=r['img_path'],
                bbox=bbox[None],
                bbox_score=np.ones(1, np.float32),
                num_keypoints=int(v.sum()),
                keypoints=k[None].copy(),
                keypoints_visible=v[None].copy(),
                area=np.array((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]),
                              np.float32),
                iscrowd=r.get('iscrowd', 0),
                segmentation=None,
                id=r['id'],
                category_id=np.array(r['category_id']),
                animal=_CATEGORY_NAMES.get(r['category_id'], 'unknown')))
            if r['img_id'] not in seen:
                seen.add(r['img_id'])
                images.append(dict(img_id=r['img_id'],
                                   img_path=r['img_path']))
        return instances, images

    def _img_dir(self, json_path: str) -> str:
        if self._img_prefix_given:
            return self.data_prefix['img']
        return osp.join(osp.dirname(json_path), 'images')

    def _records_original(self, raw) -> List[dict]:
        """Records of the original json or a UDAPE npy (original order)."""
        if self.ann_format == 'udape':
            if not isinstance(raw, list):
                raise ValueError(
                    f'AnimalPose: {self.ann_file} is not a UDAPE annotation '
                    'array (an object array of annotation dicts).')
            anns = raw
            if not osp.isfile(self.image_json):
                raise FileNotFoundError(
                    f'AnimalPose: {self.ann_file} needs the original '
                    f'keypoints.json for file names; {self.image_json} is '
                    'missing (set image_json).')
            images = load_json(self.image_json, 'AnimalPose').get('images')
            json_path = self.image_json
        else:
            if not isinstance(raw, dict) or 'annotations' not in raw \
                    or not isinstance(raw.get('images'), dict):
                raise ValueError(
                    f'AnimalPose: {self.ann_file} lacks "images" (a dict id ->'
                    ' file_name) or "annotations"; expected the original '
                    'animal-pose keypoints.json.')
            anns, images = raw['annotations'], raw['images']
            json_path = self.ann_file
        img_dir = self._img_dir(json_path)
        records = []
        for idx, ann in enumerate(anns):
            cat = ann.get('category_id')
            if cat not in ANIMALPOSE_CATEGORIES.values():
                raise ValueError(
                    f'AnimalPose: annotation {idx} of {self.ann_file} has '
                    f'category_id {cat!r}; expected 1 dog, 2 cat, 3 sheep, '
                    '4 horse, 5 cow.')
            if self.category_ids is not None and cat not in self.category_ids:
                continue
            kpts = np.asarray(ann.get('keypoints', ()), np.float32)
            bbox = np.asarray(ann.get('bbox', ()), np.float32)
            if kpts.shape != (NUM_KEYPOINTS, 3) or bbox.shape != (4, ):
                raise ValueError(
                    f'AnimalPose: annotation {idx} of {self.ann_file} has '
                    f'keypoints {kpts.shape} and bbox {bbox.shape}; expected '
                    f'({NUM_KEYPOINTS}, 3) [x, y, v] in the original order '
                    'and [xmin, ymin, xmax, ymax].')
            name = images.get(str(ann.get('image_id')))
            if name is None:
                raise ValueError(
                    f'AnimalPose: annotation {idx} of {self.ann_file} refers '
                    f'to image_id {ann.get("image_id")!r}, which '
                    f'{json_path} does not list.')
            records.append(dict(
                img_id=int(ann['image_id']), img_path=osp.join(img_dir, name),
                bbox=bbox, kpts=kpts, id=idx, category_id=cat))
        return records

    def _records_mmpose(self, raw) -> List[dict]:
        """Records of an MMPose COCO file (MMPose order, bbox xywh)."""
        if not isinstance(raw, dict) or not isinstance(
                raw.get('images'), list) or 'annotations' not in raw:
            raise ValueError(
                f'AnimalPose: {self.ann_file} lacks a list "images" or '
                '"annotations"; expected an MMPose COCO-format file.')
        images = {img['id']: img for img in raw['images']}
        records, unknown = [], []
        for idx, ann in enumerate(raw['annotations']):
            img = images.get(ann.get('image_id'))
            if img is None:
                raise ValueError(
                    f'AnimalPose: annotation {idx} of {self.ann_file} refers '
                    f'to image_id {ann.get("image_id")!r}, which is not in '
                    'its "images".')
            kpts = np.asarray(ann.get('keypoints', ()), np.float32)
            if kpts.size != NUM_KEYPOINTS * 3 or len(ann.get('bbox',
                                                             ())) != 4:
                raise ValueError(
                    f'AnimalPose: annotation {idx} of {self.ann_file} has '
                    f'{kpts.size} keypoint values and bbox '
                    f'{ann.get("bbox")!r}; expected {NUM_KEYPOINTS * 3} '
                    '(20 x [x, y, v], MMPose order) and [x, y, w, h].')
            name = category_from_file_name(img['file_name'])
            if self.category_ids is not None:
                if name is None:
                    unknown.append(img['file_name'])
                    continue
                if ANIMALPOSE_CATEGORIES[name] not in self.category_ids:
                    continue
            x, y, w, h = ann['bbox']
            bbox = [x, y, x + w, y + h]
            if 'width' in img and 'height' in img:  # as MMPose clips
                bbox = np.clip(bbox, 0, [img['width'] - 1,
                                         img['height'] - 1] * 2)
            records.append(dict(
                img_id=img['id'],
                img_path=osp.join(self.data_prefix['img'], img['file_name']),
                bbox=bbox, kpts=kpts.reshape(NUM_KEYPOINTS, 3),
                id=ann.get('id', idx), iscrowd=ann.get('iscrowd', 0),
                category_id=ANIMALPOSE_CATEGORIES.get(name, 0)))
        if unknown:
            raise ValueError(
                f'AnimalPose: {len(unknown)} images of {self.ann_file} (e.g. '
                f'{unknown[0]!r}) do not record their species, so categories '
                'cannot be selected. MMPose\'s VOC-based train/val files lose '
                'it; use the original animal-pose/keypoints.json '
                "(ann_format='original') or categories=None.")
        return records


def _under(data_root: str, path: str) -> str:
    return osp.join(data_root, path) if data_root and not osp.isabs(
        path) else path
