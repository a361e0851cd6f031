"""The adaptation model, hook and loops, run through MMEngine's Runner."""
import copy
import os
import os.path as osp

import pytest
import torch
from conftest import toy_mlda_cfg
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmpose_mlda.models import (MeanTeacherPoseEstimator,
                                build_confidence_threshold)


def _weights(module):
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(a[key], b[key], msg=key)


def test_burn_in_then_adaptation_end_to_end(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), max_iters=4,
                       burn_in_iters=2)
    runner = Runner.from_cfg(cfg)
    logged = []
    hub = runner.message_hub

    class Spy(Hook):  # records losses and the teacher after every iteration

        def after_train_iter(self, runner, batch_idx, data_batch, outputs):
            model = runner.model
            logged.append((batch_idx, dict(outputs), model.adapting,
                           _weights(model.teacher.module),
                           _weights(model.student)))

    runner.register_hook(Spy(), 'LOWEST')
    runner.train()
    assert [entry[2] for entry in logged] == [False, False, True, True]
    for batch_idx, outputs, adapting, teacher, student in logged:
        assert all(torch.isfinite(v).all() for v in outputs.values())
        assert ('target.loss_consistency' in outputs) == adapting
    # during burn-in the teacher is a copy of the student ...
    _assert_same(logged[1][3], logged[1][4])
    # ... then one EMA step: teacher = decay * old + (1 - decay) * student
    decay = 1 - runner.model.teacher.momentum
    assert decay == cfg.model.teacher_decay
    old_teacher, student, teacher = logged[1][3], logged[2][4], logged[2][3]
    key = 'backbone.conv1.weight'
    torch.testing.assert_close(
        teacher[key], decay * old_teacher[key] + (1 - decay) * student[key])
    key = 'backbone.bn1.running_mean'  # BN statistics are averaged too
    torch.testing.assert_close(
        teacher[key], decay * old_teacher[key] + (1 - decay) * student[key])
    assert not torch.equal(teacher[key], student[key])
    # validation scored both networks; best checkpoint by the teacher
    scalars = hub.log_scalars
    assert 'val/teacher/hm_pck/All' in scalars
    assert 'val/student/hm_pck/All' in scalars
    assert any(
        name.startswith('best_teacher_hm_pck_All')
        for name in __import__('os').listdir(tmp_path))
    # the teacher stays in eval mode while the student trains
    runner.model.train()
    assert runner.model.student.training
    assert not runner.model.teacher.training
    assert not any(p.requires_grad for p in runner.model.teacher.parameters())


def test_resume_reproduces_uninterrupted_run(toy_data_root, tmp_path):
    """4 iterations straight == 2 iterations, stop, resume to 4 (burn-in
    switch at 2, so resume crosses the source-only -> adaptation switch)."""
    straight = Runner.from_cfg(
        toy_mlda_cfg(toy_data_root, str(tmp_path / 'straight'), 4, 2))
    straight.train()

    first = toy_mlda_cfg(toy_data_root, str(tmp_path / 'resumed'), 4, 2)
    first.train_cfg.val_interval = 100

    class Interrupt(Hook):  # the job dies after iteration 2's checkpoint

        def after_train_iter(self, runner, batch_idx, data_batch, outputs):
            if runner.iter + 1 == 2:
                raise KeyboardInterrupt

    interrupted = Runner.from_cfg(first)
    interrupted.register_hook(Interrupt(), 'LOWEST')
    with pytest.raises(KeyboardInterrupt):
        interrupted.train()
    second = toy_mlda_cfg(toy_data_root, str(tmp_path / 'resumed'), 4, 2)
    second.resume = True
    resumed = Runner.from_cfg(second)
    resumed.train()

    assert resumed.iter == straight.iter == 4
    _assert_same(_weights(straight.model.student),
                 _weights(resumed.model.student))
    _assert_same(_weights(straight.model.teacher),
                 _weights(resumed.model.teacher))


def _toy_model(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path))
    from mmpose.registry import MODELS
    return MODELS.build(cfg.model), cfg


