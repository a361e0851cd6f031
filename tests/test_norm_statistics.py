"""BatchNorm statistics of the target domain: the source pass leaves the
running statistics alone, the teacher can take the student's."""
import copy

import pytest
import torch
from torch import nn

from mmpose_mlda.models.estimators.teacher_ema import TeacherEMA
from mmpose_mlda.models.utils import frozen_norm_statistics


def _net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(),
                         nn.Conv2d(4, 2, 1), nn.BatchNorm2d(2)).train()


def _stats(net):
    return [t.clone() for m in net.modules() if isinstance(m, nn.BatchNorm2d)
            for t in (m.running_mean, m.running_var, m.num_batches_tracked)]


def test_frozen_statistics_keep_running_stats_and_gradients():
    frozen, plain = _net(), _net()
    x = torch.randn(5, 3, 8, 8) * 3 + 1
    before = _stats(frozen)
    with frozen_norm_statistics(frozen):
        frozen(x).square().mean().backward()
    plain(x).square().mean().backward()
    for a, b in zip(before, _stats(frozen)):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    # the plain pass does move them (so the check above can fail)
    assert not torch.equal(before[0], _stats(plain)[0])
    for a, b in zip(frozen.parameters(), plain.parameters()):
        torch.testing.assert_close(a.grad, b.grad)
    # the momentum is back: the next pass updates as usual
    frozen(x)
    torch.testing.assert_close(_stats(frozen)[0], _stats(plain)[0])


def test_frozen_statistics_with_cumulative_average():
    net = _net()
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.momentum = None
    net(torch.randn(4, 3, 8, 8))
    before = _stats(net)
    with frozen_norm_statistics(net):
        net(torch.randn(4, 3, 8, 8) + 5)
    for a, b in zip(before, _stats(net)):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert net[1].momentum is None


def test_teacher_takes_student_statistics():
    student = _net()
    teacher = TeacherEMA(student, momentum=0.1, norm='student')
    teacher.update_parameters(student)  # step 0: a copy
    start = [p.clone() for p in teacher.module.parameters()]
    with torch.no_grad():
        for p in student.parameters():
            p.add_(1.0)
    student(torch.randn(4, 3, 8, 8) + 2)  # moves the running statistics
    teacher.update_parameters(student)
    for own, new in zip(teacher.module.buffers(), student.buffers()):
        torch.testing.assert_close(own, new, rtol=0, atol=0)
    for own, old in zip(teacher.module.parameters(), start):
        torch.testing.assert_close(own, old + 0.1)


@pytest.mark.parametrize('norm', TeacherEMA.NORMS)
@pytest.mark.parametrize('conversion', ['channels_last', 'double'])
def test_teacher_follows_after_the_model_is_converted(norm, conversion):
    """After ``.to(memory_format=...)``, ``.double()`` (or ``.cuda()``, which
    the runner calls after building the model) the EMA step lands in the
    teacher's live weights and statistics, not in tensors the conversion
    replaced (it once did: the teacher stayed where it started)."""
    student = _net()
    teacher = TeacherEMA(student, momentum=0.1, norm=norm)
    teacher.update_parameters(student)  # step 0: a copy
    pair = nn.ModuleList([student, teacher])
    if conversion == 'channels_last':
        pair.to(memory_format=torch.channels_last)
    else:
        pair.double()
    start = [p.clone() for p in teacher.module.parameters()]
    with torch.no_grad():
        for p in student.parameters():
            p.add_(1.0)
    student(torch.randn(4, 3, 8, 8, dtype=start[0].dtype) + 2)
    teacher.update_parameters(student)
    for own, old in zip(teacher.module.parameters(), start):
        torch.testing.assert_close(own, old + 0.1)
    running_var = teacher.module[1].running_var
    if norm == 'batch':  # its own statistics: left alone by the update
        assert torch.equal(running_var, torch.ones_like(running_var))
    else:
        assert not torch.equal(running_var, torch.ones_like(running_var))


def test_channels_last_estimator_teacher_follows_the_student(toy_data_root,
                                                             tmp_path):
    """The estimator's own switch converts the model after building the
    teacher: its EMA step must still reach the teacher's weights (the
    runner's ``model.to(device)`` on a GPU is the same case)."""
    from conftest import toy_mlda_cfg
    from mmpose.registry import MODELS
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), config='ours.py')
    model = MODELS.build(dict(cfg.model, channels_last=True))
    model.reset_teacher()  # as after init_weights or a loaded checkpoint
    conv = model.teacher.module.backbone.conv1.weight
    assert conv.is_contiguous(memory_format=torch.channels_last)
    start = conv.clone()
    with torch.no_grad():
        model.student.backbone.conv1.weight.add_(1.0)
    model.teacher.update_parameters(model.student)  # an EMA step, not a copy
    torch.testing.assert_close(conv, start + (1 - cfg.model.teacher_decay))


