"""MMEngine's ``CheckpointHook`` made safe: nothing is lost, nothing
half-fits, and a broken run says which checkpoint is still good."""
import glob
import logging
import os
import os.path as osp
import re
from typing import Dict, List, Optional

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import find_latest_checkpoint
from mmpose.registry import HOOKS

from mmpose_mlda.models.estimators.mean_teacher_pose_estimator import (
    holds_adaptation_weights, into_student_and_teacher)
from mmpose_mlda.utils import atomic_write_text, checkpoint_file_problem

#: top-level config key that allows a deliberate partial load
PARTIAL_LOAD_KEY = 'allow_partial_load'


def pose_model_keys(model) -> List[str]:
    """The keys whose weights a checkpoint must provide: those under the
    model's ``checkpoint_prefixes()`` (an adaptation model's pose model,
    not its discriminator or generator), else every key."""
    keys = model.state_dict().keys()
    if hasattr(model, 'checkpoint_prefixes'):
        return [k for k in keys if k.startswith(model.checkpoint_prefixes())]
    return list(keys)


def fit_state_dict(model, state_dict: Dict[str, torch.Tensor]) -> dict:
    """How ``state_dict`` fits ``model``: ``missing`` pose-model keys,
    ``mismatched`` ``(key, checkpoint shape, model shape)`` and
    ``unexpected`` keys. A plain pose-model checkpoint is compared with an
    adaptation model as it will load (into student and teacher)."""
    own = model.state_dict()
    adaptation = hasattr(model, 'student') and hasattr(model, 'teacher')
    if adaptation and not holds_adaptation_weights(state_dict):
        state_dict = into_student_and_teacher(state_dict)
    mismatched = [(k, tuple(v.shape), tuple(own[k].shape))
                  for k, v in state_dict.items()
                  if k in own and hasattr(v, 'shape')
                  and tuple(v.shape) != tuple(own[k].shape)]
    missing = [k for k in pose_model_keys(model) if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    return dict(missing=missing, mismatched=mismatched, unexpected=unexpected)


def _step_of(path: str) -> int:
    found = re.findall(r'(\d+)', osp.basename(path))
    return int(found[-1]) if found else -1


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """``CheckpointHook`` (same arguments) plus:

    - **strict loading**: a ``load_from`` / test checkpoint that does not
      fit the model (any shape mismatch, or pose-model weights missing,
      e.g. a head-only file) stops with the first offending keys and the
      config key to fix; ``allow_partial_load=True`` at the config's top
      level (``--cfg-options allow_partial_load=True``, e.g. for a
      backbone-only checkpoint) loads what fits and says what it skipped.
      A correct load is silent (keys the model does not have are dropped
      with one line).
    - **checkpoint files**: a checkpoint that is no ``torch.save`` file
      (text, truncated) is named as such before loading.
    - **resume**: ``--resume`` with nothing to resume from, or with a
      ``load_from`` that is a plain (not resumable) checkpoint, is an error
      that says what to change; a truncated latest checkpoint is skipped
      with a warning for the previous valid one.
    - **safe saves**: every checkpoint is written to a temporary file and
      moved into place; the previous best is removed only after the new
      one exists; a checkpoint is refused (the run stops) when the last
      loss or any weight is not finite, or a parameter exceeds
      ``max_abs_param``; the last good checkpoint is kept in the message
      hub (``last_good_checkpoint``) for error messages.

    Args:
        max_abs_param (float, optional): largest parameter magnitude a
            checkpoint may hold (a diverging run has far larger ones).
            ``None`` checks finiteness only. Defaults to 1e4.
        **kwargs: ``CheckpointHook`` arguments.
    """

    def __init__(self, max_abs_param: Optional[float] = 1e4,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_abs_param = max_abs_param

    # ------------------------------------------------------------ loading
    def before_run(self, runner) -> None:
        super().before_run(runner)
        self._make_saves_atomic(runner)
        resume, load_from = runner._resume, runner._load_from
        if resume and load_from is None:
            runner._load_from = self._latest_valid_checkpoint(runner)
            return
        if load_from is None:
            return
        if '://' not in str(load_from):
            problem = checkpoint_file_problem(load_from)
            if problem:
                key = '--resume' if resume else 'load_from'
                raise ValueError(
                    f'{key}={load_from!r} cannot be loaded: {problem}. Point '
                    f'{key} at a checkpoint (.pth) written by training.')
        if resume:
            checkpoint = torch.load(load_from, map_location='cpu',
                                    weights_only=True, mmap=True)
            if 'optimizer' not in checkpoint or \
                    'message_hub' not in checkpoint:
                raise ValueError(
                    f'--resume with load_from={load_from!r}: that file is a '
                    'plain model checkpoint (no optimizer state or '
                    'iteration), which cannot be resumed. To start a new run '
                    'from its weights drop --resume; to continue the run in '
                    f'{runner.work_dir} drop load_from.')
            model = runner.model.module if is_model_wrapper(
                runner.model) else runner.model
            state = checkpoint.get('state_dict', {})
            of_a_plain_model = hasattr(
                model, 'student') and not holds_adaptation_weights(state)
            if of_a_plain_model:
                raise ValueError(
                    f'--resume with load_from={load_from!r}: that file was '
                    'written by a plain pose-model run (e.g. the source-only '
                    'stage), not by this adaptation run, so its optimizer '
                    'state cannot be resumed here. To start a new run from '
                    'its weights drop --resume; to continue the run in '
                    f'{runner.work_dir} drop load_from (--resume alone '
                    'finds its latest checkpoint).')

    def _latest_valid_checkpoint(self, runner) -> str:
        work_dir = runner.work_dir
        latest = find_latest_checkpoint(work_dir)
        candidates = sorted(
            glob.glob(osp.join(work_dir, 'iter_*.pth')) +
            glob.glob(osp.join(work_dir, 'epoch_*.pth')),
            key=_step_of, reverse=True)
        if latest is None and not candidates:
            raise FileNotFoundError(
                f'--resume: no checkpoint to resume from in {work_dir} (no '
                'last_checkpoint file, no iter_*.pth). Check --work-dir, or '
                'start without --resume.')
        order = ([latest] if latest else []) + [
            c for c in candidates if c != latest
        ]
        for path in order:
            problem = checkpoint_file_problem(path)
            if problem is None:
                if path != order[0]:
                    print_log(
                        f'Resuming from {path} instead.', logger='current',
                        level=logging.WARNING)
                return path
            print_log(f'--resume: skipping {path}: {problem}.',
                      logger='current', level=logging.WARNING)
        raise FileNotFoundError(
            f'--resume: no readable checkpoint in {work_dir}; tried '
            f'{order}.')

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Check (and make quiet) the load that follows."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        state_dict = checkpoint.get('state_dict', checkpoint)
        state_dict = {
            re.sub(r'^module\.', '', k): v
            for k, v in state_dict.items()
        }
        fit = fit_state_dict(model, state_dict)
        partial = bool(runner.cfg.get(PARTIAL_LOAD_KEY, False))
        bad = fit['mismatched'] or fit['missing']
        if bad and not partial:
            raise ValueError(self._misfit_message(fit, runner))
        drop = set(fit['unexpected']) | {k for k, _, _ in fit['mismatched']}
        if drop:
            target = checkpoint.get('state_dict', checkpoint)
            for key in list(target):
                if re.sub(r'^module\.', '', key) in drop:
                    target.pop(key)
        if partial and bad:
            total = len(pose_model_keys(model))
            print_log(
                f'{PARTIAL_LOAD_KEY}=True: loaded '
                f'{total - len(fit["missing"]) - len(fit["mismatched"])} of '
                f'{total} pose-model tensors; {len(fit["mismatched"])} skipped '
                f'for their shape (e.g. {fit["mismatched"][:2]}), '
                f'{len(fit["missing"])} missing (e.g. {fit["missing"][:3]}).',
                logger='current', level=logging.WARNING)
        elif fit['unexpected']:
            prefixes = sorted({k.split('.')[0] for k in fit['unexpected']})
            print_log(
                f'Checkpoint keys the model does not have were left out: '
                f'{len(fit["unexpected"])} under {prefixes}.',
                logger='current')

    @staticmethod
    def _misfit_message(fit: dict, runner) -> str:
        parts = []
        if fit['mismatched']:
            shown = '; '.join(f'{k}: checkpoint {a} vs model {b}'
                              for k, a, b in fit['mismatched'][:3])
            parts.append(f'{len(fit["mismatched"])} tensors differ in shape '
                         f'({shown})')
        if fit['missing']:
            parts.append(f'{len(fit["missing"])} pose-model tensors are '
                         f'missing (e.g. {fit["missing"][:3]})')
        model = type(runner.model).__name__
        keypoints = [(a[0], b[0]) for k, a, b in fit['mismatched']
                     if k.endswith('head.final_layer.weight') and a[0] != b[0]]
        cause = ('It was built for another architecture: check load_from (or '
                 'the checkpoint argument) and model.backbone / model.head '
                 '(model.pose_model.* for adaptation configs).')
        if keypoints:
            cause = (
                f'Its head predicts {keypoints[0][0]} keypoints, the '
                f"config's {keypoints[0][1]}: give the config the metainfo "
                "of the checkpoint's dataset (e.g. "
                'configs/_base_/datasets/coco.py for 17) and the matching '
                "head.out_channels, or convert the keypoints with MMPose's "
                'KeypointConverter.')
        return (
            f'The checkpoint does not fit the model ({model}): '
            f'{"; ".join(parts)}. {cause} To load only what fits, set '
            f'--cfg-options {PARTIAL_LOAD_KEY}=True.')

    # ------------------------------------------------------------- saving
    def _make_saves_atomic(self, runner) -> None:
        """Wrap ``runner.save_checkpoint``: write a temporary file, then
        move it into place, and remember it as the last good checkpoint."""
        save = runner.save_checkpoint
        if getattr(save, '_atomic', False):
            return

        def atomic_save(out_dir, filename, *args, **kwargs):
            tmp = osp.join(out_dir, f'.{filename}.tmp')
            try:
                save(out_dir, osp.basename(tmp), *args, **kwargs)
            except BaseException as error:
                if osp.exists(tmp):
                    os.remove(tmp)
                if isinstance(error, OSError):
                    raise self._save_error(runner, error,
                                           osp.join(out_dir, filename))
                raise
            if is_main_process():
                final = osp.join(out_dir, filename)
                os.replace(tmp, final)
                runner.message_hub.update_info('last_good_checkpoint', final)

        atomic_save._atomic = True
        runner.save_checkpoint = atomic_save

    @staticmethod
    def _save_error(runner, error: OSError, path: str) -> OSError:
        """An ``OSError`` of a save (a full disk, a read-only folder) that
        names the file, the last good checkpoint and what to do."""
        good = runner.message_hub.get_info('last_good_checkpoint')
        where = (f'the last good checkpoint, {good}, is kept' if good else
                 'no checkpoint was written before')
        return type(error)(
            error.errno,
            f'writing checkpoint {path} failed ({error.strerror or error}); '
            f'nothing already saved was removed ({where}). Free space in (or '
            f'write access to) {osp.dirname(path) or "."}, then continue '
            'with --resume.')

    def _save_checkpoint_with_step(self, runner, step, meta) -> None:
        """MMEngine's, reordered so that nothing good is lost: the new
        checkpoint is written (or refused) *before* ``max_keep_ckpts``
        rotates the oldest one out, and ``last_checkpoint`` names only a
        file that exists."""
        filename = self.filename_tmpl.format(step)
        runner.save_checkpoint(
            self.out_dir, filename, self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler, meta=meta,
            by_epoch=self.by_epoch, backend_args=self.backend_args,
            **self.args)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        if self.max_keep_ckpts > 0 and not (
                self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                oldest = self.file_backend.join_path(
                    self.out_dir,
                    self.filename_tmpl.format(self.keep_ckpt_ids.popleft()))
                if is_main_process() and self.file_backend.isfile(oldest):
                    self.file_backend.remove(oldest)
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        if is_main_process():
            atomic_write_text(osp.join(runner.work_dir, 'last_checkpoint'),
                              self.last_ckpt)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Refuse to write weights that are not finite (or are huge), or
        after a non-finite loss."""
        good = runner.message_hub.get_info('last_good_checkpoint')
        where = (f'The last good checkpoint is {good}.' if good else
                 'No checkpoint was written before.')
        loss = runner.message_hub.log_scalars.get('train/loss')
        if loss is not None and not torch.isfinite(
                torch.as_tensor(loss.current())):
            raise FloatingPointError(
                f'The last training loss is {loss.current()}: no checkpoint '
                f'is written at iteration {runner.iter}. {where}')
        params = {
            name
            for name, _ in (runner.model.module if is_model_wrapper(
                runner.model) else runner.model).named_parameters()
        }
        for key, value in checkpoint['state_dict'].items():
            if not torch.is_tensor(value) or not value.is_floating_point():
                continue
            if not torch.isfinite(value).all():
                raise FloatingPointError(
                    f'{key} holds non-finite values: no checkpoint is written '
                    f'at iteration {runner.iter}. {where} Lower the learning '
                    'rate (a new run from that checkpoint: --cfg-options '
                    'load_from=<checkpoint> optim_wrapper.optimizer.lr=<lower>)'
                    '.')
            if self.max_abs_param is not None and key in params and \
                    value.abs().max() > self.max_abs_param:
                raise FloatingPointError(
                    f'{key} reaches {float(value.abs().max()):.3g} (> '
                    f'max_abs_param={self.max_abs_param:g}): training has '
                    f'diverged; no checkpoint is written at iteration '
                    f'{runner.iter}. {where} Lower the learning rate (a new '
                    'run from that checkpoint: --cfg-options '
                    'load_from=<checkpoint> optim_wrapper.optimizer.lr='
                    '<lower>), or raise default_hooks.checkpoint.'
                    'max_abs_param if such weights are intended.')

    def _save_best_checkpoint(self, runner, metrics) -> None:
        """MMEngine's, except that the previous best is removed only after
        the new best is written."""
        if not self.save_best:
            return
        previous = self.best_ckpt_path
        previous_dict = dict(getattr(self, 'best_ckpt_path_dict', {}))
        self.best_ckpt_path = None
        if previous_dict:
            self.best_ckpt_path_dict = {k: None for k in previous_dict}
        super()._save_best_checkpoint(runner, metrics)
        pairs = [(previous, self.best_ckpt_path)]
        if previous_dict:
            pairs += [(old, self.best_ckpt_path_dict[k])
                      for k, old in previous_dict.items()]
        for old, new in pairs:
            if new is None:
                continue
            if old and old != new and is_main_process() and osp.isfile(old):
                os.remove(old)
        if self.best_ckpt_path is None:
            self.best_ckpt_path = previous
        if previous_dict:
            self.best_ckpt_path_dict = {
                k: v if v is not None else previous_dict[k]
                for k, v in self.best_ckpt_path_dict.items()
            }
