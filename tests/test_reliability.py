"""Faults lose nothing and wrong inputs never train: each case injected on
tiny data, asserting the message and that the work dir keeps what it had."""
import json
import os
import os.path as osp
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.hooks import Hook
from mmengine.runner import Runner

from conftest import REPO_ROOT, toy_mlda_cfg

sys.path.insert(0, str(REPO_ROOT / 'tools'))


def _source_only_checkpoint(tmp_path, toy_data_root, **model):
    """A plain pose-model checkpoint (what source-only training writes)."""
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'plain'))
    pose_model = cfg.model.pose_model
    for key, value in model.items():
        pose_model.backbone[key] = value
    from mmpose.registry import MODELS
    net = MODELS.build(pose_model)
    path = str(tmp_path / 'plain.pth')
    torch.save(dict(state_dict=net.state_dict(), meta=dict()), path)
    return path, net


# ------------------------------------------------------- strict loading
def test_checkpoint_of_another_width_is_refused(toy_data_root, tmp_path):
    path, _ = _source_only_checkpoint(tmp_path, toy_data_root,
                                      base_channels=16, stem_channels=16)
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'), max_iters=1)
    cfg.load_from = path
    with pytest.raises(ValueError, match=r'differ in shape.*'
                       r'student\.backbone.*allow_partial_load=True'):
        Runner.from_cfg(cfg).train()
    assert not any(f.endswith('.pth') for f in os.listdir(tmp_path / 'run'))


def test_head_only_checkpoint_is_refused_and_partial_load_says_so(
        toy_data_root, tmp_path, logged):
    path, net = _source_only_checkpoint(tmp_path, toy_data_root)
    head_only = {k: v for k, v in net.state_dict().items()
                 if k.startswith('head.')}
    torch.save(dict(state_dict=head_only), path)
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'), max_iters=1)
    cfg.load_from = path
    with pytest.raises(ValueError, match=r'pose-model tensors are missing '
                       r".*student\.backbone"):
        Runner.from_cfg(cfg).train()
    cfg.allow_partial_load = True
    Runner.from_cfg(cfg).train()
    assert any('allow_partial_load=True: loaded' in m and 'missing' in m
               for m in logged)


def test_a_correct_plain_load_is_silent(toy_data_root, tmp_path, logged):
    path, net = _source_only_checkpoint(tmp_path, toy_data_root)
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'), max_iters=1)
    runner = Runner.from_cfg(cfg)
    runner.load_checkpoint(path)
    assert not any('missing' in m or 'unexpected' in m or 'mismatch' in m
                   for m in logged), [m for m in logged if 'key' in m]
    for key, value in net.state_dict().items():  # into both networks
        torch.testing.assert_close(runner.model.student.state_dict()[key],
                                   value)
        torch.testing.assert_close(
            runner.model.teacher.module.state_dict()[key], value)


def test_text_file_as_checkpoint_is_named(toy_data_root, tmp_path):
    text = tmp_path / 'notes.pth'
    text.write_text('not a checkpoint\n')
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'), max_iters=1)
    cfg.load_from = str(text)
    with pytest.raises(ValueError, match='not a checkpoint written by '
                       'torch.save'):
        Runner.from_cfg(cfg).train()


def test_extract_teacher_refuses_a_checkpoint_of_another_model(
        toy_data_root, tmp_path):
    from extract_teacher import extract
    _, net = _source_only_checkpoint(tmp_path, toy_data_root,
                                     base_channels=16, stem_channels=16)
    path = str(tmp_path / 'adapted.pth')  # an adaptation run of that model
    torch.save(dict(state_dict={f'{role}{k}': v
                                for k, v in net.state_dict().items()
                                for role in ('student.', 'teacher.module.')}),
               path)
    out = tmp_path / 'exported'
    with pytest.raises(ValueError, match='does not fit the pose model'):
        extract(str(REPO_ROOT / 'configs' / 'demo' / 'mean_teacher.py'), path,
                str(out))
    assert not out.exists() or not os.listdir(out)
    (tmp_path / 'a_file').write_text('x')
    with pytest.raises(FileExistsError, match='is a file'):
        extract(str(REPO_ROOT / 'configs' / 'demo' / 'mean_teacher.py'), path,
                str(tmp_path / 'a_file'))


