"""Mean-teacher domain-adaptive top-down pose estimator.

One training iteration, as :meth:`MeanTeacherPoseEstimator.loss` runs it:

1. source branch: student heatmaps on labelled source crops -> supervised MSE;
2. teacher (EMA of the student, frozen, eval mode) on the WEAK target view
   -> pseudo heatmaps and per-keypoint confidences (peak values);
3. student on the STRONG target view, with patches over keypoints the
   teacher is confident about ("occluded" keypoints the student must infer);
4. student heatmaps warped back into the weak view's frame (inverse of the
   view-to-view affine; flips also swap left/right channels);
5. consistency MSE against the pseudo heatmaps, only for keypoints whose
   teacher confidence exceeds a threshold (random per iteration, a batch
   quantile, or fixed), and only where the warped student view has pixels;
6. optional feature-level alignment: a domain discriminator behind gradient
   reversal on student features of the source and strong target views;
7. optional pose-level alignment: information maximisation on the student's
   target heatmaps.

Image-level alignment (style transfer of the source batch) happens before,
in ``DomainAdaptationDataPreprocessor``.

The optimizer step follows in the runner; ``MeanTeacherHook`` then updates
the teacher. Inference (``predict``) uses the teacher unless ``predict_on``
says otherwise. Tensor shapes: B batch, K keypoints, (H, W) input, (h, w)
heatmaps.
"""
import copy
from typing import Dict, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.dist import all_reduce
from mmengine.logging import MessageHub
from mmengine.model import BaseModel, ExponentialMovingAverage
from mmpose.models.heads import HeatmapHead
from mmpose.registry import MODELS
from mmpose.utils.typing import ConfigType, OptConfigType, SampleList
from torch import Tensor

from ..utils import (heatmap_peaks, heatmap_view_transform, match_joint_order,
                     occlude_points, render_gaussians, warp_heatmaps)

_DEFAULT_CONSISTENCY_LOSS = dict(
    type='KeypointMSELoss', use_target_weight=True, loss_weight=1.0)
_DEFAULT_THRESHOLD = dict(type='random', low=0.0, high=1.0)
_DEFAULT_OCCLUSION = dict(prob=0.5, min_confidence=0.9, patch_ratio=0.12)


