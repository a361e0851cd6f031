"""A tiny PoseDA (GPA + LPA) run through MMEngine's Runner, and bad input."""
import copy

import numpy as np
import pytest
import torch
from conftest import REPO_ROOT
from mmengine.config import Config
from mmengine.runner import Runner

from mmpose.registry import MODELS


@pytest.fixture(scope='module')
def toy_lifting_root(tmp_path_factory):
    from mmpose_mlda.datasets.toy_motion import generate
    root = tmp_path_factory.mktemp('toy_lifting')
    generate(str(root), seed=0, frames=16, stride=2)
    return str(root) + '/'


def _cfg(name, root, work_dir):
    cfg = Config.fromfile(str(REPO_ROOT / 'configs/demo_lifting' / name))
    cfg.work_dir = str(work_dir)
    # the adaptation rows load the demo's source-only checkpoint, which a
    # fresh checkout does not have: tests start from random weights
    cfg.load_from = None
    tr = cfg.train_dataloader.dataset
    for ds in ((tr.source, tr.target) if 'source' in tr else (tr, )):
        ds.data_root = root
    cfg.val_dataloader.dataset.data_root = root
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_cfg.max_iters = 3
    cfg.train_cfg.val_interval = 3
    cfg.train_dataloader.batch_size = 8
    if cfg.train_dataloader.sampler.type == 'TwoDomainSampler':
        cfg.train_dataloader.sampler.batch_size = 8
    cfg.default_hooks.logger.interval = 1
    if 'lpa_cfg' in cfg.model:
        cfg.model.lpa_cfg.warmup_iters = 1
    return cfg


def test_tiny_gpa_lpa_run(toy_lifting_root, tmp_path):
    cfg = _cfg('gpa_lpa_adversarial.py', toy_lifting_root, tmp_path)
    runner = Runner.from_cfg(cfg)
    model = runner.model
    gen_before = copy.deepcopy(model.generator.state_dict())
    disc_before = copy.deepcopy(model.discriminator.state_dict())
    lifter_before = copy.deepcopy(model.backbone.state_dict())
    runner.train()
    metrics = runner.val_loop.run()
    for key in ('MPJPE', 'PA-MPJPE', '3DPCK', 'AUC', 'TS1/MPJPE',
                'Outdoor/3DPCK'):
        assert key in metrics and np.isfinite(metrics[key])
    changed = lambda a, b: any(  # noqa: E731
        not torch.equal(a[k], b[k]) for k in a if a[k].is_floating_point())
    assert changed(gen_before, model.generator.state_dict())
    assert changed(disc_before, model.discriminator.state_dict())
    assert changed(lifter_before, model.backbone.state_dict())
    # LPA adds nothing to the lifter used at test time
    plain = MODELS.build(dict(type='PoseLifter', backbone=cfg.model.backbone,
                              head=cfg.model.head))
    n = lambda ms: sum(p.numel() for m in ms for p in m.parameters())  # noqa
    assert n(model.lifter_modules()) == n([plain])
    # what tools/test.py does with the saved checkpoint (torch >= 2.6
    # weights-only loading included) gives the same target metrics
    test_cfg = _cfg('gpa_lpa_adversarial.py', toy_lifting_root,
                    tmp_path / 'test')
    test_cfg.load_from = str(tmp_path / 'iter_3.pth')
    tested = Runner.from_cfg(test_cfg).test()
    assert abs(tested['MPJPE'] - metrics['MPJPE']) < 1e-3


def test_tiny_random_lpa_run(toy_lifting_root, tmp_path):
    """LPA with random transformations: no discriminator, one optimiser,
    the lifter trains on the augmented poses too."""
    cfg = _cfg('gpa_lpa.py', toy_lifting_root, tmp_path)
    assert cfg.model.generator.type == 'RandomPoseAugmentation'
    runner = Runner.from_cfg(cfg)
    lifter_before = copy.deepcopy(runner.model.backbone.state_dict())
    runner.train()
    scalars = runner.message_hub.log_scalars
    assert 'train/loss_pose3d_aug' in scalars
    assert 'train/loss_disc' not in scalars
    assert any(not torch.equal(lifter_before[k], v) for k, v in
               runner.model.backbone.state_dict().items()
               if v.is_floating_point())


def test_lpa_generator_and_discriminator_must_match():
    base = Config.fromfile(str(REPO_ROOT / 'configs/demo_lifting/gpa.py'))
    random_aug = dict(type='RandomPoseAugmentation')
    with pytest.raises(ValueError, match='remove `discriminator`'):
        MODELS.build(dict(base.model, generator=random_aug,
                          discriminator=dict(
                              type='TargetAnchor2DDiscriminator')))
    with pytest.raises(ValueError, match='needs a `discriminator`'):
        MODELS.build(dict(base.model,
                          generator=dict(type='PoseAugmentationGenerator')))


def test_adaptation_starts_from_checkpoint(toy_lifting_root, tmp_path):
    """The adaptation rows load the source-only checkpoint (load_from)."""
    src = _cfg('source_only.py', toy_lifting_root, tmp_path / 'src')
    runner = Runner.from_cfg(src)
    runner.train()
    ckpt = str(tmp_path / 'src' / 'iter_3.pth')
    assert Config.fromfile(
        str(REPO_ROOT / 'configs/demo_lifting/gpa_lpa.py')).load_from.endswith(
            'source_only/iter_800.pth')
    cfg = _cfg('gpa_lpa.py', toy_lifting_root, tmp_path / 'ada')
    cfg.load_from = ckpt
    ada = Runner.from_cfg(cfg)
    ada.load_or_resume()  # what Runner.train() does first
    a, b = runner.model.state_dict(), ada.model.state_dict()
    for k in a:
        assert torch.equal(a[k], b[k]), k


