"""Feature- and pose-level alignment: GRL, discriminators, adversarial and
information-maximisation losses, GRL-coefficient hook."""
import math
from types import SimpleNamespace

import mmpose_mlda  # noqa: F401  (compat fixes before mmpose is imported)
import pytest
import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmpose.registry import HOOKS, MODELS
from torch import nn

from mmpose_mlda.engine.hooks.grl_coefficient_hook import GRLCoefficientHook
from mmpose_mlda.models.alignment import (FeatureDomainDiscriminator,
                                          GradientReversalFunction,
                                          GradientReversalLayer,
                                          PixelDomainDiscriminator)
from mmpose_mlda.models.losses import (DomainAdversarialLoss,
                                       InformationMaximizationLoss)


class MeanLogit(nn.Module):
    """Stub discriminator: the logit of a sample (pixel) is the mean of its
    features over channels (and space, unless ``per_pixel``), times a
    learnable scale."""

    def __init__(self, per_pixel: bool = False) -> None:
        super().__init__()
        self.per_pixel = per_pixel
        self.scale = nn.Parameter(torch.tensor(1.0))

    def forward(self, x):
        if self.per_pixel:
            return self.scale * x.mean(1, keepdim=True)
        return self.scale * x.mean(dim=(1, 2, 3))[:, None]


def _bce(logit: float, label: int) -> float:
    p = 1.0 / (1.0 + math.exp(-logit))
    return -(label * math.log(p) + (1 - label) * math.log(1 - p))


def _entropy(p):
    return -sum(v * math.log(v) for v in p)


def _softmax(v, t=1.0):
    e = [math.exp(x / t) for x in v]
    return [x / sum(e) for x in e]


# ---------------------------------------------------------------- GRL
@pytest.mark.parametrize('coeff', [0.5, 2.0])
def test_grl_identity_forward_reversed_backward(coeff):
    torch.manual_seed(0)
    x = torch.randn(3, 4, 5, requires_grad=True)
    layer = GradientReversalLayer(coeff)
    y = layer(x)
    assert torch.equal(y, x)
    upstream = torch.randn_like(y)
    y.backward(upstream)
    assert torch.equal(x.grad, -coeff * upstream)

    # the Function directly, and a coefficient changed after construction
    x.grad = None
    layer.coeff = 3 * coeff
    layer(x).backward(upstream)
    assert torch.equal(x.grad, -3 * coeff * upstream)
    x2 = x.detach().requires_grad_()
    GradientReversalFunction.apply(x2, coeff).backward(upstream)
    assert torch.equal(x2.grad, -coeff * upstream)


def test_grl_default_and_registry():
    layer = MODELS.build(dict(type='GradientReversalLayer'))
    assert isinstance(layer, GradientReversalLayer)
    assert layer.coeff == 1.0
    assert list(layer.parameters()) == [] and list(layer.buffers()) == []
    assert layer.state_dict() == {}


# ------------------------------------------------------- discriminators
def test_feature_discriminator_shapes():
    disc = MODELS.build(
        dict(type='FeatureDomainDiscriminator', in_channels=32,
             hidden_channels=16))
    assert isinstance(disc, FeatureDomainDiscriminator)
    out = disc(torch.randn(3, 32, 8, 6))
    assert out.shape == (3, 1)
    assert disc(torch.randn(1, 32, 4, 4)).shape == (1, 1)  # train, B=1
    disc.eval()
    assert disc(torch.randn(2, 32, 8, 6)).shape == (2, 1)


def test_pixel_discriminator_shapes():
    disc = MODELS.build(
        dict(type='PixelDomainDiscriminator', in_channels=24,
             hidden_channels=8))
    assert isinstance(disc, PixelDomainDiscriminator)
    assert disc(torch.randn(2, 24, 16, 12)).shape == (2, 1, 16, 12)
    leaky = [m for m in disc.modules() if isinstance(m, nn.LeakyReLU)]
    convs = [m for m in disc.modules() if isinstance(m, nn.Conv2d)]
    assert len(leaky) == 3 and all(m.negative_slope == 0.2 for m in leaky)
    assert len(convs) == 4 and convs[-1].kernel_size == (1, 1)
    assert PixelDomainDiscriminator()(torch.randn(1, 256, 8, 8)).shape == (
        1, 1, 8, 8)


