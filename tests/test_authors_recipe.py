"""Equivalence with the MLDA authors' released recipe (DAML_PoseEstimation).

Each test computes the authors' quantity with an independent implementation
written here from their formulas (loops over samples and keypoints,
``torchvision.transforms.functional.affine`` calls as they make them) and
checks ours against it. The metric's equivalence is in test_heatmap_pck.py.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
import torchvision.transforms.functional as tF
from mmcv.transforms import Compose
from mmpose.structures import PoseDataSample

from mmpose_mlda.evaluation.metrics.heatmap_pck import heatmap_argmax
from mmpose_mlda.models import (DomainAdversarialLoss,
                                InformationMaximizationLoss,
                                KthValueConfidenceThreshold,
                                PixelDomainDiscriminator, ReferenceFrame)
from mmpose_mlda.models.pseudo_labels.keypoint_occlusion import \
    occlude_in_reference_frame
from mmpose_mlda.models.utils import render_gaussians


def _heatmap_batches():
    """Fixed inputs with the edge cases: uniform noise, peaks on the
    border, an all-zero heatmap, batch size 1."""
    torch.manual_seed(0)
    noise = torch.rand(4, 16, 24, 24)
    border = torch.zeros(3, 5, 16, 16)
    border[0, 0, 0, 0] = border[1, 1, 15, 3] = border[2, 2, 7, 15] = 1.0
    border[:, 3] = torch.rand(3, 16, 16) * 0.1
    # border[:, 4] stays all zero
    single = torch.rand(1, 18, 64, 64)
    return [noise, border, single]


# ---------------------------------------------------------------- IM loss
def _authors_simcc_loss(x):
    """``SimCCLoss.forward`` (threshold -1, reduction 'mean'), written from
    their code: entropies of softmax(mean over W) and softmax(mean over H)
    per sample and keypoint, minus the entropy of softmax over h*w of the
    batch-mean heatmap per keypoint; every entropy divided by h*w."""
    n, c, h, w = x.shape

    def ent(v):
        p = np.exp(v - v.max())
        p /= p.sum()
        return -(p * np.log(p)).sum() / (h * w)

    x = x.double().numpy()
    ent_h = np.mean([ent(x[i, k].mean(1)) for i in range(n) for k in range(c)])
    ent_w = np.mean([ent(x[i, k].mean(0)) for i in range(n) for k in range(c)])
    mean = x.reshape(n, c, -1).mean(0)
    ent_m = np.mean([ent(mean[k]) for k in range(c)])
    return ent_h + ent_w - ent_m


@pytest.mark.parametrize('index', range(3))
def test_im_loss_authors_formula(index):
    x = _heatmap_batches()[index]
    ours = InformationMaximizationLoss(formula='authors', loss_weight=0.3)
    assert float(ours(x)) == pytest.approx(0.3 * _authors_simcc_loss(x),
                                           abs=1e-6, rel=1e-6)


def test_im_loss_formulas_differ_and_names_are_checked():
    x = _heatmap_batches()[0]
    authors = InformationMaximizationLoss(formula='authors', loss_weight=1.)
    shot = InformationMaximizationLoss(formula='shot', loss_weight=1.)
    assert float(authors(x)) != pytest.approx(float(shot(x)), rel=0.1)
    with pytest.raises(ValueError, match="formula must be one of.*'simcc'"):
        InformationMaximizationLoss(formula='simcc')


# ------------------------------------------------------------ adversarial
def _authors_fc_discriminator_img(x, weights):
    """Their FCDiscriminator_img, written from their code: three 3x3 convs
    (padding 1) each followed by LeakyReLU(0.2), then a 3x3 classifier to
    one logit per pixel."""
    for weight, bias in weights[:-1]:
        x = F.leaky_relu(F.conv2d(x, weight, bias, padding=1), 0.2)
    weight, bias = weights[-1]
    return F.conv2d(x, weight, bias, padding=1)


def test_adversarial_per_domain_reduction_is_the_authors_sum():
    """Our PixelDomainDiscriminator + DomainAdversarialLoss against their
    discriminator and loss written in this test: the same weights (made
    here, loaded into ours in layer order) give the same loss, and the
    same gradients reach the features."""
    gen = torch.Generator().manual_seed(1)
    widths = [16, 256, 128, 128, 1]
    weights = [(torch.randn(o, i, 3, 3, generator=gen) * 0.05,
                torch.randn(o, generator=gen) * 0.05)
               for i, o in zip(widths[:-1], widths[1:])]
    disc = PixelDomainDiscriminator(16, hidden_channels=(256, 128, 128),
                                    classifier_kernel=3)
    convs = [m for m in disc.modules() if isinstance(m, torch.nn.Conv2d)]
    assert len(convs) == len(weights)
    with torch.no_grad():
        for conv, (weight, bias) in zip(convs, weights):
            conv.weight.copy_(weight)
            conv.bias.copy_(bias)
    loss = DomainAdversarialLoss(disc, loss_weight=0.1,
                                 reduction='per_domain')
    f_s = torch.randn(3, 16, 8, 8, generator=gen, requires_grad=True)
    f_t = torch.randn(2, 16, 8, 8, generator=gen, requires_grad=True)
    ours, _ = loss(f_s, f_t)
    ours_grads = torch.autograd.grad(ours, (f_s, f_t))
    # theirs: 0.1 * BCE(D(f_s), 0) + 0.1 * BCE(D(f_t), 1), each a mean
    d_s = _authors_fc_discriminator_img(f_s, weights)
    d_t = _authors_fc_discriminator_img(f_t, weights)
    theirs = 0.1 * F.binary_cross_entropy_with_logits(
        d_s, torch.zeros_like(d_s)) + 0.1 * F.binary_cross_entropy_with_logits(
            d_t, torch.ones_like(d_t))
    assert float(ours) == pytest.approx(float(theirs), abs=1e-6)
    # through the gradient reversal the features get the negated gradient
    for mine, reference in zip(ours_grads,
                               torch.autograd.grad(theirs, (f_s, f_t))):
        torch.testing.assert_close(mine, -reference)
    with pytest.raises(ValueError, match="reduction must be 'mean' or"):
        DomainAdversarialLoss(disc, reduction='sum')


# -------------------------------------------------------------- threshold
@pytest.mark.parametrize('shape', [(4, 16), (1, 18), (3, 5)])
def test_kthvalue_threshold_is_the_lower_order_statistic(shape):
    torch.manual_seed(2)
    confidence = torch.rand(shape)
    ours = KthValueConfidenceThreshold(mask_ratio=0.5)(confidence)
    flat = np.sort(confidence.numpy().ravel())
    k = int(0.5 * flat.size)
    assert float(ours) == pytest.approx(float(flat[k - 1]), abs=0)
    # the mask is strict, as theirs (activates > mask_thresh)
    assert int((confidence > ours).sum()) == flat.size - k


@pytest.mark.parametrize('ratio', [0.0, 1.0, -0.5, 1.5])
def test_kthvalue_ratio_outside_open_interval_is_refused(ratio):
    with pytest.raises(ValueError, match=r'mask_ratio must be in \(0, 1\)'):
        KthValueConfidenceThreshold(mask_ratio=ratio)


# ------------------------------------------------------------ re-rendering
def _authors_rectify(hm, sigma):
    """``rectify()`` written from their code: integer argmax (zeroed when
    the maximum is not positive), a Gaussian of size 2*(3 sigma)+1 pasted
    with the clipped window arithmetic of their loop."""
    b, c, h, w = hm.shape
    out = np.zeros((b, c, h, w))
    tmp = 3 * sigma
    size = int(2 * tmp + 1)
    g = np.exp(-((np.arange(size)[None] - size // 2)**2 +
                 (np.arange(size)[:, None] - size // 2)**2) / (2 * sigma**2))
    for i in range(b):
        for k in range(c):
            flat = hm[i, k].reshape(-1)
            idx = int(np.argmax(flat))
            mx, my = (idx % w, idx // w) if flat[idx] > 0 else (0, 0)
            ul = [int(mx - tmp), int(my - tmp)]
            br = [int(mx + tmp + 1), int(my + tmp + 1)]
            gx = max(0, -ul[0]), min(br[0], h) - ul[0]
            gy = max(0, -ul[1]), min(br[1], w) - ul[1]
            ix = max(0, ul[0]), min(br[0], h)
            iy = max(0, ul[1]), min(br[1], w)
            out[i, k, iy[0]:iy[1], ix[0]:ix[1]] = g[gy[0]:gy[1], gx[0]:gx[1]]
    return out


@pytest.mark.parametrize('sigma', [1, 2])
@pytest.mark.parametrize('index', range(3))
def test_rerendering_matches_rectify(index, sigma):
    hm = _heatmap_batches()[index]
    h, w = hm.shape[-2:]
    ours = render_gaussians(heatmap_argmax(hm), (w, h), float(sigma),
                            truncate=3.0)
    np.testing.assert_allclose(ours.numpy(), _authors_rectify(hm.numpy(),
                                                              sigma),
                               atol=1e-6)


# ------------------------------------------------------- reference frame
def _view_samples(params):
    samples = []
    for p in params:
        sample = PoseDataSample(metainfo=dict(
            view_affine_params=np.asarray(p, dtype=np.float64),
            view_joint_order=np.arange(5)))
        samples.append(sample)
    return samples


def _random_params(rng, n):
    return [[rng.uniform(-60, 60), int(round(rng.uniform(-12.8, 12.8))),
             int(round(rng.uniform(-12.8, 12.8))), rng.uniform(-30, 30), 0.,
             rng.uniform(0.6, 1.3)] for _ in range(n)]


def test_reference_frame_replays_the_authors_three_affines():
    rng = np.random.default_rng(3)
    params = _random_params(rng, 4)
    heatmaps = torch.rand(4, 5, 64, 64)
    heatmaps[1] = 0  # all-zero heatmaps stay zero
    ours = ReferenceFrame(warp='authors').to_frame(
        heatmaps, _view_samples(params), input_hw=(256, 256))
    ratio = 256 / 64
    for i, (angle, tx, ty, sx, sy, scale) in enumerate(params):
        # their aug_param: [-angle, [-tx, -ty], [-sx, -sy], 1 / scale]
        a, t, s, k = -angle, [-tx, -ty], [-sx, -sy], 1. / scale
        temp = tF.affine(heatmaps[i], 0., translate=[t[0] / ratio,
                                                     t[1] / ratio],
                         shear=[0., 0.], scale=1.)
        temp = tF.affine(temp, a, translate=[0., 0.], shear=[0., 0.],
                         scale=k)
        theirs = tF.affine(temp, 0., translate=[0, 0], shear=s, scale=1.)
        torch.testing.assert_close(ours[i], theirs, atol=1e-6, rtol=0)


def test_random_view_affine_keeps_image_keypoints_and_geometry_together():
    """A keypoint drawn as a dot moves with the image, and the recorded
    affines map reference-crop keypoints onto the view's."""
    np.random.seed(4)
    img = np.zeros((64, 64, 3), np.uint8)
    img[20, 40] = 255
    results = dict(img=img, transformed_keypoints=np.array([[[40., 20.]]]),
                   view_affine=np.eye(3), input_size=(64, 64))
    out = Compose([dict(type='RandomViewAffine', rotate=60, shear=(-30, 30),
                        translate=(0.05, 0.05), scale=(0.6, 1.3),
                        interpolation='bilinear')])(results)
    y, x = np.unravel_index(out['img'][..., 0].argmax(), (64, 64))
    moved = out['transformed_keypoints'][0, 0]
    assert np.hypot(x - moved[0], y - moved[1]) <= 1.5
    mapped = out['view_affine'] @ np.linalg.inv(out['reference_affine']) \
        @ np.array([40., 20., 1.])
    np.testing.assert_allclose(mapped[:2], moved, atol=1e-4)
    assert out['view_affine_params'].shape == (6, )


