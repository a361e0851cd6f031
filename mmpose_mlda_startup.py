"""Runs at interpreter start (``mmpose_mlda_startup.pth``, written into the
environment by ``make install``): makes ``import mmpose`` (and
``from mmpose.apis import MMPoseInferencer``) work before
``import mmpose_mlda``:

- on mmcv-lite, whose missing ``mmcv._ext`` breaks ``mmpose.models`` at
  import time, a stub ``mmcv._ext`` is registered;
- where torchvision's compiled ops cannot load on CPU-only torch (importing
  torchvision then fails with "operator torchvision::nms does not exist"),
  the first ``import torchvision`` defines ``torchvision::nms`` in pure
  torch first.

It must stay cheap and never fail: at start it imports neither torch nor
mmcv (the torchvision fix runs, and imports torch, only when torchvision is
imported). ``mmpose_mlda.compat`` applies the same fixes on import.
"""
import glob
import importlib.abc
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


def _torchvision_ops_loadable() -> bool:
    import torch
    spec = importlib.util.find_spec('torchvision')
    if spec is None or not spec.submodule_search_locations:
        return True  # torchvision absent: nothing to fix
    libs = glob.glob(
        os.path.join(list(spec.submodule_search_locations)[0], '_C*.so'))
    if not libs:
        return False
    try:
        torch.ops.load_library(libs[0])
        return True
    except (OSError, RuntimeError):
        return False


def _nms_cpu(dets, scores, iou_threshold: float):
    """Greedy NMS on (N, 4) xyxy boxes; returns kept indices by score."""
    import torch
    order = scores.argsort(descending=True)
    x1, y1, x2, y2 = dets.unbind(1)
    areas = (x2 - x1).clamp(min=0) * (y2 - y1).clamp(min=0)
    suppressed = torch.zeros(len(dets), dtype=torch.bool)
    keep = []
    for i in order.tolist():
        if suppressed[i]:
            continue
        keep.append(i)
        w = (torch.minimum(x2[i], x2) - torch.maximum(x1[i], x1)).clamp(min=0)
        h = (torch.minimum(y2[i], y2) - torch.maximum(y1[i], y1)).clamp(min=0)
        inter = w * h
        iou = inter / (areas[i] + areas - inter).clamp(min=1e-12)
        suppressed |= iou > iou_threshold
    return torch.tensor(keep, dtype=torch.long, device=dets.device)


def _qnms_unavailable(dets, scores, iou_threshold):
    raise RuntimeError(
        'torchvision::qnms is unavailable: torchvision compiled ops could not '
        'be loaded on this machine (see mmpose_mlda/compat.py).')


_torchvision_lib = None


def define_torchvision_ops() -> None:
    """Define ``torchvision::nms`` (pure torch) and ``torchvision::qnms``
    (raises) when torchvision's compiled ops cannot load; once."""
    global _torchvision_lib
    # find_spec('torchvision') below must not re-enter through the finder
    sys.meta_path[:] = [f for f in sys.meta_path
                        if not isinstance(f, _BeforeTorchvision)]
    import torch
    try:  # defined already (by torchvision, or by this module's other copy)
        torch.ops.torchvision.nms.default
        return
    except (AttributeError, RuntimeError):
        pass
    if _torchvision_ops_loadable():
        return
    lib = torch.library.Library('torchvision', 'DEF')
    for name, impl in (('nms', _nms_cpu), ('qnms', _qnms_unavailable)):
        lib.define(f'{name}(Tensor dets, Tensor scores, '
                   'float iou_threshold) -> Tensor')
        lib.impl(name, impl, 'CompositeExplicitAutograd')
    _torchvision_lib = lib  # keeps the library alive for the process


class _BeforeTorchvision(importlib.abc.MetaPathFinder):
    """Runs :func:`define_torchvision_ops` at the first ``import
    torchvision`` (then leaves the import to the normal finders)."""

    def find_spec(self, name, path=None, target=None):
        if name == 'torchvision':
            try:
                define_torchvision_ops()
            except Exception:  # noqa: BLE001 - the import shows its own error
                pass
        return None


try:
    stub_mmcv_ext()
except Exception:  # noqa: BLE001 - interpreter start must never fail
    pass
if 'torchvision' not in sys.modules:
    sys.meta_path.insert(0, _BeforeTorchvision())
