"""SynAnimal (CC-SSL's synthetic horse, tiger, sheep, hound, elephant), read
from the layout users download.

Layout under ``data_root`` (the peers' ``animal_data`` folder)::

    synthetic_animal/<animal>_combineds5r5_texture/<stem>img.png   640x480
    synthetic_animal/<animal>_combineds5r5_texture/<stem>kpts.npy  3299 mesh
                                                     vertices x (x, y, vis)
    clean_data/keypoints_18.json    the cache most peers read:
        {animal: {keypoints: Nx18x3, imgpath: [N], bbox: [N x [xmin, xmax,
         ymin, ymax]], train_idxs, valid_idxs}}

plus the published split files under ``split_root``::

    synthetic_animal/<animal>_combineds5r5_texture/{train,valid}_idxs.npy

Both sources index the same list: the images of one animal sorted by path
(the peers' ``sorted(glob('*img.png'))``). 18 vertices per animal give the
keypoints in the TigDog horse order (:data:`SYNANIMAL_VERTEX_INDICES`). The
box is the extent of ALL vertices clipped to the image (x1.25 padding comes
from ``GetBBoxCenterScale``). Like the peers (``train_with_occlusion``), every
keypoint inside the image counts as visible unless ``use_occluded=False``.
"""
import glob
import json
import os
import os.path as osp
import tempfile
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from mmpose.registry import DATASETS

from .joint_sets import convert_keypoints
from .metainfo import metainfo_file
from .tigdog_dataset import load_split_indices

#: The 18 mesh vertices of each animal, in the TigDog horse order.
#: horse, tiger: UDAPE lib/datasets/synthetic_animal_sp_all.py and CC-SSL
#: pose/datasets/synthetic_animal_sp.py (identical).
#: sheep, hound: CC-SSL pose/datasets/synthetic_animal_sp.py (UDAPE's
#: synthetic_animal_sp_all_other.py keeps 14 of them, dropping 2, 7, 12, 13).
#: elephant: CC-SSL lists 25 vertices in synthetic_animal_sp.py; the first 18
#: are the ones its data generator (data_generation/unrealdb/example/
#: animal_example/animal_data.py, ``kp_18_id``) uses as the 18 keypoints.
#: (That generator swaps the tiger's first two, i.e. the eyes; the loaders
#: that produced the published numbers use the order below.)
SYNANIMAL_VERTEX_INDICES: Dict[str, Tuple[int, ...]] = {
    'horse': (1718, 1684, 1271, 1634, 1650, 1643, 1659, 925, 392, 564, 993,
              726, 1585, 1556, 427, 1548, 967, 877),
    'tiger': (2753, 2679, 2032, 1451, 1287, 3085, 1632, 229, 1441, 1280,
              2201, 1662, 266, 158, 270, 152, 219, 129),
    'sheep': (2046, 1944, 1267, 1875, 1900, 1868, 1894, 687, 173, 1829, 1422,
              821, 624, 580, 622, 575, 1370, 716),
    'hound': (2028, 2580, 912, 878, 977, 1541, 1734, 480, 799, 1575, 1446,
              602, 755, 673, 780, 1580, 466, 631),
    'elephant': (1980, 2051, 1734, 2122, 2155, 2070, 2166, 681, 923, 1442,
                 1041, 1528, 78, 599, 25, 595, 171, 570),
}
SYNANIMAL_ANIMALS = tuple(SYNANIMAL_VERTEX_INDICES)
NUM_KEYPOINTS = 18
NUM_VERTICES = 3299
#: every rendered image is 640x480; the peers clip boxes and drop keypoints
#: outside this frame
IMAGE_WIDTH, IMAGE_HEIGHT = 640, 480
CACHE_FILE = 'clean_data/keypoints_18.json'


def _check_animal(animal: str) -> None:
    if animal not in SYNANIMAL_VERTEX_INDICES:
        raise ValueError(
            f'SynAnimal: unknown animal {animal!r}; expected one of '
            f'{SYNANIMAL_ANIMALS} (the animals whose 18 keypoint vertices are '
            'published).')


def synanimal_image_dir(data_root: str, animal: str) -> str:
    """``<data_root>/synthetic_animal/<animal>_combineds5r5_texture``."""
    return osp.join(data_root, 'synthetic_animal',
                    f'{animal}_combineds5r5_texture')


def synanimal_split_file(split_root: str, animal: str, split: str) -> str:
    """``<split_root>/synthetic_animal/<animal>_combineds5r5_texture/
    <split>_idxs.npy``."""
    return osp.join(synanimal_image_dir(split_root, animal),
                    f'{split}_idxs.npy')


