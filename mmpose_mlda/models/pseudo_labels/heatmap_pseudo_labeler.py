"""Teacher heatmaps as targets for the student's heatmaps (the paper's
route, for ``HeatmapHead`` models)."""
from typing import List, Optional, Tuple

from mmpose.registry import MODELS, TASK_UTILS
from mmpose.utils.typing import SampleList
from torch import Tensor

from mmpose_mlda.evaluation.metrics.heatmap_pck import heatmap_argmax
from mmpose_mlda.utils import check_number
from ..utils import heatmap_peaks, render_gaussians
from .labels import PseudoLabels
from .pseudo_labeler import PseudoLabeler, StudentPrediction

_MSE = dict(type='KeypointMSELoss', use_target_weight=True, loss_weight=1.0)


@TASK_UTILS.register_module()
class HeatmapPseudoLabeler(PseudoLabeler):
    """Heatmap consistency between teacher and student in a frame.

    The teacher's heatmaps of its weak view(s) are brought into the
    consistency ``frame``; each keypoint's confidence is its peak value there.
    The student's strong-view heatmaps are brought into the same frame and
    compared with ``loss`` (MSE), weighted per keypoint by the threshold
    mask, and by the frame's coverage mask where it has one.

    Needs a ``HeatmapHead`` (``needs_heatmaps``).

    Args:
        frame (dict): ``WeakViewFrame`` (default) or ``ReferenceFrame``.
        rerender (bool): replace each teacher heatmap by a Gaussian (peak
            1, the student codec's sigma) at its argmax (UDAPE and the
            authors' ``rectify``; an argmax of a heatmap whose maximum is not
            positive is (0, 0), as theirs).
        truncation (float, optional): with ``rerender``, zero the Gaussian
            beyond this many sigmas (the authors': 3). ``None`` keeps it
            whole.
        loss (dict): called as ``loss(pred, target, keypoint_weights,
            mask)``; defaults to MMPose's ``KeypointMSELoss``.
    """

    needs_heatmaps = True

    def __init__(self,
                 frame: dict = dict(type='WeakViewFrame'),
                 rerender: bool = False,
                 truncation: Optional[float] = None,
                 loss: dict = _MSE) -> None:
        self.frame = TASK_UTILS.build(frame)
        if not isinstance(rerender, bool):
            raise ValueError('HeatmapPseudoLabeler: rerender must be True or '
                             f'False, got {rerender!r}.')
        self.rerender = rerender
        self.truncation = None if truncation is None else check_number(
            'HeatmapPseudoLabeler', 'truncation', truncation, 0, 100,
            low_open=True)
        self.loss_module = MODELS.build(loss)

    def from_teacher(self, teacher, inputs: List[Tensor],
                     samples: List[SampleList],
                     input_hw: Tuple[int, int]) -> PseudoLabels:
        """Pseudo labels from the teacher's (B, K, h, w) heatmaps of each
        weak view (``inputs``, one (B, 3, H, W) tensor per view)."""
        heatmaps = [
            teacher.head.forward(teacher.extract_feat(x)) for x in inputs
        ]
        frame_heatmaps = self.frame.teacher_heatmaps(heatmaps, samples,
                                                     input_hw)
        xy, confidence = heatmap_peaks(frame_heatmaps)
        h, w = frame_heatmaps.shape[-2:]
        stride = xy.new_tensor([input_hw[1] / w, input_hw[0] / h])
        return PseudoLabels(keypoints=xy * stride, confidence=confidence,
                            frame=self.frame, teacher_samples=samples,
                            heatmaps=frame_heatmaps)

    def loss(self, student: StudentPrediction, pseudo: PseudoLabels,
             keypoint_weights: Tensor) -> Tuple[Tensor, Tensor]:
        """Consistency loss of the student's strong-view heatmaps
        (B, K, h, w); also returns them in the frame (for IM on the
        warped heatmaps, as the authors)."""
        in_frame, mask = self.frame.student_heatmaps(
            student.heatmaps, student.samples, pseudo.teacher_samples,
            student.input_hw)
        target = pseudo.heatmaps
        if self.rerender:
            h, w = target.shape[-2:]
            target = render_gaussians(
                heatmap_argmax(target).to(target.dtype), (w, h),
                float(getattr(student.head.decoder, 'sigma', 2.0)),
                self.truncation)
        return self.loss_module(in_frame, target, keypoint_weights,
                                mask), in_frame
