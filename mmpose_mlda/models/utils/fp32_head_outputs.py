"""MMPose heads that return fp32 under bf16 autocast."""
import contextlib

import torch
from mmpose.models.heads.base_head import BaseHead
from torch import nn


def _as_fp32(outputs):
    """Floating tensors (alone or in a tuple/list) as fp32; the rest as is.
    Differentiable (``Tensor.float``)."""
    if isinstance(outputs, torch.Tensor):
        return outputs.float() if outputs.is_floating_point() else outputs
    if isinstance(outputs, (tuple, list)):
        return type(outputs)(_as_fp32(o) for o in outputs)
    return outputs


@contextlib.contextmanager
def fp32_head_outputs(model: nn.Module, enabled: bool = True):
    """While this lasts, every MMPose head in ``model`` returns fp32.

    Under CPU autocast a head's layers compute in bfloat16, and so would
    its output; MMPose's heads then hand that output to numpy (decoding in
    ``predict``, the training accuracy in ``loss``), which has no bfloat16.
    Casting the output keeps the heads' layers in bf16 and gives the
    losses and the decoders fp32. ``head.predict`` and ``head.loss`` call
    ``self.forward`` directly (a forward hook would not see it), so each
    head's instance ``forward`` is wrapped and restored afterwards.
    """
    heads = [m for m in model.modules()
             if isinstance(m, BaseHead)] if enabled else []
    for head in heads:
        plain = head.forward
        head.forward = lambda *a, _plain=plain, **k: _as_fp32(_plain(*a, **k))
    try:
        yield
    finally:
        for head in heads:
            del head.forward
