"""Gradient reversal layer (Ganin & Lempitsky, 2015) for adversarial
feature alignment.

Placed between a feature extractor and a domain discriminator, it lets one
optimizer step solve the max-min problem: the discriminator descends the
domain-classification loss while the features receive the reversed
(negated, scaled) gradient, so they ascend it and become domain-invariant.
"""
from typing import Tuple

import torch
from mmpose.registry import MODELS
from torch import Tensor, nn


class GradientReversalFunction(torch.autograd.Function):
    """Identity in the forward pass; ``-coeff * grad`` in the backward pass.

    ``GradientReversalFunction.apply(x, coeff)`` with ``x`` of any shape.
    ``coeff`` is a Python float and receives no gradient.
    """

    @staticmethod
    def forward(ctx, x: Tensor, coeff: float = 1.0) -> Tensor:
        ctx.coeff = float(coeff)
        # a view, not ``x`` itself: autograd needs a new tensor to attach
        # this node's backward to
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad_output: Tensor) -> Tuple[Tensor, None]:
        return grad_output * (-ctx.coeff), None


@MODELS.register_module()
class GradientReversalLayer(nn.Module):
    """Module wrapper of :class:`GradientReversalFunction`.

    Args:
        coeff (float): the reversal coefficient (lambda). The backward pass
            multiplies the incoming gradient by ``-coeff``. It is a plain
            attribute, not a parameter or buffer, and the layer keeps no
            step counter: schedules are set from outside by
            ``GRLCoefficientHook`` from ``runner.iter``, so they survive
            resuming. Defaults to 1.0.

    Shape:
        input: any shape; output: the same tensor values.
    """

    def __init__(self, coeff: float = 1.0) -> None:
        super().__init__()
        self.coeff = float(coeff)

    def forward(self, x: Tensor) -> Tensor:
        return GradientReversalFunction.apply(x, self.coeff)

    def extra_repr(self) -> str:
        return f'coeff={self.coeff}'
