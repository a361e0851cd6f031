"""MMPose's ``MSRAHeatmap`` with a choice of when a joint counts."""
from typing import Optional

import numpy as np
from mmpose.codecs import MSRAHeatmap
from mmpose.registry import KEYPOINT_CODECS


@KEYPOINT_CODECS.register_module()
class ValidityMSRAHeatmap(MSRAHeatmap):
    """``MSRAHeatmap`` whose joints count by one of two rules.

    ``validity='window'`` (MMPose's rule, what ``MSRAHeatmap`` does): a
    joint is dropped (weight 0, empty heatmap) only when its whole 3-sigma
    Gaussian window lies outside the heatmap. ``validity='centre'`` (the
    UDAPE / MLDA authors' ``generate_target``): it is dropped when the
    Gaussian's centre, ``int(x / stride + 0.5)`` per axis, falls outside
    ``[0, W) x [0, H)``; a joint just past the right or bottom edge then
    counts neither in the loss weights nor, through the empty ground-truth
    heatmap, in the heatmap PCK. Used in both the training and the
    validation pipelines' ``GenerateTarget`` of the authors' presets.

    Args:
        validity (str): ``'window'`` or ``'centre'``.
        **kwargs: ``MSRAHeatmap`` arguments (``unbiased`` must stay False:
            the authors' targets are the biased ones).
    """

    def __init__(self, validity: str = 'window', **kwargs) -> None:
        super().__init__(**kwargs)
        if validity not in ('window', 'centre'):
            raise ValueError("ValidityMSRAHeatmap: validity must be 'window' "
                             f"or 'centre', got {validity!r}.")
        if validity == 'centre' and self.unbiased:
            raise ValueError("ValidityMSRAHeatmap: validity='centre' is the "
                             'authors\' rule for biased targets; set '
                             'unbiased=False.')
        self.validity = validity

    def encode(self, keypoints: np.ndarray,
               keypoints_visible: Optional[np.ndarray] = None) -> dict:
        encoded = super().encode(keypoints, keypoints_visible)
        if self.validity == 'window':
            return encoded
        # as their int(): truncation towards zero, after the half shift
        centre = np.trunc(keypoints[0] / self.scale_factor + 0.5)
        width, height = self.heatmap_size
        outside = (centre[:, 0] < 0) | (centre[:, 0] >= width) | \
            (centre[:, 1] < 0) | (centre[:, 1] >= height)
        encoded['keypoint_weights'][0, outside] = 0
        encoded['heatmaps'][outside] = 0
        return encoded
