"""Any top-down heatmap model works by changing ``pose_model`` only."""
import pytest
import torch
from conftest import toy_mlda_cfg
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper
from mmpose.registry import DATASETS, MODELS

HRNET_W32 = dict(
    type='HRNet',
    in_channels=3,
    extra=dict(
        stage1=dict(num_modules=1, num_branches=1, block='BOTTLENECK',
                    num_blocks=(4, ), num_channels=(64, )),
        stage2=dict(num_modules=1, num_branches=2, block='BASIC',
                    num_blocks=(4, 4), num_channels=(32, 64)),
        stage3=dict(num_modules=4, num_branches=3, block='BASIC',
                    num_blocks=(4, 4, 4), num_channels=(32, 64, 128)),
        stage4=dict(num_modules=3, num_branches=4, block='BASIC',
                    num_blocks=(4, 4, 4, 4),
                    num_channels=(32, 64, 128, 256))))


@pytest.mark.parametrize('backbone,head', [
    # the demo's 64x64 crops and 32x32 heatmaps: stride 16 for the ResNets
    # (three deconvs up to stride 2), one deconv on HRNet's stride 4
    (dict(type='ResNet', depth=18, strides=(1, 2, 2, 1)),
     dict(in_channels=512)),
    (dict(type='ResNet', depth=50, strides=(1, 2, 2, 1)),
     dict(in_channels=2048)),
    (HRNET_W32, dict(in_channels=32, deconv_out_channels=(32, ),
                     deconv_kernel_sizes=(4, ))),
])
def test_one_adaptation_step(toy_data_root, tmp_path, backbone, head):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path))
    cfg.model.pose_model.backbone = backbone
    cfg.model.pose_model.head.update(head)
    model = MODELS.build(cfg.model)
    model.init_weights()
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    indices = [0, 1, dataset.source_size, dataset.source_size + 1]
    batch = pseudo_collate([dataset[i] for i in indices])
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    before = model.student.head.final_layer.weight.detach().clone()
    log_vars = model.train_step(batch, optim)
    assert torch.isfinite(log_vars['loss'])
    assert 'target.loss_consistency' in log_vars
    assert not torch.equal(before, model.student.head.final_layer.weight)
    # the teacher never receives gradients
    assert all(p.grad is None for p in model.teacher.parameters())
