"""Pinhole projection and MMPose's screen normalisation, batched in torch.

Written by hand: MMPose has no batched, differentiable projection with
per-sample intrinsics. The screen normalisation is the one of MMPose's
``VideoPoseLifting`` codec (``(uv - [w/2, h/2]) / (w/2)``), so that 2D poses
re-projected inside the model look exactly like the codec's inputs.

Intrinsics convention (checked in the tests): ``u = f_x * X / Z + c_x``,
``v = f_y * Y / Z + c_y``: the focal length ``f`` *scales* the normalised
coordinates and the principal point ``c`` *shifts* them. (The released PoseDA
snippet swaps the two.)
"""
from typing import Dict, List, Sequence

import numpy as np
import torch
from torch import Tensor


def project(points: Tensor, f: Tensor, c: Tensor, eps: float = 1e-4) -> Tensor:
    """Perspective projection with per-sample intrinsics.

    Args:
        points (Tensor): (B, ..., 3) camera-frame points (Z forward).
        f (Tensor): (B, 2) focal lengths (f_x, f_y) in pixels.
        c (Tensor): (B, 2) principal points (c_x, c_y) in pixels.

    Returns:
        Tensor: (B, ..., 2) pixel coordinates.
    """
    extra = points.dim() - 2
    shape = (f.shape[0], ) + (1, ) * extra + (2, )
    z = points[..., 2:3].clamp(min=eps)
    return points[..., :2] / z * f.reshape(shape) + c.reshape(shape)


def normalize_screen(uv: Tensor, wh: Tensor) -> Tensor:
    """MMPose ``VideoPoseLifting`` normalisation of pixel coordinates.

    Args:
        uv (Tensor): (B, ..., 2) pixels.
        wh (Tensor): (B, 2) image width and height.

    Returns:
        Tensor: (B, ..., 2), x in [-1, 1], y in [-h/w, h/w].
    """
    extra = uv.dim() - 2
    shape = (wh.shape[0], ) + (1, ) * extra
    w = wh[:, 0].reshape(shape)[..., None]
    h = wh[:, 1].reshape(shape)[..., None]
    center = torch.cat([w, h], dim=-1) * 0.5
    return (uv - center) / (0.5 * w)


def camera_tensors(camera_params: Sequence[Dict], names: List[str],
                   device=None) -> Dict[str, Tensor]:
    """Stack per-sample MMPose camera dicts into (B, 2) tensors.

    Args:
        camera_params: one dict per sample with ``f`` and ``c`` (2 or 2x1)
            and ``w``, ``h`` (scalars), as MMPose's mocap datasets store them.
        names: one name per sample (image path), used in error messages.

    Returns:
        dict: ``f``, ``c``, ``wh``: (B, 2) float tensors.
    """
    f, c, wh = [], [], []
    for cam, name in zip(camera_params, names):
        if cam is None:
            raise KeyError(
                f'sample {name!r} has no camera parameters: set '
                '`camera_param_file` in its dataset config and keep '
                "'camera_param' in PackPoseInputs.meta_keys")
        for key in ('f', 'c', 'w', 'h'):
            if key not in cam:
                raise KeyError(f'camera parameters of sample {name!r} lack '
                               f'{key!r} (have {sorted(cam)})')
        f.append(np.asarray(cam['f'], dtype=np.float32).reshape(2))
        c.append(np.asarray(cam['c'], dtype=np.float32).reshape(2))
        wh.append(
            np.array([float(np.asarray(cam['w']).reshape(-1)[0]),
                      float(np.asarray(cam['h']).reshape(-1)[0])],
                     dtype=np.float32))
    as_t = lambda x: torch.from_numpy(np.stack(x)).to(device)  # noqa: E731
    return dict(f=as_t(f), c=as_t(c), wh=as_t(wh))
