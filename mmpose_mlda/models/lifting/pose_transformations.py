"""Fixed, differentiable 3D pose transformations for local pose augmentation.

Written by hand (PoseAug-style operations; no library provides them). Three
transformations act on root-relative 3D poses, in this order:

1. bone-direction rotation (BA): every bone vector ``b_j = P_j - P_parent(j)``
   is rotated by its own axis-angle; the angle is bounded by the bone's joint
   limit (``angle = limit_j * tanh(|a_j|)``). Bone lengths are kept.
2. bone-length scaling (BL): ``|b_j| *= 1 + max_scale * tanh(s_g)``, one
   factor per symmetric bone group (left/right share), so bodies stay
   symmetric. Bone directions are kept.
3. global rotation (RT): the whole pose rotates about the root; yaw is
   bounded by ``max_yaw``, pitch/roll by ``max_tilt``. Bone lengths are kept.

The pose is rebuilt from bones by forward kinematics along the skeleton tree.
All functions take unconstrained raw parameters (what a generator outputs)
and are differentiable in them.
"""
from typing import Sequence

import torch
from torch import Tensor

# Human3.6M-17 skeleton (MMPose order), parents of every joint.
H36M_PARENTS = (-1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 9, 8, 11, 12, 8, 14, 15)
# Per-bone (indexed by child joint) maximal deviation of the bone direction,
# in radians: hips/shoulders (attached to the torso) little, limbs more.
H36M_BONE_LIMITS = (0.0, 0.15, 0.6, 0.6, 0.15, 0.6, 0.6, 0.2, 0.2, 0.3,
                    0.3, 0.15, 0.7, 0.7, 0.15, 0.7, 0.7)
# symmetric bone groups (child joints) sharing one length factor
H36M_BONE_GROUPS = ((1, 4), (2, 5), (3, 6), (7, ), (8, ), (9, ), (10, ),
                    (11, 14), (12, 15), (13, 16))


def pose_to_bones(pose: Tensor, parents: Sequence[int]) -> Tensor:
    """(B, K, 3) pose -> (B, K, 3) bone vectors (root row = root position)."""
    par = [p if p >= 0 else 0 for p in parents]
    is_root = torch.tensor([p < 0 for p in parents], device=pose.device)
    return torch.where(is_root[None, :, None], pose, pose - pose[:, par])


def bones_to_pose(bones: Tensor, parents: Sequence[int]) -> Tensor:
    """Forward kinematics: (B, K, 3) bone vectors -> (B, K, 3) pose.
    Parents must precede their children in the joint order."""
    joints = []
    for j, p in enumerate(parents):
        joints.append(bones[:, j] if p < 0 else joints[p] + bones[:, j])
    return torch.stack(joints, dim=1)


def axis_angle_to_matrix(axis_angle: Tensor) -> Tensor:
    """Rodrigues' formula: (..., 3) axis-angle -> (..., 3, 3) rotation."""
    angle = axis_angle.norm(dim=-1, keepdim=True).clamp(min=1e-8)
    axis = axis_angle / angle
    x, y, z = axis.unbind(-1)
    zero = torch.zeros_like(x)
    skew = torch.stack([zero, -z, y, z, zero, -x, -y, x, zero],
                       dim=-1).reshape(axis.shape[:-1] + (3, 3))
    eye = torch.eye(3, dtype=axis.dtype, device=axis.device).expand_as(skew)
    s = torch.sin(angle)[..., None]
    c = torch.cos(angle)[..., None]
    return eye + s * skew + (1 - c) * (skew @ skew)


def bounded_axis_angle(raw: Tensor, limits: Tensor) -> Tensor:
    """Map raw (..., J, 3) vectors to axis-angles with angle
    ``limits[j] * tanh(|raw_j|)`` < ``limits[j]``."""
    norm = raw.norm(dim=-1, keepdim=True).clamp(min=1e-8)
    return raw / norm * (limits[:, None] * torch.tanh(norm))


def rotate_bone_directions(pose: Tensor, raw: Tensor,
                           parents: Sequence[int], limits: Tensor) -> Tensor:
    """BA: rotate each bone within its limit; lengths unchanged.

    Args:
        pose (Tensor): (B, K, 3) root-relative pose.
        raw (Tensor): (B, K, 3) raw axis-angles (root row ignored).
        limits (Tensor): (K,) maximal rotation angle per bone (radians).

    Returns:
        Tensor: (B, K, 3) pose.
    """
    bones = pose_to_bones(pose, parents)
    rot = axis_angle_to_matrix(bounded_axis_angle(raw, limits))
    new = (rot @ bones[..., None])[..., 0]
    is_root = torch.tensor([p < 0 for p in parents], device=pose.device)
    new = torch.where(is_root[None, :, None], bones, new)
    return bones_to_pose(new, parents)


def scale_bone_lengths(pose: Tensor, raw: Tensor, parents: Sequence[int],
                       groups: Sequence[Sequence[int]],
                       max_scale: float) -> Tensor:
    """BL: multiply bone lengths by ``1 + max_scale * tanh(raw_g)``.

    Args:
        pose (Tensor): (B, K, 3); raw (Tensor): (B, G), one per group.

    Returns:
        Tensor: (B, K, 3) pose.
    """
    bones = pose_to_bones(pose, parents)
    factors = 1 + max_scale * torch.tanh(raw)  # B, G
    per_bone = torch.ones(bones.shape[:2], dtype=pose.dtype,
                          device=pose.device)
    cols = []
    for j in range(bones.shape[1]):
        g = next((gi for gi, grp in enumerate(groups) if j in grp), None)
        cols.append(factors[:, g] if g is not None else per_bone[:, j])
    per_bone = torch.stack(cols, dim=1)
    return bones_to_pose(bones * per_bone[..., None], parents)


def global_rotation(pose: Tensor, raw: Tensor, max_yaw: float,
                    max_tilt: float, root_index: int = 0) -> Tensor:
    """RT: rotate the pose about its root. Camera frame (y down): yaw is
    about y, pitch about x, roll about z.

    Args:
        pose (Tensor): (B, K, 3); raw (Tensor): (B, 3) (yaw, pitch, roll).

    Returns:
        Tensor: (B, K, 3) pose.
    """
    yaw = max_yaw * torch.tanh(raw[:, 0])
    pitch = max_tilt * torch.tanh(raw[:, 1])
    roll = max_tilt * torch.tanh(raw[:, 2])
    zero = torch.zeros_like(yaw)
    ry = axis_angle_to_matrix(torch.stack([zero, yaw, zero], -1))
    rx = axis_angle_to_matrix(torch.stack([pitch, zero, zero], -1))
    rz = axis_angle_to_matrix(torch.stack([zero, zero, roll], -1))
    rot = rz @ rx @ ry
    root = pose[:, root_index:root_index + 1]
    return ((pose - root) @ rot.transpose(1, 2)) + root


def bone_lengths(pose: Tensor, parents: Sequence[int]) -> Tensor:
    """(B, K, 3) -> (B, K) bone lengths (root entry = |root|)."""
    return pose_to_bones(pose, parents).norm(dim=-1)