# ------------------------------------------------------- non-finite runs
class _LrJump(Hook):
    """The learning rate jumps to 1e6 after iteration ``after``."""

    def __init__(self, after):
        self.after = after

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.after:
            for group in runner.optim_wrapper.optimizer.param_groups:
                group['lr'] = 1e6


def test_diverged_weights_are_never_checkpointed(toy_data_root, tmp_path):
    work = tmp_path / 'run'
    cfg = toy_mlda_cfg(toy_data_root, str(work), max_iters=6)
    cfg.default_hooks.checkpoint.interval = 1
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    runner = Runner.from_cfg(cfg)
    runner.register_hook(_LrJump(after=2), 'LOWEST')
    with pytest.raises(FloatingPointError) as error:
        runner.train()
    message = str(error.value)
    assert 'iter_2.pth' in message and 'load_from=<checkpoint>' in message
    for name in os.listdir(work):
        if name.startswith('iter_'):
            state = torch.load(work / name, weights_only=True)['state_dict']
            assert all(v.abs().max() < 1e4 for v in state.values()
                       if v.is_floating_point()), name


def test_non_finite_loss_names_the_last_good_checkpoint(toy_data_root,
                                                        tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), max_iters=4)
    cfg.default_hooks.checkpoint.interval = 1
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    runner = Runner.from_cfg(cfg)

    class Poison(Hook):

        def before_train_iter(self, runner, batch_idx, data_batch=None):
            if runner.iter == 2:
                runner.model.pseudo_labeler.loss_module.loss_weight = \
                    float('nan')

    runner.register_hook(Poison())
    with pytest.raises(FloatingPointError,
                       match=r'iteration 2 .*last checkpoint known to be '
                       r'good is .*iter_2\.pth'):
        runner.train()


# ---------------------------------------------------------------- resume
def test_resume_without_a_checkpoint_is_an_error(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'typo'), max_iters=2)
    cfg.resume = True
    with pytest.raises(FileNotFoundError, match=r'no checkpoint to resume '
                       r'from in .*typo'):
        Runner.from_cfg(cfg).train()


def test_resume_with_a_plain_load_from_says_which_to_drop(
        toy_data_root, tmp_path):
    path, _ = _source_only_checkpoint(tmp_path, toy_data_root)
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'), max_iters=2)
    cfg.resume, cfg.load_from = True, path
    with pytest.raises(ValueError, match='plain model checkpoint.*drop '
                       '--resume.*drop load_from'):
        Runner.from_cfg(cfg).train()


