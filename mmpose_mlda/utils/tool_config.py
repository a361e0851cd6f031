"""Command-line settings that tools/train.py and tools/test.py share."""
import os.path as osp
from typing import Callable, List, Optional

import torch
from mmengine.config import Config
from mmengine.dist import get_rank, get_world_size, is_distributed


def resolve_work_dir(cfg: Config, work_dir: Optional[str],
                     config_path: str) -> None:
    """Command line > config > ``./work_dirs/<config name>``."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])
    if osp.exists(cfg.work_dir) and not osp.isdir(cfg.work_dir):
        raise FileExistsError(
            f'work_dir {cfg.work_dir} exists and is a file, not a folder: '
            'pass another --work-dir (nothing was written).')


def enable_visualization(cfg: Config, show: bool, show_dir: Optional[str],
                         interval: int, wait_time: float) -> None:
    """Turn on ``PoseVisualizationHook`` for ``--show`` / ``--show-dir``."""
    if not show and show_dir is None:
        return
    if 'visualization' not in cfg.default_hooks:
        raise KeyError('--show/--show-dir need default_hooks.visualization='
                       "dict(type='PoseVisualizationHook') in the config.")
    vis = cfg.default_hooks.visualization
    vis.update(enable=True, show=show, out_dir=show_dir, interval=interval)
    if show:
        vis.wait_time = wait_time


def use_amp(cfg: Config, validation: bool = False) -> None:
    """``--amp``: every optimizer wrapper of the config (one, or one per part
    with ``PartsOptimWrapperConstructor``) runs its forward passes in mixed
    precision: MMEngine's ``AmpOptimWrapper`` (dynamic loss scale) where
    CUDA is available, else ``CpuBf16OptimWrapper`` (bf16 autocast on CPU,
    no loss scale). Student, teacher and style network follow the
    autocast (``teacher_fp32`` and the style network's ``fp32`` keep theirs
    in fp32); the losses stay fp32. ``validation``: the validation loop's
    forward passes too (``val_cfg.fp16``: autocast to the device's
    half type), on CUDA, or on CPU with ``TeacherStudentValLoop`` (bf16;
    MMEngine's ``ValLoop`` would hand MMPose's numpy decoding bf16
    heatmaps, which numpy cannot hold)."""
    amp_type = 'AmpOptimWrapper' if torch.cuda.is_available() \
        else 'CpuBf16OptimWrapper'
    parts = [cfg.optim_wrapper]
    if 'constructor' in cfg.optim_wrapper:
        parts = [v for k, v in cfg.optim_wrapper.items()
                 if isinstance(v, dict) and 'optimizer' in v]
    for wrapper in parts:
        kind = wrapper.get('type', 'OptimWrapper')
        if kind not in ('OptimWrapper', 'AmpOptimWrapper',
                        'CpuBf16OptimWrapper'):
            raise ValueError(
                f'--amp does not support the optimizer wrapper {kind}')
        wrapper.type = amp_type
        if amp_type == 'AmpOptimWrapper':
            wrapper.setdefault('loss_scale', 'dynamic')
    val_cfg = cfg.get('val_cfg')
    if validation and val_cfg is not None and (
            amp_type == 'AmpOptimWrapper'
            or val_cfg.get('type') == 'TeacherStudentValLoop'):
        val_cfg.fp16 = True


def cpu_distributed(cfg: Config) -> List[str]:
    """Make a distributed config runnable without CUDA (gloo, no devices).

    Keeps whatever the config already sets, except the CUDA-only ``nccl``
    backend. Returns a description of each change.
    """
    changes = []
    # assign missing levels explicitly: Config.setdefault returns a copy
    if cfg.get('env_cfg') is None:
        cfg.env_cfg = dict()
    if cfg.env_cfg.get('dist_cfg') is None:
        cfg.env_cfg.dist_cfg = dict()
    dist_cfg = cfg.env_cfg.dist_cfg
    if dist_cfg.get('backend', 'nccl') == 'nccl':
        dist_cfg['backend'] = 'gloo'
        changes.append("env_cfg.dist_cfg.backend = 'gloo'")
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel', device_ids=None)
        changes.append('model_wrapper_cfg = dict(type='
                       "'MMDistributedDataParallel', device_ids=None)")
    return changes


def apply_launcher(cfg: Config, launcher: str) -> None:
    """Record the launcher; on a machine without CUDA, adapt a distributed
    run to CPU and say what changed."""
    cfg.launcher = launcher
    if launcher != 'none' and not torch.cuda.is_available():
        for change in cpu_distributed(cfg):
            print(f'CUDA unavailable, distributed on CPU: set {change}')


def use_safe_checkpoints(cfg: Config) -> None:
    """A config's MMEngine ``CheckpointHook`` becomes ``SafeCheckpointHook``
    (same arguments): strict loading, atomic saves, resume checks."""
    checkpoint = cfg.get('default_hooks', {}).get('checkpoint')
    if checkpoint is not None and checkpoint.get('type') in (
            'CheckpointHook', 'mmengine.CheckpointHook'):
        checkpoint['type'] = 'SafeCheckpointHook'


def run_naming_rank(run: Callable):
    """``run()``; if a distributed collective times out, re-raise naming
    this rank and the setting that bounds the wait."""
    try:
        return run()
    except RuntimeError as error:
        text = str(error)
        if not (is_distributed() and ('timed out' in text.lower()
                                      or 'timeout' in text.lower())):
            raise
        raise RuntimeError(
            f'rank {get_rank()} of {get_world_size()}: a collective operation '
            'timed out, so another rank stopped answering (hung, stopped or '
            'killed); the job ends instead of waiting. The wait is bounded by '
            "env_cfg.dist_cfg.timeout (seconds). Original error: "
            f'{text.splitlines()[0][:300]}') from error
