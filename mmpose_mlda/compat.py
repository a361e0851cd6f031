"""Compatibility fixes for the CPU package set this project pins.

Imported by ``mmpose_mlda/__init__.py`` before mmpose, mmpretrain or torchvision
are imported. Every fix first checks whether the real thing works and does
nothing if it does (e.g. on a CUDA machine with a full mmcv build), so this
module is safe to import anywhere. Background: ``../shared/ENVIRONMENT.md``.

1. torchvision's compiled ops are a CUDA build that cannot load on CPU-only
   torch; ``torchvision._meta_registrations`` then fails with "operator
   torchvision::nms does not exist". We define ``torchvision::nms`` (pure
   torch) and ``torchvision::qnms`` (raises) only when loading ``_C`` fails.
2. mmcv-lite has no ``mmcv._ext``; ``mmpose.models`` imports it at module
   level. We register a stub (``mmpose_mlda_startup.py``) whose ``nms`` runs
   through torchvision (what MMDetection's inference needs) and whose other
   ops raise a clear error when called.
3. torch >= 2.6 loads checkpoints with ``weights_only=True``; mmengine's
   checkpoints hold numpy arrays and mmengine logging objects. We allow-list
   exactly those globals instead of switching the safety check off (older
   torch needs nothing).
4. mmengine's PyTorch launcher calls ``torch.cuda.set_device`` even on CPU-only
   torch. We skip that call when CUDA is unavailable, so ``torchrun`` with the
   gloo backend works on CPU.

``apply()`` logs once which fixes this environment needed (MMEngine's
current logger, INFO); ``applied_fixes()`` returns them.
"""
import logging
import sys
import warnings

import torch

#: the fixes applied in this process (``None`` until :func:`apply` ran)
_applied = None


def _define_torchvision_ops() -> bool:
    import mmpose_mlda_startup
    mmpose_mlda_startup.define_torchvision_ops()
    return mmpose_mlda_startup._torchvision_lib is not None


def _stub_mmcv_ext() -> bool:
    from mmpose_mlda_startup import _MissingOps, stub_mmcv_ext
    stub_mmcv_ext()
    return isinstance(sys.modules.get('mmcv._ext'), _MissingOps)


def _allow_mmengine_checkpoint_globals() -> bool:
    if torch.__version__ < (2, 6):
        return False  # loads without the weights-only check by default
    import pickle

    import numpy as np
    from mmengine.logging import HistoryBuffer
    try:
        from numpy.core.multiarray import _reconstruct, scalar
    except ImportError:  # numpy 2
        from numpy._core.multiarray import _reconstruct, scalar
    # bytes: an empty array (MMPose's Human3.6M metainfo has sigmas=[]) pickles
    # its buffer as bytes(); it builds immutable data only
    safe = [_reconstruct, scalar, np.ndarray, np.dtype, HistoryBuffer, bytes]
    # the dtype classes numpy pickles by type (numpy >= 1.25)
    safe += [type(np.dtype(t)) for t in (np.float16, np.float32, np.float64,
                                         np.int32, np.int64, np.uint8,
                                         np.bool_, np.str_, np.object_)]

    # HistoryBuffer pickles its statistics methods as
    # ``getattr(HistoryBuffer, 'mean')``. Allowing the real
    # ``builtins.getattr`` would give a checkpoint arbitrary attribute access,
    # so that name maps to a stand-in that only looks up HistoryBuffer's
    # statistics methods.
    def _history_buffer_method(obj, name):
        if obj is HistoryBuffer and name in ('min', 'max', 'current', 'mean'):
            return getattr(HistoryBuffer, name)
        raise pickle.UnpicklingError(
            f'checkpoint calls getattr({obj!r}, {name!r}); only HistoryBuffer '
            'statistics methods are allowed (mmpose_mlda/compat.py)')

    safe.append((_history_buffer_method, 'builtins.getattr'))
    torch.serialization.add_safe_globals(safe)
    return True


def _allow_cpu_torchrun() -> bool:
    if torch.cuda.is_available():
        return False
    from mmengine.dist import utils as dist_utils
    original = dist_utils._init_dist_pytorch
    if getattr(original, '_mmpose_mlda_cpu', False):
        return True

    def init_dist_pytorch_cpu(backend, init_backend='torch', **kwargs):
        # torch.cuda.set_device does not exist on CPU-only torch; gloo needs
        # no device selection.
        set_device = torch.cuda.set_device
        torch.cuda.set_device = lambda device: None
        try:
            original('gloo' if backend == 'nccl' else backend, init_backend,
                     **kwargs)
        finally:
            torch.cuda.set_device = set_device

    init_dist_pytorch_cpu._mmpose_mlda_cpu = True
    dist_utils._init_dist_pytorch = init_dist_pytorch_cpu
    return True


def _quiet_known_warnings() -> bool:
    """mmengine imports pkg_resources (deprecated in setuptools) when it
    looks up packages; MMPose's dataset classes name their metainfo files
    relative to an MMPose checkout and fall back, correctly, to the copies
    MMPose installs. Silence exactly those notices."""
    warnings.filterwarnings(
        'ignore', message=r'The metainfo config file .* does not exist\. A '
        r'matched config file .* will be used instead', category=UserWarning)
    warnings.filterwarnings(
        'ignore', message='pkg_resources is deprecated as an API',
        category=UserWarning)
    warnings.filterwarnings(
        'ignore', message='Deprecated call to `pkg_resources.declare_namespace',
        category=DeprecationWarning)
    return True


#: name -> (fix, why this environment needs it), in the order applied
_FIXES = dict(
    warning_filters=(_quiet_known_warnings, 'known notices'),
    torchvision_nms=(_define_torchvision_ops, 'compiled ops do not load'),
    mmcv_ext_stub=(_stub_mmcv_ext, 'mmcv-lite'),
    checkpoint_globals=(_allow_mmengine_checkpoint_globals,
                        'torch >= 2.6 weights-only loading'),
    cpu_torchrun=(_allow_cpu_torchrun, 'no CUDA'))


def applied_fixes() -> list:
    """What :func:`apply` did in this process (``[]`` before it ran)."""
    return list(_applied or [])


def apply() -> None:
    """Apply the fixes this environment needs, once, and log them once."""
    global _applied
    if _applied is not None:
        return
    _applied = [f'{name} ({why})' for name, (fix, why) in _FIXES.items()
                if fix()]
    from mmengine.logging import print_log
    print_log('mmpose_mlda/compat.py applied: ' +
              (', '.join(_applied) or 'nothing (not needed here)'),
              logger='current', level=logging.INFO)
