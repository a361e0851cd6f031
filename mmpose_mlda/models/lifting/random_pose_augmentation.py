"""Random local pose augmentation: LPA's transformations without the game.

The same bounded transformations as :class:`PoseAugmentationGenerator`
(:class:`BoundedPoseAugmentation`: bone-direction rotations within joint
limits, symmetric bone-length factors, a bounded global rotation), with raw
parameters drawn at random instead of predicted by an adversarially trained
MLP: every raw parameter is ``N(0, param_std^2)``, independently per sample.
Nothing is learned, so no discriminator is needed and the lifter's step is
the only update.

Why it exists: on the lifting benchmark's ``local`` target family the
adversarial generator made the lifter worse at every generator learning rate
tried, with the target-anchored 2D or the source-anchored 3D discriminator,
while small random transformations helped (``docs/poseda.md``).
"""
import torch
from torch import Tensor

from mmpose.registry import MODELS
from .bounded_pose_augmentation import BoundedPoseAugmentation


@MODELS.register_module()
class RandomPoseAugmentation(BoundedPoseAugmentation):
    """Bounded random pose transformations (no parameters).

    Args:
        param_std (float): standard deviation of the raw (pre-``tanh``)
            parameters. A bone's rotation angle is ``limit * tanh(|a|)``
            with ``a`` a 3-vector of such draws, so 0.1 rotates a limb by
            about 0.16 of its limit on average.
        num_keypoints, parents, bone_limits, bone_groups, max_bone_scale,
            max_yaw, max_tilt, use_bone_angle, use_bone_length,
            use_global_rotation: as :class:`BoundedPoseAugmentation`.
    """
    learnable = False

    def __init__(self, param_std: float = 0.1, **kwargs):
        for key in ('noise_dim', 'hidden_dim'):
            if key in kwargs:
                raise ValueError(f'RandomPoseAugmentation: {key!r} belongs '
                                 'to the learned PoseAugmentationGenerator; '
                                 'remove it')
        if not param_std > 0:
            raise ValueError('RandomPoseAugmentation: param_std must be > 0, '
                             f'got {param_std!r}')
        super().__init__(**kwargs)
        self.param_std = param_std

    def predict_params(self, pose: Tensor) -> dict:
        """Random raw parameters for a batch of (B, K, 3) poses: ``angle``
        (B, K, 3), ``length`` (B, G), ``rotation`` (B, 3)."""
        b = pose.shape[0]

        def draw(*shape):
            return self.param_std * torch.randn(
                b, *shape, device=pose.device, dtype=pose.dtype)

        return dict(
            angle=draw(self.num_keypoints, 3),
            length=draw(self.num_length),
            rotation=draw(3))