def test_augmented_inputs_reproject_with_source_camera(toy_lifting_root,
                                                        tmp_path):
    """LPA: the augmented 2D input is the projection of the augmented 3D
    label, placed at the GPA'd root, with the SAME source camera; the 2D
    anchors are the target 2D poses of the batch."""
    from mmpose_mlda.models.lifting.camera_utils import (normalize_screen,
                                                         project)
    cfg = _cfg('gpa_lpa.py', toy_lifting_root, tmp_path)
    runner = Runner.from_cfg(cfg)
    model = runner.model
    batch = next(iter(runner.train_dataloader))
    data = model.data_preprocessor(batch, True)
    inputs = torch.stack(list(data['inputs']))
    x_src, info = model.prepare_source(inputs, data['data_samples'])
    tgt = [i for i, s in enumerate(data['data_samples'])
           if s.metainfo['domain'] == 'target']
    assert torch.equal(info['target_2d'],
                       model._from_input(inputs[tgt])[:, 0])
    with torch.no_grad():
        aug = model.generator(info['label'])
        x_aug = model._augmented_input(aug, info)
    root = info['poses'][:, 0, :1]
    uv = project(aug + root, info['f'], info['c'])
    expect = normalize_screen(uv, info['wh'])
    assert torch.allclose(model._from_input(x_aug)[:, 0], expect, atol=1e-5)
    # the original (non-augmented) input follows the same convention
    uv = project(info['label'] + root, info['f'], info['c'])
    assert torch.allclose(model._from_input(x_src)[:, 0],
                          normalize_screen(uv, info['wh']), atol=1e-5)


def test_bad_inputs(toy_lifting_root, tmp_path):
    cfg = _cfg('gpa.py', toy_lifting_root, tmp_path)
    runner = Runner.from_cfg(cfg)
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    batch = next(iter(runner.train_dataloader))
    bad = copy.deepcopy(batch)
    bad['inputs'][1][0, 0] = float('nan')
    name = bad['data_samples'][1].metainfo['target_img_path'][0]
    with pytest.raises(ValueError, match='NaN/inf in the 2D inputs'):
        runner.model.train_step(bad, runner.optim_wrapper)
    try:
        runner.model.train_step(bad, runner.optim_wrapper)
    except ValueError as e:
        assert name in str(e)
    # joint-count mismatch: target 2D with 16 joints, source 3D with 17
    inputs16 = torch.stack([t[:32] for t in batch['inputs']]).float()
    with pytest.raises(ValueError, match='joint-count mismatch: source has '
                       '17 joints, target 2D has 16'):
        runner.model.prepare_source(inputs16, batch['data_samples'])
    # missing camera parameters
    bad = copy.deepcopy(batch)
    for s in bad['data_samples']:
        s.set_metainfo(dict(camera_param=None))
    with pytest.raises(KeyError, match='has no camera parameters'):
        runner.model.train_step(bad, runner.optim_wrapper)


@pytest.mark.parametrize('poisoned', ['lifter', 'generator'])
def test_a_non_finite_loss_stops_before_the_step(toy_lifting_root, tmp_path,
                                                 poisoned):
    """As the mean teacher: a NaN loss (the lifter's, or LPA's generator's)
    stops the run before any optimizer step, naming the last good
    checkpoint; the weights stay finite and unchanged by that iteration."""
    from mmengine.hooks import Hook
    cfg = _cfg('gpa_lpa_adversarial.py', toy_lifting_root, tmp_path)
    cfg.train_cfg.max_iters = 4
    cfg.default_hooks.checkpoint.interval = 2
    cfg.train_cfg.val_interval = 10
    runner = Runner.from_cfg(cfg)
    model = runner.model
    snapshot = {}

    class Poison(Hook):

        def before_train_iter(self, runner, batch_idx, data_batch=None):
            if runner.iter == 2:
                snapshot.update(copy.deepcopy(model.state_dict()))
                if poisoned == 'lifter':
                    model.head.loss_module.loss_weight = float('nan')
                else:
                    model.lpa_cfg['adv_weight'] = float('nan')

    runner.register_hook(Poison())
    with pytest.raises(FloatingPointError, match=r'Non-finite loss at '
                       r'iteration 2 .*last checkpoint known to be good is '
                       r'.*iter_2\.pth'):
        runner.train()
    for key, value in model.state_dict().items():
        if value.is_floating_point():
            assert torch.isfinite(value).all(), key
    if poisoned == 'generator':  # nothing stepped in that iteration
        for key, value in model.generator.state_dict().items():
            assert torch.equal(value, snapshot[f'generator.{key}']), key


@pytest.mark.parametrize('name,adversarial', [('poseda_h36m_3dhp.py', True),
                                              ('poseda_h36m_3dhp_ours.py',
                                               False)])
def test_real_data_configs_build(name, adversarial):
    """The Human3.6M -> 3DHP configs (no data here): the model builds with
    its LPA form; ours needs one optimiser, the adversarial form three."""
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / name))
    model = MODELS.build(cfg.model)
    assert model.adversarial_lpa is adversarial
    assert ('constructor' in cfg.optim_wrapper) is adversarial