def list_synanimal_images(data_root: str, animal: str) -> List[str]:
    """The images of ``animal`` in the peers' order (sorted paths)."""
    _check_animal(animal)
    folder = synanimal_image_dir(data_root, animal)
    if not osp.isdir(folder):
        raise FileNotFoundError(
            f'SynAnimal: missing folder {folder}; expected the CC-SSL '
            'release as <data_root>/synthetic_animal/<animal>_combineds5r5_'
            'texture/*img.png. Check data_root.')
    return sorted(glob.glob(osp.join(folder, '*img.png')))


def vertex_file(img_path: str) -> str:
    """``<stem>img.png`` -> ``<stem>kpts.npy``."""
    return img_path[:-len('img.png')] + 'kpts.npy'


def read_vertices(path: str) -> np.ndarray:
    """A (3299, 3) vertex array (x, y, vis), checked."""
    try:
        pts = np.load(path)
    except (OSError, ValueError) as e:
        raise FileNotFoundError(
            f'SynAnimal: cannot read vertex file {path} ({e}); every '
            '<stem>img.png needs its <stem>kpts.npy.') from e
    if pts.ndim != 2 or pts.shape[1] < 3 or pts.shape[0] != NUM_VERTICES:
        raise ValueError(
            f'SynAnimal: {path} has shape {pts.shape}; expected '
            f'({NUM_VERTICES}, 3) mesh vertices (x, y, vis).')
    return pts.astype(np.float64)


def vertices_to_record(pts: np.ndarray,
                       animal: str) -> Tuple[np.ndarray, List[float]]:
    """18 keypoints (x, y, vis) and the box [xmin, xmax, ymin, ymax] of all
    vertices (the cache's convention) from one vertex array."""
    # a selection of mesh vertices, not a joint-set conversion
    kpts = pts[list(SYNANIMAL_VERTEX_INDICES[animal]), :3]
    box = [float(pts[:, 0].min()), float(pts[:, 0].max()),
           float(pts[:, 1].min()), float(pts[:, 1].max())]
    return kpts, box


def build_synanimal_cache(data_root: str, animals: Sequence[str],
                          split_root: Optional[str] = None,
                          out_file: Optional[str] = None) -> str:
    """Write ``clean_data/keypoints_18.json`` (the peers' cache) from the
    per-image vertex files and the split files, atomically.

    Entries of other animals already in the file are kept. Returns the path
    written.
    """
    split_root = split_root or data_root
    out_file = out_file or osp.join(data_root, CACHE_FILE)
    data = {}
    if osp.isfile(out_file):
        with open(out_file) as f:
            data = json.load(f)
    for animal in animals:
        images = list_synanimal_images(data_root, animal)
        if not images:
            raise FileNotFoundError(
                f'SynAnimal: no *img.png in '
                f'{synanimal_image_dir(data_root, animal)}.')
        kpts_all, boxes = [], []
        for img in images:
            kpts, box = vertices_to_record(read_vertices(vertex_file(img)),
                                           animal)
            kpts_all.append(kpts.tolist())
            boxes.append(box)
        splits = {
            f'{s}_idxs': load_split_indices(
                synanimal_split_file(split_root, animal, s), len(images),
                f'SynAnimal {animal}').tolist()
            for s in ('train', 'valid')
        }
        # the peers' path convention, './animal_data/synthetic_animal/...'
        imgpath = [
            './animal_data/' + osp.relpath(p, data_root).replace(os.sep, '/')
            for p in images
        ]
        data[animal] = dict(keypoints=kpts_all, imgpath=imgpath, bbox=boxes,
                            **splits)
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=osp.dirname(osp.abspath(out_file)),
                               suffix='.tmp')
    try:
        with os.fdopen(fd, 'w') as f:
            json.dump(data, f)
        os.replace(tmp, out_file)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    return out_file


def resolve_cache_imgpath(path: str, data_root: str) -> str:
    """Map a cached ``imgpath`` (e.g. ``./animal_data/synthetic_animal/...``,
    written wherever the cache was built) to ``data_root``."""
    parts = path.replace('\\', '/').split('/')
    if 'synthetic_animal' in parts:
        rel = parts[parts.index('synthetic_animal'):]
        return osp.join(data_root, *rel)
    return path if osp.isabs(path) else osp.join(data_root, path)


def load_json(path: str, what: str) -> dict:
    """A json file, with a clear error when it is not json."""
    with open(path) as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f'{what}: {path} is not valid json ({e}).') \
                from e


