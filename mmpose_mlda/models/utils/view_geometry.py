"""Batched geometry between two views of the same image, in heatmap space.

Shapes: B batch, K keypoints, (h, w) heatmap size, (H, W) input size.
Heatmap pixel ``(x, y)`` is input pixel ``(x * W / w, y * H / h)`` (MMPose's
``MSRAHeatmap`` convention: keypoints are divided by the stride, no offset).
"""
from typing import Tuple

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


def warp_heatmaps(heatmaps: Tensor, src_to_dst: Tensor) -> Tuple[Tensor,
                                                                  Tensor]:
    """Resample heatmaps from their own view into another view.

    Args:
        heatmaps (Tensor): (B, K, h, w) in the source view.
        src_to_dst (Tensor): (B, 3, 3) heatmap-coordinate map (source ->
            destination view), e.g. from :func:`heatmap_view_transform`.

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
        heatmaps, grid, mode='bilinear', padding_mode='zeros',
        align_corners=True)
    inside = (src_x >= 0) & (src_x <= w - 1) & (src_y >= 0) & (src_y <= h - 1)
    return warped, inside.view(b, 1, h, w).to(heatmaps.dtype)


def match_joint_order(heatmaps: Tensor, src_order: Tensor,
                      dst_order: Tensor) -> Tensor:
    """Permute channels so that channel ``j`` shows joint ``dst_order[:, j]``.

    Args:
        heatmaps (Tensor): (B, K, h, w); channel ``c`` shows original joint
            ``src_order[:, c]``.
        src_order, dst_order (Tensor): (B, K) int64 joint permutations
            (``view_joint_order`` of each view).
    """
    channel_of_joint = torch.argsort(src_order, dim=1)  # inverse permutation
    index = channel_of_joint.gather(1, dst_order)
    return heatmaps.gather(
        1, index[:, :, None, None].expand_as(heatmaps))


def heatmap_peaks(heatmaps: Tensor) -> Tuple[Tensor, Tensor]:
    """Argmax location (B, K, 2) as (x, y) and peak value (B, K)."""
    values, flat_index = heatmaps.flatten(2).max(dim=2)
    w = heatmaps.shape[-1]
    xy = torch.stack([flat_index % w, flat_index // w], -1)
    return xy.to(heatmaps.dtype), values


def render_gaussians(centers: Tensor, heatmap_size: Tuple[int, int],
                     sigma: float) -> Tensor:
    """Unnormalised Gaussians (peak 1) at ``centers`` (B, K, 2) -> (B, K, h,
    w), as MMPose's ``MSRAHeatmap`` renders targets."""
    w, h = heatmap_size
    xs = torch.arange(w, dtype=centers.dtype, device=centers.device)
    ys = torch.arange(h, dtype=centers.dtype, device=centers.device)
    dx2 = (xs[None, None, None, :] - centers[..., 0, None, None])**2
    dy2 = (ys[None, None, :, None] - centers[..., 1, None, None])**2
    return torch.exp(-(dx2 + dy2) / (2 * sigma**2))


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
    in_x = (xs[None, None, None, :] - points[..., 0, None, None]).abs() \
        <= half_size
    in_y = (ys[None, None, :, None] - points[..., 1, None, None]).abs() \
        <= half_size
    covered = (in_x & in_y & selected[..., None, None]).any(1, keepdim=True)
    filling = torch.roll(images, shifts=shift, dims=(2, 3))
    return torch.where(covered, filling, images)
