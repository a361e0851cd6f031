"""PoseDA: domain-adaptive 2D-to-3D lifting on MMPose's ``PoseLifter``.

The lifter itself (backbone/neck/head) is any MMPose ``PoseLifter`` (e.g.
SimpleBaseline3D = ``TCN`` with kernel sizes 1, or VideoPose3D), unchanged
at test time: :meth:`predict` is ``PoseLifter.predict``. Training adds, with
no parameter in the lifter:

* GPA (:class:`GlobalPositionAlignment`): source 3D poses are re-placed in
  their cameras so that root position and 2D scale follow the target 2D
  poses of the same batch, then re-projected with each sample's intrinsics
  and normalised like MMPose's ``VideoPoseLifting`` codec.
* LPA: an augmentation generator (:class:`PoseAugmentationGenerator`)
  predicts bounded pose transformations that make the lifter's error larger,
  an anchor discriminator keeps the augmentations realistic: either
  :class:`TargetAnchor2DDiscriminator` (unsupervised adaptation: the
  re-projected augmentations must look like the TARGET 2D poses, which pulls
  them towards the target's local pose/viewpoint distribution) or
  :class:`AnchorPoseDiscriminator` (3D, source poses as anchors: plain
  generalisation). Or :class:`RandomPoseAugmentation` draws the same
  bounded transformations at random: no discriminator, no game (steps 3-4
  below are skipped). The lifter trains on the original and the augmented
  poses.

One training iteration (``train_step`` with an ``OptimWrapperDict`` holding
``lifter``, ``generator`` and ``discriminator``; a plain ``OptimWrapper`` is
enough without LPA):

1. split the batch by ``metainfo['domain']`` (``'source'`` / ``'target'``,
   set by the ``SetLiftingDomain`` transform; both come from one
   ``DomainAdaptationDataset`` + ``TwoDomainSampler``);
2. source poses (B, T, K, 3, camera frame) -> GPA -> 2D inputs;
3. generator step (lifter and discriminator frozen):
   ``L_G = w_hard * relu(beta * e_src - e_aug) + w_adv * LSGAN_G`` where
   ``e`` are the lifter's per-batch MPJPEs: the augmentation is pushed to be
   ``beta`` times harder than the source, and no further (bounded
   difficulty), while staying realistic for the discriminator;
4. discriminator step (LSGAN: anchors real, augmented fake; anchors are the
   target 2D poses of the batch, or the source 3D poses);
5. lifter step on ``L(source) + w_aug * L(augmented)``.

LPA starts after ``lpa_warmup_iters`` (read from the runner's message hub,
so resuming is exact). Samples with NaN 2D inputs raise an error naming the
sample.
"""
from contextlib import contextmanager
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.logging import MessageHub
from mmengine.optim import OptimWrapper, OptimWrapperDict
from torch import Tensor

from mmpose.models.pose_estimators import PoseLifter
from mmpose.registry import MODELS
from ..utils import stop_on_non_finite_loss
from .camera_utils import camera_tensors, normalize_screen, project
from .global_position_alignment import root_position_and_scale


@contextmanager
def _frozen(modules):
    """Temporarily stop gradients into the parameters of ``modules``."""
    params = [p for m in modules if m is not None for p in m.parameters()]
    flags = [p.requires_grad for p in params]
    for p in params:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p, f in zip(params, flags):
            p.requires_grad_(f)


def _name(sample) -> str:
    meta = sample.metainfo
    for key in ('target_img_path', 'img_path', 'id'):
        if key in meta:
            v = meta[key]
            return str(v[0] if isinstance(v, (list, tuple)) else v)
    return '<unnamed sample>'


