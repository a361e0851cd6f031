"""Adversarial domain loss: gradient reversal + domain discriminator + BCE."""
from typing import Tuple, Union

import torch
import torch.nn.functional as F
from mmpose.registry import MODELS
from torch import Tensor, nn

from ..alignment import GradientReversalLayer


@MODELS.register_module()
class DomainAdversarialLoss(nn.Module):
    """Feature-level alignment loss (paper Eq. 4-5, DANN-style).

    Source and target features are concatenated, passed through a
    :class:`GradientReversalLayer` and a domain discriminator, and scored
    with binary cross-entropy on the logits, domain label 0 for source and
    1 for target (as in the paper)::

        logits = D(GRL([f_s; f_t]))            # (Ns+Nt, 1) or (Ns+Nt, 1, H, W)
        loss   = loss_weight * mean(BCEWithLogits(logits, [0]*Ns + [1]*Nt))

    With ``reduction='mean'`` the mean runs over all samples of both
    domains (and all pixels for a per-pixel discriminator), so with unequal
    batch shares the larger domain weighs more. ``reduction='per_domain'``
    is the authors' code: each domain's mean BCE is weighted separately and
    the two are added, ``loss_weight * (BCE_s + BCE_t)`` (twice the
    ``'mean'`` value with equal shares). One backward pass trains the discriminator to
    separate the domains and, through the reversed gradient, the feature
    extractor to confuse it: the features receive ``-coeff * dL/df``.

    The two inputs go through the discriminator in one batch, so its
    BatchNorm (if any) sees both domains together; they must therefore
    share their (C, H, W) shape.

    Args:
        discriminator (dict | nn.Module): config (built from MMPose's
            ``MODELS``) or module, e.g.
            ``dict(type='FeatureDomainDiscriminator', in_channels=2048)``.
        loss_weight (float): weight of the loss (paper lambda: 0.1).
        coeff (float): initial reversal coefficient; ``GRLCoefficientHook``
            overwrites it every iteration when configured. Defaults to 1.0
            (the authors' fixed value).
        reduction (str): ``'mean'`` or ``'per_domain'`` (see above).

    Shape:
        source_feats: ``(Ns, C, H, W)``; target_feats: ``(Nt, C, H, W)``.
        Returns ``(loss, accuracy)``, two scalars; ``accuracy`` is the
        detached fraction of samples (pixels) whose domain the
        discriminator predicts correctly (logit > 0 means target).
    """

    def __init__(self,
                 discriminator: Union[dict, nn.Module],
                 loss_weight: float = 0.1,
                 coeff: float = 1.0,
                 reduction: str = 'mean') -> None:
        super().__init__()
        if reduction not in ('mean', 'per_domain'):
            raise ValueError("DomainAdversarialLoss: reduction must be 'mean' "
                             f"or 'per_domain', got {reduction!r}.")
        self.reduction = reduction
        if isinstance(discriminator, dict):
            discriminator = MODELS.build(discriminator)
        self.discriminator = discriminator
        self.grl = GradientReversalLayer(coeff)
        self.loss_weight = loss_weight

    @property
    def coeff(self) -> float:
        """The gradient reversal coefficient (forwarded to ``self.grl``)."""
        return self.grl.coeff

    @coeff.setter
    def coeff(self, value: float) -> None:
        self.grl.coeff = float(value)

    def forward(self, source_feats: Tensor,
                target_feats: Tensor) -> Tuple[Tensor, Tensor]:
        if source_feats.shape[1:] != target_feats.shape[1:]:
            raise ValueError(
                'source and target features must share their (C, H, W) '
                f'shape, got {tuple(source_feats.shape)} and '
                f'{tuple(target_feats.shape)}.')
        num_source = source_feats.shape[0]
        feats = torch.cat([source_feats, target_feats])
        logits = self.discriminator(self.grl(feats)).float()
        labels = torch.zeros_like(logits)
        labels[num_source:] = 1.0
        if self.reduction == 'mean':
            loss = F.binary_cross_entropy_with_logits(logits, labels)
        else:
            loss = sum(
                F.binary_cross_entropy_with_logits(part, part_labels)
                for part, part_labels in ((logits[:num_source],
                                           labels[:num_source]),
                                          (logits[num_source:],
                                           labels[num_source:])))
        with torch.no_grad():
            accuracy = ((logits > 0).float() == labels).float().mean()
        return loss * self.loss_weight, accuracy
