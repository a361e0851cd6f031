"""Image-level alignment: AdaIN (pytorch-AdaIN weight layout) and FDA."""
import mmpose_mlda  # noqa: F401,I001  (compat fixes + registration first)

import math

import pytest
import torch
from mmpose.registry import MODELS
from torch import nn

from mmpose_mlda.models.style_transfer import (AdaINStyleTransfer,
                                               FourierStyleTransfer,
                                               build_adain_decoder,
                                               build_adain_encoder,
                                               calc_mean_std,
                                               fda_amplitude_swap)
from mmpose_mlda.models.style_transfer.adain import RELU4_1_END

# --------------------------------------------------------------------------
# Expected layouts, transcribed from naoto0804/pytorch-AdaIN net.py: the
# ``vgg`` and ``decoder`` nn.Sequential definitions (state-dict keys are the
# Sequential indices of the conv layers).
# --------------------------------------------------------------------------
_ENC_CONVS = [  # index: (out, in, k)
    (0, 3, 3, 1),  # 1x1 input conv (RGB [0,1] -> Caffe BGR, mean removed)
    (2, 64, 3, 3), (5, 64, 64, 3),  # conv1_1, conv1_2
    (9, 128, 64, 3), (12, 128, 128, 3),  # conv2_x
    (16, 256, 128, 3), (19, 256, 256, 3), (22, 256, 256, 3),
    (25, 256, 256, 3),  # conv3_x
    (29, 512, 256, 3),  # conv4_1 (-> relu4_1 at index 30)
    (32, 512, 512, 3), (35, 512, 512, 3), (38, 512, 512, 3),  # conv4_2-4
    (42, 512, 512, 3), (45, 512, 512, 3), (48, 512, 512, 3),
    (51, 512, 512, 3),  # conv5_x
]
_DEC_CONVS = [
    (1, 256, 512, 3), (5, 256, 256, 3), (8, 256, 256, 3), (11, 256, 256, 3),
    (14, 128, 256, 3), (18, 128, 128, 3), (21, 64, 128, 3), (25, 64, 64, 3),
    (28, 3, 64, 3),
]


def _expected_state_shapes(convs):
    out = {}
    for idx, c_out, c_in, k in convs:
        out[f'{idx}.weight'] = (c_out, c_in, k, k)
        out[f'{idx}.bias'] = (c_out, )
    return out


def _state_shapes(module):
    return {k: tuple(v.shape) for k, v in module.state_dict().items()}


def _rand_model(**kwargs):
    kwargs.setdefault('allow_random_init', True)
    return AdaINStyleTransfer(**kwargs)


@pytest.fixture(scope='module')
def weight_files(tmp_path_factory):
    """Random full encoder / decoder state dicts saved like the release."""
    torch.manual_seed(0)
    root = tmp_path_factory.mktemp('adain_weights')
    enc, dec = build_adain_encoder(), build_adain_decoder()
    enc_path, dec_path = root / 'vgg_normalised.pth', root / 'decoder.pth'
    # the released files predate the zip format: save the encoder in the
    # legacy format to cover that path of torch.load(weights_only=True)
    torch.save(enc.state_dict(), enc_path,
               _use_new_zipfile_serialization=False)
    torch.save(dec.state_dict(), dec_path)
    return str(enc_path), str(dec_path)


# ------------------------------------------------------------ weight layout
def test_encoder_layout_matches_pytorch_adain():
    enc = build_adain_encoder()
    assert len(enc) == 53
    assert list(enc.state_dict().keys()) == list(
        _expected_state_shapes(_ENC_CONVS).keys())
    assert _state_shapes(enc) == _expected_state_shapes(_ENC_CONVS)
    # reflection padding + unpadded convs, ceil-mode pools, relu4_1 at 30
    assert isinstance(enc[1], nn.ReflectionPad2d)
    assert tuple(enc[1].padding) == (1, 1, 1, 1)
    assert all(enc[i].padding == (0, 0) for i, *_ in _ENC_CONVS)
    pools = [i for i, m in enumerate(enc) if isinstance(m, nn.MaxPool2d)]
    assert pools == [7, 14, 27, 40]
    assert all(enc[i].ceil_mode for i in pools)
    assert RELU4_1_END == 31 and isinstance(enc[30], nn.ReLU)
    assert isinstance(enc[29], nn.Conv2d) and enc[29].out_channels == 512
    # partial build keeps indices / keys
    part = build_adain_encoder(RELU4_1_END)
    assert len(part) == RELU4_1_END
    assert _state_shapes(part) == {
        k: v for k, v in _expected_state_shapes(_ENC_CONVS).items()
        if int(k.split('.')[0]) < RELU4_1_END}


