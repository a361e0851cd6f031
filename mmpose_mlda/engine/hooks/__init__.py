from .grl_coefficient_hook import GRLCoefficientHook
from .mean_teacher_hook import MeanTeacherHook

__all__ = ['GRLCoefficientHook', 'MeanTeacherHook']
