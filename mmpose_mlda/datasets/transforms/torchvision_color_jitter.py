"""torchvision's ColorJitter as an MMPose transform (the MLDA authors'
colour jitter)."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmpose.registry import TRANSFORMS
from torchvision.transforms import ColorJitter


@TRANSFORMS.register_module()
class TorchvisionColorJitter(BaseTransform):
    """``torchvision.transforms.ColorJitter`` on ``results['img']``.

    torchvision's semantics, which the MLDA authors' views use
    (``ColorJitter(0.25, 0.25, 0.25)``): every call draws a factor for each
    non-zero option (brightness, contrast, saturation uniformly in
    ``[max(0, 1 - v), 1 + v]``, hue in ``[-v, v]``) and applies them all, in
    a random order. MMPose's ``PhotometricDistortion`` differs (channel swap,
    each factor with probability 0.5, additive brightness), so the authors'
    presets use this one. The image stays a BGR ``uint8`` (H, W, 3) array;
    the draws come from torch's generator (seeded per worker by MMEngine).

    Args:
        brightness, contrast, saturation (float): as torchvision's (>= 0).
        hue (float): as torchvision's, in [0, 0.5].
    """

    def __init__(self, brightness: float = 0., contrast: float = 0.,
                 saturation: float = 0., hue: float = 0.) -> None:
        try:
            self.jitter = ColorJitter(brightness, contrast, saturation, hue)
        except (ValueError, TypeError) as error:
            raise ValueError(f'TorchvisionColorJitter: {error}') from None

    def transform(self, results: dict) -> dict:
        image = results['img']
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(
                'TorchvisionColorJitter needs a BGR uint8 (H, W, 3) image, '
                f'got {image.dtype} {image.shape} ({results.get("img_path")})'
                '; put it before any normalisation or float conversion.')
        rgb = torch.from_numpy(np.ascontiguousarray(image[..., ::-1]))
        jittered = self.jitter(rgb.permute(2, 0, 1)).permute(1, 2, 0)
        results['img'] = np.ascontiguousarray(jittered.numpy()[..., ::-1])
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.jitter!r})'