def test_decoder_layout_matches_pytorch_adain():
    dec = build_adain_decoder()
    assert len(dec) == 29
    assert list(dec.state_dict().keys()) == list(
        _expected_state_shapes(_DEC_CONVS).keys())
    assert _state_shapes(dec) == _expected_state_shapes(_DEC_CONVS)
    ups = [i for i, m in enumerate(dec) if isinstance(m, nn.Upsample)]
    assert ups == [3, 16, 23]
    assert all(dec[i].mode == 'nearest' and dec[i].scale_factor == 2
               for i in ups)
    assert isinstance(dec[-1], nn.Conv2d)  # no ReLU after the last conv
    assert sum(isinstance(m, nn.ReLU) for m in dec) == 8
    out = dec(torch.zeros(1, 512, 2, 3))
    assert out.shape == (1, 3, 16, 24)


def test_weight_files_round_trip_strict(weight_files):
    enc_path, dec_path = weight_files
    enc_state = torch.load(enc_path, weights_only=True)
    dec_state = torch.load(dec_path, weights_only=True)
    # the reference definitions load the files strictly
    build_adain_encoder().load_state_dict(enc_state, strict=True)
    build_adain_decoder().load_state_dict(dec_state, strict=True)

    model = AdaINStyleTransfer(encoder_weights=enc_path,
                               decoder_weights=dec_path)
    kept = model.encoder.state_dict()
    assert len(model.encoder) == RELU4_1_END
    assert set(kept) == {k for k in enc_state
                         if int(k.split('.')[0]) < RELU4_1_END}
    for k, v in kept.items():
        assert torch.equal(v, enc_state[k]), k
    for k, v in model.decoder.state_dict().items():
        assert torch.equal(v, dec_state[k]), k
    # the used part equals the first 31 modules of the full network
    full = build_adain_encoder()
    full.load_state_dict(enc_state)
    x = torch.rand(2, 3, 32, 32)
    torch.testing.assert_close(model.encode(x), full[:RELU4_1_END](x))


def test_incomplete_weight_file_is_rejected(weight_files, tmp_path):
    enc_state = torch.load(weight_files[0], weights_only=True)
    cut = {k: v for k, v in enc_state.items()
           if int(k.split('.')[0]) < RELU4_1_END}
    path = tmp_path / 'vgg_cut.pth'
    torch.save(cut, path)
    with pytest.raises(ValueError, match=r'`encoder_weights` .*vgg_cut\.pth'
                       r'.* does not fit the encoder: \d+ tensors missing'):
        AdaINStyleTransfer(encoder_weights=str(path),
                           decoder_weights=weight_files[1])


@pytest.mark.parametrize('case,message', [
    ('swapped', r'`encoder_weights` .*decoder.*does not fit the encoder.*'
                r'swapped'),
    ('narrow', r'`decoder_weights` .*of another shape.*swapped, or is it '
               r'another network'),
    ('wrapped', None),  # {'state_dict': ...} (MMEngine style) loads
    ('other_wrapper', r"`decoder_weights` .* holds \['model'\], not a state "
                      r'dict of tensors'),
    ('module', r'`decoder_weights` .* is not a file of plain weights.*'
               r'pickled module'),
    ('text', r'`decoder_weights` .* cannot be loaded: it is not a checkpoint'),
    ('folder', r'`decoder_weights` .* is a folder, not a file'),
])
def test_bad_weight_files_name_the_key(weight_files, tmp_path, case,
                                       message):
    enc_path, dec_path = weight_files
    decoder = torch.load(dec_path, weights_only=True)
    bad = tmp_path / 'bad.pth'
    kwargs = dict(encoder_weights=enc_path, decoder_weights=str(bad))
    if case == 'swapped':
        kwargs = dict(encoder_weights=dec_path, decoder_weights=enc_path)
    elif case == 'narrow':
        torch.save({k: v[..., :1] if v.dim() > 1 else v
                    for k, v in decoder.items()}, bad)
    elif case == 'wrapped':
        torch.save(dict(state_dict=decoder, meta=dict()), bad)
    elif case == 'other_wrapper':
        torch.save(dict(model=decoder), bad)
    elif case == 'module':
        torch.save(torch.nn.Conv2d(1, 1, 1), bad)
    elif case == 'text':
        bad.write_text('<html>404 not found</html>')
    else:
        bad.mkdir()
    if message is None:
        AdaINStyleTransfer(**kwargs)
        return
    with pytest.raises((ValueError, FileNotFoundError), match=message):
        AdaINStyleTransfer(**kwargs)


