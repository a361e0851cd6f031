"""The synthetic-animal peers' source augmentation (CC-SSL's imgaug sequence,
kept by UDA-Animal, UDAPE and the MLDA authors' SynAnimal datasets)."""
import math
from typing import Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class SyntheticAnimalAugmentation(BaseTransform):
    """Four augmenters, each with probability ``prob``, in a random order,
    on the whole render before the crop (their ``iaa.Sequential(...,
    random_order=True)`` of ``iaa.Sometimes(0.5, ...)``):

    * affine about the image centre ``(w / 2 - 0.5, h / 2 - 0.5)``: per-axis
      scale ``U(scale)``, translation ``U(-t, t)`` of the width / height
      (rounded to pixels), rotation ``U(-rotate, rotate)`` and x-shear
      ``U(-shear, shear)`` degrees, composed as scikit-image's
      ``AffineTransform`` (which imgaug builds); nearest or bilinear
      (chosen at random); the uncovered area filled with a random colour,
      each channel ``U{0..255}``. Keypoints move with the image; one that
      leaves the image becomes invisible (their ``pts[j] = 0``);
    * additive Gaussian noise, std ``noise_std``, per channel with
      probability ``per_channel_prob`` (else one draw for all channels);
    * Gaussian blur, sigma ``U(blur_sigma)`` (OpenCV's kernel; imgaug's
      scipy filter truncates the kernel at 4 instead of 3 sigma);
    * contrast ``128 + a (v - 128)``, ``a ~ U(contrast)``, per channel with
      probability ``per_channel_prob``.

    Each result is clipped and rounded to ``uint8``, as imgaug does. The box
    is not moved (their crop centre and scale come from the box before the
    augmentation), so put this after ``GetBBoxCenterScale`` and before
    ``RandomFlip`` / ``TopdownAffine``. Random draws use NumPy's global
    generator (seeded per worker by MMEngine).

    Args:
        prob (float): probability of each augmenter.
        scale (tuple[float, float]): per-axis scale range.
        translate (float): translation range, a fraction of the size.
        rotate (float): rotation range in degrees.
        shear (float): x-shear range in degrees.
        noise_std (float): Gaussian noise std on the 0-255 scale.
        blur_sigma (tuple[float, float]): blur sigma range in pixels.
        contrast (tuple[float, float]): contrast factor range.
        per_channel_prob (float): probability that noise and contrast draw
            per channel.

    Results keys: reads and writes ``img`` (H, W, 3) ``uint8``,
    ``keypoints`` (N, K, 2) and ``keypoints_visible`` (N, K).
    """

    STEPS = ('affine', 'noise', 'blur', 'contrast')

    def __init__(self,
                 prob: float = 0.5,
                 scale: Tuple[float, float] = (0.5, 1.5),
                 translate: float = 0.05,
                 rotate: float = 30.0,
                 shear: float = 20.0,
                 noise_std: float = 0.5 * 255,
                 blur_sigma: Tuple[float, float] = (1.0, 5.0),
                 contrast: Tuple[float, float] = (0.5, 2.0),
                 per_channel_prob: float = 0.5) -> None:
        for name, value in (('prob', prob),
                            ('per_channel_prob', per_channel_prob)):
            if not 0.0 <= value <= 1.0:
                raise ValueError('SyntheticAnimalAugmentation: '
                                 f'{name} must be in [0, 1], got {value}.')
        for name, value in (('scale', scale), ('blur_sigma', blur_sigma),
                            ('contrast', contrast)):
            if len(value) != 2 or not 0 <= value[0] <= value[1]:
                raise ValueError(
                    f'SyntheticAnimalAugmentation: {name} must be (low, '
                    f'high) with 0 <= low <= high, got {value}.')
        self.prob = prob
        self.scale = tuple(scale)
        self.translate = translate
        self.rotate = rotate
        self.shear = shear
        self.noise_std = noise_std
        self.blur_sigma = tuple(blur_sigma)
        self.contrast = tuple(contrast)
        self.per_channel_prob = per_channel_prob

    @staticmethod
    def affine_matrix(width: int, height: int, scale_xy: Tuple[float, float],
                      translate_px: Tuple[int, int], rotate_deg: float,
                      shear_deg: float) -> np.ndarray:
        """(3, 3) forward matrix: scikit-image's
        ``AffineTransform(scale, rotation, shear, translation)`` about the
        image centre, as imgaug composes it."""
        sx, sy = scale_xy
        r, s = math.radians(rotate_deg), math.radians(shear_deg)
        core = np.array([[sx * math.cos(r), -sy * math.sin(r + s),
                          translate_px[0]],
                         [sx * math.sin(r), sy * math.cos(r + s),
                          translate_px[1]],
                         [0.0, 0.0, 1.0]])
        cx, cy = width / 2.0 - 0.5, height / 2.0 - 0.5
        to_centre = np.array([[1.0, 0.0, cx], [0.0, 1.0, cy], [0, 0, 1]])
        to_origin = np.array([[1.0, 0.0, -cx], [0.0, 1.0, -cy], [0, 0, 1]])
        return to_centre @ core @ to_origin

    def _affine(self, results: dict) -> None:
        image = results['img']
        height, width = image.shape[:2]
        matrix = self.affine_matrix(
            width, height, np.random.uniform(*self.scale, size=2),
            (int(round(np.random.uniform(-self.translate, self.translate) *
                       width)),
             int(round(np.random.uniform(-self.translate, self.translate) *
                       height))),
            np.random.uniform(-self.rotate, self.rotate),
            np.random.uniform(-self.shear, self.shear))
        flags = cv2.INTER_NEAREST if np.random.randint(2) == 0 else \
            cv2.INTER_LINEAR
        fill = tuple(int(v) for v in np.random.randint(0, 256, size=3))
        results['img'] = cv2.warpAffine(
            image, matrix[:2], (width, height), flags=flags,
            borderMode=cv2.BORDER_CONSTANT, borderValue=fill)
        if results.get('keypoints') is None:
            return
        points = np.asarray(results['keypoints'], np.float64)
        moved = points @ matrix[:2, :2].T + matrix[:2, 2]
        outside = (moved[..., 0] < 0) | (moved[..., 1] < 0) | (
            moved[..., 0] > width) | (moved[..., 1] > height)
        results['keypoints'] = moved.astype(np.float32)
        visible = np.array(results['keypoints_visible'], np.float32)
        visible[outside] = 0
        results['keypoints_visible'] = visible

    def _per_channel_shape(self, image: np.ndarray) -> tuple:
        per_channel = np.random.uniform() < self.per_channel_prob
        return (1, 1, image.shape[2]) if per_channel else (1, 1, 1)

    def _noise(self, results: dict) -> None:
        image = results['img']
        channels = self._per_channel_shape(image)[2]
        noise = np.random.normal(0.0, self.noise_std,
                                 size=image.shape[:2] + (channels, ))
        results['img'] = _to_uint8(image + noise)

    def _blur(self, results: dict) -> None:
        sigma = np.random.uniform(*self.blur_sigma)
        results['img'] = cv2.GaussianBlur(results['img'], (0, 0), sigma)

    def _contrast(self, results: dict) -> None:
        image = results['img']
        factor = np.random.uniform(*self.contrast,
                                   size=self._per_channel_shape(image))
        results['img'] = _to_uint8(128 + factor * (image - 128.0))

    def transform(self, results: dict) -> dict:
        image = results['img']
        if image.dtype != np.uint8 or image.ndim != 3:
            raise ValueError(
                'SyntheticAnimalAugmentation needs a uint8 (H, W, C) image, '
                f'got {image.dtype} {image.shape} ({results.get("img_path")})'
                '; put it right after LoadImage / GetBBoxCenterScale.')
        for step in np.random.permutation(len(self.STEPS)):
            if np.random.uniform() < self.prob:
                getattr(self, '_' + self.STEPS[step])(results)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(prob={self.prob}, scale={self.scale}'
                f', translate={self.translate}, rotate={self.rotate}, '
                f'shear={self.shear}, noise_std={self.noise_std}, '
                f'blur_sigma={self.blur_sigma}, contrast={self.contrast}, '
                f'per_channel_prob={self.per_channel_prob})')


def _to_uint8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.round(values), 0, 255).astype(np.uint8)
