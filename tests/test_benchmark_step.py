"""tools/benchmark_step.py runs and reports (its figures are not asserted:
speed is measured by running the benchmark, never by tests), and the
optimised paths it measures behave like the plain ones."""
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from mmpose_mlda.models import AdaINStyleTransfer
from mmpose_mlda.models.utils import (joint_order_index, match_joint_order,
                                      named_step_seconds, permute_channels)

REPO = Path(__file__).resolve().parents[1]


def test_benchmark_step_reports_every_level_and_the_breakdown():
    result = subprocess.run(
        [sys.executable, 'tools/benchmark_step.py', '--batch-size', '2',
         '--warmup', '0', '--iters', '1', '--levels', 'mt,all,sf'],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert re.search(r'supervised MMPose train_step \(B\)\s+[\d.]+s\s+1\.00',
                     out)
    for level, batch in (('mt', r'B\+B'), ('all', r'B\+B'), ('sf', 'B')):
        ratio = re.search(
            rf'adaptation step, {level} \({batch}, EMA\)\s+[\d.]+s\s+([\d.]+)',
            out)
        assert ratio and float(ratio.group(1)) > 0, level
    breakdown = dict(
        (m.group(1), float(m.group(2))) for m in re.finditer(
            r'^  (\S.*?)\s+(-?[\d.]+)s\s+-?[\d.]+$', out, re.M))
    # the named steps of the real full-MLDA step, each once
    for part in ('preprocess', 'style_transfer', 'source', 'teacher',
                 'occlusion', 'student_target', 'consistency',
                 'adversarial', 'im', 'backward_and_update',
                 'optimizer step', 'ema', 'rest', 'profiled step'):
        assert part in breakdown, (part, out)
    # exclusive times: nothing counted twice, so what no step covers is
    # not negative
    assert breakdown['rest'] >= 0, breakdown


def _event(name, start, end):
    return SimpleNamespace(name=name,
                           time_range=SimpleNamespace(start=start, end=end))


def test_named_step_seconds_are_exclusive_of_nested_steps():
    """Microsecond ranges of two iterations: the style transfer inside the
    preprocessing and the optimizer's step inside the update are not
    counted twice; other profiler events are ignored."""
    events = []
    for offset in (0, 1000):
        events += [
            _event('mlda::preprocess', offset + 0, offset + 100),
            _event('mlda::style_transfer', offset + 20, offset + 80),
            _event('aten::conv2d', offset + 30, offset + 40),
            _event('mlda::teacher', offset + 100, offset + 300),
            _event('mlda::backward_and_update', offset + 300, offset + 700),
            _event('Optimizer.step#Adam.step', offset + 600, offset + 690),
        ]
    prof = SimpleNamespace(events=lambda: list(reversed(events)))
    seconds = named_step_seconds(prof, count=2)
    assert list(seconds) == ['preprocess', 'style_transfer', 'teacher',
                             'backward_and_update', 'optimizer step']
    expected = dict(preprocess=40, style_transfer=60, teacher=200,
                    backward_and_update=310)
    expected['optimizer step'] = 90
    for name, microseconds in expected.items():
        assert seconds[name] == pytest.approx(microseconds / 1e6), name


def test_joint_order_index_equals_the_full_gather():
    rng = np.random.default_rng(0)
    flip = np.array([1, 0, 2, 4, 3])
    src = np.stack([flip, np.arange(5), flip])
    dst = np.stack([np.arange(5), flip, flip])
    heatmaps = torch.rand(3, 5, 6, 7)
    # the former implementation: a gather over the whole tensor
    channel_of_joint = torch.argsort(torch.as_tensor(src), dim=1)
    index = channel_of_joint.gather(1, torch.as_tensor(dst))
    gathered = heatmaps.gather(1, index[:, :, None, None].expand_as(heatmaps))
    torch.testing.assert_close(match_joint_order(heatmaps, src, dst),
                               gathered, rtol=0, atol=0)
    # no permutation at all: the input itself, no copy
    same = np.stack([rng.permutation(5)] * 3)
    assert joint_order_index(same, same) is None
    assert permute_channels(heatmaps, None) is heatmaps


def test_adain_stylises_only_selected_images_with_one_style_pass():
    torch.manual_seed(0)
    adain = AdaINStyleTransfer(allow_random_init=True, alpha=0.7, prob=0.5)
    content, style = torch.rand(6, 3, 32, 32), torch.rand(3, 3, 32, 32)
    torch.manual_seed(1)
    out = adain(content, style)
    # the same draws, replayed: which images and which styles
    torch.manual_seed(1)
    selected = torch.nonzero(torch.rand(6) < 0.5).flatten()
    style_index = torch.randint(3, (selected.numel(), ))
    assert 0 < selected.numel() < 6
    untouched = [i for i in range(6) if i not in selected.tolist()]
    torch.testing.assert_close(out[untouched], content[untouched], rtol=0,
                               atol=0)
    # the selected ones equal the one-to-one reference path to float
    # rounding (batched and one-by-one convolutions differ by ~1e-5; on one
    # thread 1.3e-5 was seen); another style moves pixels by up to 0.26,
    # alpha 0.6 instead of 0.7 by 0.04 (measured on these inputs)
    reference = adain.stylise(content[selected], style[style_index], 0.7)
    torch.testing.assert_close(out[selected], reference, rtol=0, atol=1e-4)


@pytest.mark.parametrize('config', ['demo/mean_teacher.py',
                                    'mlda_authors_surreal_lsp.py'])
def test_amp_switch_makes_every_optim_wrapper_amp(config):
    """``--amp``: MMEngine's AmpOptimWrapper on CUDA, the bf16 CPU
    wrapper without it, for every part; with ``validation`` the
    teacher-student validation autocasts too."""
    from mmengine.config import Config
    from mmpose_mlda.utils import use_amp
    cfg = Config.fromfile(str(REPO / 'configs' / config))
    use_amp(cfg, validation=True)
    wrappers = [cfg.optim_wrapper] if 'constructor' not in cfg.optim_wrapper \
        else [cfg.optim_wrapper.student, cfg.optim_wrapper.discriminator]
    expected = 'AmpOptimWrapper' if torch.cuda.is_available() \
        else 'CpuBf16OptimWrapper'
    assert [w.type for w in wrappers] == [expected] * len(wrappers)
    assert cfg.val_cfg.fp16 is True


def test_amp_switch_leaves_mmengine_validation_fp32_on_cpu():
    """MMEngine's ValLoop hands MMPose's numpy decoding the head's
    output as it is: bf16 on CPU would not decode, so a source-only
    config validates in fp32 there (and trains in bf16); on CUDA (fp16,
    which numpy holds) it autocasts."""
    from mmengine.config import Config
    from mmpose_mlda.utils import use_amp
    cfg = Config.fromfile(str(REPO / 'configs' / 'demo' / 'source_only.py'))
    use_amp(cfg, validation=True)
    cuda = torch.cuda.is_available()
    assert cfg.optim_wrapper.type == (
        'AmpOptimWrapper' if cuda else 'CpuBf16OptimWrapper')
    assert cfg.val_cfg.get('fp16', False) is cuda


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_amp_optim_wrapper_builds_and_steps_on_cuda(toy_data_root, tmp_path):
    from conftest import toy_mlda_cfg
    from mmengine.runner import Runner
    from mmpose_mlda.utils import use_amp
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), max_iters=2)
    use_amp(cfg)
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert type(runner.optim_wrapper).__name__ == 'AmpOptimWrapper'


def test_benchmark_data_reports_samples_per_second():
    result = subprocess.run(
        [sys.executable, 'tools/benchmark_data.py', '--samples', '4',
         '--step-time', '0.5'],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert result.returncode == 0, result.stderr[-3000:]
    for recipe in ('paper', 'authors'):
        line = re.search(rf'{recipe}: source pipeline\s+([\d.]+) samples/s, '
                         r'two-view target pipeline\s+([\d.]+) samples/s; '
                         r'one 32\+32 batch ([\d.]+) s per worker; (\d+) '
                         r'workers keep a 0.50 s step fed', result.stdout)
        assert line, result.stdout
        assert all(float(v) > 0 for v in line.groups())
