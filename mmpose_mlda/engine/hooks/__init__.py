from .grl_coefficient_hook import GRLCoefficientHook
from .keep_freed_memory_hook import KeepFreedMemoryHook
from .label_free_monitor_hook import LabelFreeMonitorHook
from .mean_teacher_hook import MeanTeacherHook
from .pseudo_label_visualization_hook import PseudoLabelVisualizationHook
from .safe_checkpoint_hook import SafeCheckpointHook
from .style_transfer_visualization_hook import StyleTransferVisualizationHook

__all__ = [
    'GRLCoefficientHook', 'KeepFreedMemoryHook', 'LabelFreeMonitorHook',
    'MeanTeacherHook', 'PseudoLabelVisualizationHook', 'SafeCheckpointHook',
    'StyleTransferVisualizationHook'
]