# --------------------------------------------------- adversarial loss
def test_adversarial_loss_value_and_accuracy():
    loss_fn = DomainAdversarialLoss(MeanLogit(), loss_weight=0.1)
    source_logits, target_logits = [2.0, -1.0], [0.5, -3.0, 1.5]
    source = torch.stack([torch.full((4, 2, 3), v) for v in source_logits])
    target = torch.stack([torch.full((4, 2, 3), v) for v in target_logits])
    loss, acc = loss_fn(source, target)

    terms = [_bce(v, 0) for v in source_logits] + [
        _bce(v, 1) for v in target_logits
    ]
    assert loss.item() == pytest.approx(0.1 * sum(terms) / 5, rel=1e-6)
    # correct: source -1.0, target 0.5 and 1.5
    assert acc.item() == pytest.approx(3 / 5)
    assert not acc.requires_grad


def test_adversarial_loss_per_pixel_average():
    loss_fn = DomainAdversarialLoss(MeanLogit(per_pixel=True),
                                    loss_weight=1.0)
    source = torch.tensor([[[[1.0, -2.0], [0.0, 3.0]]]])  # (1, 1, 2, 2)
    target = torch.tensor([[[[-1.0, 2.0], [4.0, -0.5]]]])
    loss, acc = loss_fn(source, target)
    terms = [_bce(v, 0) for v in (1.0, -2.0, 0.0, 3.0)] + [
        _bce(v, 1) for v in (-1.0, 2.0, 4.0, -0.5)
    ]
    assert loss.item() == pytest.approx(sum(terms) / 8, rel=1e-6)
    # source correct: -2, 0 (logit 0 -> source); target correct: 2, 4
    assert acc.item() == pytest.approx(4 / 8)


@pytest.mark.parametrize('coeff', [0.5, 2.0])
def test_adversarial_loss_reverses_feature_gradient(coeff):
    torch.manual_seed(0)
    disc = FeatureDomainDiscriminator(8, hidden_channels=8)
    loss_fn = DomainAdversarialLoss(disc, loss_weight=0.1)
    loss_fn.coeff = coeff
    assert loss_fn.grl.coeff == coeff and loss_fn.coeff == coeff
    src = torch.randn(2, 8, 4, 4, requires_grad=True)
    tgt = torch.randn(3, 8, 4, 4, requires_grad=True)

    loss, _ = loss_fn(src, tgt)
    loss.backward()
    grl_grads = (src.grad.clone(), tgt.grad.clone())
    disc_grads = [p.grad.clone() for p in disc.parameters()]

    # reference: the same loss without the GRL
    src.grad = tgt.grad = None
    disc.zero_grad()
    logits = disc(torch.cat([src, tgt]))
    labels = torch.tensor([0., 0., 1., 1., 1.])[:, None]
    ref = 0.1 * nn.functional.binary_cross_entropy_with_logits(
        logits, labels)
    assert ref.item() == pytest.approx(loss.item(), rel=1e-6)
    ref.backward()
    torch.testing.assert_close(grl_grads[0], -coeff * src.grad)
    torch.testing.assert_close(grl_grads[1], -coeff * tgt.grad)
    assert src.grad.abs().sum() > 0
    # the discriminator itself is trained on the un-reversed loss
    for got, want in zip(disc_grads, (p.grad for p in disc.parameters())):
        torch.testing.assert_close(got, want)


def test_adversarial_loss_from_config():
    loss_fn = MODELS.build(
        dict(type='DomainAdversarialLoss',
             discriminator=dict(type='PixelDomainDiscriminator',
                                in_channels=16, hidden_channels=8),
             loss_weight=0.1))
    assert isinstance(loss_fn.discriminator, PixelDomainDiscriminator)
    assert loss_fn.coeff == 1.0
    torch.manual_seed(0)
    source, target = torch.randn(2, 16, 6, 6), torch.randn(2, 16, 6, 6) + 1
    loss, acc = loss_fn(source, target)
    # reference: the discriminator's logits on the same batch (the reversal
    # layer is the identity forward); source is label 0, target 1
    with torch.no_grad():
        logits = loss_fn.discriminator(torch.cat([source, target]))
    labels = torch.cat([torch.zeros_like(logits[:2]),
                        torch.ones_like(logits[2:])])
    expected_acc = ((logits > 0).float() == labels).float().mean()
    assert acc.item() == pytest.approx(expected_acc.item())
    bce = F.binary_cross_entropy_with_logits(logits, labels)
    assert loss.item() == pytest.approx(0.1 * bce.item(), rel=1e-5)
    with pytest.raises(ValueError):
        loss_fn(torch.randn(2, 16, 6, 6), torch.randn(2, 16, 4, 4))


