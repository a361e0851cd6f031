"""The mean teacher: MMEngine's ``ExponentialMovingAverage`` of the student,
with a choice of what happens to its normalisation statistics."""
import torch
from mmengine.model import ExponentialMovingAverage
from torch import nn


class TeacherEMA(ExponentialMovingAverage):
    """EMA teacher of a student network.

    ``momentum`` is the weight of the NEW value (MMEngine's convention), so
    a teacher decay of 0.999 is ``momentum=0.001``. The update uses
    ``torch._foreach_lerp_`` over all tensors at once instead of one kernel
    per tensor.

    Args:
        model (nn.Module): the student.
        momentum (float): ``1 - decay``.
        norm (str): what the teacher's BatchNorm running statistics are:

            - ``'ema'`` (the default): EMA'd like the weights; the teacher
              always runs in eval mode with them;
            - ``'batch'`` (the authors' code, ``OldWeightEMA`` on a teacher
              in train mode): only parameters are averaged; the teacher
              normalises with the statistics of the batch it sees and keeps
              its own running statistics from those batches (they are used
              at evaluation time);
            - ``'student'``: only parameters are averaged; the teacher runs
              in eval mode with the student's running statistics, copied at
              every step (no lag: with the estimator's
              ``norm_statistics='target'`` these are the target domain's
              statistics as soon as the student has seen a few target
              batches).
    """

    NORMS = ('ema', 'batch', 'student')

    def __init__(self, model: nn.Module, momentum: float,
                 norm: str = 'ema') -> None:
        if norm not in self.NORMS:
            raise ValueError(f'teacher_norm must be one of {self.NORMS}, got '
                             f'{norm!r} (model.teacher_norm).')
        super().__init__(model, momentum=momentum,
                         update_buffers=norm == 'ema')
        self.norm = norm

    def _apply(self, fn, *args, **kwargs):
        """After a conversion (``.to(device)``, ``.to(memory_format=...)``,
        ``.double()``) take the averaged tensors anew from the module.

        MMEngine's averaged model keeps ``module.state_dict()`` (detached
        aliases of the weights and buffers) from construction; a conversion
        gives the module new tensors, so without this the EMA step would
        update the old ones and the teacher would never move (as it did
        after ``model.cuda()`` in the runner, or with ``channels_last``)."""
        out = super()._apply(fn, *args, **kwargs)
        self.avg_parameters = self._averaged_tensors(self.module)
        return out

    def _averaged_tensors(self, module: nn.Module) -> dict:
        """Name -> tensor of what the EMA averages in ``module``: weights
        and buffers with ``norm='ema'``, else the parameters only."""
        return module.state_dict() if self.update_buffers else dict(
            module.named_parameters())

    @torch.no_grad()
    def update_parameters(self, model: nn.Module) -> None:
        """One EMA step towards ``model``; with ``norm='batch'`` the
        teacher's buffers are left as they are."""
        if self.steps == 0:
            self.module.load_state_dict(model.state_dict())
        else:
            source = self._averaged_tensors(model)
            pairs = [(p, source[k].data)
                     for k, p in self.avg_parameters.items()
                     if p.dtype.is_floating_point]
            if pairs:
                averaged, new = zip(*pairs)
                torch._foreach_lerp_(list(averaged), list(new),
                                     self.momentum)
            if self.norm == 'student':
                for own, new in zip(self.module.buffers(), model.buffers()):
                    own.copy_(new)
        self.steps += 1
