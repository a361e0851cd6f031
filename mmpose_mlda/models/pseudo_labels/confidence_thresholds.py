"""Which teacher keypoints the consistency loss uses (strategy objects).

Each threshold maps the teacher's per-keypoint confidences (peak heatmap
values, (B, K)) to one scalar for the iteration; a keypoint is used where
its confidence is strictly above it, as in the papers' code.
"""
import torch
from mmpose.registry import TASK_UTILS
from torch import Tensor


@TASK_UTILS.register_module()
class RandomConfidenceThreshold:
    """A threshold ~ U(low, high) drawn every iteration (MLDA paper). With
    U(0, 1) a keypoint is used with probability equal to its confidence."""

    def __init__(self, low: float = 0.0, high: float = 1.0) -> None:
        if not low <= high:
            raise ValueError('RandomConfidenceThreshold: needs low <= high, '
                             f'got low={low}, high={high} '
                             '(model.consistency_threshold).')
        self.low, self.high = float(low), float(high)

    def __call__(self, confidence: Tensor) -> Tensor:
        return torch.empty((), device=confidence.device).uniform_(
            self.low, self.high)


@TASK_UTILS.register_module()
class QuantileConfidenceThreshold:
    """The ``q``-quantile of the batch's confidences, linearly interpolated
    (``q=0.5``: the batch median, UDAPE's description)."""

    def __init__(self, q: float = 0.5) -> None:
        if not 0.0 <= q <= 1.0:
            raise ValueError('QuantileConfidenceThreshold: q must be in '
                             f'[0, 1], got {q} (model.consistency_threshold).')
        self.q = float(q)

    def __call__(self, confidence: Tensor) -> Tensor:
        return torch.quantile(confidence.detach().float().flatten(), self.q)


@TASK_UTILS.register_module()
class KthValueConfidenceThreshold:
    """``torch.kthvalue`` of the flattened confidences at
    ``k = int(mask_ratio * B * K)``: the authors' ``--mask-ratio`` rule (a
    lower order statistic, not an interpolated quantile). ``k`` is at least
    1 (the authors' code fails for ``k = 0``)."""

    def __init__(self, mask_ratio: float = 0.5) -> None:
        if not 0.0 < mask_ratio < 1.0:
            raise ValueError('KthValueConfidenceThreshold: mask_ratio must '
                             f'be in (0, 1), got {mask_ratio} '
                             '(model.consistency_threshold).')
        self.mask_ratio = float(mask_ratio)

    def __call__(self, confidence: Tensor) -> Tensor:
        flat = confidence.detach().flatten()
        k = max(int(self.mask_ratio * flat.numel()), 1)
        return torch.kthvalue(flat, k).values


@TASK_UTILS.register_module()
class FixedConfidenceThreshold:
    """A constant threshold."""

    def __init__(self, value: float = 0.5) -> None:
        self.value = float(value)

    def __call__(self, confidence: Tensor) -> Tensor:
        return confidence.new_tensor(self.value)


def build_confidence_threshold(cfg: dict):
    """Build a threshold from config: any registered threshold class (the
    four above or a user's), called on the confidences (B, K)."""
    cfg = dict(cfg)
    if 'type' not in cfg:
        raise ValueError('model.consistency_threshold needs a type, e.g. '
                         "dict(type='QuantileConfidenceThreshold', q=0.5).")
    kind = cfg['type']
    if not isinstance(TASK_UTILS.get(kind) if isinstance(kind, str) else kind,
                      type):
        raise ValueError(
            f'model.consistency_threshold: {kind!r} is not a registered '
            'threshold class (those of mmpose_mlda: '
            'RandomConfidenceThreshold, QuantileConfidenceThreshold, '
            'KthValueConfidenceThreshold, FixedConfidenceThreshold).')
    return TASK_UTILS.build(cfg)
