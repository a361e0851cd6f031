"""``tools/train_style_decoder.py``: trains an AdaIN decoder whose state dict
loads as a pytorch-AdaIN ``decoder.pth``, and fails clearly on bad inputs.

The smoke run uses a random-weight encoder and a few 64x64 random images:
3 iterations on 32x32 crops, so it checks plumbing, not quality.
"""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from mmpose_mlda.models.style_transfer import (AdaINStyleTransfer,
                                               build_adain_decoder,
                                               build_adain_encoder)

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / 'tools' / 'train_style_decoder.py'
ENV = dict(os.environ, OMP_NUM_THREADS='1')
SEED = 3
LR = 1e-4
ITERS = 3


def _write_images(directory: Path, num: int, seed: int) -> None:
    rng = np.random.RandomState(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(num):
        img = rng.randint(0, 256, (64, 64 + 8 * i, 3), dtype=np.uint8)
        assert cv2.imwrite(str(directory / f'img_{i}.png'), img)


@pytest.fixture
def inputs(tmp_path):
    enc = tmp_path / 'vgg_normalised.pth'
    torch.save(build_adain_encoder().state_dict(), enc)
    content, style = tmp_path / 'content', tmp_path / 'style'
    _write_images(content, 4, seed=1)
    # style images one level down: the search is recursive
    _write_images(style / 'nested', 4, seed=2)
    (style / 'notes.txt').write_text('not an image')
    return dict(enc=enc, content=content, style=style, tmp=tmp_path)


def _run(*args, timeout=120):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)],
                          cwd=REPO, env=ENV, capture_output=True, text=True,
                          timeout=timeout)


def test_trains_decoder_in_release_layout(inputs):
    out_dir = inputs['tmp'] / 'out'
    out = out_dir / 'decoder.pth'
    proc = _run('--encoder-weights', inputs['enc'], '--content-dir',
                inputs['content'], '--style-dir', inputs['style'], '--out',
                out, '--iters', ITERS, '--batch-size', 2, '--image-size', 32,
                '--resize', 48, '--lr', LR, '--device', 'cpu', '--workers', 0,
                '--log-interval', 1, '--save-interval', 2, '--seed', SEED)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    for it in range(1, ITERS + 1):
        assert f'iter {it}/{ITERS}' in log
    assert 'loss_content' in log and 'loss_style' in log
    # only the finished file: no temporary left behind
    assert sorted(os.listdir(out_dir)) == ['decoder.pth']

    state = torch.load(out, map_location='cpu', weights_only=True)
    decoder = build_adain_decoder()
    assert list(state) == list(decoder.state_dict())
    decoder.load_state_dict(state, strict=True)
    assert all(torch.isfinite(v).all() for v in state.values())

    # the tool's initial decoder is ``manual_seed(seed); build_adain_decoder``
    torch.manual_seed(SEED)
    init = build_adain_decoder().state_dict()
    diffs = {k: (state[k] - init[k]).abs().max().item() for k in init}
    for key, diff in diffs.items():
        if key.endswith('weight'):
            assert diff > 0, f'{key} did not change'
    # Adam moves each weight by about lr per step: a small change proves the
    # run started from the seeded init (another init differs by ~1e-2)
    assert max(diffs.values()) < 10 * LR * ITERS, diffs

    st = AdaINStyleTransfer(
        encoder_weights=str(inputs['enc']), decoder_weights=str(out),
        prob=1.0)
    for k, v in st.decoder.state_dict().items():
        assert torch.equal(v, state[k])
    with torch.no_grad():
        images = st.stylise(torch.rand(1, 3, 24, 24), torch.rand(1, 3, 24, 24),
                            1.0)
    assert images.shape == (1, 3, 24, 24)


@pytest.mark.parametrize('flag', ['--content-dir', '--style-dir',
                                  '--encoder-weights'])
def test_missing_input_is_named(inputs, flag):
    missing = inputs['tmp'] / 'does_not_exist'
    args = {'--encoder-weights': inputs['enc'],
            '--content-dir': inputs['content'],
            '--style-dir': inputs['style'],
            '--out': inputs['tmp'] / 'decoder.pth'}
    args[flag] = missing
    proc = _run(*[x for kv in args.items() for x in kv], '--iters', 1,
                '--device', 'cpu', '--workers', 0)
    assert proc.returncode != 0
    assert flag in proc.stderr and str(missing) in proc.stderr, proc.stderr
    assert 'Traceback' not in proc.stderr, proc.stderr
    assert not (inputs['tmp'] / 'decoder.pth').exists()


def _load_tool():
    spec = importlib.util.spec_from_file_location('train_style_decoder', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_empty_dir_and_bad_image_are_named(tmp_path):
    tool = _load_tool()
    empty = tmp_path / 'empty'
    (empty / 'sub').mkdir(parents=True)
    (empty / 'sub' / 'readme.txt').write_text('x')
    with pytest.raises(tool.InputError, match='--style-dir.*empty.*no images'):
        tool.find_images(str(empty), '--style-dir')

    bad = tmp_path / 'broken.png'
    bad.write_bytes(b'not a png at all')
    with pytest.raises(tool.ImageReadError, match='broken.png'):
        tool.read_rgb(str(bad))
    with pytest.raises(tool.ImageReadError, match='gone.jpg'):
        tool.read_rgb(str(tmp_path / 'gone.jpg'))


def test_encoder_split_matches_pytorch_adain():
    tool = _load_tool()
    from mmpose_mlda.models.style_transfer.adain import RELU4_1_END
    enc = build_adain_encoder()
    # pytorch-AdaIN net.Net: enc_1..enc_4 = [:4], [4:11], [11:18], [18:31]
    assert tool.relu_x1_ends(enc)[:4] == [4, 11, 18, 31]
    stages = tool.split_encoder(enc, RELU4_1_END)
    assert [len(s) for s in stages] == [4, 7, 7, 13]
    x = torch.rand(1, 3, 16, 16)
    with torch.no_grad():
        assert torch.equal(tool.encode_stages(stages, x)[-1],
                           enc[:RELU4_1_END](x))


def test_save_is_atomic(tmp_path):
    tool = _load_tool()
    out = tmp_path / 'decoder.pth'
    tool.save_atomic({'a': torch.ones(2)}, str(out))

    class Unpicklable:
        def __reduce__(self):
            raise RuntimeError('boom')

    with pytest.raises(RuntimeError, match='boom'):
        tool.save_atomic({'a': Unpicklable()}, str(out))
    # the earlier complete file survives, and no temporary is left
    assert os.listdir(tmp_path) == ['decoder.pth']
    assert torch.equal(torch.load(out, weights_only=True)['a'], torch.ones(2))