def test_plain_checkpoint_loads_into_student_and_teacher(
        toy_data_root, tmp_path):
    from mmengine.runner import load_checkpoint
    model, cfg = _toy_model(toy_data_root, tmp_path)
    from mmpose.registry import MODELS
    plain = MODELS.build(cfg.model.pose_model)
    path = osp.join(tmp_path, 'source_only.pth')
    torch.save({'state_dict': plain.state_dict()}, path)
    load_checkpoint(model, path)
    _assert_same(_weights(model.student), _weights(plain))
    _assert_same(_weights(model.teacher.module), _weights(plain))


def test_checkpoint_of_another_model_is_refused(toy_data_root, tmp_path):
    from mmengine.runner import load_checkpoint
    model, _ = _toy_model(toy_data_root, tmp_path)
    path = osp.join(tmp_path, 'other.pth')
    torch.save({'state_dict': {'encoder.layer.weight': torch.zeros(1)}}, path)
    with pytest.raises(KeyError, match='fits neither.*encoder.layer.weight'):
        load_checkpoint(model, path)


def test_non_finite_loss_stops_before_the_step(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), max_iters=2)
    runner = Runner.from_cfg(cfg)
    model = runner.model
    model.pseudo_labeler.loss_module.loss_weight = float('nan')
    with pytest.raises(FloatingPointError,
                       match=r'iteration 0 .*target.loss_consistency=nan'):
        runner.train()
    # nothing reached the weights and no checkpoint was written
    assert not any(
        name.endswith('.pth') for name in __import__('os').listdir(tmp_path))


def test_predict_uses_the_teacher(toy_data_root, tmp_path):
    model, _ = _toy_model(toy_data_root, tmp_path)
    model.init_weights()
    with torch.no_grad():
        for p in model.student.parameters():
            p.add_(1.0)
    x = torch.randn(1, 3, 64, 64)
    model.eval()
    torch.testing.assert_close(
        model(x, mode='tensor'), model.teacher.module._forward(x))
    model.predict_on = 'student'
    torch.testing.assert_close(
        model(x, mode='tensor'), model.student._forward(x))


def test_rejects_non_heatmap_heads(toy_data_root, tmp_path):
    _, cfg = _toy_model(toy_data_root, tmp_path)
    bad = copy.deepcopy(cfg.model)
    bad.pose_model.head = dict(
        type='RegressionHead', in_channels=512, num_joints=16,
        loss=dict(type='SmoothL1Loss', use_target_weight=True),
        decoder=dict(type='RegressionLabel', input_size=(64, 64)))
    with pytest.raises(TypeError, match='need heatmaps.*RegressionHead'):
        MeanTeacherPoseEstimator(**{k: v for k, v in bad.items()
                                    if k != 'type'})


@pytest.mark.parametrize('threshold,expected', [
    (dict(type='FixedConfidenceThreshold', value=0.3), 0.3),
    (dict(type='QuantileConfidenceThreshold', q=0.5), 0.5),
])
def test_consistency_thresholds(toy_data_root, tmp_path, threshold,
                                expected):
    threshold = build_confidence_threshold(threshold)
    peaks = torch.tensor([[0.1, 0.5, 0.9]])
    assert float(threshold(peaks)) == pytest.approx(expected)


def test_random_threshold_in_range(toy_data_root, tmp_path):
    threshold = build_confidence_threshold(
        dict(type='RandomConfidenceThreshold', low=0.2, high=0.4))
    values = [float(threshold(torch.zeros(1, 1))) for _ in range(50)]
    assert 0.2 <= min(values) and max(values) <= 0.4
    assert len(set(values)) > 1


def test_sampler_and_dataloader_batch_sizes_must_agree(toy_data_root,
                                                       tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path))
    cfg.train_dataloader.sampler.batch_size = 2  # dataloader keeps 4
    with pytest.raises(ValueError, match='batch_size=4 differs'):
        Runner.from_cfg(cfg).train()


def test_iteration_seeds_are_hashed_not_shifted():
    from mmpose_mlda.engine.runner.adaptation_train_loop import iteration_seed
    seeds = {(s, i, r): iteration_seed(s, i, r)
             for s in range(3) for i in range(50) for r in range(2)}
    assert len(set(seeds.values())) == len(seeds)  # no two streams alias
    assert all(0 <= v < 2**31 for v in seeds.values())
    assert iteration_seed(1, 0, 0) == iteration_seed(1, 0, 0)


