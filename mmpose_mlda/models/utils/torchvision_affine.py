"""``torchvision.transforms.functional.affine`` on tensors, batched with one
set of parameters per sample.

The MLDA authors' code warps every heatmap (and, for occlusion, every
student image) back into the unaugmented frame with per-sample calls of
``tF.affine(x, angle, translate, scale, shear)`` (nearest neighbour, zero
fill). Reproducing their recipe means reproducing those resamplings, so
this module builds exactly torchvision's sampling grid (its inverse affine
matrix about the image centre, ``_gen_affine_grid``'s pixel-centre grid and
``grid_sample(align_corners=False)``) for a whole batch at once.

Parameters follow torchvision: ``angle`` in degrees (clockwise for positive
values in image coordinates), ``translate`` (B, 2) in pixels, ``scale``
(B,), ``shear`` (B, 2) in degrees (x, y). The forward map of a point
``p`` (continuous pixel-edge coordinates, centre ``c = (W/2, H/2)``) is
``p' = s * RS (p - c) + c + t`` with ``RS`` torchvision's rotation-shear
matrix; :func:`forward_affine_matrix` returns it as (B, 3, 3).
"""
from typing import Tuple

import torch
import torch.nn.functional as F
from torch import Tensor


def _rotation_shear(angle: Tensor, shear: Tensor) -> Tuple[Tensor, ...]:
    """torchvision's rotation-shear entries (a, b, c, d), float64, (B,)."""
    rot = torch.deg2rad(angle.double())
    sx = torch.deg2rad(shear[:, 0].double())
    sy = torch.deg2rad(shear[:, 1].double())
    a = torch.cos(rot - sy) / torch.cos(sy)
    b = -torch.cos(rot - sy) * torch.tan(sx) / torch.cos(sy) - torch.sin(rot)
    c = torch.sin(rot - sy) / torch.cos(sy)
    d = -torch.sin(rot - sy) * torch.tan(sx) / torch.cos(sy) + torch.cos(rot)
    return a, b, c, d


def forward_affine_matrix(angle: Tensor, translate: Tensor, scale: Tensor,
                          shear: Tensor, size: Tuple[int, int]) -> Tensor:
    """(B, 3, 3) float64 map of points, input -> output of the affine.

    Args:
        angle, scale: (B,). translate, shear: (B, 2).
        size: (w, h) of the image; the centre is ``(w / 2, h / 2)``.
    """
    a, b, c, d = _rotation_shear(angle, shear)
    s = scale.double()
    cx, cy = size[0] * 0.5, size[1] * 0.5
    t = translate.double()
    m = torch.zeros(angle.shape[0], 3, 3, dtype=torch.float64,
                    device=angle.device)
    m[:, 0, 0], m[:, 0, 1] = s * a, s * b
    m[:, 1, 0], m[:, 1, 1] = s * c, s * d
    m[:, 0, 2] = cx + t[:, 0] - m[:, 0, 0] * cx - m[:, 0, 1] * cy
    m[:, 1, 2] = cy + t[:, 1] - m[:, 1, 0] * cx - m[:, 1, 1] * cy
    m[:, 2, 2] = 1.0
    return m


def _inverse_theta(angle: Tensor, translate: Tensor, scale: Tensor,
                   shear: Tensor) -> Tensor:
    """torchvision's ``_get_inverse_affine_matrix`` about the image centre
    (``center_f = [0, 0]`` for tensors), (B, 2, 3) float64."""
    a, b, c, d = _rotation_shear(angle, shear)
    s = scale.double()
    tx, ty = translate[:, 0].double(), translate[:, 1].double()
    m0, m1, m3, m4 = d / s, -b / s, -c / s, a / s
    theta = torch.stack([
        torch.stack([m0, m1, m0 * -tx + m1 * -ty], -1),
        torch.stack([m3, m4, m3 * -tx + m4 * -ty], -1)
    ], 1)
    return theta


def batched_affine(images: Tensor, angle: Tensor, translate: Tensor,
                   scale: Tensor, shear: Tensor,
                   interpolation: str = 'nearest') -> Tensor:
    """``tF.affine`` of each ``images[i]`` with its own parameters.

    Args:
        images (Tensor): (B, C, H, W) float.
        angle (Tensor): (B,) degrees. translate (Tensor): (B, 2) pixels.
        scale (Tensor): (B,). shear (Tensor): (B, 2) degrees.
        interpolation (str): 'nearest' (torchvision's default, the authors')
            or 'bilinear'.

    Returns:
        Tensor: (B, C, H, W), zero where the source falls outside.
    """
    b, _, h, w = images.shape
    theta = _inverse_theta(angle, translate, scale, shear).to(images.dtype)
    base = torch.empty(1, h, w, 3, dtype=images.dtype, device=images.device)
    base[..., 0].copy_(
        torch.linspace(-w * 0.5 + 0.5, w * 0.5 - 0.5, steps=w,
                       device=images.device))
    base[..., 1].copy_(
        torch.linspace(-h * 0.5 + 0.5, h * 0.5 - 0.5, steps=h,
                       device=images.device).unsqueeze(-1))
    base[..., 2].fill_(1)
    rescaled = theta.transpose(1, 2) / torch.tensor(
        [0.5 * w, 0.5 * h], dtype=images.dtype, device=images.device)
    grid = base.view(1, h * w, 3).expand(b, -1, -1).bmm(rescaled)
    return F.grid_sample(images, grid.view(b, h, w, 2), mode=interpolation,
                         padding_mode='zeros', align_corners=False)