def test_target_statistics_in_the_estimator(toy_data_root, tmp_path):
    from conftest import toy_mlda_cfg
    from mmengine.runner import Runner
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), batch_size=4)
    cfg.model.update(norm_statistics='target', occlusion=None)
    runner = Runner.from_cfg(cfg)
    model = runner.model
    model.train()
    batch = next(iter(runner.train_dataloader))
    data = model.data_preprocessor(batch, True)
    reference = copy.deepcopy(model.student)
    model.loss(data['inputs'], data['data_samples'])
    reference.head.forward(  # the target pass only
        reference.extract_feat(data['inputs']['target_strong']))
    bn = [m for m in model.student.modules() if isinstance(m, nn.BatchNorm2d)]
    ref = [m for m in reference.modules() if isinstance(m, nn.BatchNorm2d)]
    for own, expected in zip(bn, ref):
        torch.testing.assert_close(own.running_mean, expected.running_mean)
        torch.testing.assert_close(own.running_var, expected.running_var)


def test_norm_statistics_option_is_checked(toy_data_root, tmp_path):
    from conftest import toy_mlda_cfg
    from mmpose.registry import MODELS
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path))
    cfg.model.norm_statistics = 'source'
    with pytest.raises(ValueError, match='model.norm_statistics'):
        MODELS.build(cfg.model)


def test_batch_teacher_averages_parameters_only(toy_data_root, tmp_path):
    """teacher_norm='batch' (the authors' OldWeightEMA on a train-mode
    teacher): the teacher's forward in the estimator normalises with the
    statistics of the batch it sees, its running statistics evolve from
    those batches alone (not the student's), and only parameters are
    averaged."""
    import torch.nn.functional as F
    from conftest import toy_mlda_cfg
    from mmengine.runner import Runner
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), batch_size=4)
    cfg.model.update(teacher_norm='batch', occlusion=None)
    model = Runner.from_cfg(cfg).model
    teacher = model.teacher
    teacher.update_parameters(model.student)  # step 0: a copy
    first_bn = next(m for m in teacher.module.modules()
                    if isinstance(m, nn.BatchNorm2d))
    x = torch.randn(3, 3, 64, 64) * 2 + 1
    # the forward inside the estimator's teacher context: batch statistics
    conv = teacher.module.backbone.conv1
    with model._teacher_context():
        assert teacher.module.training
        before = first_bn.running_mean.clone()
        teacher.module.extract_feat(x)
    assert not teacher.module.training  # back to eval afterwards
    expected = F.batch_norm(conv(x), None, None, first_bn.weight,
                            first_bn.bias, training=True, eps=first_bn.eps)
    hooked = []
    handle = first_bn.register_forward_hook(
        lambda m, i, o: hooked.append(o.clone()))  # before the ReLU
    with model._teacher_context():
        teacher.module.extract_feat(x)
    handle.remove()
    torch.testing.assert_close(hooked[0], expected)
    # its own running statistics moved with its own batch
    assert not torch.equal(first_bn.running_mean, before)
    own_stats = _stats(teacher.module)
    # an EMA step towards a changed student: parameters move, statistics
    # stay the teacher's own
    with torch.no_grad():
        for p in model.student.parameters():
            p.add_(1.0)
        for m in model.student.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.fill_(7.0)
    start = [p.clone() for p in teacher.module.parameters()]
    teacher.update_parameters(model.student)
    for a, b in zip(own_stats, _stats(teacher.module)):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    decay = 1 - teacher.momentum
    for own, old, new in zip(teacher.module.parameters(), start,
                             model.student.parameters()):
        torch.testing.assert_close(own, decay * old + (1 - decay) * new)


@pytest.mark.parametrize('teacher_fp32,expected', [(False, torch.bfloat16),
                                                   (True, torch.float32)])
def test_teacher_fp32_keeps_the_teacher_out_of_autocast(
        toy_data_root, tmp_path, teacher_fp32, expected):
    """Under autocast (bf16 on the CPU, as AMP), the authors' switch runs
    the teacher's forward and its pseudo labels in fp32; without it they
    follow autocast. The student's pass autocasts either way."""
    from conftest import toy_mlda_cfg
    from mmengine.dataset import pseudo_collate
    from mmpose.registry import DATASETS, MODELS
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path))
    cfg.model.teacher_fp32 = teacher_fp32
    model = MODELS.build(cfg.model).train()
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    batch = pseudo_collate([dataset[0], dataset[dataset.source_size]])
    seen = {}
    labeler = model.pseudo_labeler
    from_teacher, loss = labeler.from_teacher, labeler.loss

    def teacher_spy(*args, **kwargs):
        pseudo = from_teacher(*args, **kwargs)
        seen['teacher'] = pseudo.heatmaps.dtype
        return pseudo

    def student_spy(student, *args):
        seen['student'] = student.heatmaps.dtype
        return loss(student, *args)

    labeler.from_teacher, labeler.loss = teacher_spy, student_spy
    data = model.data_preprocessor(batch, True)
    with torch.autocast(device_type='cpu', dtype=torch.bfloat16):
        model.loss(data['inputs'], data['data_samples'])
    assert seen == dict(teacher=expected, student=torch.bfloat16)