def test_missing_weights_raise_clear_error(weight_files, tmp_path):
    enc_path, dec_path = weight_files
    with pytest.raises(FileNotFoundError,
                       match=r'encoder_weights.*vgg_normalised\.pth'):
        AdaINStyleTransfer(encoder_weights=None, decoder_weights=dec_path)
    missing = str(tmp_path / 'nope' / 'vgg_normalised.pth')
    with pytest.raises(FileNotFoundError) as err:
        AdaINStyleTransfer(encoder_weights=missing, decoder_weights=dec_path)
    assert missing in str(err.value) and 'encoder_weights' in str(err.value)
    with pytest.raises(FileNotFoundError,
                       match=r'decoder_weights.*decoder\.pth'):
        AdaINStyleTransfer(encoder_weights=enc_path,
                           decoder_weights=str(tmp_path / 'decoder.pth'))
    # explicit opt-in: random weights
    model = AdaINStyleTransfer(encoder_weights=missing, decoder_weights=None,
                               allow_random_init=True)
    assert model(torch.rand(1, 3, 16, 16), torch.rand(1, 3, 16, 16)).shape \
        == (1, 3, 16, 16)


# -------------------------------------------------------------- behaviour
def _capture_decoder_input(model):
    seen = []
    handle = model.decoder.register_forward_pre_hook(
        lambda mod, args: seen.append(args[0].clone()))
    return seen, handle


def test_alpha_zero_decodes_content_features():
    torch.manual_seed(1)
    model = _rand_model(alpha=0.0, prob=1.0)
    content, style = torch.rand(3, 3, 32, 32), torch.rand(2, 3, 32, 32)
    seen, handle = _capture_decoder_input(model)
    out = model(content, style)
    handle.remove()
    assert len(seen) == 1
    with torch.no_grad():
        f_c = model.encode(content)
    assert f_c.shape == (3, 512, 4, 4)
    torch.testing.assert_close(seen[0], f_c, rtol=0, atol=1e-6)
    assert out.shape == content.shape
    assert out.min() >= 0 and out.max() <= 1


def test_alpha_one_gives_style_statistics():
    torch.manual_seed(2)
    eps = 1e-5
    model = _rand_model(alpha=1.0, prob=1.0, eps=eps)
    content, style = torch.rand(2, 3, 32, 32), torch.rand(1, 3, 48, 40)
    seen, handle = _capture_decoder_input(model)
    model(content, style)
    handle.remove()
    t = seen[0]
    with torch.no_grad():
        f_c = model.encode(content)
        f_s = model.encode(style).expand(2, -1, -1, -1)
    assert f_s.abs().sum() > 0
    t_mean, _ = calc_mean_std(t)
    s_mean, s_std = calc_mean_std(f_s, eps)
    torch.testing.assert_close(t_mean, s_mean, rtol=1e-4, atol=1e-4)
    # AdaIN: std(t) = sqrt(var_s + eps) * sqrt(var_c / (var_c + eps))
    var_t = t.flatten(2).var(dim=2)
    var_c = f_c.flatten(2).var(dim=2)
    expected_var = s_std.flatten(1)**2 * var_c / (var_c + eps)
    torch.testing.assert_close(var_t, expected_var, rtol=1e-3, atol=1e-6)
    # where the content channel is not degenerate, std(t) == style std
    live = var_c > 1e3 * eps
    assert live.float().mean() > 0.5
    torch.testing.assert_close(var_t.sqrt()[live], s_std.flatten(1)[live],
                               rtol=1e-3, atol=1e-4)


