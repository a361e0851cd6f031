"""Batched geometry between two views of the same image, in heatmap space.

Shapes: B batch, K keypoints, (h, w) heatmap size, (H, W) input size.
Heatmap pixel ``(x, y)`` is input pixel ``(x * W / w, y * H / h)`` (MMPose's
``MSRAHeatmap`` convention: keypoints are divided by the stride, no offset).
"""
from typing import Optional, Tuple

import numpy as np

import torch
import torch.nn.functional as F
from torch import Tensor


def heatmap_view_transform(src_affine: Tensor, dst_affine: Tensor,
                           input_size: Tuple[int, int],
                           heatmap_size: Tuple[int, int]) -> Tensor:
    """(B, 3, 3) map from src-view heatmap coords to dst-view heatmap coords.

    Args:
        src_affine, dst_affine (Tensor): (B, 3, 3) original image -> input
            pixel affines of the two views (``RecordViewGeometry``).
        input_size, heatmap_size: (w, h) of the model input and heatmaps.
    """
    scale = src_affine.new_tensor(
        [[heatmap_size[0] / input_size[0], 0., 0.],
         [0., heatmap_size[1] / input_size[1], 0.], [0., 0., 1.]])
    return scale @ dst_affine @ torch.linalg.inv(src_affine) @ torch.linalg.inv(
        scale)


def warp_heatmaps(heatmaps: Tensor,
                  src_to_dst: Tensor,
                  mode: str = 'bilinear') -> Tuple[Tensor, Tensor]:
    """Resample heatmaps from their own view into another view.

    Args:
        heatmaps (Tensor): (B, K, h, w) in the source view.
        src_to_dst (Tensor): (B, 3, 3) heatmap-coordinate map (source ->
            destination view), e.g. from :func:`heatmap_view_transform`.
        mode (str): ``grid_sample`` interpolation, 'bilinear' or 'nearest'.

    Returns:
        tuple: warped heatmaps (B, K, h, w) in the destination view, and a
        (B, 1, h, w) float mask, 1 where the destination pixel lies inside the
        source view (elsewhere the warped values are zero padding, not
        predictions, and must not be compared).
    """
    b, _, h, w = heatmaps.shape
    dst_to_src = torch.linalg.inv(src_to_dst.to(heatmaps.dtype))
    ys, xs = torch.meshgrid(
        torch.arange(h, dtype=heatmaps.dtype, device=heatmaps.device),
        torch.arange(w, dtype=heatmaps.dtype, device=heatmaps.device),
        indexing='ij')
    dst_points = torch.stack([xs, ys, torch.ones_like(xs)], -1).view(-1, 3)
    src_points = dst_points @ dst_to_src.transpose(1, 2)  # (B, h*w, 3)
    src_x, src_y = src_points[..., 0], src_points[..., 1]
    # align_corners=True: -1 and +1 are the centres of the border pixels
    grid = torch.stack([2 * src_x / (w - 1) - 1, 2 * src_y / (h - 1) - 1],
                       -1).view(b, h, w, 2)
    warped = F.grid_sample(
        heatmaps, grid, mode=mode, padding_mode='zeros', align_corners=True)
    inside = (src_x >= 0) & (src_x <= w - 1) & (src_y >= 0) & (src_y <= h - 1)
    return warped, inside.view(b, 1, h, w).to(heatmaps.dtype)


def joint_order_index(src_order: np.ndarray,
                      dst_order: np.ndarray) -> Optional[np.ndarray]:
    """Channel index that reorders ``src_order`` channels into
    ``dst_order``, or ``None`` when no sample needs a permutation.

    Args:
        src_order, dst_order (np.ndarray): (B, K) joint permutations
            (``view_joint_order`` of each view); channel ``c`` shows joint
            ``order[:, c]``.

    Returns:
        np.ndarray | None: (B, K) int64 ``index`` with ``out[:, j] =
        in[:, index[:, j]]``. Decided on the host from metainfo, so the
        common no-flip case costs nothing on the device.
    """
    channel_of_joint = np.argsort(src_order, axis=1)
    index = np.take_along_axis(channel_of_joint, dst_order, axis=1)
    if (index == np.arange(index.shape[1])).all():
        return None
    return index


