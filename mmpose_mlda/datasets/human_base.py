"""Shared base of the human dataset adapters (SURREAL, LSP, LSPet).

The adapters read each benchmark in the layout users download and turn every
annotated person into one top-down instance with the fields MMPose's
:class:`BaseCocoStyleDataset.parse_data_info` produces. What they share lives
here: the optional conversion to a common joint set (through
:func:`mmpose_mlda.datasets.joint_sets.convert_keypoints`, i.e. MMPose's
``KeypointConverter``), the crop-box rules and the cheap image-size reader.

Crop boxes follow MMPose's convention: the stored ``bbox`` is the box that
``GetBBoxCenterScale`` (default ``padding=1.25``, the value of
``pipeline_padding``) enlarges into the crop, and ``TopdownAffine`` pads that
crop to the square input. The boxes are chosen so that, after that padding,
the crop is exactly the peers' one (the whole image for LSP, a 1.5x square
around the keypoints for SURREAL). With ``pipeline_padding=1.0`` the stored
box is the crop itself (e.g. ``[0, 0, w, h]``): then use
``GetBBoxCenterScale(padding=1.0)``.
"""
import os.path as osp
from typing import List, Optional, Sequence, Tuple

import numpy as np

from mmpose.datasets.datasets.base import BaseCocoStyleDataset
from .image_probe import header_image_size
from .joint_sets import convert_keypoints, get_mapping
from .metainfo import metainfo_file

#: joint sets an adapter can convert into; each has a metainfo file
CONVERTIBLE_JOINT_SETS = ('body16', )
BBOX_MODES = ('image', 'keypoints')


def read_image_size(path: str) -> Tuple[int, int]:
    """``(width, height)`` of an image the annotation file lists, from its
    header; a missing or broken file names what to do."""
    return header_image_size(
        path, remedy='The annotation file lists it: complete the download or '
        're-download it (the check_*.py tools in tools/dataset_checks list '
        'every bad file), or lower num_images to the images you have.')


def keypoint_crop_box(keypoints: np.ndarray, visible: np.ndarray,
                      padding: float) -> np.ndarray:
    """Square boxes around the visible keypoints, as the peers crop.

    The side is ``padding * max(w, h)`` of the extent of the visible
    keypoints (all keypoints where none is visible), centred on that extent:
    Transfer-Learning-Library's ``scale_box`` (its factor is 1.5; it also
    clips to the image, which the affine crop does not need).

    Args:
        keypoints (np.ndarray): (N, K, 2).
        visible (np.ndarray): (N, K).
        padding (float): side / longer extent.

    Returns:
        np.ndarray: (N, 4) float32 boxes, xyxy.
    """
    boxes = np.zeros((len(keypoints), 4), dtype=np.float32)
    for i, (kpts, vis) in enumerate(zip(keypoints, visible)):
        pts = kpts[vis > 0] if np.any(vis > 0) else kpts
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        center = (lo + hi) / 2
        half = max(padding * float(np.max(hi - lo)), 1.0) / 2
        boxes[i] = (center[0] - half, center[1] - half, center[0] + half,
                    center[1] + half)
    return boxes


def image_boxes(img_paths: Sequence[str], shrink: float = 1.0) -> np.ndarray:
    """Whole-image boxes (N, 4) xyxy, sizes read from the image headers.

    ``shrink=1`` gives ``[0, 0, w, h]``; ``shrink=s`` the box centred on the
    image whose ``s``-fold enlargement is ``[0, 0, w, h]``.
    """
    boxes = np.zeros((len(img_paths), 4), dtype=np.float32)
    for i, path in enumerate(img_paths):
        w, h = read_image_size(path)
        dw, dh = w * (1 - 1 / shrink) / 2, h * (1 - 1 / shrink) / 2
        boxes[i] = (dw, dh, w - dw, h - dh)
    return boxes


