from .heatmap_pck import *  # noqa: F401,F403
from .heatmap_pck import __all__ as _heatmap_pck_all
from .lifting_3d_metric import Lifting3DMetric

__all__ = list(_heatmap_pck_all) + ['Lifting3DMetric']
