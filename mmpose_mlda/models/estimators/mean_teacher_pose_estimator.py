"""Mean-teacher domain-adaptive top-down pose estimator.

One training iteration, as :meth:`MeanTeacherPoseEstimator.loss` runs it:

1. source branch: the student on labelled source crops -> its head's own
   supervised loss;
2. teacher (EMA of the student, no gradients) on the WEAK target view(s)
   -> pseudo labels: keypoints and confidences in a consistency frame
   (``pseudo_labeler``);
3. student on the STRONG target view, with keypoints the teacher is
   confident about covered (``occlusion``; positions from the teacher,
   never from target labels);
4. consistency loss between the student's strong-view prediction and the
   pseudo labels, for keypoints whose confidence exceeds this iteration's
   ``consistency_threshold``; the ``pseudo_labeler`` decides how the two
   meet (heatmaps warped into a frame, or the teacher's keypoints encoded
   as the student head's targets);
5. optional feature-level alignment: a domain discriminator behind gradient
   reversal on student features of the source and strong target views;
6. optional pose-level alignment: information maximisation on the student's
   target heatmaps.

Image-level alignment (style transfer of the source batch) happens before,
in ``DomainAdaptationDataPreprocessor``.

The optimizer step follows (one optimizer, or the authors' separate
student / discriminator optimizers, see :meth:`train_step`);
``MeanTeacherHook`` then updates the teacher. Inference (``predict``) uses
the teacher unless ``predict_on`` says otherwise. Tensor shapes: B batch,
K keypoints, (H, W) input, (h, w) heatmaps.
"""
import contextlib
import copy
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.model import BaseModel
from mmengine.optim import AmpOptimWrapper, OptimWrapperDict
from mmpose.models.heads import HeatmapHead
from mmpose.registry import MODELS, TASK_UTILS
from mmpose.utils.typing import ConfigType, OptConfigType, SampleList
from torch import Tensor, nn

from ..pseudo_labels import (CoordinatePseudoLabeler, KeypointOcclusion,
                             PseudoLabeler, StudentPrediction,
                             build_confidence_threshold)
from ..utils import (frozen_norm_statistics, named_step,
                     stop_on_non_finite_loss)
from .teacher_ema import TeacherEMA

_DEFAULT_PSEUDO_LABELER = dict(type='HeatmapPseudoLabeler')
_DEFAULT_THRESHOLD = dict(type='RandomConfidenceThreshold', low=0.0,
                          high=1.0)
_DEFAULT_OCCLUSION = dict(type='ConfidentKeypointOcclusion', prob=0.5,
                          min_confidence=0.9, patch_ratio=0.12)