class HumanKeypointDataset(BaseCocoStyleDataset):
    """Base of the human adapters: native joint set or a common one.

    Subclasses set :attr:`JOINT_SET` (their native set, a name known to
    :mod:`~mmpose_mlda.datasets.joint_sets`) and :attr:`METAINFO`, read their
    files in :meth:`_load_annotations` and hand native arrays to
    :meth:`_build_instances`.

    Args:
        convert_to (str, optional): ``None`` keeps the native joint set and
            metainfo; ``'body16'`` converts every instance to Body16 (MPII
            order) and switches the dataset's metainfo, flip indices and
            sigmas to ``configs/_base_/datasets/body16.py``, so that SURREAL
            and LSP share one keypoint definition.
        bbox_mode (str): ``'image'`` (the crop is the whole image, sizes
            read from image headers) or ``'keypoints'`` (the crop is a
            square around the visible keypoints).
        bbox_padding (float): side of a ``'keypoints'`` crop over the longer
            keypoint extent (the peers' 1.5).
        pipeline_padding (float): the ``padding`` of the pipeline's
            ``GetBBoxCenterScale`` (MMPose's default 1.25). Stored boxes are
            the crops shrunk by it, so that the pipeline restores the crop;
            1.0 stores the crops themselves.
        **kwargs: the arguments of :class:`BaseCocoStyleDataset`.
    """

    JOINT_SET: str = ''

    def __init__(self,
                 convert_to: Optional[str] = None,
                 bbox_mode: str = 'keypoints',
                 bbox_padding: float = 1.5,
                 pipeline_padding: float = 1.25,
                 metainfo: Optional[dict] = None,
                 data_mode: str = 'topdown',
                 **kwargs):
        name = type(self).__name__
        if convert_to is not None:
            if convert_to not in CONVERTIBLE_JOINT_SETS:
                raise ValueError(
                    f'{name}: convert_to={convert_to!r} is not supported; '
                    f'use None (native joint set) or one of '
                    f'{CONVERTIBLE_JOINT_SETS}.')
            get_mapping(self.JOINT_SET, convert_to)
            if metainfo is None:
                metainfo = dict(from_file=metainfo_file(convert_to))
        if bbox_mode not in BBOX_MODES:
            raise ValueError(f'{name}: bbox_mode={bbox_mode!r}; expected one '
                             f'of {BBOX_MODES}.')
        if bbox_padding <= 0 or pipeline_padding <= 0:
            raise ValueError(
                f'{name}: bbox_padding and pipeline_padding must be > 0, got '
                f'{bbox_padding} and {pipeline_padding}.')
        self.convert_to = convert_to
        self.bbox_mode = bbox_mode
        self.bbox_padding = float(bbox_padding)
        self.pipeline_padding = float(pipeline_padding)
        super().__init__(metainfo=metainfo, data_mode=data_mode, **kwargs)

    def _crop_boxes(self, img_paths: Sequence[str], keypoints: np.ndarray,
                    visible: np.ndarray) -> np.ndarray:
        """Boxes of ``bbox_mode`` from NATIVE keypoints (the whole person),
        shrunk by ``pipeline_padding``."""
        if self.bbox_mode == 'image':
            return image_boxes(img_paths, self.pipeline_padding)
        return keypoint_crop_box(keypoints, visible,
                                 self.bbox_padding / self.pipeline_padding)

    def _build_instances(self, img_paths: Sequence[str],
                         keypoints: np.ndarray, visible: np.ndarray,
                         source: str,
                         ids: Optional[Sequence[int]] = None
                         ) -> Tuple[List[dict], List[dict]]:
        """Instance and image lists from native arrays, one person each.

        Args:
            img_paths: N image paths.
            keypoints (np.ndarray): (N, K, 2) in the native joint set.
            visible (np.ndarray): (N, K) 0/1 visibility.
            source (str): the annotation file, for error messages.
            ids (Sequence[int], optional): per-instance ``img_id`` / ``id``
                (e.g. the record index in the annotation file); default
                ``range(N)``.
        """
        keypoints = np.asarray(keypoints, dtype=np.float32)
        visible = np.asarray(visible, dtype=np.float32)
        bboxes = self._crop_boxes(img_paths, keypoints, visible)
        if self.convert_to is not None:
            keypoints, visible = convert_keypoints(
                keypoints, visible, self.JOINT_SET, self.convert_to,
                self.metainfo['num_keypoints'])
            keypoints = keypoints[..., :2]
        expected = self.metainfo['num_keypoints']
        if keypoints.shape[1] != expected:
            raise ValueError(
                f'{type(self).__name__}: {source} gives '
                f'{keypoints.shape[1]} keypoints per person but the '
                f'metainfo ({self.metainfo["dataset_name"]}) defines '
                f'{expected}. Pass metainfo for the {self.JOINT_SET} joint '
                'set, or set convert_to to convert into the metainfo\'s set.')

        ids = list(range(len(img_paths))) if ids is None else list(ids)
        instances, images = [], []
        for i, path in enumerate(img_paths):
            uid = int(ids[i])
            x1, y1, x2, y2 = (float(v) for v in bboxes[i])
            kpts, vis = keypoints[i:i + 1], visible[i:i + 1]
            num_visible = int(np.count_nonzero(vis))
            instances.append({
                'img_id': uid,
                'img_path': path,
                'bbox': bboxes[i:i + 1].copy(),
                'bbox_score': np.ones(1, dtype=np.float32),
                'num_keypoints': num_visible,
                'keypoints': kpts.copy(),
                'keypoints_visible': vis.copy(),
                'area': np.array((x2 - x1) * (y2 - y1), dtype=np.float32),
                'iscrowd': 0,
                'segmentation': None,
                'id': uid,
                'category_id': np.array(1),
                'raw_ann_info': {
                    'image_id': uid,
                    'id': uid,
                    'category_id': 1,
                    'bbox': [x1, y1, x2 - x1, y2 - y1],
                    'keypoints': np.concatenate(
                        [kpts[0], 2 * vis[0, :, None]], axis=1).ravel()
                    .tolist(),
                    'num_keypoints': num_visible,
                    'iscrowd': 0,
                },
            })
            images.append({'img_id': uid, 'img_path': path,
                           'file_name': osp.basename(path)})
        return instances, images
