from .cached_load_image import CachedLoadImage
from .pose_multi_branch import PoseMultiBranch
from .random_view_affine import RandomViewAffine
from .record_view_geometry import RecordViewGeometry
from .set_lifting_domain import SetLiftingDomain
from .torchvision_color_jitter import TorchvisionColorJitter

__all__ = [
    'CachedLoadImage', 'PoseMultiBranch', 'RandomViewAffine',
    'RecordViewGeometry', 'SetLiftingDomain', 'TorchvisionColorJitter'
]