def test_truncated_latest_checkpoint_falls_back_and_saves_are_atomic(
        toy_data_root, tmp_path, logged):
    work = tmp_path / 'run'
    cfg = toy_mlda_cfg(toy_data_root, str(work), max_iters=2)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    Runner.from_cfg(cfg).train()
    assert sorted(os.listdir(work)).count('iter_2.pth') == 1
    assert not [n for n in os.listdir(work) if n.endswith('.tmp')]
    # a kill during the next save left a truncated iter_4.pth behind
    data = (work / 'iter_2.pth').read_bytes()
    (work / 'iter_4.pth').write_bytes(data[:len(data) // 2])
    (work / 'last_checkpoint').write_text(str(work / 'iter_4.pth'))
    cfg = toy_mlda_cfg(toy_data_root, str(work), max_iters=4)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.resume = True
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert any('skipping' in m and 'iter_4.pth' in m and 'truncated' in m
               for m in logged)
    assert any('Resuming from' in m and 'iter_2.pth' in m for m in logged)
    assert runner.iter == 4
    torch.load(work / 'iter_4.pth', weights_only=True)  # rewritten whole


def test_a_failed_save_keeps_the_previous_best(toy_data_root, tmp_path,
                                               monkeypatch):
    from mmengine.runner import checkpoint as mmengine_checkpoint
    from mmengine.runner import runner as mmengine_runner
    work = tmp_path / 'run'
    cfg = toy_mlda_cfg(toy_data_root, str(work), max_iters=4)
    cfg.train_cfg.val_interval = 2
    cfg.default_hooks.checkpoint.update(save_best='teacher/hm_pck/All',
                                        rule='greater')
    runner = Runner.from_cfg(cfg)
    scores = iter([0.2, 0.5])

    class Scores(Hook):  # a better score at the second validation

        priority = 'HIGHEST'

        def after_val_epoch(self, runner, metrics=None):
            metrics['teacher/hm_pck/All'] = next(scores)

    runner.register_hook(Scores())

    class Kill(Hook):  # the save of the new best dies half way

        def after_val_epoch(self, runner, metrics=None):
            if runner.iter == 4:
                def broken(obj, path, **kwargs):
                    with open(path, 'wb') as f:
                        f.write(b'PK\x03\x04 half')
                    raise KeyboardInterrupt('killed during save')
                monkeypatch.setattr(mmengine_runner, 'save_checkpoint',
                                    broken)
                monkeypatch.setattr(mmengine_checkpoint, 'save_checkpoint',
                                    broken)

    runner.register_hook(Kill(), 'HIGHEST')
    with pytest.raises(KeyboardInterrupt):
        runner.train()
    best = [n for n in os.listdir(work) if n.startswith('best_')]
    assert best == ['best_teacher_hm_pck_All_iter_2.pth']
    torch.load(work / best[0], weights_only=True)
    assert not [n for n in os.listdir(work) if n.endswith('.tmp')]


# ---------------------------------------------------------------- inputs
def test_keypoint_count_is_checked_at_load(toy_data_root, tmp_path):
    target = tmp_path / 'target_train'
    shutil.copytree(toy_data_root + 'target_train', target)
    ann = json.loads((target / 'annotations.json').read_text())
    for a in ann['annotations']:
        a['keypoints'] = a['keypoints'][:14 * 3]
        a['num_keypoints'] = 14
    (target / 'annotations.json').write_text(json.dumps(ann))
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'))
    cfg.train_dataloader.dataset.target.data_root = str(target) + '/'
    with pytest.raises(ValueError, match=r'has 14 keypoints, the target '
                       r"metainfo 'body16' has 16"):
        Runner.from_cfg(cfg).train()


def test_corrupt_json_zero_size_boxes_and_unreadable_images(
        toy_data_root, tmp_path, logged):
    from mmengine.registry import DATASETS
    target = tmp_path / 'target_train'
    shutil.copytree(toy_data_root + 'target_train', target)
    ann_path = target / 'annotations.json'
    text = ann_path.read_text()
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'))
    dataset_cfg = cfg.train_dataloader.dataset
    dataset_cfg.target.data_root = str(target) + '/'
    ann_path.write_text(text[:2000])
    with DATASETS.switch_scope_and_registry('mmpose') as registry:
        with pytest.raises(ValueError, match=r'not valid JSON \(corrupt or '
                           r'truncated\).* at line 1, column \d+'):
            registry.build(dataset_cfg)
        ann = json.loads(text)
        ann['annotations'][3]['bbox'][2] = 0.0  # zero width
        ann_path.write_text(json.dumps(ann))
        (target / 'images' / '000005.png').write_bytes(b'not a png')
        dataset = registry.build(dataset_cfg)
    assert any('1 of 24 annotations' in m and 'zero-size boxes' in m
               for m in logged)
    assert dataset.target_size == 23
    broken = next(i for i in range(dataset.source_size, len(dataset))
                  if dataset._image_path(i).endswith('000005.png'))
    np.random.seed(0)
    sample = dataset[broken]
    assert sample['data_samples']['target_weak'] is not None
    assert any('000005.png cannot be read as an image' in m
               and '1 unreadable so far' in m for m in logged)


def test_bad_threshold_and_fda_band(toy_data_root):
    from mmpose_mlda.models import (FourierStyleTransfer,
                                    build_confidence_threshold)
    with pytest.raises(ValueError, match='needs low <= high'):
        build_confidence_threshold(
            dict(type='RandomConfidenceThreshold', low=0.8, high=0.2))
    with pytest.raises(ValueError, match=r"model.consistency_threshold: "
                       r"'random' is not a registered threshold class.*"
                       r'QuantileConfidenceThreshold'):
        build_confidence_threshold(dict(type='random'))
    with pytest.raises(ValueError, match=r'must be in \[0, 1\)'):
        FourierStyleTransfer(beta=2)


def test_work_dir_that_is_a_file(tmp_path):
    target = tmp_path / 'oops'
    target.write_text('x')
    result = subprocess.run(
        [sys.executable, 'tools/train.py', 'tests/configs/tiny_topdown.py',
         '--work-dir', str(target)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert 'exists and is a file' in result.stderr
    assert target.read_text() == 'x'


# ------------------------------------------------------- distributed runs
WORKER = REPO_ROOT / 'tests' / 'scripts' / 'train_with_a_stopped_rank.py'


def test_a_stopped_rank_ends_the_job_with_the_timeout_message(
        toy_data_root, tmp_path):
    env = dict(os.environ, OMP_NUM_THREADS='1')
    command = [
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node',
        '2', '--master_port', '29533', str(WORKER), toy_data_root,
        str(tmp_path)
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=240)
    finally:  # the stopped rank cannot take SIGTERM: end the whole group
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert process.returncode != 0
    assert 'rank 0 of 2: a collective operation timed out' in output, \
        output[-3000:]
    assert 'env_cfg.dist_cfg.timeout' in output


# ---------------------------------------------------------- first run
def test_first_run_is_quiet_and_mmpose_imports_first(tmp_path):
    result = subprocess.run(
        [sys.executable, 'tools/train.py', 'tests/configs/tiny_topdown.py',
         '--work-dir', str(tmp_path), '--cfg-options',
         'train_cfg.max_iters=1'],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert 'pkg_resources' not in output
    assert 'does not exist' not in output
    # the .pth that make install writes lets mmpose come first
    site = subprocess.run(
        [sys.executable, '-c',
         'import sysconfig; print(sysconfig.get_paths()["purelib"])'],
        capture_output=True, text=True).stdout.strip()
    if not osp.exists(osp.join(site, 'mmpose_mlda_startup.pth')):
        pytest.skip('not installed by make install')
    first = subprocess.run([sys.executable, '-c', 'import mmpose.models'],
                           cwd=str(tmp_path), capture_output=True, text=True,
                           timeout=300)
    assert first.returncode == 0, first.stderr[-2000:]


def test_dist_train_uses_the_project_venv():
    venv_python = REPO_ROOT / '.venv' / 'bin' / 'python'
    if not venv_python.exists():
        pytest.skip('no .venv')
    env = {k: v for k, v in os.environ.items() if k != 'PYTHON'}
    env['PATH'] = '/usr/bin:/bin'  # a python without torch, if any
    result = subprocess.run(
        ['/bin/bash', 'tools/dist_train.sh', 'tests/configs/tiny_topdown.py',
         '1', '--help'],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'usage' in result.stdout.lower()


# ------------------------------------------ saves that must lose nothing
def test_a_refused_save_never_costs_a_kept_checkpoint(toy_data_root,
                                                      tmp_path):
    """max_keep_ckpts=1: MMEngine rotated the only kept checkpoint out
    before writing (and refusing) the next; now the refused save leaves
    it, and last_checkpoint names it."""
    work = tmp_path / 'run'
    cfg = toy_mlda_cfg(toy_data_root, str(work), max_iters=6)
    cfg.default_hooks.checkpoint.update(interval=1, max_keep_ckpts=1)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    runner = Runner.from_cfg(cfg)
    runner.register_hook(_LrJump(after=2), 'LOWEST')
    with pytest.raises(FloatingPointError, match=r'last good checkpoint is '
                       r'.*iter_2\.pth'):
        runner.train()
    kept = sorted(n for n in os.listdir(work) if n.startswith('iter_'))
    assert kept == ['iter_2.pth']
    assert (work / 'last_checkpoint').read_text().endswith('iter_2.pth')
    torch.load(work / 'iter_2.pth', weights_only=True)


def test_a_full_disk_names_the_file_and_the_good_checkpoint(
        toy_data_root, tmp_path, monkeypatch):
    from mmengine.runner import runner as mmengine_runner
    work = tmp_path / 'run'
    cfg = toy_mlda_cfg(toy_data_root, str(work), max_iters=4)
    cfg.default_hooks.checkpoint.update(interval=2, max_keep_ckpts=1)
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    runner = Runner.from_cfg(cfg)
    save = mmengine_runner.save_checkpoint

    def full_disk(obj, path, **kwargs):
        if 'iter_4' in path:
            with open(path, 'wb') as f:
                f.write(b'PK\x03\x04 partial')
            raise OSError(28, 'No space left on device')
        return save(obj, path, **kwargs)

    monkeypatch.setattr(mmengine_runner, 'save_checkpoint', full_disk)
    with pytest.raises(OSError, match=r'writing checkpoint .*iter_4\.pth '
                       r'failed \(No space left on device\); nothing already '
                       r'saved was removed \(the last good checkpoint, '
                       r'.*iter_2\.pth, is kept\).*--resume') as error:
        runner.train()
    assert error.value.errno == 28
    assert sorted(os.listdir(work)).count('iter_2.pth') == 1
    assert not [n for n in os.listdir(work)
                if n.endswith('.tmp') or n == 'iter_4.pth']
    assert (work / 'last_checkpoint').read_text().endswith('iter_2.pth')


def test_resume_with_a_source_only_training_checkpoint(toy_data_root,
                                                       tmp_path):
    """The README's command re-run with --resume: load_from is the
    source-only stage's *training* checkpoint (it has optimizer state)."""
    path, net = _source_only_checkpoint(tmp_path, toy_data_root)
    optimizer = torch.optim.Adam(net.parameters())
    torch.save(dict(state_dict=net.state_dict(), meta=dict(),
                    optimizer=optimizer.state_dict(), message_hub={}), path)
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'), max_iters=2)
    cfg.resume, cfg.load_from = True, path
    with pytest.raises(ValueError, match=r'written by a plain pose-model run '
                       r'.*drop --resume.*drop load_from \(--resume alone'):
        Runner.from_cfg(cfg).train()


def test_train_resume_wins_over_a_load_from_in_cfg_options(tmp_path,
                                                           capsys):
    sys.path.insert(0, str(REPO_ROOT / 'tools'))
    import train as train_tool
    from mmengine.config import Config
    config = str(REPO_ROOT / 'configs' / 'demo' / 'ours.py')
    argv = ['train.py', config, '--work-dir', str(tmp_path), '--resume',
            '--cfg-options', 'load_from=source_only.pth']
    original = sys.argv
    sys.argv = argv
    try:
        args = train_tool.parse_args()
    finally:
        sys.argv = original
    cfg = train_tool.merge_args(Config.fromfile(config), args)
    assert cfg.resume is True and cfg.load_from is None
    assert 'load_from=source_only.pth (the initialisation of a new run) is ' \
        'not used' in capsys.readouterr().out


def test_a_checkpoint_path_that_is_a_folder(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'), max_iters=1)
    cfg.load_from = str(tmp_path)
    with pytest.raises(ValueError, match=r'load_from=.* cannot be loaded: it '
                       r'is a folder, not a checkpoint file'):
        Runner.from_cfg(cfg).train()


def test_test_tool_on_a_folder_config_says_there_is_nothing_to_score():
    sys.path.insert(0, str(REPO_ROOT / 'tools'))
    import test as test_tool
    from mmengine.config import Config
    config = str(REPO_ROOT / 'configs' / 'custom' /
                 'rtmpose-m_source_free.py')
    with pytest.raises(SystemExit, match=r'has no test set .*folder of '
                       r'unlabelled images.*LabelFreeMonitorHook.*'
                       r'extract_teacher'):
        test_tool.require_test_set(Config.fromfile(config), config)


@pytest.mark.parametrize('options,message', [
    (dict(type='ConfidentKeypointOcclusion', prob=2),
     r'ConfidentKeypointOcclusion: prob must be a number in \[0, 1\], got 2'),
    (dict(type='ConfidentKeypointOcclusion', patch_ratio=-0.1),
     r'patch_ratio must be a number in \(0, 1\], got -0\.1'),
    (dict(type='ConfidentKeypointOcclusion', min_confidence=float('nan')),
     r'min_confidence must be a number in \[0, 1\], got nan'),
    (dict(type='SingleKeypointOcclusion', half_size=3.5),
     r'half_size must be an integer in \[1, 10000\], got 3\.5'),
    (dict(type='SingleKeypointOcclusion', half_size=-2),
     r'half_size must be an integer'),
    (dict(pseudo_labeler=dict(type='HeatmapPseudoLabeler', rerender=True,
                              truncation=-3)),
     r'HeatmapPseudoLabeler: truncation must be a number in \(0, 100\], '
     r'got -3'),
    (dict(pseudo_labeler=dict(type='HeatmapPseudoLabeler', rerender='yes')),
     r"rerender must be True or False, got 'yes'"),
])
def test_strategy_options_are_checked_when_built(toy_data_root, options,
                                                 message):
    from mmpose.registry import MODELS
    cfg = toy_mlda_cfg(toy_data_root, 'unused')
    if 'type' in options:
        options = dict(occlusion=options)
    for key, value in options.items():
        cfg.model[key] = value
    with pytest.raises(ValueError, match=message):
        MODELS.build(cfg.model)


def test_a_pseudo_labeler_must_keep_the_contract(toy_data_root):
    """A registered class that is not a PseudoLabeler is refused when the
    model is built; a subclass that only keeps the contract is accepted
    and its heatmap needs are read from ``needs_heatmaps``."""
    from mmpose.registry import MODELS, TASK_UTILS
    from mmpose_mlda.models.pseudo_labels import PseudoLabeler

    @TASK_UTILS.register_module(force=True)
    class _NotALabeler:
        pass

    @TASK_UTILS.register_module(force=True)
    class _CustomLabeler(PseudoLabeler):
        needs_heatmaps = True

    cfg = toy_mlda_cfg(toy_data_root, 'unused')
    cfg.model.pseudo_labeler = dict(type='_NotALabeler')
    with pytest.raises(TypeError, match=r'model\.pseudo_labeler builds a '
                       r'_NotALabeler, not a PseudoLabeler'):
        MODELS.build(cfg.model)
    cfg.model.pseudo_labeler = dict(type='_CustomLabeler')
    assert MODELS.build(cfg.model).pseudo_labeler.needs_heatmaps
    cfg.model.im_loss = dict(type='InformationMaximizationLoss')
    cfg.model.im_input = 'frame'
    cfg.model.pose_model.head = dict(
        type='RLEHead', in_channels=256, num_joints=16,
        loss=dict(type='RLELoss', use_target_weight=True),
        decoder=dict(type='RegressionLabel', input_size=(64, 64)))
    with pytest.raises(TypeError, match=r'pseudo_labeler=_CustomLabeler, '
                       r'im_loss need heatmaps'):
        MODELS.build(cfg.model)


def test_a_source_data_prefix_that_does_not_exist(toy_data_root, tmp_path):
    from mmengine.registry import DATASETS
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'))
    cfg.train_dataloader.dataset.source.data_prefix = dict(img='imgs/')
    with DATASETS.switch_scope_and_registry('mmpose') as registry:
        with pytest.raises(FileNotFoundError, match=r"source\.data_prefix\."
                           r"img 'imgs/' .* is not a folder.*Fix "
                           r'`source\.data_prefix`'):
            registry.build(cfg.train_dataloader.dataset)


def test_a_domain_with_nothing_readable_stops_instead_of_recursing(
        toy_data_root, tmp_path, logged):
    from mmengine.registry import DATASETS
    target = tmp_path / 'target_train'
    shutil.copytree(toy_data_root + 'target_train', target)
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / 'run'))
    cfg.train_dataloader.dataset.target.data_root = str(target) + '/'
    with DATASETS.switch_scope_and_registry('mmpose') as registry:
        dataset = registry.build(cfg.train_dataloader.dataset)
    for image in (target / 'images').iterdir():  # broken after listing
        image.write_bytes(b'\xff\xd8 gone')
    with pytest.raises(RuntimeError, match=r'target: 32 samples in a row '
                       r'have images that cannot be read .*holds nothing '
                       r'readable. Check its data_root and data_prefix'):
        dataset[dataset.source_size]
    assert sum('cannot be read as an image' in m for m in logged) <= 32