# ----------------------------------------------------------- IM loss
def _im_reference(heatmaps, temperature=1.0, axes='hw'):
    """Plain-Python IM loss (no threshold, weight 1, row/column sums) on
    nested lists."""
    total = 0.0
    num_k = len(heatmaps[0])
    for axis in axes:
        confidence, diversity = [], []
        for k in range(num_k):
            dists = []
            for sample in heatmaps:
                hm = sample[k]
                proj = ([sum(row) for row in hm] if axis == 'h' else
                        [sum(col) for col in zip(*hm)])
                dists.append(_softmax(proj, temperature))
            confidence += [_entropy(p) for p in dists]
            mean = [sum(col) / len(dists) for col in zip(*dists)]
            diversity.append(_entropy(mean))
        total += (sum(confidence) / len(confidence) -
                  sum(diversity) / len(diversity))
    return total


def test_im_loss_hand_computed():
    hm = [[[[0.0, 1.0, 0.0], [0.0, 0.5, 0.0]]],
          [[[0.2, 0.0, 0.0], [0.8, 0.1, 0.0]]]]  # (B=2, K=1, 2, 3)
    # by hand, H axis: projections [1, .5] and [.2, .9]
    p0, p1 = _softmax([1.0, 0.5]), _softmax([0.2, 0.9])
    h_axis = (_entropy(p0) + _entropy(p1)) / 2 - _entropy(
        [(a + b) / 2 for a, b in zip(p0, p1)])
    # W axis: projections [0, 1.5, 0] and [1, .1, 0]
    q0, q1 = _softmax([0.0, 1.5, 0.0]), _softmax([1.0, 0.1, 0.0])
    w_axis = (_entropy(q0) + _entropy(q1)) / 2 - _entropy(
        [(a + b) / 2 for a, b in zip(q0, q1)])
    expected = 0.3 * (h_axis + w_axis)
    assert _im_reference(hm) * 0.3 == pytest.approx(expected, rel=1e-12)

    loss_fn = InformationMaximizationLoss(
        temperature=1.0, projection='sum', normalize_by_area=False)
    assert loss_fn.loss_weight == 0.3 and loss_fn.confidence_threshold is None
    x = torch.tensor(hm, requires_grad=True)
    loss = loss_fn(x)
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    loss.backward()
    assert torch.isfinite(x.grad).all() and x.grad.abs().sum() > 0

    # temperature and a larger random case against the reference
    torch.manual_seed(0)
    y = torch.rand(3, 2, 4, 5)
    literal = dict(projection='sum', normalize_by_area=False)
    loss = InformationMaximizationLoss(
        temperature=0.7, loss_weight=1.0, **literal)(y)
    assert loss.item() == pytest.approx(
        _im_reference(y.tolist(), 0.7), rel=1e-5)


def test_im_loss_authors_scale_is_the_default():
    """Default = the authors' code: mean projections, entropies / (h*w)."""
    torch.manual_seed(1)
    y = torch.rand(3, 2, 4, 5)  # H=4, W=5
    default = InformationMaximizationLoss(loss_weight=1.0)
    assert default.projection == 'mean' and default.normalize_by_area
    # a row mean is the row sum / W; the W-axis softmax sees sums / H, so
    # the two axes see different scales: compute them one at a time
    h_axis = _im_reference((y / 5).tolist(), axes='h')
    w_axis = _im_reference((y / 4).tolist(), axes='w')
    assert default(y).item() == pytest.approx((h_axis + w_axis) / 20,
                                              rel=1e-5)


def test_im_loss_threshold_excludes_low_confidence():
    torch.manual_seed(0)
    hm = torch.rand(3, 3, 6, 5) * 0.4
    hm[:, 0, 2, 3] = 0.9  # keypoint 0 confident in every sample
    hm[:, 2, 1, 1] = 0.8  # keypoint 2 too; keypoint 1 never (peak < 0.5)
    thresholded = InformationMaximizationLoss(confidence_threshold=0.5)
    unthresholded = InformationMaximizationLoss()
    torch.testing.assert_close(thresholded(hm),
                               unthresholded(hm[:, [0, 2]]))
    assert not torch.allclose(thresholded(hm), unthresholded(hm))

    # a sample whose keypoints are all unconfident drops out of the loss
    hm2 = torch.rand(3, 2, 6, 5) * 0.4
    hm2[:2, :, 3, 2] = 0.95
    torch.testing.assert_close(thresholded(hm2), unthresholded(hm2[:2]))


def _gaussians(centers, size=16, sigma=1.0):
    ys, xs = torch.meshgrid(
        torch.arange(size, dtype=torch.float32),
        torch.arange(size, dtype=torch.float32),
        indexing='ij')
    return torch.stack([
        torch.exp(-((xs - cx)**2 + (ys - cy)**2) / (2 * sigma**2))
        for cx, cy in centers
    ])[:, None]  # (B, 1, size, size)


