"""Source-free adaptation: target images only, from a plain checkpoint."""
import copy
import os

import pytest
import torch
from conftest import REPO_ROOT, toy_mlda_cfg
from mmengine.config import Config
from mmengine.runner import Runner


def _source_free_cfg(data_root, work_dir, max_iters=2, batch_size=4,
                     config='source_free.py'):
    cfg = Config.fromfile(str(REPO_ROOT / 'configs/demo' / config))
    cfg.work_dir = work_dir
    cfg.train_dataloader.dataset.data_root = data_root + 'target_train/'
    cfg.train_dataloader.batch_size = batch_size
    cfg.val_dataloader.dataset.data_root = data_root + 'target_test/'
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_cfg.update(max_iters=max_iters, val_interval=max_iters)
    cfg.default_hooks.checkpoint.interval = max_iters
    cfg.log_level = 'WARNING'
    return cfg


@pytest.mark.parametrize('config', ['source_free.py', 'simcc_source_free.py',
                                    'regression_source_free.py'])
def test_source_free_trains_on_target_only(toy_data_root, tmp_path, config):
    """Heatmap, SimCC and regression heads, through their pseudo
    labelers."""
    cfg = _source_free_cfg(toy_data_root, str(tmp_path), config=config)
    runner = Runner.from_cfg(cfg)
    seen = []
    model = runner.model
    original = model.loss

    def spy(inputs, data_samples):
        seen.append(sorted(inputs))
        losses = original(inputs, data_samples)
        seen.append(sorted(losses))
        return losses

    model.loss = spy
    start = [p.clone() for p in model.student.parameters()]
    runner.train()
    assert 'source' not in seen[0]
    assert 'source.loss_kpt' not in seen[1]
    assert 'target.loss_consistency' in seen[1]
    assert any(not torch.equal(a, b)
               for a, b in zip(start, model.student.parameters()))


def test_source_free_refuses_a_source_dataset(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path))
    cfg.model.source_free = True
    with pytest.raises(ValueError, match='train_dataloader.dataset is a '
                       'DomainAdaptationDataset'):
        Runner.from_cfg(cfg).train()
    assert os.listdir(tmp_path) == [] or not any(
        f.endswith('.pth') for f in os.listdir(tmp_path))


def test_source_based_refuses_a_target_only_dataset(toy_data_root,
                                                    tmp_path):
    cfg = _source_free_cfg(toy_data_root, str(tmp_path))
    cfg.model.source_free = False
    with pytest.raises(ValueError, match='set model.source_free=True'):
        Runner.from_cfg(cfg).train()


def test_source_free_refuses_levels_that_need_source(toy_data_root,
                                                     tmp_path):
    from mmpose.registry import MODELS
    cfg = _source_free_cfg(toy_data_root, str(tmp_path))
    cfg.model.adversarial_loss = dict(
        type='DomainAdversarialLoss',
        discriminator=dict(type='FeatureDomainDiscriminator',
                           in_channels=256))
    with pytest.raises(ValueError, match='model.adversarial_loss'):
        MODELS.build(cfg.model)
    cfg = _source_free_cfg(toy_data_root, str(tmp_path))
    cfg.model.data_preprocessor = dict(
        style_transfer=dict(type='FourierStyleTransfer', beta=0.03))
    with pytest.raises(ValueError, match='style_transfer'):
        MODELS.build(cfg.model)


def test_source_free_refuses_burn_in(toy_data_root, tmp_path):
    cfg = _source_free_cfg(toy_data_root, str(tmp_path), max_iters=4)
    cfg.train_cfg.burn_in_iters = 2
    with pytest.raises(ValueError, match='burn_in_iters=2'):
        Runner.from_cfg(cfg).train()


def test_a_checkpoint_of_another_keypoint_count(toy_data_root, tmp_path):
    """A model-zoo checkpoint of another dataset (14 keypoints) for a
    16-keypoint config: refused before training, with what to change."""
    from mmpose.registry import MODELS
    cfg = _source_free_cfg(toy_data_root, str(tmp_path / 'run'))
    pose_model = copy.deepcopy(cfg.model.pose_model)
    pose_model.head.out_channels = 14
    path = str(tmp_path / 'zoo.pth')
    torch.save(dict(state_dict=MODELS.build(pose_model).state_dict(),
                    meta=dict()), path)
    cfg.load_from = path
    with pytest.raises(ValueError, match=r'head predicts 14 keypoints, the '
                       r"config's 16: give the config the metainfo of the "
                       r"checkpoint's dataset"):
        Runner.from_cfg(cfg).train()
    assert not any(f.endswith('.pth') for f in os.listdir(tmp_path / 'run'))
