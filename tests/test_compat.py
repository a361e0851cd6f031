"""The environment fixes in ``mmpose_mlda.compat`` work, and stay safe.

The checkpoint tests train a tiny plain-MMPose model for 2 iterations on the
4-image COCO sample, resume it with a new Runner under torch's default
``weights_only=True`` loading, and check that a malicious pickle is still
refused.
"""
import importlib
import os
import pickle
from pathlib import Path

import pytest
import torch

import mmpose_mlda  # noqa: F401  (first: applies the compatibility fixes)
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

TINY_CONFIG = Path(__file__).resolve().parent / 'configs' / 'tiny_topdown.py'
COCO_SAMPLE = (Path(__file__).resolve().parents[2] / 'shared' / 'data' /
               'coco' / 'open-mmlab+mmpose' / 'tests' / 'data' / 'coco')
needs_coco = pytest.mark.skipif(
    not (COCO_SAMPLE / 'test_coco.json').is_file(),
    reason=f'COCO sample not found at {COCO_SAMPLE}')


@pytest.fixture
def one_thread():
    """The tiny model is faster on one thread, esp. on a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_openmmlab_imports():
    import mmpose.apis  # noqa: F401
    import mmpose.models  # noqa: F401
    import mmpretrain.models  # noqa: F401


def test_mmcv_ext_stub_raises_clearly():
    ext = importlib.import_module('mmcv._ext')
    if ext.__spec__.loader is not None:
        pytest.skip('a full mmcv build is installed; no stub')
    with pytest.raises(RuntimeError, match='full mmcv build'):
        ext.ms_deform_attn_forward(torch.zeros(1))


def test_torchvision_nms():
    boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 11., 11.],
                          [20., 20., 30., 30.], [0., 0., 10., 9.],
                          [21., 21., 30., 30.]])
    scores = torch.tensor([0.9, 0.8, 0.7, 0.95, 0.6])
    keep = torch.ops.torchvision.nms(boxes, scores, 0.5)
    assert keep.tolist() == [3, 2]
    assert torch.ops.torchvision.nms(boxes, scores, 0.9).tolist() == [
        3, 0, 1, 2, 4
    ]


def _runner(work_dir, name, **overrides):
    cfg = Config.fromfile(str(TINY_CONFIG))
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = name  # a fresh MessageHub / logger per Runner
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.merge_from_dict(overrides)
    return Runner.from_cfg(cfg)


class _RecordBeforeTrain(Hook):
    """Record the state a resumed Runner starts training from."""

    def before_train(self, runner):
        self.iter = runner.iter
        self.losses = runner.message_hub.get_scalar('train/loss').data[0]
        self.adam_steps = {
            int(s['step'])
            for s in runner.optim_wrapper.optimizer.state.values()
        }


@needs_coco
def test_resume_with_weights_only_loading(tmp_path, one_thread):
    # the safety check stays on: no global opt-out of weights_only loading
    assert 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD' not in os.environ

    _runner(tmp_path, 'compat_train').train()
    ckpt = tmp_path / 'iter_2.pth'
    assert ckpt.is_file()
    assert torch.load(ckpt, weights_only=True)['meta']['iter'] == 2

    runner = _runner(
        tmp_path,
        'compat_resume',
        resume=True,
        load_from=str(ckpt),
        train_cfg=dict(max_iters=3))
    record = _RecordBeforeTrain()
    runner.register_hook(record)
    runner.train()
    assert record.iter == 2
    assert len(record.losses) == 2  # message hub history from the checkpoint
    assert record.adam_steps == {2}  # optimizer state from the checkpoint
    assert runner.iter == 3
    assert (tmp_path / 'iter_3.pth').is_file()


class _RunsCommand:
    """Unpickling this runs a shell command (a classic malicious pickle)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f'touch {self.marker}', )


class _GetsAttribute:
    """Unpickling this calls ``getattr`` on something other than the
    HistoryBuffer statistics methods allow-listed for mmengine."""

    def __reduce__(self):
        from mmengine.logging import HistoryBuffer
        return getattr, (HistoryBuffer, '__init__')


def _load_mmengine(path):
    from mmengine.runner.checkpoint import _load_checkpoint
    return _load_checkpoint(str(path), map_location='cpu')


@pytest.mark.parametrize('load', [torch.load, _load_mmengine],
                         ids=['torch.load', 'mmengine._load_checkpoint'])
def test_malicious_checkpoint_refused(tmp_path, load):
    marker = tmp_path / 'pwned'
    bad = tmp_path / 'bad.pth'
    torch.save({'state_dict': {}, 'meta': _RunsCommand(marker)}, bad)
    with pytest.raises(pickle.UnpicklingError, match='system'):
        load(bad)
    assert not marker.exists()

    torch.save({'state_dict': {}, 'meta': _GetsAttribute()}, bad)
    with pytest.raises(pickle.UnpicklingError, match='__init__'):
        load(bad)


def test_mmpose_apis_import_before_the_plugin(tmp_path):
    """The README's inference snippet starts with ``from mmpose.apis
    import MMPoseInferencer``, in a fresh interpreter outside the checkout:
    the start-up file must make that import work before ``import
    mmpose_mlda`` (it failed with "operator torchvision::nms does not
    exist")."""
    import subprocess
    import sys
    code = ('from mmpose.apis import MMPoseInferencer; import torch, '
            'torchvision; print(torch.ops.torchvision.nms(torch.tensor('
            '[[0, 0, 2, 2.], [0, 0, 2, 2.1]]), torch.tensor([1., .5]), '
            '.5).tolist())')
    out = subprocess.run([sys.executable, '-c', code], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == '[0]'


def test_only_the_fixes_this_environment_needs_are_applied_and_logged_once(
        capsys):
    from mmpose_mlda import compat
    names = [fix.split(' ')[0] for fix in compat.applied_fixes()]
    ext = importlib.import_module('mmcv._ext')
    assert ('mmcv_ext_stub' in names) == (ext.__spec__.loader is None)
    assert ('cpu_torchrun' in names) == (not torch.cuda.is_available())
    assert ('checkpoint_globals' in names) == (torch.__version__ >= (2, 6))
    before = compat.applied_fixes()
    compat.apply()  # applied at import: a second call does nothing
    assert 'compat.py applied' not in capsys.readouterr().out
    assert compat.applied_fixes() == before