def test_random_pairing_uses_batch_styles():
    torch.manual_seed(3)
    model = _rand_model(alpha=1.0, prob=1.0)
    content = torch.rand(6, 3, 32, 32)
    style = torch.stack([torch.full((3, 32, 32), v) for v in (0.1, 0.5, 0.9)])
    style = style + 0.05 * torch.rand_like(style)  # 3 distinct styles
    seen, handle = _capture_decoder_input(model)
    model(content, style)
    handle.remove()
    with torch.no_grad():
        s_mean, _ = calc_mean_std(model.encode(style))  # (3, 512, 1, 1)
    t_mean, _ = calc_mean_std(seen[0])  # (6, 512, 1, 1)
    dist = (t_mean.flatten(1)[:, None] - s_mean.flatten(1)[None]).abs().amax(
        -1)  # (6, 3)
    assert (dist.amin(dim=1) < 1e-3).all()  # each matches some style image
    assert (dist.amin(dim=1) * 1e3 < dist.amax(dim=1)).all()  # unambiguous
    assert dist.argmin(dim=1).unique().numel() > 1  # not one fixed style


def test_prob_selects_and_leaves_others_unchanged():
    torch.manual_seed(4)
    content, style = torch.rand(16, 3, 24, 24), torch.rand(4, 3, 24, 24)
    model = _rand_model(alpha=(0.5, 1.0), prob=0.0)
    assert torch.equal(model(content, style), content)
    model.prob = 0.5
    out = model(content, style)
    same = (out == content).flatten(1).all(dim=1)
    assert 0 < same.sum() < 16
    model.prob = 1.0
    out = model(content, style)
    assert not (out == content).flatten(1).all(dim=1).any()
    # sizes that are not multiples of 8 come back at the input size
    odd = torch.rand(2, 3, 30, 26)
    assert model(odd, style).shape == odd.shape


def test_alpha_range_draws():
    model = _rand_model(alpha=(0.2, 0.4))
    a = model._draw_alpha(5)
    assert a.shape == (5, ) and (a == a[0]).all()
    assert 0.2 <= a[0] <= 0.4
    model.alpha_per_image = True
    a = torch.cat([model._draw_alpha(50) for _ in range(2)])
    assert ((a >= 0.2) & (a <= 0.4)).all() and a.unique().numel() > 1
    with pytest.raises(ValueError):
        _rand_model(alpha=(0.5, 0.2))
    with pytest.raises(ValueError):
        _rand_model(prob=1.5)


def test_frozen_eval_no_grad_fp32():
    model = _rand_model(prob=1.0)
    assert all(not p.requires_grad for p in model.parameters())
    model.train()
    assert not model.training
    assert not any(m.training for m in model.modules())
    parent = nn.Sequential(nn.Conv2d(3, 3, 1), model)
    parent.train()
    assert parent.training and not model.training
    x = torch.rand(2, 3, 16, 16, requires_grad=True)
    out = model(x, torch.rand(1, 3, 16, 16))
    assert not out.requires_grad
    assert all(p.dtype == torch.float32 for p in model.parameters())
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = model(x.detach(), torch.rand(1, 3, 16, 16))
    assert out.dtype == torch.float32


def _encoder_output_dtypes(model):
    seen = []
    handle = model.encoder[2].register_forward_hook(
        lambda mod, args, out: seen.append(out.dtype))
    return seen, handle


def test_precision_and_layout_switches():
    """channels_last: the same stylised images (float rounding), contiguous
    out; precision='bf16': the network really runs in bf16 and the images
    stay within bf16 rounding of fp32, in the content's dtype; 'ambient'
    follows the autocast, 'fp32' does not."""
    content, style = torch.rand(3, 3, 32, 32), torch.rand(2, 3, 32, 32)
    outputs, dtypes = {}, {}
    for name, options, autocast in (
            ('plain', dict(), False), ('channels_last',
                                       dict(channels_last=True), False),
            ('bf16', dict(precision='bf16'), False),
            ('fp32_under_autocast', dict(), True),
            ('ambient_under_autocast', dict(precision='ambient'), True)):
        torch.manual_seed(3)  # the same weights and draws for each
        model = _rand_model(alpha=1.0, prob=1.0, **options)
        seen, handle = _encoder_output_dtypes(model)
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=autocast):
            # unclamped: random weights put most clamped pixels at a bound
            outputs[name] = model(content, style, value_range=(-1e9, 1e9))
        handle.remove()
        dtypes[name] = seen[0]
    assert dtypes == dict(plain=torch.float32, channels_last=torch.float32,
                          bf16=torch.bfloat16,
                          fp32_under_autocast=torch.float32,
                          ambient_under_autocast=torch.bfloat16)
    plain = outputs['plain']
    assert outputs['channels_last'].is_contiguous()
    torch.testing.assert_close(outputs['channels_last'], plain, rtol=1e-4,
                               atol=1e-4 * plain.abs().mean().item())
    torch.testing.assert_close(outputs['fp32_under_autocast'], plain,
                               rtol=0, atol=0)
    for name in ('bf16', 'ambient_under_autocast'):
        assert outputs[name].dtype == torch.float32
        error = (outputs[name] - plain).abs() / plain.abs().mean()
        assert 0 < error.max() < 0.1 and error.mean() < 0.02, name
    with pytest.raises(ValueError, match="precision must be"):
        _rand_model(precision='fp16')