def permute_channels(heatmaps: Tensor, index: Optional[np.ndarray]) -> Tensor:
    """``heatmaps[b, index[b, j]]`` for (B, K, h, w) heatmaps, or the input
    itself when ``index`` is None (see :func:`joint_order_index`)."""
    if index is None:
        return heatmaps
    index = torch.as_tensor(index, device=heatmaps.device)
    rows = torch.arange(heatmaps.shape[0], device=heatmaps.device)[:, None]
    return heatmaps[rows, index]


def match_joint_order(heatmaps: Tensor, src_order: Tensor,
                      dst_order: Tensor) -> Tensor:
    """Permute channels so that channel ``j`` shows joint ``dst_order[:, j]``.

    Args:
        heatmaps (Tensor): (B, K, h, w); channel ``c`` shows original joint
            ``src_order[:, c]``.
        src_order, dst_order (Tensor | np.ndarray): (B, K) int64 joint
            permutations (``view_joint_order`` of each view).
    """
    index = joint_order_index(np.asarray(torch.as_tensor(src_order).cpu()),
                              np.asarray(torch.as_tensor(dst_order).cpu()))
    return permute_channels(heatmaps, index)


def heatmap_peaks(heatmaps: Tensor) -> Tuple[Tensor, Tensor]:
    """Argmax location (B, K, 2) as (x, y) and peak value (B, K)."""
    values, flat_index = heatmaps.flatten(2).max(dim=2)
    w = heatmaps.shape[-1]
    xy = torch.stack([flat_index % w, flat_index // w], -1)
    return xy.to(heatmaps.dtype), values


def render_gaussians(centers: Tensor,
                     heatmap_size: Tuple[int, int],
                     sigma: float,
                     truncate: Optional[float] = None) -> Tensor:
    """Unnormalised Gaussians (peak 1) at ``centers`` (B, K, 2) -> (B, K, h,
    w), as MMPose's ``MSRAHeatmap`` renders targets.

    Args:
        truncate (float, optional): zero outside the square of half-side
            ``int(truncate * sigma)`` pixels around each (integer) centre,
            as the authors' ``rectify`` (3 sigma) renders it. ``None``
            keeps the whole Gaussian.
    """
    w, h = heatmap_size
    xs = torch.arange(w, dtype=centers.dtype, device=centers.device)
    ys = torch.arange(h, dtype=centers.dtype, device=centers.device)
    dx = xs[None, None, None, :] - centers[..., 0, None, None]
    dy = ys[None, None, :, None] - centers[..., 1, None, None]
    out = torch.exp(-(dx**2 + dy**2) / (2 * sigma**2))
    if truncate is not None:
        half = int(truncate * sigma)
        out = out * ((dx.abs() <= half) & (dy.abs() <= half))
    return out


def occlude_points(images: Tensor, points: Tensor, selected: Tensor,
                   half_size: float, shift: Tuple[int, int]) -> Tensor:
    """Cover square patches around selected points with other image content.

    Each patch is filled with the same image's content ``shift`` pixels away
    (a texture from elsewhere in the picture, not a flat colour that would
    be trivial to recognise).

    Args:
        images (Tensor): (B, C, H, W) normalised inputs.
        points (Tensor): (B, K, 2) patch centres (x, y) in input pixels.
        selected (Tensor): (B, K) bool, which points to cover.
        half_size (float): half the patch side, in input pixels.
        shift (tuple[int, int]): (dy, dx) roll applied to get the filling.
    """
    _, _, h, w = images.shape
    ys = torch.arange(h, device=images.device, dtype=points.dtype)
    xs = torch.arange(w, device=images.device, dtype=points.dtype)
    chosen = selected.to(points.dtype)[..., None]  # (B, K, 1)
    in_x = ((xs[None, None, :] - points[..., 0, None]).abs()
            <= half_size).to(points.dtype) * chosen  # (B, K, W)
    in_y = ((ys[None, None, :] - points[..., 1, None]).abs()
            <= half_size).to(points.dtype)  # (B, K, H)
    # pixel (y, x) is covered if some selected square holds both: a sum
    # over keypoints of rank-one products, one batched matmul
    covered = (in_y.transpose(1, 2) @ in_x > 0)[:, None]  # (B, 1, H, W)
    filling = torch.roll(images, shifts=shift, dims=(2, 3))
    return torch.where(covered, filling, images)
