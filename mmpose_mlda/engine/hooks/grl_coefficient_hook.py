"""Gradient-reversal coefficient schedule driven by the runner's iteration."""
import math
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmpose.registry import HOOKS


@HOOKS.register_module()
class GRLCoefficientHook(Hook):
    """Set the reversal coefficient of the model's ``DomainAdversarialLoss``
    before every training iteration.

    The coefficient is a function of ``runner.iter`` only (nothing is
    counted on the module), so a resumed run continues the schedule
    exactly. Schedules, with ``p = (iter - begin_iter) / (max_iters -
    begin_iter)`` clipped to [0, 1]:

    - ``'constant'``: ``coeff = value`` (the authors' code: 1.0);
    - ``'dann'`` (Ganin & Lempitsky): ``coeff = value * (2 / (1 +
      exp(-gamma * p)) - 1)``, rising from 0 to ~``value``, so the
      discriminator's noisy early gradients barely reach the features.

    The model (unwrapped from DDP) is expected to hold the loss as
    ``adversarial_loss``; a model without one (or with ``None``) is left
    alone and nothing is logged. Otherwise the coefficient is logged as
    ``train/grl_coeff``.

    Args:
        schedule (str): ``'constant'`` or ``'dann'``. Defaults to
            ``'constant'``.
        value (float): the constant value, or the final value of the
            ``'dann'`` ramp. Defaults to 1.0.
        gamma (float): steepness of the ``'dann'`` ramp. Defaults to 10.
        begin_iter (int): iteration at which the ramp starts (e.g. the
            loop's ``burn_in_iters``, so the ramp covers adaptation only).
            Defaults to 0, i.e. ``p = iter / max_iters``.
    """

    priority = 'NORMAL'
    _SCHEDULES = ('constant', 'dann')

    def __init__(self,
                 schedule: str = 'constant',
                 value: float = 1.0,
                 gamma: float = 10.0,
                 begin_iter: int = 0) -> None:
        if schedule not in self._SCHEDULES:
            raise ValueError(f'schedule must be one of {self._SCHEDULES}, '
                             f'got {schedule!r}')
        self.schedule = schedule
        self.value = float(value)
        self.gamma = float(gamma)
        self.begin_iter = int(begin_iter)

    def coefficient(self, iteration: int, max_iters: int) -> float:
        """The coefficient at ``iteration`` of ``max_iters``."""
        if self.schedule == 'constant':
            return self.value
        span = max_iters - self.begin_iter
        p = (iteration - self.begin_iter) / span if span > 0 else 1.0
        p = min(max(p, 0.0), 1.0)
        return self.value * (2.0 / (1.0 + math.exp(-self.gamma * p)) - 1.0)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        adversarial_loss = getattr(model, 'adversarial_loss', None)
        if adversarial_loss is None:
            return
        coeff = self.coefficient(runner.iter, runner.max_iters)
        adversarial_loss.coeff = coeff
        runner.message_hub.update_scalar('train/grl_coeff', coeff)
