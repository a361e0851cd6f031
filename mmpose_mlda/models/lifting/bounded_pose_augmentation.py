"""The bounded pose transformations shared by PoseDA's local pose
augmentation (LPA) and its random form.

A subclass says where the raw transformation parameters come from
(:meth:`BoundedPoseAugmentation.predict_params`): an MLP trained in an
adversarial game (:class:`PoseAugmentationGenerator`) or random draws
(:class:`RandomPoseAugmentation`). The bounds (joint limits, maximal bone
scale and global rotation) live in :mod:`.pose_transformations`, applied
here, so no parameter can leave them.
"""
from typing import Optional, Sequence

import torch
from torch import Tensor, nn

from .pose_transformations import (H36M_BONE_GROUPS, H36M_BONE_LIMITS,
                                   H36M_PARENTS, global_rotation,
                                   rotate_bone_directions, scale_bone_lengths)


class BoundedPoseAugmentation(nn.Module):
    """Bone-direction rotations within joint limits, symmetric bone-length
    factors and a bounded global rotation, from raw parameters that a
    subclass predicts.

    Contract: a subclass implements :meth:`predict_params` and sets
    ``learnable`` (True when an adversarial game trains it, so the lifter
    requires a discriminator; False when nothing is learned, so the lifter
    refuses one).

    Args:
        num_keypoints (int): K. Defaults to 17 (H36M).
        parents (Sequence[int], optional): skeleton parents (H36M default).
        bone_limits (Sequence[float], optional): per-bone maximal direction
            change in radians (H36M default).
        bone_groups (Sequence[Sequence[int]], optional): symmetric bone
            groups sharing one length factor (H36M default).
        max_bone_scale (float): bone-length factors lie in
            ``1 +- max_bone_scale``.
        max_yaw (float): bound of the global rotation about the vertical
            axis, radians.
        max_tilt (float): bound of global pitch and roll, radians.
        use_bone_angle, use_bone_length, use_global_rotation (bool): switch
            the three transformations on/off.
    """
    learnable: bool

    def __init__(self,
                 num_keypoints: int = 17,
                 parents: Optional[Sequence[int]] = None,
                 bone_limits: Optional[Sequence[float]] = None,
                 bone_groups: Optional[Sequence[Sequence[int]]] = None,
                 max_bone_scale: float = 0.2,
                 max_yaw: float = 0.5,
                 max_tilt: float = 0.3,
                 use_bone_angle: bool = True,
                 use_bone_length: bool = True,
                 use_global_rotation: bool = True):
        super().__init__()
        name = type(self).__name__
        self.parents = tuple(parents if parents is not None else H36M_PARENTS)
        limits = bone_limits if bone_limits is not None else H36M_BONE_LIMITS
        self.groups = tuple(
            tuple(g) for g in (bone_groups if bone_groups is not None else
                               H36M_BONE_GROUPS))
        if len(self.parents) != num_keypoints or len(limits) != num_keypoints:
            raise ValueError(
                f'{name}: num_keypoints={num_keypoints} but '
                f'{len(self.parents)} parents and {len(limits)} bone limits '
                'were given')
        self.register_buffer(
            'bone_limits', torch.tensor(limits, dtype=torch.float32),
            persistent=False)
        self.num_keypoints = num_keypoints
        self.max_bone_scale = max_bone_scale
        self.max_yaw = max_yaw
        self.max_tilt = max_tilt
        self.use_bone_angle = use_bone_angle
        self.use_bone_length = use_bone_length
        self.use_global_rotation = use_global_rotation
        self.num_angle = num_keypoints * 3
        self.num_length = len(self.groups)

    def predict_params(self, pose: Tensor) -> dict:
        """Raw (unbounded) parameters for a batch of poses.

        Args:
            pose (Tensor): (B, K, 3) root-relative poses (metres).

        Returns:
            dict: ``angle`` (B, K, 3), ``length`` (B, G), ``rotation`` (B, 3).
        """
        raise NotImplementedError

    def transform(self, pose: Tensor, params: dict) -> Tensor:
        """Apply BA -> BL -> RT with given raw parameters.

        Args:
            pose (Tensor): (B, K, 3) root-relative poses.
            params (dict): as returned by :meth:`predict_params`
                (``nn.Module.apply`` is taken, hence the name).

        Returns:
            Tensor: (B, K, 3) augmented root-relative poses.
        """
        if self.use_bone_angle:
            pose = rotate_bone_directions(pose, params['angle'], self.parents,
                                          self.bone_limits)
        if self.use_bone_length:
            pose = scale_bone_lengths(pose, params['length'], self.parents,
                                      self.groups, self.max_bone_scale)
        if self.use_global_rotation:
            pose = global_rotation(pose, params['rotation'], self.max_yaw,
                                   self.max_tilt)
        return pose

    def forward(self, pose: Tensor) -> Tensor:
        """(B, K, 3) root-relative poses -> (B, K, 3) augmented poses."""
        if pose.dim() != 3 or pose.shape[1] != self.num_keypoints:
            raise ValueError(
                f'{type(self).__name__} expects (B, {self.num_keypoints}, 3)'
                f' root-relative poses, got {tuple(pose.shape)}')
        return self.transform(pose, self.predict_params(pose))
