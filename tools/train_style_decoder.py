#!/usr/bin/env python
"""Train an AdaIN decoder for a source -> target domain pair.

    python tools/train_style_decoder.py \\
        --encoder-weights checkpoints/vgg_normalised.pth \\
        --content-dir data/source/images --style-dir data/target/images \\
        --out checkpoints/decoder_s2t.pth \\
        [--iters 160000] [--batch-size 8] [--lr 1e-4] [--lr-decay 5e-5] \\
        [--style-weight 10.0] [--content-weight 1.0] \\
        [--resize 512] [--image-size 256] [--device cuda] [--workers 4] \\
        [--log-interval 100] [--save-interval 10000] [--seed 0] \\
        [--init-decoder checkpoints/decoder.pth]

The decoder released with pytorch-AdaIN (naoto0804/pytorch-AdaIN) was trained
on MS-COCO content and WikiArt style images. This tool trains one for the
user's own pair: content images from the source domain, style images from
the target domain. The result is a state dict in the exact key layout of the
released ``decoder.pth`` (``'1.weight'``, ``'1.bias'``, ``'5.weight'``, ...),
so it plugs straight into the data preprocessor::

    style_transfer=dict(type='AdaINStyleTransfer',
                        encoder_weights='checkpoints/vgg_normalised.pth',
                        decoder_weights='checkpoints/decoder_s2t.pth')

Training follows pytorch-AdaIN's ``train.py`` / ``net.py``:

* the encoder is the frozen normalised VGG-19 (``vgg_normalised.pth``, plain
  RGB in [0, 1] input, see :func:`build_adain_encoder`), cut after relu4_1;
* each step takes ``B`` random content crops and ``B`` random style crops,
  forms the AdaIN target ``t = AdaIN(f_c, f_s)`` at relu4_1 (no gradient
  through ``t``) and decodes it, ``g = decoder(t)``;
* content loss ``L_c = MSE(relu4_1(g), t)``;
* style loss ``L_s = sum over l in {relu1_1, relu2_1, relu3_1, relu4_1} of
  MSE(mean_l(g), mean_l(s)) + MSE(std_l(g), std_l(s))`` with channel-wise
  means / stds from :func:`calc_mean_std`;
* loss ``= content_weight * L_c + style_weight * L_s`` (defaults 1 and 10),
  Adam on the decoder only, ``lr_i = lr / (1 + lr_decay * i)`` at iteration
  ``i`` (0-based).

Encoder split (indices into the module list of :func:`build_adain_encoder`,
identical to pytorch-AdaIN's ``net.Net``); they are derived from the module
list at start-up (:func:`relu_x1_ends`) and checked against these values:

    ======  ==============================================  =========
    stage   modules                                         slice
    ======  ==============================================  =========
    enc_1   0 conv1x1, 1 pad, 2 conv1_1, 3 relu1_1          [0:4]
    enc_2   conv1_2 (5), pool (7), conv2_1 (9), relu2_1     [4:11]
    enc_3   conv2_2 (12), pool (14), conv3_1 (16), relu3_1  [11:18]
    enc_4   conv3_2..3_4 (19, 22, 25), pool (27),           [18:31]
            conv4_1 (29), relu4_1 (30)
    ======  ==============================================  =========

(31 is ``RELU4_1_END``.)

Data: every ``*.jpg``, ``*.jpeg`` and ``*.png`` below ``--content-dir`` /
``--style-dir`` (recursive, case-insensitive, hidden files skipped). Each
sample is read as RGB, resized so that its shorter side is ``--resize``
(aspect ratio kept, as in the AdaIN paper; pytorch-AdaIN's ``train.py``
squashes to 512x512 instead), randomly cropped to ``--image-size`` squared
and scaled to [0, 1]. Images are drawn in a fresh random order every pass.

Output: ``--out`` is written every ``--save-interval`` iterations and at the
end, always through a temporary file in the same directory and
``os.replace``, so it never holds a half-written file. The initial decoder is
``torch.manual_seed(seed); build_adain_decoder()`` (PyTorch's default init,
as in pytorch-AdaIN), or ``--init-decoder`` to fine-tune e.g. the released
``decoder.pth``. Progress lines print the iteration, learning rate, total
loss and the weighted content and style losses.
"""
import argparse
import importlib
import os
import os.path as osp
import sys
import tempfile
import time
from typing import List, Sequence

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import Tensor, nn  # noqa: E402
from torch.utils.data import DataLoader, Dataset  # noqa: E402

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png')
#: exclusive end indices of relu1_1, relu2_1, relu3_1, relu4_1 in
#: :func:`build_adain_encoder` (pytorch-AdaIN ``net.Net``: enc_1..enc_4)
EXPECTED_STAGE_ENDS = (4, 11, 18, 31)
STAGE_NAMES = ('relu1_1', 'relu2_1', 'relu3_1', 'relu4_1')


