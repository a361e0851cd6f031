from .cached_load_image import CachedLoadImage
from .fast_random_bbox_transform import FastRandomBBoxTransform
from .pose_multi_branch import PoseMultiBranch
from .random_square_crop_in_box import RandomSquareCropInBox
from .random_view_affine import RandomViewAffine
from .record_view_geometry import RecordViewGeometry
from .set_lifting_domain import SetLiftingDomain
from .synthetic_animal_augmentation import SyntheticAnimalAugmentation
from .torchvision_color_jitter import TorchvisionColorJitter

__all__ = [
    'CachedLoadImage', 'FastRandomBBoxTransform', 'PoseMultiBranch',
    'RandomSquareCropInBox', 'RandomViewAffine', 'RecordViewGeometry',
    'SetLiftingDomain', 'SyntheticAnimalAugmentation',
    'TorchvisionColorJitter'
]