# -------------------------------------------------------------- occlusion
def test_occlusion_matches_the_authors_paste():
    rng = np.random.default_rng(5)
    params = _random_params(rng, 3)
    images = torch.randn(3, 3, 64, 64)
    positions = torch.tensor([[30, 12], [2, 60], [63, 0]])  # borders too
    half = 6
    sources = []
    for x, y in positions.tolist():
        rows = min(y + half, 64) - max(y - half, 0)
        cols = min(x + half, 64) - max(x - half, 0)
        sources.append((rng.integers(64 - rows + 1),
                        rng.integers(64 - cols + 1)))
    sources = torch.tensor(sources)
    ratio = 4.0
    ours = occlude_in_reference_frame(
        images, torch.tensor(params, dtype=torch.float64), positions, half,
        sources, ratio)
    for i, (angle, tx, ty, sx, sy, scale) in enumerate(params):
        _angle, _tx, _ty, _sx, _sy, _scale = -angle, -tx, -ty, -sx, -sy, \
            1. / scale
        temp = tF.affine(images[i], 0., translate=[_tx / ratio, _ty / ratio],
                         shear=[0., 0.], scale=1.)
        temp = tF.affine(temp, _angle, translate=[0., 0.], shear=[0., 0.],
                         scale=_scale)
        temp = tF.affine(temp, 0., translate=[0., 0.], shear=[_sx, _sy],
                         scale=1.)
        px, py = positions[i].tolist()
        left, right = max(py - half, 0), min(py + half, 64)
        upper, bottom = max(px - half, 0), min(px + half, 64)
        ls, us = sources[i].tolist()
        temp[:, left:right, upper:bottom] = temp[:, ls:ls + right - left,
                                                 us:us + bottom - upper]
        theirs = tF.affine(temp, -_angle, translate=[-_tx / ratio,
                                                     -_ty / ratio],
                           shear=[-_sx, -_sy], scale=1. / _scale)
        torch.testing.assert_close(ours[i], theirs, atol=1e-6, rtol=0)


