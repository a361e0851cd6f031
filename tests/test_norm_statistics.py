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
