"""All three alignment levels together, through MMEngine's Runner."""
import cv2
import pytest
import torch
from conftest import toy_mlda_cfg
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmpose_mlda.engine.hooks.grl_coefficient_hook import GRLCoefficientHook


class LossSpy(Hook):

    def __init__(self):
        self.outputs = []

    def after_train_iter(self, runner, batch_idx, data_batch, outputs):
        self.outputs.append(
            {k: float(v) for k, v in outputs.items()})


def test_all_levels_train_and_log(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), max_iters=3,
                       burn_in_iters=1, config='mlda_all.py')
    cfg.model.data_preprocessor.style_transfer.prob = 1.0
    # the discriminator's own learning rate, through paramwise_cfg
    cfg.optim_wrapper.paramwise_cfg.custom_keys.adversarial_loss.lr_mult = 10.
    cfg.custom_hooks.append(
        dict(type='StyleTransferVisualizationHook', interval=2,
             max_images=2))
    runner = Runner.from_cfg(cfg)
    spy = LossSpy()
    runner.register_hook(spy, 'LOWEST')
    stylised = []
    style = runner.model.data_preprocessor.style_transfer
    style.register_forward_hook(lambda m, i, o: stylised.append(o.shape))
    runner.train()

    burn_in, *adapting = spy.outputs
    assert burn_in['target.loss_adversarial'] == 0.0  # kept in the graph
    for outputs in adapting:
        for key in ('source.loss_kpt', 'target.loss_consistency',
                    'target.loss_adversarial', 'target.domain_accuracy',
                    'target.loss_im'):
            assert key in outputs and torch.isfinite(
                torch.tensor(outputs[key])), key
    assert len(stylised) == 3  # every training batch, source images
    # the debugging grid of iteration 2: 3 rows (source, style, stylised)
    grid = cv2.imread(str(tmp_path / 'style_transfer' / 'iter_2.png'))
    size = cfg.model.pose_model.head.decoder.input_size[1]
    assert grid.shape == (3 * size, 2 * size, 3)
    assert not (tmp_path / 'style_transfer' / 'iter_1.png').exists()
    # the DANN ramp of mt_feature.py, at the last of 3 iterations
    ramp = GRLCoefficientHook(schedule='dann', gamma=10.0).coefficient(2, 3)
    assert runner.message_hub.get_scalar(
        'train/grl_coeff').current() == pytest.approx(ramp)
    assert 0.99 < ramp < 1.0
    # the discriminator trains with a 10x learning rate
    groups = runner.optim_wrapper.optimizer.param_groups
    rates = {g['lr'] for g in groups}
    assert max(rates) == pytest.approx(10 * min(rates))


def test_head_features_for_the_pixel_discriminator(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), max_iters=1,
                       config='mt_feature.py')
    cfg.model.adversarial_input = 'head'
    cfg.model.adversarial_loss.discriminator = dict(
        type='PixelDomainDiscriminator',
        in_channels=cfg.model.pose_model.head.deconv_out_channels[-1])
    runner = Runner.from_cfg(cfg)
    spy = LossSpy()
    runner.register_hook(spy, 'LOWEST')
    seen = []
    runner.model.adversarial_loss.discriminator.register_forward_hook(
        lambda module, args, output: seen.append(
            (tuple(args[0].shape), tuple(output.shape))))
    runner.train()
    # the discriminator saw the deconv-head features and judged each pixel
    channels = cfg.model.pose_model.head.deconv_out_channels[-1]
    width, height = cfg.model.pose_model.head.decoder.heatmap_size
    features, judged = seen[0]
    assert features[1:] == (channels, height, width)
    assert judged[0] == features[0] and judged[-2:] == (height, width)
    assert torch.isfinite(torch.tensor(
        spy.outputs[0]['target.domain_accuracy']))