def test_single_keypoint_occlusion_selects_as_the_authors(monkeypatch):
    """Only keypoints with confidence >= min_confidence are candidates, at
    most one per sample, a sample with candidates is selected at rate
    ``prob`` (counted over many seeded draws), one without never."""
    from mmpose_mlda.models.pseudo_labels import (PseudoLabels,
                                                  ReferenceFrame,
                                                  SingleKeypointOcclusion)
    from mmpose_mlda.models.pseudo_labels import keypoint_occlusion
    calls = []

    def capture(images, params, positions, half_size, sources, ratio):
        calls.append((images[:, 0, 0, 0].long(), positions.clone()))
        return images

    monkeypatch.setattr(keypoint_occlusion, 'occlude_in_reference_frame',
                        capture)
    batch, size = 400, 64
    # keypoint k sits at (10 k + 5, 10 k + 5); 0 and 1 are candidates
    # (0.95 and exactly 0.9), 2 and 3 are not (0.89, 0.5); every fourth
    # sample has no candidate at all
    confidence = torch.tensor([0.95, 0.9, 0.89, 0.5]).repeat(batch, 1)
    confidence[::4, :2] = 0.3
    keypoints = torch.tensor([[10. * k + 5] * 2 for k in range(4)]).repeat(
        batch, 1, 1)
    pseudo = PseudoLabels(keypoints=keypoints, confidence=confidence,
                          frame=ReferenceFrame(), teacher_samples=[],
                          heatmaps=torch.zeros(batch, 4, 16, 16))
    samples = [PoseDataSample(metainfo=dict(view_affine_params=np.zeros(6)))
               for _ in range(batch)]
    np.random.seed(0)
    occlusion = SingleKeypointOcclusion(prob=0.5, min_confidence=0.9)
    images = torch.arange(batch).float().view(-1, 1, 1, 1).expand(
        batch, 3, size, size)
    occlusion(images, pseudo, samples)
    [(rows, positions)] = calls
    eligible = batch - batch // 4
    assert len(set(rows.tolist())) == len(rows)  # one keypoint per sample
    assert not (rows % 4 == 0).any()  # no candidate, never selected
    # binomial(300, 0.5): mean 150, sd 8.7; +-4 sd
    assert 115 <= len(positions) <= 185
    chosen = {tuple(p.tolist()) for p in positions}
    assert chosen == {(5, 5), (15, 15)}  # the two candidates, both drawn
    share = (positions[:, 0] == 5).float().mean()
    assert 0.35 < float(share) < 0.65  # uniform over the candidates
    assert len(positions) < eligible


