from .pose_multi_branch import PoseMultiBranch
from .record_view_geometry import RecordViewGeometry
from .set_lifting_domain import SetLiftingDomain

__all__ = ['PoseMultiBranch', 'RecordViewGeometry', 'SetLiftingDomain']