@MODELS.register_module()
class MeanTeacherPoseEstimator(BaseModel):
    """A student and its EMA teacher built from an MMPose top-down model
    config.

    Args:
        pose_model (dict): an MMPose ``TopdownPoseEstimator`` config
            (SimpleBaseline, HRNet, ViTPose with a ``HeatmapHead``, ...).
            Its ``test_cfg`` drives prediction.
        data_preprocessor (dict, optional): defaults to the pose model's
            own ``data_preprocessor`` (its normalisation) as a
            ``DomainAdaptationDataPreprocessor``, so an MMPose model config
            can be wrapped unchanged; a dict without ``type`` adds to it
            (e.g. ``dict(style_transfer=...)``).
        teacher_decay (float): EMA decay of the teacher (paper: 0.999).
        teacher_norm (str): the teacher's BatchNorm statistics. ``'ema'``
            (the default): EMA'd like the weights, teacher always in eval
            mode.
            ``'batch'`` (the authors' code): the teacher runs in train mode
            (statistics of the batch it sees, its own running statistics for
            evaluation) and only its parameters are EMA'd.
        norm_statistics (str): which student forward passes update the
            BatchNorm running statistics (those the teacher inherits and
            evaluation uses). ``'mixed'`` (the paper and the authors'
            code): source and target passes alike, so the running
            statistics describe neither domain, while training normalised
            each domain with its own batch statistics. ``'target'``: only
            the target passes, so the teacher's pseudo labels and the
            evaluation normalise target images with target statistics
            (AdaBN inside the mean teacher). Source batches still
            normalise with their own batch statistics in training.
        pseudo_labeler (dict): how teacher predictions become targets:
            ``HeatmapPseudoLabeler`` (heatmap heads, the paper's route; its
            ``frame``: ``WeakViewFrame`` or the authors' ``ReferenceFrame``;
            re-rendering; the MSE) or ``CoordinatePseudoLabeler`` (any head:
            decoded teacher keypoints encoded by the student head's codec and
            scored by its own loss; RTMPose, regression, ...).
        consistency_threshold (dict): which keypoints the consistency loss
            uses, from the teacher's confidences:
            ``RandomConfidenceThreshold`` (U(low, high) per iteration;
            paper), ``QuantileConfidenceThreshold`` (q=0.5: UDAPE's batch
            median), ``KthValueConfidenceThreshold`` (the authors'
            ``--mask-ratio``) or ``FixedConfidenceThreshold``.
        occlusion (dict, optional): ``ConfidentKeypointOcclusion`` (default)
            or ``SingleKeypointOcclusion`` (the authors'), any
            ``KeypointOcclusion``. ``None`` disables it.
        adversarial_loss (dict, optional): feature-level alignment, a
            ``DomainAdversarialLoss`` (discriminator behind gradient
            reversal; paper weight 0.1). ``None`` disables it.
        adversarial_input (str): the student features it sees: 'backbone'
            (the encoder's last feature map; paper) or 'head' (the deconv
            head's features before the final layer; the authors' code).
        im_loss (dict, optional): pose-level alignment, an
            ``InformationMaximizationLoss`` (paper weight 0.3). ``None``
            disables it.
        im_input (str): the student heatmaps it sees: 'strong' (the strong
            view as predicted) or 'frame' (warped into the consistency
            frame; the authors' code).
        predict_on (str): 'teacher' (default, what test and inference use)
            or 'student'.
        teacher_fp32 (bool): under mixed precision (``--amp``), run the
            teacher's forward pass, its pseudo labels' warps and the
            occlusion in fp32 (the authors' code: their teacher step sits
            outside autocast). Without AMP it changes nothing.
        channels_last (bool): keep the 4-D weights of student, teacher and
            the style and alignment modules in channels-last memory layout,
            so convolutions run on it (oneDNN on the CPU: at paper scale the
            full MLDA step about 16% cheaper, the demo benchmark's iteration
            about 1% and its validation 1.4x; see docs/benchmark.md's cost
            sections). The same computation in another layout: results
            agree to float rounding (with bf16, ``--amp``, the dev rows
            within the seed spread of fp32: docs/benchmark.md).
        source_free (bool): adapt without source data: no source branch,
            no supervised loss; student and teacher start from a plain
            checkpoint (``load_from``) and see target images only (the
            training dataset is the target dataset itself, not a
            ``DomainAdaptationDataset``). The levels that need source
            images (style transfer, the domain discriminator) are refused.
            What holds the model in place is the slow teacher, the
            confidence threshold and the occlusion; the running BatchNorm
            statistics become the target's (only target passes update them).
    """

    def __init__(self,
                 pose_model: ConfigType,
                 data_preprocessor: OptConfigType = None,
                 teacher_decay: float = 0.999,
                 teacher_norm: str = 'ema',
                 norm_statistics: str = 'mixed',
                 pseudo_labeler: ConfigType = _DEFAULT_PSEUDO_LABELER,
                 consistency_threshold: ConfigType = _DEFAULT_THRESHOLD,
                 occlusion: OptConfigType = _DEFAULT_OCCLUSION,
                 adversarial_loss: OptConfigType = None,
                 adversarial_input: str = 'backbone',
                 im_loss: OptConfigType = None,
                 im_input: str = 'strong',
                 predict_on: str = 'teacher',
                 source_free: bool = False,
                 teacher_fp32: bool = False,
                 channels_last: bool = False,
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
        if not 0.0 < teacher_decay < 1.0:
            raise ValueError(f'teacher_decay must be in (0, 1), got '
                             f'{teacher_decay}')
        self.teacher = TeacherEMA(
            self.student, momentum=1.0 - teacher_decay, norm=teacher_norm)
        self.norm_statistics = _choice('norm_statistics', norm_statistics,
                                       ('mixed', 'target'))
        self.pseudo_labeler = TASK_UTILS.build(pseudo_labeler)
        if not isinstance(self.pseudo_labeler, PseudoLabeler):
            raise TypeError(
                f'model.pseudo_labeler builds a '
                f'{type(self.pseudo_labeler).__name__}, not a PseudoLabeler '
                '(the contract in '
                'mmpose_mlda/models/pseudo_labels/pseudo_labeler.py).')
        self.consistency_threshold = build_confidence_threshold(
            consistency_threshold)
        self.occlusion = TASK_UTILS.build(occlusion) if occlusion else None
        if self.occlusion is not None and not isinstance(
                self.occlusion, KeypointOcclusion):
            raise TypeError(
                f'model.occlusion builds a {type(self.occlusion).__name__}, '
                'not a KeypointOcclusion (the contract in '
                'mmpose_mlda/models/pseudo_labels/keypoint_occlusion.py).')
        self.adversarial_loss = MODELS.build(
            adversarial_loss) if adversarial_loss else None
        self.adversarial_input = _choice('adversarial_input',
                                         adversarial_input,
                                         ('backbone', 'head'))
        self.im_loss = MODELS.build(im_loss) if im_loss else None
        self.im_input = _choice('im_input', im_input, ('strong', 'frame'))
        self.predict_on = _choice('predict_on', predict_on,
                                  ('teacher', 'student'))
        self.source_free = bool(source_free)
        self._check_head_supports_levels()
        self._check_source_free()
        for key, value in (('teacher_fp32', teacher_fp32),
                           ('channels_last', channels_last)):
            if not isinstance(value, bool):
                raise ValueError(f'model.{key} must be True or False, got '
                                 f'{value!r}.')
        self.teacher_fp32 = teacher_fp32
        self.channels_last = channels_last
        if channels_last:
            self.to(memory_format=torch.channels_last)
        # Set by AdaptationTrainLoop every iteration: False during the
        # source-only burn-in. Without that loop, adaptation runs from
        # the first iteration.
        self.adapting = True

    def _check_head_supports_levels(self) -> None:
        head = getattr(self.student, 'head', None)
        name = type(head).__name__
        heatmap_labels = self.pseudo_labeler.needs_heatmaps
        if self.im_loss is not None and self.im_input == 'frame' and \
                not heatmap_labels:
            raise TypeError(
                "im_input='frame' feeds the IM loss the student heatmaps "
                'warped into the consistency frame, which only '
                'HeatmapPseudoLabeler makes; with '
                f'{type(self.pseudo_labeler).__name__} use '
                "im_input='strong'.")
        if isinstance(self.pseudo_labeler, CoordinatePseudoLabeler) \
                and getattr(head, 'decoder', None) is None:
            raise TypeError(
                f'CoordinatePseudoLabeler decodes and encodes keypoints with '
                f'the head\'s codec, but {name} has none: set '
                'model.pose_model.head.decoder (e.g. the codec of its '
                'training pipeline).')
        if isinstance(head, HeatmapHead):
            return
        needs = []
        if heatmap_labels:
            needs.append('pseudo_labeler='
                         f'{type(self.pseudo_labeler).__name__}')
        if self.im_loss is not None:
            needs.append('im_loss')
        if self.adversarial_loss is not None and \
                self.adversarial_input == 'head':
            needs.append("adversarial_input='head'")
        if needs:
            raise TypeError(
                f'{", ".join(needs)} need heatmaps, but the pose model\'s '
                f'head is {name} (model.pose_model.head); use '
                "pseudo_labeler=dict(type='CoordinatePseudoLabeler') and "
                'switch the heatmap-only levels off, or a HeatmapHead model.')

    def _check_source_free(self) -> None:
        if not self.source_free:
            return
        needs = []
        if self.adversarial_loss is not None:
            needs.append('model.adversarial_loss (set it to None)')
        if getattr(self.data_preprocessor, 'style_transfer', None) is not None:
            needs.append('model.data_preprocessor.style_transfer (set it to '
                         'None)')
        if needs:
            raise ValueError(
                'model.source_free=True adapts without source images, but '
                f'{" and ".join(needs)} need them.')

    # ------------------------------------------------------------------ train
    def loss(self, inputs: Dict[str, Tensor],
             data_samples: Dict[str, SampleList]) -> Dict[str, Tensor]:
        """All training losses of one iteration (see the module docstring).

        Args:
            inputs (dict): ``source`` (B_s, 3, H, W), ``target_weak`` (and
                further teacher views ``target_weak_1``, ...) and
                ``target_strong`` (B_t, 3, H, W), from the preprocessor.
            data_samples (dict): the matching ``PoseDataSample`` lists;
                target samples carry view geometry metainfo and their labels
                are never read.
        """
        losses = dict()
        if self.source_free:
            source_feats = source_head_feats = None
        else:
            with named_step('source'), self._source_norm_context():
                source_feats = self.student.extract_feat(inputs['source'])
                source_preds, source_head_feats = self._student_head(
                    source_feats)
                losses['source.loss_kpt'] = self._supervised_loss(
                    source_feats, source_preds, data_samples['source'])
        if not self.adapting:
            if self.adversarial_loss is not None:
                # keep the discriminator in the graph (DDP needs every
                # parameter used in every iteration)
                losses['target.loss_adversarial'] = sum(
                    p.sum() for p in self.adversarial_loss.parameters()) * 0.
            return losses

        strong_inputs = inputs['target_strong']
        strong_samples = data_samples['target_strong']
        input_hw = tuple(strong_inputs.shape[-2:])
        views = _teacher_views(inputs)
        device = strong_inputs.device.type
        with named_step('teacher'), torch.no_grad(), \
                self._teacher_context(), self._teacher_precision(device):
            pseudo = self.pseudo_labeler.from_teacher(
                self.teacher.module, [inputs[view] for view in views],
                [data_samples[view] for view in views], input_hw)

        if self.occlusion is not None:
            with named_step('occlusion'), self._teacher_precision(device):
                strong_inputs = self.occlusion(strong_inputs, pseudo,
                                               strong_samples)
        with named_step('student_target'):
            student_feats = self.student.extract_feat(strong_inputs)
            student_preds, student_head_feats = self._student_head(
                student_feats)

        with named_step('consistency'):
            threshold = self.consistency_threshold(pseudo.confidence)
            keypoint_weights = (pseudo.confidence > threshold).float()
            student = StudentPrediction(
                head=self.student.head, feats=student_feats,
                heatmaps=student_preds, samples=strong_samples,
                input_hw=input_hw)
            losses['target.loss_consistency'], frame_preds = \
                self.pseudo_labeler.loss(student, pseudo, keypoint_weights)
        losses['target.consistency_threshold'] = threshold.detach()
        losses['target.confident_ratio'] = keypoint_weights.mean()

        if self.adversarial_loss is not None:
            if self.adversarial_input == 'backbone':
                pair = (source_feats[-1], student_feats[-1])
            else:
                pair = (source_head_feats, student_head_feats)
            with named_step('adversarial'):
                (losses['target.loss_adversarial'],
                 losses['target.domain_accuracy']) = \
                    self.adversarial_loss(*pair)
        if self.im_loss is not None:
            with named_step('im'):
                losses['target.loss_im'] = self.im_loss(
                    frame_preds if self.im_input == 'frame' else
                    student_preds)
        return losses

    def _student_head(self, feats: Tuple[Tensor]
                      ) -> Tuple[Optional[Tensor], Optional[Tensor]]:
        """For a ``HeatmapHead``: the student's heatmaps (B, K, h, w) and
        the deconv features before its final 1x1 layer (B, C, h, w), which
        head-level feature alignment needs (``HeatmapHead.forward`` split
        in two). Other heads are run by their own ``loss`` (None, None)."""
        head = self.student.head
        if not isinstance(head, HeatmapHead):
            return None, None
        features = head.conv_layers(head.deconv_layers(feats[-1]))
        return head.final_layer(features), features

    def _supervised_loss(self, feats: Tuple[Tensor], preds,
                         samples: SampleList) -> Tensor:
        """The student head's own loss on the source batch. Heatmap
        predictions already computed are reused; other heads run
        ``head.loss`` (their own targets and loss)."""
        head = self.student.head
        if not isinstance(head, HeatmapHead):
            return head.loss(feats, samples,
                             train_cfg=self.student.train_cfg)['loss_kpt']
        gt_heatmaps = torch.stack([d.gt_fields.heatmaps for d in samples])
        keypoint_weights = torch.cat(
            [d.gt_instance_labels.keypoint_weights for d in samples])
        return head.loss_module(preds, gt_heatmaps, keypoint_weights)

    def _source_norm_context(self):
        """With ``norm_statistics='target'`` (while adapting) the source
        pass leaves the BatchNorm running statistics where they were."""
        if self.norm_statistics == 'target' and self.adapting:
            return frozen_norm_statistics(self.student)
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def _teacher_context(self):
        """The teacher in train mode for its forward pass when it
        normalises with batch statistics (``teacher_norm='batch'``)."""
        if self.teacher.norm != 'batch':
            yield
            return
        self.teacher.module.train()
        try:
            yield
        finally:
            self.teacher.module.eval()

    def _teacher_precision(self, device_type: str):
        """Autocast off for the teacher's part with ``teacher_fp32``."""
        if self.teacher_fp32:
            return torch.autocast(device_type=device_type, enabled=False)
        return contextlib.nullcontext()

    def parse_losses(self, losses: Dict[str, Tensor]):
        """MMEngine's loss parsing, plus a stop on a non-finite total loss.

        The check runs before the optimizer step, so a bad iteration never
        reaches the weights or any checkpoint. All ranks take the same
        decision (one all-reduce), so none is left waiting in backward.
        """
        loss, log_vars = super().parse_losses(losses)
        stop_on_non_finite_loss(loss, log_vars)
        return loss, log_vars

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper) -> Dict[str, Tensor]:
        """MMEngine's train step (preprocess, losses, one update), with the
        preprocessing and the update as named steps. With an
        ``OptimWrapperDict`` of ``student`` and ``discriminator``
        (``PartsOptimWrapperConstructor``, the authors' two Adams with their
        own schedules): one backward pass of the total loss and one step of
        each optimizer (under AMP both through the student's loss scaler,
        as the authors' single ``GradScaler``)."""
        parts = isinstance(optim_wrapper, OptimWrapperDict)
        main = optim_wrapper['student'] if parts else optim_wrapper
        with main.optim_context(self):
            with named_step('preprocess'):
                data = self.data_preprocessor(data, True)
            losses = self._run_forward(data, mode='loss')
        parsed, log_vars = self.parse_losses(losses)
        with named_step('backward_and_update'):
            if parts:
                _update_both(main, optim_wrapper['discriminator'], parsed)
            else:
                optim_wrapper.update_params(parsed)
        return log_vars

    def optim_parts(self) -> Dict[str, List[nn.Module]]:
        """``student`` (the pose model) and ``discriminator`` (the domain
        discriminator, if any), for ``PartsOptimWrapperConstructor``."""
        return dict(
            student=[self.student],
            discriminator=[self.adversarial_loss]
            if self.adversarial_loss is not None else [])

    def checkpoint_prefixes(self) -> tuple:
        """State-dict prefixes a checkpoint must provide (the pose model,
        as student and teacher; not the discriminator or the EMA step
        counter): what ``SafeCheckpointHook`` checks when loading."""
        return ('student.', 'teacher.module.')

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
        stays in eval mode (fixed BN statistics, no dropout) except inside
        its own forward pass with ``teacher_norm='batch'``."""
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
        source-only stage): its weights go into BOTH student and teacher
        (the teacher's EMA step counter restarts, so no key is missing)."""
        if not holds_adaptation_weights(state_dict, prefix):
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
            for key, value in into_student_and_teacher(plain).items():
                state_dict[prefix + key] = value
            state_dict[prefix + 'teacher.steps'] = torch.ones_like(
                self.teacher.steps)
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)