def test_torchvision_color_jitter_matches_torchvision_on_the_same_seed():
    """The transform on MMPose's BGR uint8 array against torchvision's
    ColorJitter applied, as the authors' views do, to the RGB PIL image:
    same draws (same seed), same image up to the PIL/tensor rounding."""
    from PIL import Image
    from torchvision.transforms import ColorJitter

    from mmpose_mlda.datasets.transforms import TorchvisionColorJitter
    rng = np.random.RandomState(0)
    bgr = rng.randint(0, 256, (40, 30, 3), dtype=np.uint8)
    ours_t = TorchvisionColorJitter(0.25, 0.25, 0.25)
    theirs_t = ColorJitter(0.25, 0.25, 0.25)
    differ = 0
    for seed in range(20):
        torch.manual_seed(seed)
        ours = ours_t(dict(img=bgr.copy()))['img']
        torch.manual_seed(seed)
        theirs = np.asarray(theirs_t(Image.fromarray(bgr[..., ::-1].copy())))
        assert ours.dtype == np.uint8 and ours.shape == bgr.shape
        gap = np.abs(ours[..., ::-1].astype(int) - theirs.astype(int))
        # the uint8 rounding of three chained ops: a few levels at most
        assert gap.max() <= 4 and gap.mean() < 1, (seed, gap.max())
        differ += int(np.abs(ours.astype(int) - bgr).mean() > 1)
    assert differ >= 15  # it does jitter


