"""PoseDA: domain-adaptive 2D-to-3D lifting (GPA + LPA) on MMPose."""
from .anchor_discriminator import (AnchorPoseDiscriminator,
                                   TargetAnchor2DDiscriminator)
from .augmentation_generator import PoseAugmentationGenerator
from .bounded_pose_augmentation import BoundedPoseAugmentation
from .global_position_alignment import GlobalPositionAlignment
from .poseda_pose_lifter import PoseDAPoseLifter
from .random_pose_augmentation import RandomPoseAugmentation

__all__ = [
    'AnchorPoseDiscriminator', 'BoundedPoseAugmentation',
    'PoseAugmentationGenerator',
    'GlobalPositionAlignment', 'PoseDAPoseLifter', 'RandomPoseAugmentation',
    'TargetAnchor2DDiscriminator'
]