def test_runs_with_neighbouring_seeds_share_no_random_stream(
        toy_data_root, tmp_path):
    """The random consistency threshold drawn each iteration: seed 1 must
    not replay seed 0's draws shifted by an iteration."""
    thresholds = {}
    for seed in (0, 1):
        cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / str(seed)), 4)
        cfg.randomness = dict(seed=seed)
        cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
        cfg.default_hooks.checkpoint.interval = 100
        drawn = thresholds[seed] = []

        class Spy(Hook):

            def after_train_iter(self, runner, batch_idx, data_batch,
                                 outputs, drawn=drawn):
                drawn.append(round(
                    float(outputs['target.consistency_threshold']), 6))

        runner = Runner.from_cfg(cfg)
        runner.register_hook(Spy(), 'LOWEST')
        runner.train()
    assert len(thresholds[0]) == len(thresholds[1]) == 4
    assert not set(thresholds[0]) & set(thresholds[1])


@pytest.mark.parametrize('train_cfg,message', [
    (dict(max_iters=4, burn_in_iters=4), r'burn_in_iters=4 must be within'),
    (dict(max_iters=4, burn_in_iters=9), r'burn_in_iters=9 must be within'),
    (dict(max_iters=4, burn_in_iters=2, source_only=True),
     'drop burn_in_iters'),
])
def test_burn_in_as_long_as_the_run_is_refused(toy_data_root, tmp_path,
                                               train_cfg, message):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path))
    cfg.train_cfg.update(train_cfg)
    with pytest.raises(ValueError, match=message):
        Runner.from_cfg(cfg).train()
    assert not any(f.endswith('.pth') for f in os.listdir(tmp_path))


def test_source_only_stage_never_adapts(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), max_iters=2)
    cfg.train_cfg.source_only = True
    runner = Runner.from_cfg(cfg)
    stages = []

    class Spy(Hook):

        def after_train_iter(self, runner, batch_idx, data_batch, outputs):
            stages.append((runner.model.adapting, sorted(outputs)))

    runner.register_hook(Spy(), 'LOWEST')
    runner.train()
    assert [adapting for adapting, _ in stages] == [False, False]
    assert all('target.loss_consistency' not in keys for _, keys in stages)


def _validation_metrics(cfg):
    """Every validation's metrics of a training of ``cfg``."""
    runner = Runner.from_cfg(cfg)
    seen = []

    class Record(Hook):

        def after_val_epoch(self, runner, metrics=None):
            seen.append(dict(metrics))

    runner.register_hook(Record())
    runner.train()
    return seen


def test_student_scored_at_the_last_validation_only(toy_data_root,
                                                    tmp_path):
    """score_student='last': the validations before the last score the
    teacher alone; the teacher's curve and both final scores are those of
    scoring the student every time (the same training)."""
    runs = {}
    for mode in ('every', 'last'):
        cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / mode), max_iters=4)
        cfg.train_cfg.val_interval = 2
        cfg.val_cfg.score_student = mode
        runs[mode] = _validation_metrics(cfg)
    every, last = runs['every'], runs['last']
    assert len(every) == len(last) == 2
    assert any(k.startswith('student/') for k in every[0])
    assert not any(k.startswith('student/') for k in last[0])
    assert last[0] == {k: v for k, v in every[0].items()
                       if k.startswith('teacher/')}
    assert last[1] == every[1]
    assert any(k.startswith('student/') for k in last[1])


def test_student_left_out_with_a_student_best_checkpoint_is_refused(
        toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path))
    cfg.val_cfg.score_student = 'never'
    cfg.default_hooks.checkpoint.save_best = 'student/hm_pck/All'
    with pytest.raises(ValueError, match='save_best'):
        Runner.from_cfg(cfg).train()
    cfg.val_cfg.score_student = 'sometimes'
    cfg.default_hooks.checkpoint.save_best = 'teacher/hm_pck/All'
    with pytest.raises(ValueError, match="'every', 'last' or 'never'"):
        Runner.from_cfg(cfg).train()