def test_weights_kept_out_of_checkpoints():
    model = _rand_model()
    assert model.state_dict() == {}
    parent = nn.ModuleDict(dict(head=nn.Linear(2, 2), style=model))
    state = parent.state_dict()
    assert set(state) == {'head.weight', 'head.bias'}
    before = model.decoder[1].weight.clone()
    parent.load_state_dict(state, strict=True)  # no missing keys
    assert torch.equal(model.decoder[1].weight, before)
    kept = _rand_model(keep_in_state_dict=True)
    assert set(kept.state_dict()) == {
        'encoder.' + k for k in kept.encoder.state_dict()} | {
            'decoder.' + k for k in kept.decoder.state_dict()}


def test_registry_build():
    model = MODELS.build(
        dict(type='AdaINStyleTransfer', allow_random_init=True,
             alpha=(0.0, 1.0), prob=0.5))
    assert isinstance(model, AdaINStyleTransfer)
    fda = MODELS.build(dict(type='FourierStyleTransfer', beta=0.01))
    assert isinstance(fda, FourierStyleTransfer)


# -------------------------------------------------------------------- FDA
def _full_mask(h, w, beta):
    b = math.floor(beta * min(h, w))
    k_y = torch.fft.fftfreq(h, d=1.0 / h).abs()
    k_x = torch.fft.fftfreq(w, d=1.0 / w).abs()
    return (k_y[:, None] <= b) & (k_x[None, :] <= b)


def test_fda_beta_zero_is_identity():
    torch.manual_seed(6)
    content, style = torch.rand(3, 3, 32, 32), torch.rand(3, 3, 32, 32)
    torch.testing.assert_close(fda_amplitude_swap(content, style, 0.0),
                               content, rtol=0, atol=1e-5)
    fda = FourierStyleTransfer(beta=0.0, prob=1.0)
    torch.testing.assert_close(fda(content, style), content, rtol=0,
                               atol=1e-5)


@pytest.mark.parametrize('shape,beta', [((32, 32), 0.1), ((30, 27), 0.2),
                                        ((32, 32), 0.01)])
def test_fda_swaps_low_frequency_amplitude_keeps_phase(shape, beta):
    torch.manual_seed(7)
    content = torch.rand(2, 3, *shape)
    style = 0.3 * torch.rand(2, 3, *shape) + 0.6
    out = fda_amplitude_swap(content, style, beta)
    assert out.dtype == torch.float32 and out.shape == content.shape
    spec_o, spec_c = torch.fft.fft2(out), torch.fft.fft2(content)
    spec_s = torch.fft.fft2(style)
    mask = _full_mask(*shape, beta)
    assert mask.sum() == (2 * math.floor(beta * min(shape)) + 1)**2
    amp_o, amp_c, amp_s = spec_o.abs(), spec_c.abs(), spec_s.abs()
    tol = dict(rtol=1e-4, atol=1e-3)
    torch.testing.assert_close(amp_o[..., mask], amp_s[..., mask], **tol)
    torch.testing.assert_close(amp_o[..., ~mask], amp_c[..., ~mask], **tol)
    # content phase kept (compare unit phasors where amplitude is not tiny)
    ok = (amp_c > 1e-2) & (amp_o > 1e-2)
    torch.testing.assert_close((spec_o / amp_o)[ok], (spec_c / amp_c)[ok],
                               rtol=0, atol=1e-3)
    # DC is swapped: the output has the style's mean colour
    torch.testing.assert_close(out.mean(dim=(2, 3)), style.mean(dim=(2, 3)),
                               rtol=0, atol=1e-5)


