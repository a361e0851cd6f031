"""Teacher update after every optimizer step."""
from typing import Optional

import torch
from mmengine.dist import all_reduce, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmpose.registry import HOOKS

from mmpose_mlda.models.utils import named_step


@HOOKS.register_module()
class MeanTeacherHook(Hook):
    """Update the teacher of a ``MeanTeacherPoseEstimator`` from its student.

    After each training iteration: while adapting, one EMA step of the
    teacher's ``ExponentialMovingAverage`` (decay set by the model's
    ``teacher_decay``, 0.999 in the paper); during a source-only burn-in
    (``AdaptationTrainLoop``), the teacher is kept an exact copy of the
    student, so validation scores a meaningful teacher and adaptation starts
    from the burnt-in student. All teacher state is in the model's state
    dict (weights, BN statistics, EMA step count), so resuming needs nothing
    from this hook.

    Under DDP the model is unwrapped first. The student's parameters are
    identical on every rank after the optimizer step, but its BatchNorm
    running statistics are not (each rank saw its own batch), so the float
    buffers are averaged across ranks before the teacher takes them: the
    teacher stays identical on all ranks.
    """

    priority = 'ABOVE_NORMAL'  # before checkpointing and logging

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if get_world_size() > 1:
            for buffer in model.student.buffers():
                if buffer.dtype.is_floating_point:
                    all_reduce(buffer, op='mean')
        if model.adapting:
            with torch.no_grad(), named_step('ema'):
                model.teacher.update_parameters(model.student)
        else:
            model.reset_teacher()
