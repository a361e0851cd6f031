"""Which forward passes may update BatchNorm running statistics."""
import contextlib
from typing import Iterator

import torch
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm


@contextlib.contextmanager
def frozen_norm_statistics(module: nn.Module) -> Iterator[None]:
    """Run forward passes in train mode (batch statistics normalise, the
    gradients are unchanged) without moving any BatchNorm running
    statistics of ``module``.

    Each layer's ``momentum`` is 0 inside (the running statistics are
    updated by a factor of 0 inside the batch-norm op, so autograd's saved
    tensors stay valid) and its batch counter is restored on exit. Used for
    the source branch when the running statistics must describe the target
    domain only (``MeanTeacherPoseEstimator(norm_statistics='target')``).
    """
    layers = [m for m in module.modules()
              if isinstance(m, _BatchNorm) and m.track_running_stats]
    saved = [(m.momentum, m.num_batches_tracked.clone()) for m in layers]
    for m in layers:
        m.momentum = 0.0
    try:
        yield
    finally:
        with torch.no_grad():
            for m, (momentum, count) in zip(layers, saved):
                m.momentum = momentum
                m.num_batches_tracked.copy_(count)
