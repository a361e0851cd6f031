from .pose_multi_branch import PoseMultiBranch
from .record_view_geometry import RecordViewGeometry

__all__ = ['PoseMultiBranch', 'RecordViewGeometry']