class InputError(Exception):
    """A bad command-line input (path, directory, weights file)."""


class ImageReadError(OSError):
    """An image file that cannot be read or decoded."""


# ---------------------------------------------------------------- arguments
def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Train an AdaIN decoder (pytorch-AdaIN decoder.pth '
        'layout) for a source (content) -> target (style) domain pair.',
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument(
        '--encoder-weights', required=True,
        help='pytorch-AdaIN vgg_normalised.pth (state dict of the '
        'normalised VGG-19; the full 53-module one or its first 31 modules)')
    parser.add_argument('--content-dir', required=True,
                        help='source-domain images (searched recursively)')
    parser.add_argument('--style-dir', required=True,
                        help='target-domain images (searched recursively)')
    parser.add_argument('--out', required=True,
                        help='where to save the decoder state dict')
    parser.add_argument('--iters', type=int, default=160000,
                        help='training iterations')
    parser.add_argument('--batch-size', type=int, default=8,
                        help='content images (and style images) per step')
    parser.add_argument('--lr', type=float, default=1e-4,
                        help='initial Adam learning rate')
    parser.add_argument('--lr-decay', type=float, default=5e-5,
                        help='lr at iteration i is lr / (1 + lr_decay * i)')
    parser.add_argument('--style-weight', type=float, default=10.0)
    parser.add_argument('--content-weight', type=float, default=1.0)
    parser.add_argument('--resize', type=int, default=512,
                        help='shorter image side after resizing, before the '
                        'random crop')
    parser.add_argument('--image-size', type=int, default=256,
                        help='side of the square random crop (a multiple of '
                        '8 avoids padding in the decoder)')
    parser.add_argument('--device', default=None,
                        help="torch device, e.g. 'cuda', 'cuda:1' or 'cpu' "
                        '(default: cuda if available, else cpu)')
    parser.add_argument('--workers', type=int, default=4,
                        help='data loading worker processes per domain '
                        '(0: load in the main process)')
    parser.add_argument('--log-interval', type=int, default=100,
                        help='print the losses every N iterations')
    parser.add_argument('--save-interval', type=int, default=10000,
                        help='also save --out every N iterations '
                        '(0: only at the end)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--init-decoder', default=None,
                        help='start from this decoder state dict (e.g. the '
                        'released decoder.pth) instead of a random one')
    args = parser.parse_args(argv)

    checks = (
        (args.iters >= 1, '--iters must be >= 1'),
        (args.batch_size >= 1, '--batch-size must be >= 1'),
        (args.lr > 0, '--lr must be > 0'),
        (args.lr_decay >= 0, '--lr-decay must be >= 0'),
        (args.style_weight >= 0, '--style-weight must be >= 0'),
        (args.content_weight >= 0, '--content-weight must be >= 0'),
        (args.image_size >= 1, '--image-size must be >= 1'),
        (args.resize >= args.image_size,
         f'--resize ({args.resize}) must be >= --image-size '
         f'({args.image_size})'),
        (args.workers >= 0, '--workers must be >= 0'),
        (args.log_interval >= 1, '--log-interval must be >= 1'),
        (args.save_interval >= 0, '--save-interval must be >= 0'),
    )
    for ok, msg in checks:
        if not ok:
            parser.error(msg)
    return args


# --------------------------------------------------------------------- data
def find_images(directory: str, flag: str) -> List[str]:
    """Sorted paths of the images below ``directory`` (recursive)."""
    if not osp.isdir(directory):
        raise InputError(f"{flag} '{directory}' does not exist or is not a "
                         'directory')
    if not os.access(directory, os.R_OK | os.X_OK):
        raise InputError(f"{flag} '{directory}' is not readable")
    paths, seen = [], set()
    for root, dirs, files in os.walk(directory, followlinks=True):
        real = osp.realpath(root)
        if real in seen:  # a symlink loop
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(files):
            if (name.lower().endswith(IMAGE_EXTENSIONS)
                    and not name.startswith('.')):
                paths.append(osp.join(root, name))
    if not paths:
        raise InputError(
            f"{flag} '{directory}' contains no images "
            f"({', '.join('*' + e for e in IMAGE_EXTENSIONS)}, searched "
            'recursively)')
    return paths


def read_rgb(path: str) -> np.ndarray:
    """(H, W, 3) uint8 RGB image; :class:`ImageReadError` naming ``path``
    if it cannot be read or decoded."""
    try:
        buf = np.fromfile(path, dtype=np.uint8)
    except OSError as e:
        raise ImageReadError(f"cannot read image '{path}': {e}") from None
    img = cv2.imdecode(buf, cv2.IMREAD_COLOR) if buf.size else None
    if img is None:
        raise ImageReadError(f"cannot decode image '{path}' (empty, "
                             'truncated or not a JPEG/PNG file)')
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)