def read_synanimal_cache(path: str, animal: str,
                         data: Optional[dict] = None) -> dict:
    """One animal's entry of ``keypoints_18.json``, checked; keypoints as an
    (N, 18, 3) array and boxes as (N, 4) [xmin, xmax, ymin, ymax].
    ``data`` is the already parsed file, if at hand."""
    if data is None:
        data = load_json(path, 'SynAnimal cache')
    if animal not in data:
        raise KeyError(
            f'SynAnimal: {path} has no entry for {animal!r} (it has '
            f'{sorted(data)}); rebuild it with tools/dataset_checks/'
            f'check_synanimal.py --animal {animal} --build-cache, or use '
            "source='vertices'.")
    entry = data[animal]
    missing = {'keypoints', 'imgpath', 'bbox'} - set(entry)
    if missing:
        raise ValueError(
            f'SynAnimal: {path}[{animal!r}] lacks {sorted(missing)}; expected '
            'keys keypoints (Nx18x3), imgpath, bbox, train_idxs, valid_idxs.')
    kpts = np.asarray(entry['keypoints'], dtype=np.float32)
    boxes = np.asarray(entry['bbox'], dtype=np.float32)
    n = len(entry['imgpath'])
    if kpts.shape != (n, NUM_KEYPOINTS, 3) or boxes.shape != (n, 4):
        raise ValueError(
            f'SynAnimal: {path}[{animal!r}] has keypoints {kpts.shape} and '
            f'bbox {boxes.shape} for {n} images; expected ({n}, '
            f'{NUM_KEYPOINTS}, 3) and ({n}, 4). Rebuild it with '
            'tools/dataset_checks/check_synanimal.py --build-cache.')
    return dict(entry, keypoints=kpts, bbox=boxes)


