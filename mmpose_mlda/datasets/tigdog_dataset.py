"""TigDog (behaviorDiscovery2.0) real horse / tiger video frames, read from
the layout users download.

Layout under ``data_root`` (the peers' ``animal_data`` folder)::

    behaviorDiscovery2.0/ranges/<animal>/ranges.mat     key 'ranges', Nx3
                                                        [shot_id, start, end]
    behaviorDiscovery2.0/landmarks/<animal>/<shot_id>.mat
        key 'landmarks'; for frame f of the shot, landmarks[f][0][0][0][0]
        is 19x2 coordinates and landmarks[f][0][0][0][1] 19x1 visibility
    behaviorDiscovery2.0/<animal>/%08d.jpg              global frame number

and the published by-video split files (UDAPE ``cached_data`` / CC-SSL
``data``) under ``split_root``::

    real_animal/<animal>/{train,valid}_idxs_by_video.npy

The split files index the FULL frame list, built the way all three peer
repositories build it (CC-SSL ``pose/datasets/real_animal_sp.py``, UDAPE
``lib/datasets/real_animal_all.py``): rows of ``ranges`` in file order, shots
without a landmark file skipped, every frame ``start..end`` inclusive. The
first 18 landmarks are kept; tiger landmarks are reordered into the horse
order through :mod:`.joint_sets`. The box is the extent of the keypoints with
positive coordinates, +-15 px, clipped to the image (the x1.25 padding is
``GetBBoxCenterScale``'s default).
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
from scipy.io import loadmat

from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from mmpose.registry import DATASETS

from .image_probe import header_image_size
from .joint_sets import convert_keypoints
from .metainfo import metainfo_file

TIGDOG_ANIMALS = ('horse', 'tiger')
#: landmarks per TigDog frame in the files, and the number the peers keep
NUM_LANDMARKS, NUM_KEYPOINTS = 19, 18
#: box margin (pixels) around the keypoints, as in the peers
BOX_MARGIN = 15.


def tigdog_paths(data_root: str, animal: str) -> Dict[str, str]:
    """Where TigDog's files for ``animal`` live under ``data_root``."""
    bd = osp.join(data_root, 'behaviorDiscovery2.0')
    return dict(
        ranges=osp.join(bd, 'ranges', animal, 'ranges.mat'),
        landmarks=osp.join(bd, 'landmarks', animal),
        images=osp.join(bd, animal))


def tigdog_split_file(split_root: str, animal: str, split: str) -> str:
    """``<split_root>/real_animal/<animal>/<split>_idxs_by_video.npy``."""
    return osp.join(split_root, 'real_animal', animal,
                    f'{split}_idxs_by_video.npy')


def _check_animal(animal: str) -> None:
    if animal not in TIGDOG_ANIMALS:
        raise ValueError(f'TigDog: unknown animal {animal!r}; expected one of '
                         f'{TIGDOG_ANIMALS}.')


