"""Stop a run on a non-finite loss before it reaches the weights."""
from typing import Dict

import torch
from mmengine.dist import all_reduce
from mmengine.logging import MessageHub
from torch import Tensor


def stop_on_non_finite_loss(loss: Tensor, log_vars: Dict[str, Tensor],
                            optimizer_key: str = 'optimizer') -> None:
    """Raise ``FloatingPointError`` when ``loss`` is not finite on any
    rank, naming the iteration, the logged losses and the last checkpoint
    known to be good (``SafeCheckpointHook`` records it).

    Called before the optimizer step, so a bad iteration never reaches the
    weights or any checkpoint. All ranks take the same decision (one
    all-reduce), so none is left waiting in backward. ``optimizer_key`` is
    the ``optim_wrapper`` entry whose learning rate the advice names.
    """
    bad = (~torch.isfinite(loss.detach())).float().reshape(1)
    all_reduce(bad, op='sum')
    if bad.item() == 0:
        return
    hub = MessageHub.get_current_instance()
    values = ', '.join(f'{k}={float(v.detach()):.4g}'
                       for k, v in log_vars.items())
    good = hub.get_info('last_good_checkpoint')
    where = (f'The last checkpoint known to be good is {good}.'
             if good else 'No checkpoint was written yet.')
    raise FloatingPointError(
        f'Non-finite loss at iteration {hub.get_info("iter")} ({values}). '
        'Training stopped before the optimizer step: the weights were not '
        f'updated. {where} --resume restores the saved optimizer and its '
        'learning rate; to continue with a lower learning rate start a new '
        'run from that checkpoint: --cfg-options load_from=<checkpoint> '
        f'optim_wrapper.{optimizer_key}.lr=<lower> (or lower the loss '
        "weights, or check this iteration's data).")
