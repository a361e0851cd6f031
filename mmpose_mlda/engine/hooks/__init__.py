from .grl_coefficient_hook import GRLCoefficientHook
from .mean_teacher_hook import MeanTeacherHook
from .safe_checkpoint_hook import SafeCheckpointHook
from .style_transfer_visualization_hook import StyleTransferVisualizationHook

__all__ = [
    'GRLCoefficientHook', 'MeanTeacherHook', 'SafeCheckpointHook',
    'StyleTransferVisualizationHook'
]
