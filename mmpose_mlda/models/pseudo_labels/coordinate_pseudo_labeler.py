"""Teacher keypoints as the student head's own targets (any top-down head:
heatmap, SimCC / RTMPose, regression / RLE).

The way MMDetection's semi-supervised detectors move pseudo boxes between
views: the teacher's weak-view prediction is decoded by its head's own
codec (keypoints in input pixels and a score per keypoint), the keypoints
are mapped into the student's strong view with the recorded view affines
(a flip also permutes the joints), encoded with the student head's codec
and scored with the student head's own loss, weighted per keypoint by the
confidence threshold.
"""
from typing import List, Tuple

import numpy as np
import torch
from mmengine.structures import InstanceData, PixelData
from mmpose.registry import TASK_UTILS
from mmpose.utils.typing import SampleList
from torch import Tensor

from ..utils import joint_order_index
from .consistency_frames import view_metainfo
from .labels import PseudoLabels
from .pseudo_labeler import PseudoLabeler, StudentPrediction

#: codec outputs that MMPose's PackPoseInputs puts in ``gt_fields``
_FIELD_KEYS = ('heatmaps', )


def map_keypoints(keypoints: Tensor, transform: Tensor) -> Tensor:
    """(B, K, 2) points through (B, 3, 3) affines."""
    ones = torch.ones_like(keypoints[..., :1])
    return (torch.cat([keypoints, ones], -1)
            @ transform.transpose(1, 2).to(keypoints))[..., :2]


@TASK_UTILS.register_module()
class CoordinatePseudoLabeler(PseudoLabeler):
    """Pseudo labels in coordinate space, for any head with a codec.

    The frame is the teacher's first weak view; further weak views
    (``target_weak_1``, ...) are mapped into it and averaged (keypoints and
    scores). No arguments: the teacher's and the student's heads bring their
    own codecs and loss.
    """

    def __init__(self) -> None:
        self.frame = TASK_UTILS.build(dict(type='WeakViewFrame'))

    def from_teacher(self, teacher, inputs: List[Tensor],
                     samples: List[SampleList],
                     input_hw: Tuple[int, int]) -> PseudoLabels:
        """Decode the teacher's prediction of each weak view (its head's
        ``predict``, no flip test) into frame keypoints and scores."""
        keypoints, scores = [], []
        for view_inputs, view_samples in zip(inputs, samples):
            preds = teacher.head.predict(
                teacher.extract_feat(view_inputs), view_samples,
                test_cfg=dict(flip_test=False))
            if isinstance(preds, tuple):  # (instances, fields)
                preds = preds[0]
            xy = torch.as_tensor(
                np.stack([p.keypoints[0] for p in preds]),
                dtype=view_inputs.dtype, device=view_inputs.device)
            score = torch.as_tensor(
                np.stack([p.keypoint_scores[0] for p in preds]),
                dtype=view_inputs.dtype, device=view_inputs.device)
            if keypoints:  # into the first view's frame and joint order
                to_frame = self.frame.frame_to_input(samples[0],
                                                     [view_samples], xy)
                index = joint_order_index(
                    view_metainfo(view_samples, 'view_joint_order'),
                    view_metainfo(samples[0], 'view_joint_order'))
                xy, score = map_keypoints(xy, to_frame), score
                if index is not None:
                    rows = torch.arange(xy.shape[0])[:, None]
                    xy, score = xy[rows, index], score[rows, index]
            keypoints.append(xy)
            scores.append(score)
        return PseudoLabels(
            keypoints=torch.stack(keypoints).mean(0),
            confidence=torch.stack(scores).mean(0),
            frame=self.frame, teacher_samples=samples)

    def to_view(self, pseudo: PseudoLabels, samples: SampleList,
                keypoint_weights: Tensor) -> Tuple[Tensor, Tensor]:
        """Pseudo keypoints (B, K, 2) and weights (B, K) in the input pixels
        and joint order of the view ``samples``."""
        transform = self.frame.frame_to_input(samples, pseudo.teacher_samples,
                                              pseudo.keypoints)
        xy = map_keypoints(pseudo.keypoints, transform)
        index = joint_order_index(
            view_metainfo(pseudo.teacher_samples[0], 'view_joint_order'),
            view_metainfo(samples, 'view_joint_order'))
        if index is not None:
            rows = torch.arange(xy.shape[0])[:, None]
            xy, keypoint_weights = xy[rows, index], keypoint_weights[rows,
                                                                     index]
        return xy, keypoint_weights

    def targets(self, head, xy: Tensor, keypoint_weights: Tensor,
                samples: SampleList) -> SampleList:
        """The view's samples with the head codec's encoding of ``xy`` as
        their labels (as ``GenerateTarget`` + ``PackPoseInputs`` would
        pack them), keypoint weights multiplied by ``keypoint_weights``."""
        out = []
        points = xy.detach().cpu().numpy()
        weights = keypoint_weights.detach().cpu().numpy()
        for sample, kpts, weight in zip(samples, points, weights):
            encoded = head.decoder.encode(kpts[None],
                                          np.ones((1, kpts.shape[0])))
            sample = sample.clone()
            labels, fields = InstanceData(), PixelData()
            for key, value in encoded.items():
                value = torch.as_tensor(value, device=xy.device)
                if key == 'keypoint_weights':
                    value = value * torch.as_tensor(weight[None],
                                                    device=xy.device)
                if key in _FIELD_KEYS:
                    fields.set_field(value.float(), key)
                else:
                    labels.set_field(value.float(), key)
            sample.gt_instance_labels = labels
            sample.gt_fields = fields
            out.append(sample)
        return out

    def loss(self, student: StudentPrediction, pseudo: PseudoLabels,
             keypoint_weights: Tensor) -> Tuple[Tensor, None]:
        """The student head's own loss on the strong view against the
        encoded pseudo keypoints."""
        xy, weights = self.to_view(pseudo, student.samples, keypoint_weights)
        losses = student.head.loss(
            student.feats,
            self.targets(student.head, xy, weights, student.samples))
        return losses['loss_kpt'], None
