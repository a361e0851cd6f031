"""What the teacher hands the student: pseudo labels in a frame."""
from dataclasses import dataclass
from typing import Any, List, Optional

from mmpose.utils.typing import SampleList
from torch import Tensor


@dataclass
class PseudoLabels:
    """The teacher's prediction for a target batch.

    Attributes:
        keypoints (Tensor): (B, K, 2) positions in the frame's input pixels
            (the weak view's, or the reference crop's).
        confidence (Tensor): (B, K) per-keypoint confidence (the heatmap
            peak, or the codec's score).
        frame: the consistency frame the positions live in; its
            ``frame_to_input(samples, teacher_samples, like)`` maps them into
            another view of the same images.
        teacher_samples (list[SampleList]): the teacher's view(s).
        heatmaps (Tensor, optional): (B, K, h, w) teacher heatmaps in the
            frame (heatmap pseudo labels only).
    """
    keypoints: Tensor
    confidence: Tensor
    frame: Any
    teacher_samples: List[SampleList]
    heatmaps: Optional[Tensor] = None