def holds_adaptation_weights(state_dict: dict, prefix: str = '') -> bool:
    """Whether a state dict is an adaptation model's (student / teacher
    keys) rather than a plain pose model's."""
    return any(
        k.startswith((prefix + 'student.', prefix + 'teacher.'))
        for k in state_dict)


def into_student_and_teacher(plain: dict) -> dict:
    """A plain pose-model state dict as the adaptation model loads it: every
    weight into both the student and the teacher."""
    out = {f'student.{k}': v for k, v in plain.items()}
    out.update({f'teacher.module.{k}': v for k, v in plain.items()})
    return out


def _update_both(student, discriminator, loss: Tensor) -> None:
    """One backward pass, then a step of both optimizers (under AMP through
    the student's loss scaler)."""
    student.backward(loss)
    if isinstance(student, AmpOptimWrapper):
        student.loss_scaler.step(student.optimizer)
        student.loss_scaler.step(discriminator.optimizer)
        student.loss_scaler.update()
    else:
        student.step()
        discriminator.step()
    student.zero_grad()
    discriminator.zero_grad()


def _choice(key: str, value: str, accepted: Tuple[str, ...]) -> str:
    if value not in accepted:
        raise ValueError(f'model.{key} must be one of {accepted}, got '
                         f'{value!r}.')
    return value


def _teacher_views(inputs: Dict[str, Tensor]) -> List[str]:
    """The teacher's branches: ``target_weak``, then ``target_weak_1``,
    ``target_weak_2``, ... (the authors' ``--k`` views)."""
    extra = sorted((b for b in inputs if b.startswith('target_weak_')),
                   key=lambda b: int(b.rsplit('_', 1)[1]))
    return ['target_weak'] + extra