def resize_shorter_side(img: np.ndarray, size: int) -> np.ndarray:
    """Resize so that the shorter side is exactly ``size`` (aspect kept)."""
    h, w = img.shape[:2]
    if h <= w:
        new_h, new_w = size, max(size, int(round(w * size / h)))
    else:
        new_h, new_w = max(size, int(round(h * size / w))), size
    if (new_h, new_w) == (h, w):
        return img
    interp = cv2.INTER_AREA if new_h < h else cv2.INTER_LINEAR
    return cv2.resize(img, (new_w, new_h), interpolation=interp)


def random_crop(img: np.ndarray, size: int) -> np.ndarray:
    """A random ``size`` x ``size`` crop (torch's RNG: seeded per worker)."""
    h, w = img.shape[:2]
    top = int(torch.randint(h - size + 1, (1, )))
    left = int(torch.randint(w - size + 1, (1, )))
    return img[top:top + size, left:left + size]


class ImageFolder(Dataset):
    """Images of one domain as (3, S, S) float tensors in [0, 1]."""

    def __init__(self, paths: Sequence[str], resize: int, crop: int):
        self.paths = list(paths)
        self.resize = resize
        self.crop = crop

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> Tensor:
        img = read_rgb(self.paths[index])
        img = random_crop(resize_shorter_side(img, self.resize), self.crop)
        chw = np.ascontiguousarray(img.transpose(2, 0, 1))
        return torch.from_numpy(chw).float().div_(255.0)


def _worker_init(_):
    cv2.setNumThreads(0)


def make_batches(paths, args, seed: int):
    """An endless iterator of (B, 3, S, S) batches of one domain."""
    from mmengine.dataset import InfiniteSampler  # after the fast input checks
    dataset = ImageFolder(paths, args.resize, args.image_size)
    gen = torch.Generator()
    gen.manual_seed(seed)
    loader = DataLoader(
        dataset,
        batch_size=args.batch_size,
        sampler=InfiniteSampler(dataset, shuffle=True, seed=seed),
        num_workers=args.workers,
        worker_init_fn=_worker_init if args.workers else None,
        persistent_workers=args.workers > 0,
        pin_memory=str(args.device).startswith('cuda'),
        generator=gen)
    return iter(loader)


# ------------------------------------------------------------------ networks
def relu_x1_ends(encoder: nn.Sequential) -> List[int]:
    """Exclusive end indices of relu1_1, relu2_1, ... in ``encoder``.

    A block starts at the first 3x3 conv and after every max-pool; the ReLU
    that follows the first 3x3 conv of a block is that block's relu<k>_1.
    """
    ends: List[int] = []
    block_start, after_first_conv = True, False
    for i, module in enumerate(encoder):
        if isinstance(module, nn.MaxPool2d):
            block_start = True
        elif isinstance(module, nn.Conv2d) and module.kernel_size == (3, 3):
            after_first_conv, block_start = block_start, False
        elif isinstance(module, nn.ReLU) and after_first_conv:
            ends.append(i + 1)
            after_first_conv = False
    return ends


def split_encoder(encoder: nn.Sequential, relu4_1_end: int) -> nn.ModuleList:
    """enc_1..enc_4 (input -> relu1_1 -> ... -> relu4_1) of ``encoder``."""
    ends = relu_x1_ends(encoder)[:len(STAGE_NAMES)]
    if tuple(ends) != EXPECTED_STAGE_ENDS or ends[-1] != relu4_1_end:
        raise RuntimeError(
            f'unexpected AdaIN encoder layout: relu<k>_1 ends {ends}, '
            f'expected {EXPECTED_STAGE_ENDS} (RELU4_1_END={relu4_1_end})')
    layers = list(encoder.children())
    starts = [0] + ends[:-1]
    return nn.ModuleList(
        nn.Sequential(*layers[s:e]) for s, e in zip(starts, ends))