def read_ranges(path: str) -> np.ndarray:
    """The ``ranges`` array (Nx3 int: shot_id, start_frame, end_frame)."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'TigDog: missing {path}. Expected the behaviorDiscovery2.0 '
            'release under data_root (ranges/<animal>/ranges.mat); check '
            'data_root or run tools/dataset_checks/check_tigdog.py.')
    try:
        mat = loadmat(path)
    except Exception as e:  # scipy raises several types for bad files
        raise ValueError(f'TigDog: cannot read {path} as a .mat file '
                         f'({e}); re-download the release.') from e
    ranges = mat.get('ranges')
    if ranges is None or ranges.ndim != 2 or ranges.shape[1] != 3:
        got = 'no key "ranges"' if ranges is None else \
            f'"ranges" of shape {ranges.shape}'
        raise ValueError(
            f'TigDog: {path} has {got}; expected key "ranges" of shape Nx3 '
            '(shot_id, start_frame, end_frame). Re-download the release.')
    return ranges.astype(np.int64)


def read_shot_landmarks(path: str, num_frames: int
                        ) -> Tuple[np.ndarray, np.ndarray]:
    """The first 18 landmarks of the first ``num_frames`` frames of a shot.

    Returns:
        tuple: (num_frames, 18, 2) float32 coordinates (NaN -> 0) and
        (num_frames, 18) float32 visibility in {0, 1}.
    """
    try:
        lms = loadmat(path)['landmarks']
    except KeyError:
        raise ValueError(f'TigDog: {path} has no key "landmarks"; expected '
                         'the behaviorDiscovery2.0 landmark files.') from None
    except Exception as e:
        raise ValueError(f'TigDog: cannot read {path} as a .mat file '
                         f'({e}); re-download the release.') from e
    if len(lms) < num_frames:
        raise ValueError(
            f'TigDog: {path} holds {len(lms)} frames but ranges.mat gives the '
            f'shot {num_frames}; the landmark and range files do not match. '
            'Re-download the release.')
    coords = np.zeros((num_frames, NUM_KEYPOINTS, 2), np.float32)
    vis = np.zeros((num_frames, NUM_KEYPOINTS), np.float32)
    for f in range(num_frames):
        try:
            record = lms[f][0][0][0]
            c = np.asarray(record[0], dtype=np.float32)
            v = np.asarray(record[1], dtype=np.float32).reshape(-1)
        except (IndexError, TypeError, ValueError) as e:
            raise ValueError(
                f'TigDog: frame {f} of {path} is not the expected structure '
                '(landmarks[f][0][0][0] = (coords 19x2, visibility 19x1)): '
                f'{e}') from None
        if c.ndim != 2 or c.shape[0] < NUM_KEYPOINTS or c.shape[1] != 2 \
                or v.shape[0] < NUM_KEYPOINTS:
            raise ValueError(
                f'TigDog: frame {f} of {path} has coordinates {c.shape} and '
                f'visibility {v.shape}; expected {NUM_LANDMARKS}x2 and '
                f'{NUM_LANDMARKS}x1 (at least {NUM_KEYPOINTS}).')
        coords[f] = np.nan_to_num(c[:NUM_KEYPOINTS])
        vis[f] = np.nan_to_num(v[:NUM_KEYPOINTS]) > 0
    return coords, vis


def load_tigdog_frames(data_root: str, animal: str
                       ) -> Tuple[List[dict], np.ndarray, np.ndarray]:
    """The full TigDog frame list of ``animal``, in the peers' order.

    Returns:
        tuple: ``frames`` (dicts with ``frame`` = global frame number,
        ``shot_id``, ``frame_id`` = index within the shot, ``img_path``),
        keypoints (N, 18, 2) and visibility (N, 18), in the HORSE order for
        both animals.
    """
    _check_animal(animal)
    paths = tigdog_paths(data_root, animal)
    frames, all_coords, all_vis = [], [], []
    for shot_id, start, end in read_ranges(paths['ranges']):
        lm_file = osp.join(paths['landmarks'], f'{shot_id}.mat')
        if not osp.isfile(lm_file):
            continue  # the peers skip such shots; the splits assume it
        coords, vis = read_shot_landmarks(lm_file, int(end - start + 1))
        for frame in range(start, end + 1):
            frames.append(dict(
                frame=int(frame), shot_id=int(shot_id),
                frame_id=int(frame - start),
                img_path=osp.join(paths['images'], f'{frame:08d}.jpg')))
        all_coords.append(coords)
        all_vis.append(vis)
    if not frames:
        raise ValueError(
            f'TigDog: no frames for {animal}: none of the shots in '
            f'{paths["ranges"]} has a landmark file in {paths["landmarks"]}.')
    coords = np.concatenate(all_coords)
    vis = np.concatenate(all_vis)
    if animal == 'tiger':
        coords, vis = convert_keypoints(coords, vis, 'tigdog_tiger', 'tigdog',
                                        NUM_KEYPOINTS)
    return frames, coords, vis


def load_split_indices(path: str, num_items: int, what: str) -> np.ndarray:
    """A split file of indices into a list of ``num_items``, checked."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{what}: missing split file {path}. Copy the published split '
            'files (UDAPE cached_data/ or CC-SSL data/) there, or point '
            'split_root at the folder that holds them.')
    idxs = np.load(path).astype(np.int64).reshape(-1)
    if idxs.size and (idxs.min() < 0 or idxs.max() >= num_items):
        raise ValueError(
            f'{what}: split file {path} indexes up to {idxs.max()} but the '
            f'data has {num_items} items (valid 0..{num_items - 1}). The '
            'download is incomplete or the split belongs to another '
            'version; run the dataset checker in tools/dataset_checks/.')
    return idxs


