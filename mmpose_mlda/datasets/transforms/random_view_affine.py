"""A random affine of an already cropped view, with shear (the MLDA
authors' ``RandomAffineRotation``)."""
from typing import Dict, Sequence, Tuple, Union

import cv2
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmpose.registry import TRANSFORMS

from mmpose_mlda.models.utils.torchvision_affine import forward_affine_matrix

Range = Union[float, Sequence[float]]


def _as_range(value: Range, name: str) -> Tuple[float, float]:
    if isinstance(value, (int, float)):
        return -float(value), float(value)
    low, high = (float(v) for v in value)
    if low > high:
        raise ValueError(f'RandomViewAffine: {name}=({low}, {high}) needs '
                         'low <= high.')
    return low, high


@TRANSFORMS.register_module()
class RandomViewAffine(BaseTransform):
    """Rotate, shear, translate and scale a top-down input about its centre.

    MMPose's ``RandomBBoxTransform`` has no shear; the MLDA authors' views
    (UDAPE's ``RandomAffineRotation``) are a random resized crop shared by
    both views, then per view ``torchvision.transforms.functional.affine``
    with angle ~ U(rotate), shear_x ~ U(shear), integer translation ~
    U(+-translate * size) and scale ~ U(scale). Use it after a shared
    ``TopdownAffine`` + ``RecordViewGeometry`` (that crop is the
    "unaugmented" reference frame) inside each branch of
    ``PoseMultiBranch`` (or, for labelled source views, before
    ``GenerateTarget``). It warps ``img`` and ``transformed_keypoints`` (the
    input-space keypoints ``TopdownAffine`` wrote) with the forward map of
    :func:`forward_affine_matrix` and records:

    - ``reference_affine`` (3, 3): the view affine before this transform
      (original image -> reference input);
    - ``view_affine`` (3, 3): updated, original image -> this view's input;
    - ``view_affine_params`` (6,): ``(angle, tx, ty, shear_x, shear_y,
      scale)`` as drawn, which ``ReferenceFrame(warp='authors')`` replays
      to warp heatmaps back the authors' way.

    Add the three keys to ``PackPoseInputs(meta_keys=...)``.

    Args:
        rotate (float | tuple): degrees, ``r`` means U(-r, r). Authors: 60.
        shear (float | tuple): x-shear in degrees. Authors: (-30, 30).
        translate (tuple): max shift as a fraction of (w, h). Authors:
            (0.05, 0.05).
        scale (tuple): scale range. Authors: (0.6, 1.3).
        interpolation (str): 'bilinear' or 'nearest' (torchvision's
            default, which the authors' PIL images get).
    """

    def __init__(self,
                 rotate: Range = 0.,
                 shear: Range = 0.,
                 translate: Tuple[float, float] = (0., 0.),
                 scale: Tuple[float, float] = (1., 1.),
                 interpolation: str = 'bilinear') -> None:
        self.rotate = _as_range(rotate, 'rotate')
        self.shear = _as_range(shear, 'shear')
        self.translate = tuple(float(t) for t in translate)
        self.scale = _as_range(scale, 'scale')
        if self.scale[0] <= 0:
            raise ValueError('RandomViewAffine: scale must be > 0, got '
                             f'{scale}.')
        flags = dict(bilinear=cv2.INTER_LINEAR, nearest=cv2.INTER_NEAREST)
        if interpolation not in flags:
            raise ValueError("RandomViewAffine: interpolation must be "
                             f"'bilinear' or 'nearest', got {interpolation!r}")
        self.interpolation = interpolation
        self._flag = flags[interpolation]

    def _draw(self, size: Tuple[int, int]) -> np.ndarray:
        angle = np.random.uniform(*self.rotate)
        shear_x = np.random.uniform(*self.shear)
        tx = int(round(np.random.uniform(-1, 1) * self.translate[0] * size[0]))
        ty = int(round(np.random.uniform(-1, 1) * self.translate[1] * size[1]))
        scale = np.random.uniform(*self.scale)
        return np.array([angle, tx, ty, shear_x, 0., scale])

    def transform(self, results: Dict) -> Dict:
        if 'view_affine' not in results:
            raise KeyError('RandomViewAffine needs the reference crop\'s '
                           'geometry: put TopdownAffine and '
                           'RecordViewGeometry before it.')
        img = results['img']
        h, w = img.shape[:2]
        params = self._draw((w, h))
        matrix = forward_affine_matrix(
            torch.tensor(params[:1]), torch.tensor(params[None, 1:3]),
            torch.tensor(params[5:6]), torch.tensor(params[None, 3:5]),
            (w, h))[0].numpy()
        results['img'] = cv2.warpAffine(img, matrix[:2], (w, h),
                                        flags=self._flag)
        kpts = results.get('transformed_keypoints')
        if kpts is not None and np.ndim(kpts) == 3:  # input-space (N, K, 2)
            ones = np.ones(kpts.shape[:-1] + (1, ))
            results['transformed_keypoints'] = (np.concatenate(
                [kpts[..., :2], ones], -1) @ matrix[:2].T).astype(np.float32)
        results['reference_affine'] = results['view_affine']
        results['view_affine'] = matrix @ results['view_affine']
        results['view_affine_params'] = params
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(rotate={self.rotate}, '
                f'shear={self.shear}, translate={self.translate}, '
                f'scale={self.scale}, interpolation={self.interpolation!r})')
