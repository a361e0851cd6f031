"""Runs at interpreter start (``mmpose_mlda_startup.pth``, written into the
environment by ``make install``): makes ``import mmpose`` work before
``import mmpose_mlda`` on mmcv-lite, whose missing ``mmcv._ext`` breaks
``mmpose.models`` at import time.

It must stay cheap and never fail: it imports neither torch nor mmcv, and
only registers a stub ``mmcv._ext`` when mmcv is installed without its
compiled ops. ``mmpose_mlda.compat`` applies the same fix on import.
"""
import glob
import importlib.machinery
import importlib.util
import os
import sys
import types


def _nms(bboxes, scores, iou_threshold, offset=0):
    """mmcv's ``ext_module.nms`` through torchvision's (pure-torch on
    CPU-only torch, see mmpose_mlda/compat.py): what MMDetection's
    inference needs of mmcv's compiled ops."""
    import torch
    import torchvision  # noqa: F401  (registers torch.ops.torchvision)
    if offset:  # mmcv's legacy "+1" box convention
        bboxes = bboxes.clone()
        bboxes[:, 2:] += offset
    return torch.ops.torchvision.nms(bboxes.float(), scores.float(),
                                     float(iou_threshold))


class _MissingOps(types.ModuleType):
    """``mmcv._ext`` of mmcv-lite: ``nms`` runs through torchvision, every
    other op raises a clear error."""

    nms = staticmethod(_nms)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)

        def _unavailable(*args, **kwargs):
            raise RuntimeError(
                f'mmcv op "{name}" needs a full mmcv build; this environment '
                'has mmcv-lite (see mmpose_mlda/compat.py).')

        return _unavailable


def stub_mmcv_ext() -> None:
    """Register the stub unless a real ``mmcv._ext`` (or no mmcv) exists."""
    if 'mmcv._ext' in sys.modules:
        return
    spec = importlib.util.find_spec('mmcv')  # does not import mmcv
    if spec is None or not spec.submodule_search_locations:
        return
    folder = list(spec.submodule_search_locations)[0]
    if glob.glob(os.path.join(folder, '_ext*')):
        return  # a full mmcv build
    stub = _MissingOps('mmcv._ext')
    # loader=None keeps mmengine reporting mmcv-full as unavailable
    stub.__spec__ = importlib.machinery.ModuleSpec('mmcv._ext', loader=None)
    sys.modules['mmcv._ext'] = stub


try:
    stub_mmcv_ext()
except Exception:  # noqa: BLE001 - interpreter start must never fail
    pass