def test_im_loss_prefers_peaked_and_diverse():
    loss_fn = InformationMaximizationLoss(temperature=0.5, projection='sum')
    diverse = _gaussians([(3, 3), (12, 5), (7, 12), (10, 10)])
    collapsed = _gaussians([(7, 7)] * 4)
    flat = torch.full_like(diverse, 0.5)
    # flat: every projection uniform, entropy terms cancel
    assert loss_fn(flat).item() == pytest.approx(0.0, abs=1e-6)
    # peaked predictions: lower per-sample entropy
    assert loss_fn(diverse) < loss_fn(flat)
    # spread over the batch: higher batch-mean entropy
    assert loss_fn(diverse) < loss_fn(collapsed)


def test_im_loss_no_qualifying_keypoint_is_connected_zero():
    loss_fn = InformationMaximizationLoss(confidence_threshold=0.9)
    x = torch.full((2, 3, 4, 4), 0.1, requires_grad=True)
    loss = loss_fn(x)
    assert loss.item() == 0.0
    assert loss.grad_fn is not None
    loss.backward()
    assert torch.equal(x.grad, torch.zeros_like(x))
    # an empty batch too
    empty = torch.zeros(0, 3, 4, 4, requires_grad=True)
    loss = InformationMaximizationLoss()(empty)
    assert loss.item() == 0.0 and loss.grad_fn is not None


# -------------------------------------------------------------- hook
class _ModelWithLoss(nn.Module):

    def __init__(self):
        super().__init__()
        self.adversarial_loss = DomainAdversarialLoss(MeanLogit())


def _runner(model, iteration, max_iters=100, name='test_grl_hook'):
    return SimpleNamespace(
        iter=iteration, max_iters=max_iters, model=model,
        message_hub=MessageHub.get_instance(name))


@pytest.mark.parametrize('wrap', [False, True])
def test_grl_hook_schedules(wrap):
    model = _ModelWithLoss()
    runner_model = nn.DataParallel(model) if wrap else model
    constant = HOOKS.build(dict(type='GRLCoefficientHook', value=0.7))
    dann = GRLCoefficientHook(schedule='dann', value=2.0, gamma=10.0)
    expected_dann = {
        0: 0.0,
        50: 2.0 * (2 / (1 + math.exp(-5.0)) - 1),
        100: 2.0 * (2 / (1 + math.exp(-10.0)) - 1)
    }
    for it, want in expected_dann.items():
        runner = _runner(runner_model, it)
        constant.before_train_iter(runner, batch_idx=it)
        assert model.adversarial_loss.coeff == pytest.approx(0.7)
        assert model.adversarial_loss.grl.coeff == pytest.approx(0.7)
        dann.before_train_iter(runner, batch_idx=it)
        assert model.adversarial_loss.coeff == pytest.approx(want, abs=1e-12)
        logged = runner.message_hub.get_scalar('train/grl_coeff').current()
        assert logged == pytest.approx(want, abs=1e-12)
    assert expected_dann[100] == pytest.approx(2.0, rel=1e-4)


def test_grl_hook_begin_iter_and_resume():
    hook = GRLCoefficientHook(schedule='dann', begin_iter=20)
    model = _ModelWithLoss()
    hook.before_train_iter(_runner(model, 10), batch_idx=10)
    assert model.adversarial_loss.coeff == 0.0
    hook.before_train_iter(_runner(model, 60), batch_idx=60)
    assert model.adversarial_loss.coeff == pytest.approx(
        2 / (1 + math.exp(-5.0)) - 1)
    # a fresh hook and model at the same iteration (resume) agree
    fresh = _ModelWithLoss()
    GRLCoefficientHook(schedule='dann', begin_iter=20).before_train_iter(
        _runner(fresh, 60), batch_idx=60)
    assert fresh.adversarial_loss.coeff == model.adversarial_loss.coeff


def test_grl_hook_ignores_model_without_adversarial_loss():
    hook = GRLCoefficientHook(schedule='dann')
    hub_name = 'test_grl_hook_no_loss'
    for model in (nn.Linear(2, 2), SimpleNamespace(adversarial_loss=None)):
        runner = _runner(model, 50, name=hub_name)
        hook.before_train_iter(runner, batch_idx=50)
        assert 'train/grl_coeff' not in runner.message_hub.log_scalars
    with pytest.raises(ValueError):
        GRLCoefficientHook(schedule='linear')
