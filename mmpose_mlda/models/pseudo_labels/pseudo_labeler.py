"""The contract between the mean teacher and a pseudo labeler."""
from dataclasses import dataclass
from typing import List, Optional, Tuple

from mmpose.utils.typing import SampleList
from torch import Tensor, nn

from .labels import PseudoLabels


@dataclass
class StudentPrediction:
    """The student's prediction on its strong target view, as the
    consistency loss needs it.

    Attributes:
        head: the student's head (its codec, loss and ``decoder``).
        feats (tuple[Tensor]): the student's features of the view (what
            ``head.loss`` takes).
        heatmaps (Tensor, optional): (B, K, h, w) the head's heatmaps, for a
            ``HeatmapHead``; None for other heads.
        samples (list[PoseDataSample]): the view's samples (view geometry
            metainfo; their labels are never read).
        input_hw (tuple[int, int]): the model input's (H, W).
    """
    head: nn.Module
    feats: Tuple[Tensor, ...]
    heatmaps: Optional[Tensor]
    samples: SampleList
    input_hw: Tuple[int, int]


class PseudoLabeler:
    """How the teacher's prediction becomes the student's target.

    A pseudo labeler makes ``PseudoLabels`` from the teacher's weak
    view(s) (:meth:`from_teacher`) and scores the student's strong-view
    prediction against them (:meth:`loss`). ``needs_heatmaps`` says whether
    it works on heatmaps only (``HeatmapHead`` models); the estimator checks
    it, and that a configured labeler is a ``PseudoLabeler``, when it is
    built.
    """

    #: True when the labeler reads heatmaps (needs a ``HeatmapHead``)
    needs_heatmaps = False

    def from_teacher(self, teacher: nn.Module, inputs: List[Tensor],
                     samples: List[SampleList],
                     input_hw: Tuple[int, int]) -> PseudoLabels:
        """Pseudo labels from the teacher (a plain top-down model, called
        without gradients) on each weak view: ``inputs`` one (B, 3, H, W)
        tensor per view, ``samples`` their samples."""
        raise NotImplementedError

    def loss(self, student: StudentPrediction, pseudo: PseudoLabels,
             keypoint_weights: Tensor) -> Tuple[Tensor, Optional[Tensor]]:
        """The consistency loss of ``student`` against ``pseudo``, each
        keypoint weighted by ``keypoint_weights`` (B, K) (the confidence
        threshold's mask, in the frame's joint order); also the student's
        heatmaps in the consistency frame (B, K, h, w), or None when the
        labeler has none (the IM loss's ``im_input='frame'``)."""
        raise NotImplementedError