def test_fda_module_prob_and_clamp():
    torch.manual_seed(8)
    content, style = torch.rand(8, 3, 32, 32), torch.rand(1, 3, 32, 32)
    fda = FourierStyleTransfer(beta=0.05, prob=0.0)
    out = fda(content, style)
    assert torch.equal(out, content) and out is not content
    fda.prob = 1.0
    out = fda(content, style)
    expected = fda_amplitude_swap(content, style.expand_as(content),
                                  0.05).clamp(0, 1)
    torch.testing.assert_close(out, expected)
    assert out.min() >= 0 and out.max() <= 1
    fda.prob = 0.5
    out = fda(content, style)
    same = (out == content).flatten(1).all(dim=1)
    assert 0 < same.sum() < 8
    # a style batch of another size is resized to the content size
    assert fda(content, torch.rand(2, 3, 40, 24)).shape == content.shape
    fda.train()
    assert not fda.training and len(list(fda.parameters())) == 0


def _authors_style_transfer(encoder, decoder, content, style, alpha,
                            eps=1e-5):
    """Their ``style_transfer`` (pytorch-AdaIN's test.py, as their training
    script calls it): AdaIN of the relu4_1 features with per-channel
    spatial mean and (unbiased var + eps) std, mixed with the content
    features by ``alpha``, decoded."""
    content_f, style_f = encoder(content), encoder(style)

    def stats(f):
        flat = f.flatten(2)
        return (flat.mean(2)[..., None, None],
                (flat.var(2) + eps).sqrt()[..., None, None])

    c_mean, c_std = stats(content_f)
    s_mean, s_std = stats(style_f)
    feat = (content_f - c_mean) / c_std * s_std + s_mean
    return decoder(alpha * feat + (1 - alpha) * content_f)


def test_authors_style_path_batch_pairing_in_normalised_space():
    """The authors' image level through the data preprocessor (AdaIN of the
    released layout with random weights, ``pairing='batch'``,
    ``style_space='normalized'``): the source batch comes out as their
    reference computes it: ImageNet-normalised RGB, source i styled by
    target i, one alpha, clamped to the normalised range of [0, 1]
    pixels."""
    from mmengine.structures import InstanceData
    from mmpose.structures import PoseDataSample
    mean = torch.tensor([123.675, 116.28, 103.53])
    std = torch.tensor([58.395, 57.12, 57.375])
    torch.manual_seed(5)
    preprocessor = MODELS.build(dict(
        type='DomainAdaptationDataPreprocessor', mean=mean.tolist(),
        std=std.tolist(), bgr_to_rgb=True, style_space='normalized',
        style_transfer=dict(type='AdaINStyleTransfer', allow_random_init=True,
                            alpha=(0.3, 0.3), prob=1.0, pairing='batch')))
    bgr = [torch.randint(0, 256, (3, 32, 32), dtype=torch.uint8)
           for _ in range(5)]
    source, target = bgr[:2], bgr[2:]  # 2 source, 3 target samples
    none2, none3 = [None] * 2, [None] * 3

    def sample():
        out = PoseDataSample(metainfo=dict(input_size=(32, 32)))
        out.gt_instance_labels = InstanceData()
        return out

    batch = dict(
        inputs=dict(source=source + none3, target_weak=none2 + target),
        data_samples=dict(source=[sample() for _ in range(2)] + none3,
                          target_weak=none2 + [sample() for _ in range(3)]))
    out = preprocessor(batch, True)['inputs']['source']

    def normalised_rgb(images):
        rgb = torch.stack(images).float().flip(1)
        return (rgb - mean.view(1, 3, 1, 1)) / std.view(1, 3, 1, 1)

    network = preprocessor.style_transfer
    with torch.no_grad():
        stylised = _authors_style_transfer(
            network.encoder, network.decoder, normalised_rgb(source),
            normalised_rgb(target[:2]), 0.3)
    low = (-mean / std).view(1, 3, 1, 1)
    high = ((255 - mean) / std).view(1, 3, 1, 1)
    expected = torch.maximum(torch.minimum(stylised, high), low)
    torch.testing.assert_close(out, expected, rtol=1e-4, atol=1e-4)
    assert not torch.allclose(out, normalised_rgb(source), atol=0.1)
