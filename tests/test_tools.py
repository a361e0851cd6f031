"""``tools/train.py`` and ``tools/test.py`` work end to end on the tiny config.

Training runs 2 iterations of a slimmed SimpleBaseline on the 4-image COCO
sample; testing evaluates the checkpoint with MMPose's CocoMetric and
PCKAccuracy.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mmengine.config import Config

REPO = Path(__file__).resolve().parents[1]
TINY_CONFIG = REPO / 'tests' / 'configs' / 'tiny_topdown.py'
COCO_SAMPLE = (REPO.parent / 'shared' / 'data' / 'coco' / 'open-mmlab+mmpose' /
               'tests' / 'data' / 'coco' / 'test_coco.json')
# one thread: the tiny model is faster so, especially on a busy machine
ENV = dict(os.environ, OMP_NUM_THREADS='1')


def _tool(name, *args):
    return [sys.executable, str(REPO / 'tools' / name), *map(str, args)]


def _run(cmd):
    proc = subprocess.run(
        cmd, cwd=REPO, env=ENV, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def test_help_mentions_cfg_options():
    # both at once: most of the time is importing the OpenMMLab stack
    procs = [
        subprocess.Popen(
            _tool(name, '--help'),
            cwd=REPO,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True) for name in ('train.py', 'test.py')
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-3000:]
        assert '--cfg-options' in out
        assert '--launcher' in out


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    if not COCO_SAMPLE.is_file():
        pytest.skip(f'COCO sample not found at {COCO_SAMPLE}')
    work_dir = tmp_path_factory.mktemp('train')
    # the config saves every 2 iterations; the override asks for every one
    _run(
        _tool('train.py', TINY_CONFIG, '--work-dir', work_dir,
              '--no-validate', '--cfg-options',
              'default_hooks.checkpoint.interval=1'))
    return work_dir


def test_train_writes_checkpoints(trained):
    assert (trained / 'iter_1.pth').is_file()  # from the --cfg-options
    assert (trained / 'iter_2.pth').is_file()
    dumped = Config.fromfile(str(trained / TINY_CONFIG.name))
    assert dumped.default_hooks.checkpoint.interval == 1


def test_test_evaluates_checkpoint(trained, tmp_path):
    out = tmp_path / 'metrics.json'
    log = _run(
        _tool('test.py', TINY_CONFIG, trained / 'iter_2.pth', '--work-dir',
              tmp_path, '--out', out))
    assert 'coco/AP' in log and 'PCK' in log
    metrics = json.loads(out.read_text())
    # the same checkpoint scored in this process by MMEngine's Runner: the
    # tool must load it and write exactly what the runner computes
    import mmpose_mlda  # noqa: F401
    from mmengine.runner import Runner
    cfg = Config.fromfile(str(TINY_CONFIG))
    cfg.work_dir = str(tmp_path / 'reference')
    cfg.load_from = str(trained / 'iter_2.pth')
    cfg.log_level = 'WARNING'
    reference = Runner.from_cfg(cfg).test()
    for key in ('coco/AP', 'PCK'):
        assert metrics[key] == pytest.approx(reference[key], abs=1e-6), key


def test_cpu_distributed_settings():
    from mmpose_mlda.utils import cpu_distributed
    for env_cfg in (dict(dist_cfg=dict(backend='nccl')), dict(), None):
        cfg = Config(dict(env_cfg=env_cfg) if env_cfg is not None else {})
        assert len(cpu_distributed(cfg)) == 2
        assert cfg.env_cfg.dist_cfg.backend == 'gloo'
        assert cfg.model_wrapper_cfg == dict(
            type='MMDistributedDataParallel', device_ids=None)

    wrapper = dict(type='MMDistributedDataParallel', find_unused_parameters=1)
    cfg = Config(
        dict(env_cfg=dict(dist_cfg=dict(backend='mpi')),
             model_wrapper_cfg=wrapper))
    assert cpu_distributed(cfg) == []  # the config's own choices stay
    assert cfg.env_cfg.dist_cfg.backend == 'mpi'
    assert cfg.model_wrapper_cfg == wrapper