def _short(err: Exception, limit: int = 600) -> str:
    text = str(err).strip()
    return text if len(text) <= limit else text[:limit] + ' ...'


def load_state(path: str, flag: str) -> dict:
    if not osp.isfile(path):
        raise InputError(f"{flag} '{path}' does not exist or is not a file")
    try:
        state = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as e:  # noqa: BLE001 - any unpickling failure
        detail = str(e)
        if 'WeightsUnpickler error:' in detail:  # skip torch's long preface
            detail = detail.split('WeightsUnpickler error:', 1)[1]
            detail = detail.split('Check the documentation', 1)[0]
        detail = ' '.join(detail.split()) or type(e).__name__
        raise InputError(f"{flag} '{path}' could not be read as a PyTorch "
                         f'state dict (torch.load with weights_only=True: '
                         f'{_short(detail, 300)})') from None
    if not isinstance(state, dict):
        raise InputError(f"{flag} '{path}' holds a {type(state).__name__}, "
                         'not a state dict')
    return state


def load_encoder(path: str, adain_mod) -> nn.Sequential:
    """The frozen encoder up to relu4_1 from a ``vgg_normalised.pth``-style
    state dict (all 53 modules, or only the first 31)."""
    state = load_state(path, '--encoder-weights')
    full = adain_mod.build_adain_encoder()
    try:
        full.load_state_dict(state, strict=True)
    except RuntimeError as err_full:
        full = adain_mod.build_adain_encoder(adain_mod.RELU4_1_END)
        try:
            full.load_state_dict(state, strict=True)
        except RuntimeError:
            raise InputError(
                f"--encoder-weights '{path}' is not a pytorch-AdaIN "
                f'vgg_normalised.pth state dict: {_short(err_full)}') from None
    encoder = nn.Sequential(*list(full.children())[:adain_mod.RELU4_1_END])
    encoder.requires_grad_(False)
    return encoder.eval()


def check_out_path(out: str) -> None:
    if osp.isdir(out):
        raise InputError(f"--out '{out}' is a directory; give a file path")
    parent = osp.dirname(osp.abspath(out))
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as e:
        raise InputError(f"--out: cannot create directory '{parent}': "
                         f'{e}') from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"--out: directory '{parent}' is not writable")


def save_atomic(state: dict, path: str) -> None:
    """torch.save ``state`` to a temporary file next to ``path``, then
    ``os.replace`` it: ``path`` is either the old or the new complete file."""
    parent = osp.dirname(osp.abspath(path))
    fd, tmp = tempfile.mkstemp(
        prefix='.' + osp.basename(path) + '.', suffix='.tmp', dir=parent)
    try:
        with os.fdopen(fd, 'wb') as f:
            torch.save(state, f)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it 0600
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def decoder_state(decoder: nn.Module) -> dict:
    return {k: v.detach().cpu().clone()
            for k, v in decoder.state_dict().items()}


# ----------------------------------------------------------------- training
def encode_stages(stages: nn.ModuleList, x: Tensor) -> List[Tensor]:
    """Features at relu1_1, relu2_1, relu3_1, relu4_1."""
    feats = []
    for stage in stages:
        x = stage(x)
        feats.append(x)
    return feats


def adain_losses(stages: nn.ModuleList, decoder: nn.Module, content: Tensor,
                 style: Tensor, adain_mod):
    """(content loss, style loss), unweighted, as in pytorch-AdaIN."""
    with torch.no_grad():
        style_feats = encode_stages(stages, style)
        content_feat = encode_stages(stages, content)[-1]
        target = adain_mod.adaptive_instance_norm(content_feat,
                                                  style_feats[-1])
    decoded = decoder(target)
    decoded_feats = encode_stages(stages, decoded)
    loss_c = F.mse_loss(decoded_feats[-1], target)
    loss_s = decoded.new_zeros(())
    for g_feat, s_feat in zip(decoded_feats, style_feats):
        g_mean, g_std = adain_mod.calc_mean_std(g_feat)
        s_mean, s_std = adain_mod.calc_mean_std(s_feat)
        loss_s = loss_s + F.mse_loss(g_mean, s_mean) + F.mse_loss(
            g_std, s_std)
    return loss_c, loss_s