@DATASETS.register_module()
class SynAnimalDataset(BaseCocoStyleDataset):
    """SynAnimal images with 18 keypoints in the TigDog horse order (or the
    AnimalPose 14-keypoint subset with ``convert_to='animalpose14'``).

    Args:
        data_root (str): the folder holding ``synthetic_animal/`` (and
            ``clean_data/``).
        animal (str | Sequence[str]): one of horse, tiger, sheep, hound,
            elephant, a list of them, or ``'all'``.
        split (str): ``'train'``, ``'valid'``, ``'all'`` or the name of any
            other published split file (``'test'`` for hound and sheep).
        source (str): ``'cache'`` reads ``ann_file`` (the
            ``keypoints_18.json`` cache), ``'vertices'`` the per-image
            ``kpts.npy`` files, ``'auto'`` the cache when it has the animal.
        ann_file (str): the cache, relative to ``data_root``.
        split_root (str, optional): folder holding ``synthetic_animal/
            <animal>_combineds5r5_texture/<split>_idxs.npy``; relative paths
            are taken under ``data_root``. Defaults to ``data_root``. Only
            read when the cache does not hold the split.
        use_occluded (bool): count self-occluded keypoints as visible, as
            the peers do (default). Keypoints outside the image are always
            invisible.
        convert_to (str, optional): ``'animalpose14'`` converts to the
            AnimalPose subset (through :mod:`.joint_sets`) and switches the
            metainfo to match.
    """

    METAINFO: dict = dict(from_file=metainfo_file('synanimal'))

    def __init__(self,
                 data_root: str = '',
                 animal: Union[str, Sequence[str]] = 'horse',
                 split: str = 'train',
                 source: str = 'auto',
                 ann_file: str = CACHE_FILE,
                 split_root: Optional[str] = None,
                 use_occluded: bool = True,
                 convert_to: Optional[str] = None,
                 metainfo: Optional[dict] = None,
                 **kwargs):
        if animal == 'all':
            animal = SYNANIMAL_ANIMALS
        self.animals = (animal, ) if isinstance(animal, str) else tuple(
            animal)
        for a in self.animals:
            _check_animal(a)
        if source not in ('auto', 'cache', 'vertices'):
            raise ValueError(f'SynAnimal: unknown source {source!r}; expected '
                             "'auto', 'cache' or 'vertices'.")
        if convert_to not in (None, 'animalpose14'):
            raise ValueError(f'SynAnimal: unknown convert_to {convert_to!r}; '
                             "expected None or 'animalpose14'.")
        self.split = split
        self.source = source
        self.split_root = split_root
        self.use_occluded = use_occluded
        self.convert_to = convert_to
        if metainfo is None and convert_to is not None:
            metainfo = dict(from_file=metainfo_file(convert_to))
        kwargs.setdefault('data_mode', 'topdown')
        super().__init__(
            data_root=data_root, ann_file=ann_file, metainfo=metainfo,
            **kwargs)

    def _split_root(self) -> str:
        root = self.split_root or self.data_root
        if self.data_root and not osp.isabs(root):
            root = osp.join(self.data_root, root)
        return root

    def _cache(self) -> Optional[dict]:
        """The parsed cache file (read once), or None if absent/unused."""
        if self.source == 'vertices' or not osp.isfile(self.ann_file):
            return None
        if getattr(self, '_cache_data', None) is None:
            self._cache_data = load_json(self.ann_file, 'SynAnimal cache')
        return self._cache_data

    def _load_animal(self, animal: str
                     ) -> Tuple[List[str], np.ndarray, np.ndarray, dict]:
        """Image paths, (N, 18, 3) keypoints, (N, 4) xyxy boxes and the
        split indices found in the cache (if used), for one animal."""
        cache = self._cache()
        use_cache = self.source == 'cache' or (
            self.source == 'auto' and cache is not None and animal in cache)
        if use_cache:
            if cache is None:
                raise FileNotFoundError(
                    f'SynAnimal: missing cache {self.ann_file}; build it with '
                    'tools/dataset_checks/check_synanimal.py <data_root> '
                    "--build-cache, or use source='vertices'.")
            entry = read_synanimal_cache(self.ann_file, animal, cache)
            paths = [resolve_cache_imgpath(p, self.data_root)
                     for p in entry['imgpath']]
            kpts, b = entry['keypoints'], entry['bbox']
            splits = {k[:-len('_idxs')]: v for k, v in entry.items()
                      if k.endswith('_idxs')}
            return paths, kpts, b[:, [0, 2, 1, 3]], splits
        paths = list_synanimal_images(self.data_root, animal)
        if not paths:
            raise FileNotFoundError(
                'SynAnimal: no *img.png in '
                f'{synanimal_image_dir(self.data_root, animal)}.')
        # vertex files are read lazily for the selected split only
        return paths, None, None, {}

    def _load_annotations(self) -> Tuple[List[dict], List[dict]]:
        num_kpts = self.metainfo['num_keypoints']
        expected = 14 if self.convert_to == 'animalpose14' else NUM_KEYPOINTS
        if num_kpts != expected:
            raise ValueError(
                f'SynAnimal gives {expected} keypoints but the metainfo '
                f'{self.metainfo.get("dataset_name")} has {num_kpts}; use '
                'the default metainfo or a matching convert_to.')
        instances, images = [], []
        for a_idx, animal in enumerate(self.animals):
            paths, kpts, boxes, cached_splits = self._load_animal(animal)
            if self.split == 'all':
                idxs = np.arange(len(paths))
            elif self.split in cached_splits:
                idxs = np.asarray(cached_splits[self.split], np.int64)
                if idxs.size and (idxs.min() < 0 or idxs.max() >= len(paths)):
                    raise ValueError(
                        f'SynAnimal: {self.ann_file}[{animal!r}]'
                        f'[{self.split}_idxs] indexes up to {idxs.max()} but '
                        f'the cache has {len(paths)} images; rebuild it.')
            else:
                idxs = load_split_indices(
                    synanimal_split_file(self._split_root(), animal,
                                         self.split), len(paths),
                    f'SynAnimal {animal}')
            for i in idxs:
                i = int(i)
                if kpts is None:
                    k, box = vertices_to_record(
                        read_vertices(vertex_file(paths[i])), animal)
                    k = k.astype(np.float32)
                    box = np.asarray(box, np.float32)[[0, 2, 1, 3]]
                else:
                    k, box = kpts[i], boxes[i]
                instances.append(
                    self._instance(a_idx * 10**6 + i, paths[i], k, box,
                                   animal))
                images.append(dict(img_id=a_idx * 10**6 + i,
                                   img_path=paths[i], width=IMAGE_WIDTH,
                                   height=IMAGE_HEIGHT))
        self._cache_data = None  # free the parsed json
        return instances, images

    def _instance(self, img_id: int, img_path: str, kpts: np.ndarray,
                  box: np.ndarray, animal: str) -> dict:
        """One top-down instance from 18 (x, y, vis) keypoints and an
        unclipped xyxy vertex box."""
        xy = kpts[None, :, :2].astype(np.float32)
        vis = np.ones((1, NUM_KEYPOINTS), np.float32) if self.use_occluded \
            else (kpts[None, :, 2] > 0).astype(np.float32)
        inside = ((xy[..., 0] >= 0) & (xy[..., 0] <= IMAGE_WIDTH)
                  & (xy[..., 1] >= 0) & (xy[..., 1] <= IMAGE_HEIGHT))
        vis = vis * inside
        if self.convert_to is not None:
            xy, vis = convert_keypoints(xy, vis, 'tigdog', self.convert_to,
                                        self.metainfo['num_keypoints'])
        bbox = np.clip(np.asarray(box, np.float32),
                       0, [IMAGE_WIDTH, IMAGE_HEIGHT] * 2)
        return dict(
            img_id=img_id,
            img_path=img_path,
            bbox=bbox[None],
            bbox_score=np.ones(1, np.float32),
            num_keypoints=int(vis.sum()),
            keypoints=xy,
            keypoints_visible=vis,
            area=np.array((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]),
                          np.float32),
            iscrowd=0,
            segmentation=None,
            id=img_id,
            category_id=np.array(1),
            animal=animal)