@MODELS.register_module()
class PoseDAPoseLifter(PoseLifter):
    """PoseLifter with PoseDA's GPA and LPA for unsupervised adaptation.

    Args:
        backbone, neck, head, train_cfg, test_cfg, data_preprocessor,
            init_cfg: as :class:`mmpose.models.PoseLifter`.
        gpa (dict, optional): config of :class:`GlobalPositionAlignment`;
            None = no global alignment.
        generator (dict, optional): config of the augmentation generator;
            None = no LPA.
        discriminator (dict, optional): config of the anchor discriminator
            (needed with ``generator``).
        root_index (int): root joint. Defaults to 0.
        causal (bool): for T > 1 input frames, whether the target frame is
            the last (True) or the centre one (False), as in the dataset.
        lpa_cfg (dict): ``aug_weight`` (lifter loss weight of augmented
            poses, 1.0), ``hard_ratio`` (beta, 2.0), ``hard_weight`` (1.0),
            ``adv_weight`` (generator realism weight, 0.5),
            ``warmup_iters`` (source/GPA-only iterations before LPA, 0).
    """

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 neck: Optional[dict] = None,
                 gpa: Optional[dict] = None,
                 generator: Optional[dict] = None,
                 discriminator: Optional[dict] = None,
                 root_index: int = 0,
                 causal: bool = False,
                 lpa_cfg: Optional[dict] = None,
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 **kwargs):
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg,
            **kwargs)
        self.gpa = MODELS.build(gpa) if gpa is not None else None
        self.generator = MODELS.build(generator) if generator else None
        learnable = getattr(self.generator, 'learnable', False)
        if learnable and discriminator is None:
            raise ValueError('PoseDAPoseLifter: the learned `generator` '
                             'needs a `discriminator` to train against')
        if discriminator is not None and not learnable:
            raise ValueError(
                'PoseDAPoseLifter: `discriminator` is given but there is no '
                'learned generator to train against it (`generator` is '
                f'{type(self.generator).__name__ if generator else None}); '
                'remove `discriminator`')
        self.discriminator = (
            MODELS.build(discriminator) if discriminator else None)
        self.root_index = root_index
        self.causal_target = causal
        cfg = dict(
            aug_weight=1.0,
            hard_ratio=2.0,
            hard_weight=1.0,
            adv_weight=0.5,
            warmup_iters=0)
        cfg.update(lpa_cfg or {})
        self.lpa_cfg = cfg

    # ------------------------------------------------------------------ #
    # helpers
    # ------------------------------------------------------------------ #
    @property
    def with_lpa(self) -> bool:
        return self.generator is not None

    @property
    def adversarial_lpa(self) -> bool:
        """Whether LPA's generator is trained against a discriminator
        (else its augmentations are random: :class:`RandomPoseAugmentation`).
        """
        return self.discriminator is not None

    def lifter_modules(self) -> List[torch.nn.Module]:
        """The modules of the lifter proper (what inference uses)."""
        names = ('backbone', 'neck', 'head', 'traj_backbone', 'traj_neck',
                 'traj_head')
        return [getattr(self, n) for n in names
                if isinstance(getattr(self, n, None), torch.nn.Module)]

    def checkpoint_prefixes(self) -> tuple:
        """State-dict prefixes a checkpoint must provide: the lifter's (a
        source-only checkpoint has no generator or discriminator yet)."""
        return tuple(f'{name}.' for name, module in self.named_children()
                     if any(module is m for m in self.lifter_modules()))

    def optim_parts(self) -> Dict[str, List[torch.nn.Module]]:
        """The three players, for ``PartsOptimWrapperConstructor``."""
        return dict(
            lifter=self.lifter_modules(),
            generator=[self.generator] if self.adversarial_lpa else [],
            discriminator=[self.discriminator]
            if self.discriminator is not None else [])

    @staticmethod
    def _check_finite(inputs: Tensor, samples) -> None:
        bad = ~torch.isfinite(inputs.flatten(1)).all(1)
        if bad.any():
            names = [_name(samples[i]) for i in bad.nonzero()[:, 0].tolist()]
            raise ValueError(
                f'NaN/inf in the 2D inputs of {len(names)} sample(s), first: '
                f'{names[:3]}; clean the annotation file or drop these '
                'frames')

    @staticmethod
    def _to_input(kpts_norm: Tensor) -> Tensor:
        """(B, T, K, 2) -> (B, K*2, T), the codec's reshape_keypoints
        layout (index ``k * 2 + d``)."""
        b, t, k, d = kpts_norm.shape
        return kpts_norm.permute(0, 2, 3, 1).reshape(b, k * d, t)

    @staticmethod
    def _from_input(inputs: Tensor) -> Tensor:
        """(B, K*2, T) -> (B, T, K, 2)."""
        b, kd, t = inputs.shape
        return inputs.reshape(b, kd // 2, 2, t).permute(0, 3, 1, 2)

    def _source_poses(self, samples) -> Tensor:
        """(B, T, K, 3) camera-frame source poses from the metainfo key
        ``keypoints_3d`` (PackPoseInputs meta key)."""
        poses = []
        for s in samples:
            if 'keypoints_3d' not in s.metainfo:
                raise KeyError(
                    f'source sample {_name(s)!r} lacks metainfo '
                    "'keypoints_3d': add it to PackPoseInputs.meta_keys")
            poses.append(torch.as_tensor(s.metainfo['keypoints_3d']).float())
        return torch.stack(poses)

    def _frame(self, seq: Tensor) -> Tensor:
        """(B, T, ...) -> (B, ...): the target frame of a window."""
        t = seq.shape[1] - 1 if self.causal_target else seq.shape[1] // 2
        return seq[:, t]

    def _target_frame(self, poses: Tensor) -> Tensor:
        """(B, T, K, 3) -> (B, K, 3) root-relative pose of the target frame."""
        p = self._frame(poses)
        return p - p[:, self.root_index:self.root_index + 1]

    @property
    def anchor_2d(self) -> bool:
        """Whether the discriminator judges 2D poses against target 2D
        anchors (:class:`TargetAnchor2DDiscriminator`) rather than 3D poses
        against source anchors."""
        return getattr(self.discriminator, 'input_space', '3d') == '2d'

    def _lift(self, inputs: Tensor) -> Tensor:
        """(B, K*2, T) -> (B, K, 3) root-relative prediction."""
        feats = self.extract_feat(inputs)
        if self.with_traj:
            feats = feats[0]
        return self.head.forward(feats)

    def _pose_loss(self, pred: Tensor, label: Tensor) -> Tensor:
        weight = torch.ones(label.shape[:2] + (1, ), device=label.device)
        return self.head.loss_module(pred, label, weight)

    @staticmethod
    def _mpjpe(pred: Tensor, label: Tensor) -> Tensor:
        return (pred - label).norm(dim=-1).mean()

    def _current_iter(self) -> int:
        try:
            return int(MessageHub.get_current_instance().get_info('iter', 0))
        except Exception:  # no runner
            return 0

    # ------------------------------------------------------------------ #
    # training
    # ------------------------------------------------------------------ #
    def prepare_source(self, inputs: Tensor, samples) -> Tuple[Tensor, dict]:
        """Source 2D inputs (GPA'd when configured) and what LPA needs.

        Returns:
            tuple: (B_s, K*2, T) inputs and a dict with ``poses`` (B_s, T, K,
            3) placed camera-frame poses, ``label`` (B_s, K, 3), cameras.
        """
        src = [i for i, s in enumerate(samples)
               if s.metainfo.get('domain', 'source') == 'source']
        tgt = [i for i, s in enumerate(samples)
               if s.metainfo.get('domain', 'source') == 'target']
        if not src:
            raise ValueError('PoseDAPoseLifter: a training batch has no '
                             'source sample (check the TwoDomainSampler)')
        src_samples = [samples[i] for i in src]
        need_geometry = self.gpa is not None or self.with_lpa
        if not need_geometry:
            return inputs[src], dict(samples=src_samples)
        extra = {}
        if tgt:
            # (B_t, K, 2) target 2D of the target frame: anchors of the 2D
            # discriminator
            extra['target_2d'] = self._frame(self._from_input(inputs[tgt]))
        elif self.with_lpa and self.anchor_2d:
            raise ValueError(
                'PoseDAPoseLifter: the 2D anchor discriminator needs target '
                '2D poses in every batch; use DomainAdaptationDataset + '
                'TwoDomainSampler')
        poses = self._source_poses(src_samples).to(inputs.device)
        cams = camera_tensors([s.metainfo.get('camera_param')
                               for s in src_samples],
                              [_name(s) for s in src_samples], inputs.device)
        if self.gpa is not None:
            if not tgt:
                raise ValueError(
                    'PoseDAPoseLifter: GPA needs target 2D poses in every '
                    'batch; use DomainAdaptationDataset + TwoDomainSampler')
            tgt_norm = self._from_input(inputs[tgt])  # B_t, T, K, 2
            if tgt_norm.shape[2] != poses.shape[2]:
                raise ValueError(
                    f'joint-count mismatch: source has {poses.shape[2]} '
                    f'joints, target 2D has {tgt_norm.shape[2]} (first '
                    f'target sample {_name(samples[tgt[0]])!r}); convert '
                    'both to one joint set (mmpose_mlda.datasets.joint_sets)')
            t_root, t_scale = root_position_and_scale(tgt_norm,
                                                      self.root_index)
            d_root, d_scale = self.gpa.sample_target(t_root, t_scale,
                                                     poses.shape[0])
            out = self.gpa(poses, cams['f'], cams['c'], cams['wh'], d_root,
                           d_scale)
            poses, kn = out['poses_3d'], out['keypoints_norm']
        else:
            kn = normalize_screen(project(poses, cams['f'], cams['c']),
                                  cams['wh'])
        return self._to_input(kn), dict(
            samples=src_samples,
            poses=poses,
            label=self._target_frame(poses),
            **extra,
            **cams)

    def _augmented_input(self, aug_rel: Tensor, info: dict) -> Tensor:
        """Place augmented root-relative poses (B, K, 3) where the source
        pose was (same root trajectory) and encode them."""
        poses = info['poses']
        root = poses[:, :, self.root_index:self.root_index + 1]
        # T > 1: the augmentation (of the target frame) is applied as a
        # rigid offset pattern to every frame
        placed = aug_rel[:, None] + root
        kn = normalize_screen(project(placed, info['f'], info['c']),
                              info['wh'])
        return self._to_input(kn)

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: Union[OptimWrapper, OptimWrapperDict]
                   ) -> Dict[str, Tensor]:
        """One PoseDA iteration (see the module docstring)."""
        if isinstance(optim_wrapper, OptimWrapperDict):
            lifter_ow = optim_wrapper['lifter']
        else:
            lifter_ow = optim_wrapper
        with lifter_ow.optim_context(self):
            data = self.data_preprocessor(data, True)
        inputs, samples = data['inputs'], data['data_samples']
        if isinstance(inputs, (list, tuple)):
            inputs = torch.stack(list(inputs))
        self._check_finite(inputs, samples)
        log = {}
        with torch.no_grad():
            x_src, info = self.prepare_source(inputs, samples)
        use_lpa = (
            self.with_lpa
            and self._current_iter() >= self.lpa_cfg['warmup_iters'])
        if (use_lpa and self.adversarial_lpa
                and not isinstance(optim_wrapper, OptimWrapperDict)):
            raise TypeError(
                'PoseDAPoseLifter with adversarial LPA needs an '
                "OptimWrapperDict with 'lifter', 'generator' and "
                "'discriminator' (use "
                "constructor='PartsOptimWrapperConstructor')")

        x_aug = label_aug = None
        if use_lpa and not self.adversarial_lpa:
            with torch.no_grad():
                label_aug = self.generator(info['label'])
                x_aug = self._augmented_input(label_aug, info)
        elif use_lpa:
            label = info['label']
            # generator step: lifter and discriminator frozen
            g_ow = optim_wrapper['generator']
            with g_ow.optim_context(self.generator), _frozen(
                    self.lifter_modules() + [self.discriminator]):
                aug = self.generator(label)
                x_aug = self._augmented_input(aug, info)
                e_aug = self._mpjpe(self._lift(x_aug), aug)
                with torch.no_grad():
                    e_src = self._mpjpe(self._lift(x_src), label)
                loss_hard = torch.relu(self.lpa_cfg['hard_ratio'] * e_src -
                                       e_aug)
                if self.anchor_2d:  # re-projected augmentation vs target 2D
                    aug_2d = self._frame(self._from_input(x_aug))
                    loss_adv = self.discriminator.loss_generator(aug_2d)
                else:  # augmented 3D vs source 3D
                    loss_adv = self.discriminator.loss_generator(aug)
                loss_g = (self.lpa_cfg['hard_weight'] * loss_hard +
                          self.lpa_cfg['adv_weight'] * loss_adv)
                stop_on_non_finite_loss(
                    loss_g, dict(loss_gen=loss_g, loss_hard=loss_hard,
                                 loss_adv=loss_adv), 'generator.optimizer')
                g_ow.update_params(loss_g)
            # discriminator step
            d_ow = optim_wrapper['discriminator']
            with d_ow.optim_context(self.discriminator):
                if self.anchor_2d:
                    loss_d = self.discriminator.loss_discriminator(
                        info['target_2d'], aug_2d.detach())
                else:
                    loss_d = self.discriminator.loss_discriminator(
                        label, aug.detach())
                stop_on_non_finite_loss(loss_d, dict(loss_disc=loss_d),
                                        'discriminator.optimizer')
                d_ow.update_params(loss_d)
            x_aug, label_aug = x_aug.detach(), aug.detach()
            log.update(
                loss_gen=loss_g.detach(),
                loss_disc=loss_d.detach(),
                mpjpe_aug=e_aug.detach(),
            )

        # lifter step
        with lifter_ow.optim_context(self):
            if 'label' in info:
                label = info['label']
            else:  # plain source-only batch: the codec's labels
                label = torch.cat([
                    s.gt_instance_labels.lifting_target_label
                    for s in info['samples']
                ]).to(x_src.device)
            pred = self._lift(x_src)
            loss = self._pose_loss(pred, label)
            losses = dict(loss_pose3d=loss)
            if x_aug is not None:
                loss_aug = self._pose_loss(self._lift(x_aug), label_aug)
                losses['loss_pose3d_aug'] = self.lpa_cfg[
                    'aug_weight'] * loss_aug
            parsed, log_vars = self.parse_losses(losses)
            stop_on_non_finite_loss(
                parsed, log_vars, 'lifter.optimizer' if isinstance(
                    optim_wrapper, OptimWrapperDict) else 'optimizer')
            lifter_ow.update_params(parsed)
        log_vars['mpjpe'] = self._mpjpe(pred.detach(), label)
        log_vars.update(log)
        return log_vars

    def loss(self, inputs: Tensor, data_samples) -> dict:
        """Supervised loss on source samples only (for ``val`` loss or
        wrappers that call ``loss``)."""
        src = [i for i, s in enumerate(data_samples)
               if s.metainfo.get('domain', 'source') == 'source']
        if isinstance(inputs, (list, tuple)):
            inputs = torch.stack(list(inputs))
        return super().loss(inputs[src], [data_samples[i] for i in src])