def train(args: argparse.Namespace) -> None:
    content_paths = find_images(args.content_dir, '--content-dir')
    style_paths = find_images(args.style_dir, '--style-dir')
    for flag, path in (('--encoder-weights', args.encoder_weights),
                       ('--init-decoder', args.init_decoder)):
        if path is not None and not osp.isfile(path):
            raise InputError(f"{flag} '{path}' does not exist or is not a "
                             'file')
    check_out_path(args.out)
    device = torch.device(args.device or (
        'cuda' if torch.cuda.is_available() else 'cpu'))
    if device.type == 'cuda' and not torch.cuda.is_available():
        raise InputError(f"--device '{args.device}': CUDA is not available")
    args.device = str(device)

    # the OpenMMLab stack is slow to import: only after the cheap checks
    adain_mod = importlib.import_module(
        'mmpose_mlda.models.style_transfer.adain')

    encoder = load_encoder(args.encoder_weights, adain_mod)
    stages = split_encoder(encoder, adain_mod.RELU4_1_END).to(device)

    torch.manual_seed(args.seed)  # the initial decoder depends on this only
    decoder = adain_mod.build_adain_decoder()
    if args.init_decoder is not None:
        state = load_state(args.init_decoder, '--init-decoder')
        try:
            decoder.load_state_dict(state, strict=True)
        except RuntimeError as e:
            raise InputError(f"--init-decoder '{args.init_decoder}' is not "
                             f'a pytorch-AdaIN decoder.pth state dict: '
                             f'{_short(e)}') from None
    decoder.to(device).train()
    optimizer = torch.optim.Adam(decoder.parameters(), lr=args.lr)
    if device.type == 'cuda':
        torch.backends.cudnn.benchmark = True

    content_iter = make_batches(content_paths, args, args.seed + 1)
    style_iter = make_batches(style_paths, args, args.seed + 2)
    print(f'content: {len(content_paths)} images in {args.content_dir}\n'
          f'style:   {len(style_paths)} images in {args.style_dir}\n'
          f'device {device}, {args.iters} iters, batch {args.batch_size}, '
          f'crop {args.image_size} of shorter side {args.resize}, '
          f'lr {args.lr:g} (decay {args.lr_decay:g}), weights content '
          f'{args.content_weight:g} / style {args.style_weight:g}; '
          f'encoder stages end at {list(EXPECTED_STAGE_ENDS)} '
          f"({', '.join(STAGE_NAMES)})", flush=True)

    tic = time.time()
    for i in range(args.iters):
        lr = args.lr / (1.0 + args.lr_decay * i)
        for group in optimizer.param_groups:
            group['lr'] = lr
        content = next(content_iter).to(device, non_blocking=True)
        style = next(style_iter).to(device, non_blocking=True)
        loss_c, loss_s = adain_losses(stages, decoder, content, style,
                                      adain_mod)
        loss_c = args.content_weight * loss_c
        loss_s = args.style_weight * loss_s
        loss = loss_c + loss_s
        if not torch.isfinite(loss):
            raise FloatingPointError(
                f'non-finite loss at iteration {i + 1} (content '
                f'{loss_c.item():.4g}, style {loss_s.item():.4g}); try a '
                f'smaller --lr. --out was not updated by this step.')
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

        it = i + 1
        if it % args.log_interval == 0 or it == 1 or it == args.iters:
            elapsed = time.time() - tic
            print(f'iter {it}/{args.iters}  lr {lr:.3e}  loss '
                  f'{loss.item():.5g}  loss_content {loss_c.item():.5g}  '
                  f'loss_style {loss_s.item():.5g}  '
                  f'({elapsed / it:.3f} s/iter)', flush=True)
        if it == args.iters or (args.save_interval
                                and it % args.save_interval == 0):
            save_atomic(decoder_state(decoder), args.out)
            print(f'iter {it}: saved decoder to {args.out}', flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    cv2.setNumThreads(0)
    try:
        train(args)
    except (InputError, ImageReadError, FloatingPointError) as e:
        msg = str(e)
        if isinstance(e, ImageReadError) and 'Traceback' in msg:
            # raised in a DataLoader worker: keep the original message only
            msg = msg.strip().splitlines()[-1]
            msg = msg.split(f'{ImageReadError.__name__}: ', 1)[-1]
        print(f'error: {msg}', file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