@pytest.mark.parametrize('options', [dict(brightness=-0.1), dict(hue=0.7)])
def test_torchvision_color_jitter_options_are_checked(options):
    from mmpose_mlda.datasets.transforms import TorchvisionColorJitter
    with pytest.raises(ValueError, match='TorchvisionColorJitter: '):
        TorchvisionColorJitter(**options)


# ------------------------------------------------------ heatmap validity
def _authors_generate_target(joints, heatmap_size, sigma, image_size):
    """Their lib/datasets/util.py ``generate_target`` (all joints
    visible): a joint whose rounded Gaussian centre is outside the heatmap
    gets weight 0 and an empty heatmap."""
    width, height = heatmap_size
    stride = np.array(image_size) / np.array(heatmap_size)
    radius = sigma * 3
    size = 2 * radius + 1
    x = np.arange(0, size, 1, np.float32)
    y = x[:, None]
    g = np.exp(-((x - size // 2)**2 + (y - size // 2)**2) / (2 * sigma**2))
    target = np.zeros((len(joints), height, width), np.float32)
    weight = np.ones(len(joints), np.float32)
    for k, (jx, jy) in enumerate(joints):
        mu_x, mu_y = int(jx / stride[0] + 0.5), int(jy / stride[1] + 0.5)
        if not (0 <= mu_x < width and 0 <= mu_y < height):
            weight[k] = 0
            continue
        ul = [int(mu_x - radius), int(mu_y - radius)]
        br = [int(mu_x + radius + 1), int(mu_y + radius + 1)]
        gx = max(0, -ul[0]), min(br[0], width) - ul[0]
        gy = max(0, -ul[1]), min(br[1], height) - ul[1]
        ix = max(0, ul[0]), min(br[0], width)
        iy = max(0, ul[1]), min(br[1], height)
        target[k, iy[0]:iy[1], ix[0]:ix[1]] = g[gy[0]:gy[1], gx[0]:gx[1]]
    return target, weight


def test_centre_validity_is_the_authors_generate_target():
    """A joint just past the right or bottom edge (its window still
    overlaps the heatmap): MMPose's rule keeps it, the authors' drops it;
    on random joints around the crop the 'centre' codec reproduces their
    targets and weights."""
    from mmpose.registry import KEYPOINT_CODECS
    size = dict(input_size=(256, 256), heatmap_size=(64, 64), sigma=2)
    window = KEYPOINT_CODECS.build(dict(type='ValidityMSRAHeatmap', **size))
    centre = KEYPOINT_CODECS.build(
        dict(type='ValidityMSRAHeatmap', validity='centre', **size))
    past_edge = np.array([[[254.5, 100.0], [100.0, 255.0], [-2.5, 100.0],
                           [128.0, 128.0]]])
    assert window.encode(past_edge)['keypoint_weights'].tolist() == \
        [[1, 1, 1, 1]]
    assert centre.encode(past_edge)['keypoint_weights'].tolist() == \
        [[0, 0, 1, 1]]  # int(-2.5 / 4 + 0.5) = int(-0.125) = 0: kept
    rng = np.random.default_rng(0)
    joints = rng.uniform(-40, 296, (1, 200, 2))
    encoded = centre.encode(joints)
    theirs, weight = _authors_generate_target(joints[0], (64, 64), 2,
                                              (256, 256))
    np.testing.assert_array_equal(encoded['keypoint_weights'][0], weight)
    np.testing.assert_allclose(encoded['heatmaps'], theirs, atol=1e-6)
    assert 0 < weight.sum() < 200
    with pytest.raises(ValueError, match="validity must be 'window' or "
                       "'centre', got 'inside'"):
        KEYPOINT_CODECS.build(
            dict(type='ValidityMSRAHeatmap', validity='inside', **size))