@MODELS.register_module()
class MeanTeacherPoseEstimator(BaseModel):
    """A student and its EMA teacher built from any MMPose top-down
    heatmap model config.

    Args:
        pose_model (dict): an MMPose ``TopdownPoseEstimator`` config whose
            head is a ``HeatmapHead`` (SimpleBaseline ResNet-18/50/101,
            HRNet, ...). Its ``test_cfg`` drives prediction.
        data_preprocessor (dict, optional): defaults to the pose model's
            own ``data_preprocessor`` (its normalisation) as a
            ``DomainAdaptationDataPreprocessor``, so an MMPose model config
            can be wrapped unchanged; a dict without ``type`` adds to it
            (e.g. ``dict(style_transfer=...)``).
        teacher_decay (float): EMA decay of the teacher (paper: 0.999). The
            teacher is MMEngine's ``ExponentialMovingAverage`` with
            ``momentum = 1 - teacher_decay`` (its momentum weighs the NEW
            value) and ``update_buffers=True``: the teacher's BatchNorm
            running statistics are the EMA of the student's, so the teacher
            (always in eval mode) normalises with statistics averaged over
            both domains and over time, matching its weights.
        consistency_loss (dict): loss between warped student heatmaps and
            pseudo heatmaps; called as ``loss(pred, target, keypoint_weights,
            mask)`` (MMPose's ``KeypointMSELoss``).
        consistency_threshold (dict): which keypoints the consistency loss
            uses, from the teacher's peak value per keypoint:
            ``type='random', low, high``: threshold ~ U(low, high) per
            iteration (paper);
            ``type='quantile', q``: the q-quantile of the batch's teacher
            peaks, q=0.5 is UDAPE's batch median;
            ``type='fixed', value``.
        rerender_pseudo_heatmaps (bool): replace each teacher heatmap by a
            Gaussian at its argmax (UDAPE), with the codec's sigma.
        occlusion (dict, optional): ``prob`` of covering each keypoint whose
            teacher confidence exceeds ``min_confidence`` in the student's
            strong view, with a square of side ``patch_ratio`` x input size.
            ``None`` disables it.
        adversarial_loss (dict, optional): feature-level alignment, a
            ``DomainAdversarialLoss`` (discriminator behind gradient
            reversal; paper weight 0.1). ``None`` disables it.
        adversarial_input (str): the student features it sees: 'backbone'
            (the encoder's last feature map; paper) or 'head' (the deconv
            head's features before the final layer; the authors' code).
        im_loss (dict, optional): pose-level alignment, an
            ``InformationMaximizationLoss`` on the student's target heatmaps
            (paper weight 0.3). ``None`` disables it.
        predict_on (str): 'teacher' (default, what test and inference use)
            or 'student'.
    """

    def __init__(self,
                 pose_model: ConfigType,
                 data_preprocessor: OptConfigType = None,
                 teacher_decay: float = 0.999,
                 consistency_loss: ConfigType = _DEFAULT_CONSISTENCY_LOSS,
                 consistency_threshold: ConfigType = _DEFAULT_THRESHOLD,
                 rerender_pseudo_heatmaps: bool = False,
                 occlusion: OptConfigType = _DEFAULT_OCCLUSION,
                 adversarial_loss: OptConfigType = None,
                 adversarial_input: str = 'backbone',
                 im_loss: OptConfigType = None,
                 predict_on: str = 'teacher',
                 init_cfg: OptConfigType = None) -> None:
        pose_model = copy.deepcopy(pose_model)
        own_preprocessor = pose_model.pop('data_preprocessor', None)
        if own_preprocessor is not None and (
                data_preprocessor is None or 'type' not in data_preprocessor):
            data_preprocessor = dict(
                own_preprocessor,
                type='DomainAdaptationDataPreprocessor',
                **(data_preprocessor or {}))
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.student = MODELS.build(pose_model)
        if not isinstance(getattr(self.student, 'head', None), HeatmapHead):
            raise TypeError(
                'MeanTeacherPoseEstimator needs a top-down model with a '
                'HeatmapHead (SimpleBaseline, HRNet, ...); got head '
                f'{type(getattr(self.student, "head", None)).__name__} in '
                'model.pose_model.head.')
        if not 0.0 < teacher_decay < 1.0:
            raise ValueError(f'teacher_decay must be in (0, 1), got '
                             f'{teacher_decay}')
        self.teacher = ExponentialMovingAverage(
            self.student, momentum=1.0 - teacher_decay, update_buffers=True)
        self.consistency_loss = MODELS.build(consistency_loss)
        self.consistency_threshold = dict(consistency_threshold)
        if self.consistency_threshold['type'] not in ('random', 'quantile',
                                                      'fixed'):
            raise ValueError(
                'consistency_threshold.type must be random, quantile or '
                f'fixed, got {self.consistency_threshold["type"]!r}')
        self.rerender_pseudo_heatmaps = rerender_pseudo_heatmaps
        self.occlusion = occlusion
        self.adversarial_loss = MODELS.build(
            adversarial_loss) if adversarial_loss else None
        if adversarial_input not in ('backbone', 'head'):
            raise ValueError("adversarial_input must be 'backbone' or 'head', "
                             f'got {adversarial_input!r}')
        self.adversarial_input = adversarial_input
        self.im_loss = MODELS.build(im_loss) if im_loss else None
        if predict_on not in ('teacher', 'student'):
            raise ValueError(
                f"predict_on must be 'teacher' or 'student', got {predict_on!r}")
        self.predict_on = predict_on
        # Set by AdaptationTrainLoop every iteration: False during the
        # source-only burn-in. Without that loop, adaptation runs from
        # the first iteration.
        self.adapting = True

    # ------------------------------------------------------------------ train
    def loss(self, inputs: Dict[str, Tensor],
             data_samples: Dict[str, SampleList]) -> Dict[str, Tensor]:
        """All training losses of one iteration (see the module docstring).

        Args:
            inputs (dict): ``source`` (B_s, 3, H, W), ``target_weak`` and
                ``target_strong`` (B_t, 3, H, W), from the preprocessor.
            data_samples (dict): the matching ``PoseDataSample`` lists;
                target samples carry ``view_affine``/``view_joint_order``
                metainfo and their labels are never read.
        """
        losses = dict()
        source_feats = self.student.extract_feat(inputs['source'])
        source_heatmaps, source_head_feats = self._student_head(source_feats)
        losses.update(
            self._supervised_loss(source_heatmaps, data_samples['source']))
        if not self.adapting:
            if self.adversarial_loss is not None:
                # keep the discriminator in the graph (DDP needs every
                # parameter used in every iteration)
                losses['target.loss_adversarial'] = sum(
                    p.sum() for p in self.adversarial_loss.parameters()) * 0.
            return losses

        weak_samples = data_samples['target_weak']
        strong_samples = data_samples['target_strong']
        with torch.no_grad():
            teacher_heatmaps = self.teacher.module.head.forward(
                self.teacher.module.extract_feat(inputs['target_weak']))
        teacher_xy, teacher_confidence = heatmap_peaks(teacher_heatmaps)

        strong_inputs = inputs['target_strong']
        if self.occlusion is not None:
            strong_inputs = self._occlude_confident_keypoints(
                strong_inputs, teacher_xy, teacher_confidence, weak_samples,
                strong_samples, teacher_heatmaps.shape[-2:])
        student_feats = self.student.extract_feat(strong_inputs)
        student_heatmaps, student_head_feats = self._student_head(
            student_feats)

        warped_heatmaps, inside_view = self._to_weak_view(
            student_heatmaps, weak_samples, strong_samples,
            input_hw=strong_inputs.shape[-2:])
        pseudo_heatmaps = teacher_heatmaps
        if self.rerender_pseudo_heatmaps:
            h, w = teacher_heatmaps.shape[-2:]
            pseudo_heatmaps = render_gaussians(teacher_xy, (w, h),
                                               self._codec_sigma())
        threshold = self._threshold(teacher_confidence)
        keypoint_weights = (teacher_confidence > threshold).float()
        losses['target.loss_consistency'] = self.consistency_loss(
            warped_heatmaps, pseudo_heatmaps, keypoint_weights, inside_view)
        losses['target.consistency_threshold'] = threshold.detach()
        losses['target.confident_ratio'] = keypoint_weights.mean()

        if self.adversarial_loss is not None:
            if self.adversarial_input == 'backbone':
                pair = (source_feats[-1], student_feats[-1])
            else:
                pair = (source_head_feats, student_head_feats)
            (losses['target.loss_adversarial'],
             losses['target.domain_accuracy']) = self.adversarial_loss(*pair)
        if self.im_loss is not None:
            losses['target.loss_im'] = self.im_loss(student_heatmaps)
        return losses

    def _student_head(self, feats: Tuple[Tensor]) -> Tuple[Tensor, Tensor]:
        """``HeatmapHead.forward`` split in two: returns the heatmaps
        (B, K, h, w) and the deconv features before the final 1x1 layer
        (B, C, h, w), which head-level feature alignment needs."""
        head = self.student.head
        features = head.conv_layers(head.deconv_layers(feats[-1]))
        return head.final_layer(features), features

    def _supervised_loss(self, heatmaps: Tensor,
                         samples: SampleList) -> Dict[str, Tensor]:
        """The student head's own loss on source heatmaps (B_s, K, h, w),
        computed from features already extracted (so later alignment
        levels can reuse them)."""
        gt_heatmaps = torch.stack([d.gt_fields.heatmaps for d in samples])
        keypoint_weights = torch.cat(
            [d.gt_instance_labels.keypoint_weights for d in samples])
        loss = self.student.head.loss_module(heatmaps, gt_heatmaps,
                                             keypoint_weights)
        return {'source.loss_kpt': loss}

    @staticmethod
    def _to_weak_view(heatmaps: Tensor, weak_samples: SampleList,
                      strong_samples: SampleList,
                      input_hw: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
        """Strong-view heatmaps (B, K, h, w) -> the weak view's frame and
        joint order; also returns the (B, 1, h, w) inside-view mask."""
        weak_affine, weak_order = _view_geometry(weak_samples, heatmaps)
        strong_affine, strong_order = _view_geometry(strong_samples, heatmaps)
        h, w = heatmaps.shape[-2:]
        strong_to_weak = heatmap_view_transform(
            strong_affine, weak_affine, (input_hw[1], input_hw[0]), (w, h))
        warped, inside = warp_heatmaps(heatmaps, strong_to_weak)
        return match_joint_order(warped, strong_order, weak_order), inside

    def _occlude_confident_keypoints(self, strong_inputs: Tensor,
                                     teacher_xy: Tensor,
                                     teacher_confidence: Tensor,
                                     weak_samples: SampleList,
                                     strong_samples: SampleList,
                                     heatmap_hw: Tuple[int, int]) -> Tensor:
        """Cover keypoints the teacher is sure of in the strong view, so the
        student must infer them from context. No target labels are used:
        positions come from the teacher's weak-view peaks (B, K, 2)."""
        cfg = self.occlusion
        input_h, input_w = strong_inputs.shape[-2:]
        weak_affine, _ = _view_geometry(weak_samples, strong_inputs)
        strong_affine, _ = _view_geometry(strong_samples, strong_inputs)
        weak_to_strong = strong_affine @ torch.linalg.inv(weak_affine)
        stride = teacher_xy.new_tensor(
            [input_w / heatmap_hw[1], input_h / heatmap_hw[0]])
        weak_xy = teacher_xy * stride
        ones = torch.ones_like(weak_xy[..., :1])
        strong_xy = (torch.cat([weak_xy, ones], -1)
                     @ weak_to_strong.transpose(1, 2))[..., :2]
        selected = (teacher_confidence > cfg['min_confidence']) & (
            torch.rand_like(teacher_confidence) < cfg['prob'])
        shift = tuple(
            int(torch.randint(size // 4, 3 * size // 4 + 1, ()).item())
            for size in (input_h, input_w))
        return occlude_points(strong_inputs, strong_xy, selected,
                              cfg['patch_ratio'] * min(input_h, input_w) / 2,
                              shift)

    def _threshold(self, teacher_confidence: Tensor) -> Tensor:
        """Scalar confidence threshold for this iteration."""
        cfg = self.consistency_threshold
        if cfg['type'] == 'random':
            return torch.empty((), device=teacher_confidence.device).uniform_(
                cfg.get('low', 0.0), cfg.get('high', 1.0))
        if cfg['type'] == 'quantile':
            return torch.quantile(teacher_confidence.detach().flatten(),
                                  cfg.get('q', 0.5))
        return teacher_confidence.new_tensor(cfg['value'])

    def _codec_sigma(self) -> float:
        return float(getattr(self.student.head.decoder, 'sigma', 2.0))

    def parse_losses(self, losses: Dict[str, Tensor]):
        """MMEngine's loss parsing, plus a stop on a non-finite total loss.

        The check runs before the optimizer step, so a bad iteration never
        reaches the weights or any checkpoint. All ranks take the same
        decision (one all-reduce), so none is left waiting in backward.
        """
        loss, log_vars = super().parse_losses(losses)
        bad = (~torch.isfinite(loss.detach())).float().reshape(1)
        all_reduce(bad, op='sum')
        if bad.item() > 0:
            iteration = MessageHub.get_current_instance().get_info('iter')
            values = ', '.join(f'{k}={float(v.detach()):.4g}'
                               for k, v in log_vars.items())
            raise FloatingPointError(
                f'Non-finite loss at iteration {iteration} ({values}). '
                'Training stopped before the optimizer step: the weights and '
                'the checkpoints already in the work dir are unchanged. Lower '
                'the learning rate or loss weights, or check this '
                "iteration's data, then continue with --resume.")
        return loss, log_vars

    # ---------------------------------------------------------- teacher state
    def reset_teacher(self) -> None:
        """Make the teacher an exact copy of the student (weights and BN
        statistics); later EMA updates start from it."""
        self.teacher.module.load_state_dict(self.student.state_dict())
        self.teacher.steps.fill_(1)

    def init_weights(self) -> None:
        super().init_weights()
        self.reset_teacher()

    def train(self, mode: bool = True) -> 'MeanTeacherPoseEstimator':
        """The runner calls ``model.train()`` every iteration; the teacher
        stays in eval mode (fixed BN statistics, no dropout)."""
        super().train(mode)
        self.teacher.eval()
        return self

    # ---------------------------------------------------------------- predict
    def predict(self, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """MMPose prediction with the teacher (or the student, see
        ``predict_on``)."""
        return self.predictor(self.predict_on).predict(inputs, data_samples)

    def predictor(self, role: str) -> BaseModel:
        """The plain MMPose estimator playing ``role`` ('teacher' or
        'student')."""
        return self.teacher.module if role == 'teacher' else self.student

    def forward(self,
                inputs: Union[Tensor, Dict[str, Tensor]],
                data_samples: Optional[Union[SampleList, Dict]] = None,
                mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.predictor(self.predict_on)._forward(inputs)
        raise RuntimeError(f'Invalid mode "{mode}": use loss, predict or '
                           'tensor.')

    # ------------------------------------------------------------ checkpoints
    def _load_from_state_dict(self, state_dict: dict, prefix: str,
                              local_metadata: dict, strict: bool,
                              missing_keys: List[str],
                              unexpected_keys: List[str],
                              error_msgs: List[str]) -> None:
        """Also accept a plain MMPose top-down checkpoint (e.g. the
        source-only stage): its weights go into BOTH student and teacher."""
        ours = [
            k for k in state_dict
            if k.startswith((prefix + 'student.', prefix + 'teacher.'))
        ]
        if not ours:
            plain = {
                k[len(prefix):]: state_dict.pop(k)
                for k in list(state_dict) if k.startswith(prefix)
            }
            student_keys = set(self.student.state_dict())
            if not student_keys & set(plain):
                example = next(iter(plain), '<no keys>')
                raise KeyError(
                    'Checkpoint fits neither this adaptation model nor its '
                    f'pose model: none of its {len(plain)} keys (e.g. '
                    f'"{example}") is a student/teacher key or a key of the '
                    f'configured pose model (e.g. "{next(iter(student_keys))}'
                    '"). Check load_from/--resume points at a checkpoint of '
                    'the same architecture (model.pose_model).')
            for key, value in plain.items():
                state_dict[prefix + 'student.' + key] = value
                state_dict[prefix + 'teacher.module.' + key] = value
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)


def _view_geometry(samples: SampleList,
                   like: Tensor) -> Tuple[Tensor, Tensor]:
    """Stack ``view_affine`` (B, 3, 3) and ``view_joint_order`` (B, K)."""
    try:
        affine = np.stack([s.metainfo['view_affine'] for s in samples])
        order = np.stack([s.metainfo['view_joint_order'] for s in samples])
    except KeyError as error:
        raise KeyError(
            f'Target view has no {error} in its metainfo: add '
            'RecordViewGeometry after TopdownAffine in each target branch '
            "and 'view_affine', 'view_joint_order' to PackPoseInputs "
            'meta_keys.') from None
    return (torch.as_tensor(affine, dtype=like.dtype, device=like.device),
            torch.as_tensor(order, dtype=torch.long, device=like.device))