def keypoint_box(coords: np.ndarray, width: float, height: float,
                 margin: float = BOX_MARGIN) -> np.ndarray:
    """The peers' TigDog box: extent of the positive x and positive y
    coordinates, +-``margin``, clipped to the image; xyxy, zeros if none."""
    xs, ys = coords[:, 0][coords[:, 0] > 0], coords[:, 1][coords[:, 1] > 0]
    if not xs.size or not ys.size:
        return np.zeros(4, np.float32)
    return np.array([
        max(xs.min() - margin, 0.),
        max(ys.min() - margin, 0.),
        min(xs.max() + margin, width),
        min(ys.max() + margin, height)
    ], np.float32)


@DATASETS.register_module()
class TigDogDataset(BaseCocoStyleDataset):
    """TigDog horse / tiger frames with 18 keypoints in the horse order.

    Args:
        data_root (str): the folder holding ``behaviorDiscovery2.0``.
        animal (str | Sequence[str]): ``'horse'``, ``'tiger'``, a list of
            them, or ``'all'``.
        split (str): ``'train'``, ``'valid'`` (the published by-video
            splits) or ``'all'`` (every frame).
        split_root (str, optional): folder holding
            ``real_animal/<animal>/<split>_idxs_by_video.npy``; relative paths
            are taken under ``data_root``. Defaults to ``data_root``.
        **kwargs: the rest of :class:`BaseCocoStyleDataset`'s arguments
            (pipeline, test_mode, indices, ...). ``data_mode`` is
            ``'topdown'``.
    """

    METAINFO: dict = dict(from_file=metainfo_file('tigdog'))

    def __init__(self,
                 data_root: str = '',
                 animal: Union[str, Sequence[str]] = 'horse',
                 split: str = 'train',
                 split_root: Optional[str] = None,
                 **kwargs):
        if animal == 'all':
            animal = TIGDOG_ANIMALS
        self.animals = (animal, ) if isinstance(animal, str) else tuple(
            animal)
        for a in self.animals:
            _check_animal(a)
        if split not in ('train', 'valid', 'all'):
            raise ValueError(f'TigDog: unknown split {split!r}; expected '
                             "'train', 'valid' or 'all'.")
        self.split = split
        self.split_root = split_root
        kwargs.setdefault('data_mode', 'topdown')
        super().__init__(data_root=data_root, **kwargs)

    def _load_annotations(self) -> Tuple[List[dict], List[dict]]:
        num_kpts = self.metainfo['num_keypoints']
        if num_kpts != NUM_KEYPOINTS:
            raise ValueError(
                f'TigDog gives {NUM_KEYPOINTS} keypoints but the metainfo '
                f'{self.metainfo.get("dataset_name")} has {num_kpts}; use '
                'configs/_base_/datasets/tigdog.py.')
        split_root = self.split_root or self.data_root
        if self.data_root and not osp.isabs(split_root):
            split_root = osp.join(self.data_root, split_root)
        instances, images = [], []
        for a_idx, animal in enumerate(self.animals):
            frames, coords, vis = load_tigdog_frames(self.data_root, animal)
            if self.split == 'all':
                idxs = np.arange(len(frames))
            else:
                idxs = load_split_indices(
                    tigdog_split_file(split_root, animal, self.split),
                    len(frames), f'TigDog {animal}')
            for i in idxs:
                frame = frames[i]
                img_id = a_idx * 10**7 + frame['frame']
                w, h = header_image_size(
                    frame['img_path'],
                    remedy='TigDog frames are expected at behaviorDiscovery2.0'
                    '/<animal>/%08d.jpg; run tools/dataset_checks/'
                    'check_tigdog.py on data_root.')
                kpts, kvis = coords[i], vis[i]
                bbox = keypoint_box(kpts, w, h)
                instances.append(dict(
                    img_id=img_id,
                    img_path=frame['img_path'],
                    bbox=bbox[None],
                    bbox_score=np.ones(1, np.float32),
                    num_keypoints=int(kvis.sum()),
                    keypoints=kpts[None].copy(),
                    keypoints_visible=kvis[None].copy(),
                    area=np.array(
                        (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]),
                        np.float32),
                    iscrowd=0,
                    segmentation=None,
                    id=a_idx * 10**7 + int(i),
                    category_id=np.array(1),
                    animal=animal,
                    shot_id=frame['shot_id'],
                    frame_id=frame['frame_id']))
                images.append(dict(img_id=img_id, img_path=frame['img_path'],
                                   width=w, height=h))
        return instances, images
