from .pose_multi_branch import PoseMultiBranch
from .random_view_affine import RandomViewAffine
from .record_view_geometry import RecordViewGeometry
from .set_lifting_domain import SetLiftingDomain

__all__ = [
    'PoseMultiBranch', 'RandomViewAffine', 'RecordViewGeometry',
    'SetLiftingDomain'
]
