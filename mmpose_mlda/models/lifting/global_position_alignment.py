"""Global position alignment (GPA) of PoseDA.

Written by hand (no library has it; the authors released a GPA function with
focal length and principal point swapped and the first sample's focal length
used for the whole batch; this one is independent of that code).

Idea: a lifter trained on one camera setup sees the person at typical image
positions and sizes; on a new setup these differ. GPA moves every source 3D
pose (rigid translation in its own camera frame, root-relative pose
unchanged) so that its re-projection puts the root at a *target* root
position and gives the pose a *target* image scale, both drawn from the
target domain's 2D poses. Only target 2D is used; no target 3D, no learnable
parameters. Positions and scales are compared in MMPose's screen-normalised
coordinates (``VideoPoseLifting``: ``(uv - [w/2, h/2]) / (w/2)``), which is
what the lifter sees, so cameras with different image sizes are comparable.
Every source sample uses its OWN intrinsics.
"""
from typing import Dict, Optional

import torch
from torch import Tensor

from mmpose.registry import MODELS
from .camera_utils import normalize_screen, project


def root_position_and_scale(kpts_norm: Tensor, root_index: int = 0):
    """Root position and 2D scale of screen-normalised 2D poses.

    Args:
        kpts_norm (Tensor): (B, T, K, 2) screen-normalised 2D poses.
        root_index (int): root joint.

    Returns:
        tuple: (B, 2) root position and (B,) scale, both averaged over T.
        The scale is the root-mean-square distance of the joints to the root.
    """
    root = kpts_norm[:, :, root_index]  # B, T, 2
    rel = kpts_norm - root[:, :, None]
    scale = rel.pow(2).sum(-1).mean(-1).sqrt()  # B, T
    return root.mean(1), scale.mean(1)


@MODELS.register_module()
class GlobalPositionAlignment(torch.nn.Module):
    """Re-place source 3D poses to match target root position and scale.

    Args:
        root_index (int): root joint index. Defaults to 0 (H36M pelvis).
        num_iters (int): fixed-point iterations for the depth (the projected
            scale is ~1/depth; 3 iterations reach < 0.1% error).
        min_depth (float): lower bound of the new root depth, in the pose's
            units (metres), beyond the pose's own depth extent.
        jitter (float): optional std of Gaussian noise added to the drawn
            target position/scale (relative), 0 = exact.
    """

    def __init__(self,
                 root_index: int = 0,
                 num_iters: int = 3,
                 min_depth: float = 0.5,
                 jitter: float = 0.0):
        super().__init__()
        self.root_index = root_index
        self.num_iters = num_iters
        self.min_depth = min_depth
        self.jitter = jitter

    def forward(self,
                poses_3d: Tensor,
                f: Tensor,
                c: Tensor,
                wh: Tensor,
                target_root: Tensor,
                target_scale: Tensor) -> Dict[str, Tensor]:
        """Align a batch of source poses to given target statistics.

        Args:
            poses_3d (Tensor): (B, T, K, 3) source poses in their camera
                frames (absolute, Z forward).
            f (Tensor): (B, 2) source focal lengths (f_x, f_y), pixels.
            c (Tensor): (B, 2) source principal points (c_x, c_y), pixels.
            wh (Tensor): (B, 2) source image width and height.
            target_root (Tensor): (B, 2) desired screen-normalised root
                position, one per source sample.
            target_scale (Tensor): (B,) desired screen-normalised 2D scale.

        Returns:
            dict: ``poses_3d`` (B, T, K, 3) translated poses, ``keypoints``
            (B, T, K, 2) their pixel projections, ``keypoints_norm``
            (B, T, K, 2) screen-normalised projections, ``translation``
            (B, 3) the applied translation.
        """
        if poses_3d.dim() != 4 or poses_3d.shape[-1] != 3:
            raise ValueError('GlobalPositionAlignment expects poses of shape '
                             f'(B, T, K, 3), got {tuple(poses_3d.shape)}')
        if self.jitter > 0:
            target_root = target_root + self.jitter * torch.randn_like(
                target_root)
            target_scale = target_scale * (
                1 + self.jitter * torch.randn_like(target_scale))
        target_scale = target_scale.clamp(min=1e-3)
        root = poses_3d[:, :, self.root_index].mean(1)  # B, 3 (mean over T)
        rel = poses_3d - root[:, None, None]
        half_w = wh[:, :1] * 0.5
        center = wh * 0.5
        # desired root pixel position in THIS sample's image
        uv_root = target_root * half_w + center  # B, 2
        depth_extent = rel[..., 2].abs().flatten(1).max(1).values
        z_min = depth_extent + self.min_depth
        z = root[:, 2].clamp(min=1e-3)
        for _ in range(self.num_iters):
            z = torch.maximum(z, z_min)
            placed = self._place(rel, uv_root, z, f, c)
            kn = normalize_screen(project(placed, f, c), wh)
            _, s = root_position_and_scale(kn, self.root_index)
            z = z * s / target_scale
        z = torch.maximum(z, z_min)
        placed = self._place(rel, uv_root, z, f, c)
        uv = project(placed, f, c)
        return dict(
            poses_3d=placed,
            keypoints=uv,
            keypoints_norm=normalize_screen(uv, wh),
            translation=placed[:, :, self.root_index].mean(1) - root)

    @staticmethod
    def _place(rel: Tensor, uv_root: Tensor, z: Tensor, f: Tensor,
               c: Tensor) -> Tensor:
        """Put the (mean) root at depth ``z`` on the ray through
        ``uv_root``: X = (u - c_x) * Z / f_x, Y = (v - c_y) * Z / f_y."""
        xy = (uv_root - c) / f * z[:, None]
        new_root = torch.cat([xy, z[:, None]], dim=1)
        return rel + new_root[:, None, None]

    @staticmethod
    def sample_target(target_root: Tensor, target_scale: Tensor,
                      num: int,
                      generator: Optional[torch.Generator] = None):
        """Draw ``num`` (root, scale) pairs from a pool of target statistics
        (the target 2D poses of the batch or a stored bank).

        Args:
            target_root (Tensor): (M, 2); target_scale (Tensor): (M,).

        Returns:
            tuple: (num, 2) roots and (num,) scales.
        """
        idx = torch.randint(
            0, target_root.shape[0], (num, ), generator=generator,
            device=target_root.device)
        return target_root[idx], target_scale[idx]
