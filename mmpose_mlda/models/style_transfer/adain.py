"""AdaIN style transfer (Huang & Belongie, 2017) for image-level alignment.

MLDA (Sec. III-B, after UDAPE) re-renders each source image in the style of a
target image: a frozen VGG-19 encodes both images to ``relu4_1``, adaptive
instance normalisation (AdaIN) gives the content features the channel-wise
mean and standard deviation of the style features, the content/style trade-off
``t = alpha * AdaIN(f_c, f_s) + (1 - alpha) * f_c`` is formed and a frozen
decoder turns ``t`` back into an image.

The networks are laid out exactly like the public pytorch-AdaIN release
(naoto0804/pytorch-AdaIN, ``net.py``): ``vgg`` and ``decoder`` are plain
``nn.Sequential`` s, so the released ``vgg_normalised.pth`` / ``decoder.pth``
(state dicts whose keys are Sequential indices: ``'0.weight'``,
``'2.weight'``, ...) load with ``strict=True``. The release feeds plain RGB
in [0, 1] (torchvision ``ToTensor``, no mean/std) into this encoder; its
leading 1x1 convolution does the input preprocessing of the converted Torch
VGG, so no normalisation is applied here either.
"""
import contextlib
import os.path as osp
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmengine.logging import print_log
from mmpose.registry import MODELS
from torch import Tensor, nn

from mmpose_mlda.utils import checkpoint_file_problem
from .pairing import check_pairing, clamp_to_range, draw_style_pairs

# VGG-19 conv widths; 'M' is a 2x2 max-pool (ceil mode, as in the release).
_VGG19_CFG = (64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512,
              512, 512, 'M', 512, 512, 512, 512)
#: number of leading modules of :func:`build_adain_encoder` up to relu4_1
#: (the release's ``nn.Sequential(*list(vgg.children())[:31])``)
RELU4_1_END = 31

# Decoder: (in, out) conv widths; 'U' is a nearest 2x upsampling. It mirrors
# the encoder from relu4_1 back to RGB; the last conv has no ReLU.
_DECODER_CFG = ((512, 256), 'U', (256, 256), (256, 256), (256, 256),
                (256, 128), 'U', (128, 128), (128, 64), 'U', (64, 64),
                (64, 3))

# mmpretrain's ImageNet VGG-19: input normalisation (RGB, 0-255 scale) and
# the number of ``features`` modules up to relu4_1 (conv 4_1 is index 11).

AlphaType = Union[float, Tuple[float, float]]


def build_adain_encoder(num_layers: Optional[int] = None) -> nn.Sequential:
    """The normalised VGG-19 of pytorch-AdaIN (``vgg_normalised.pth``).

    53 modules, input (B, 3, H, W) RGB in [0, 1]: a 1x1 conv (3 -> 3), then
    for every VGG-19 conv a ``ReflectionPad2d(1)``, an unpadded 3x3 conv and a
    ReLU, with ``MaxPool2d(2, 2, ceil_mode=True)`` between the blocks, up to
    relu5_4. Parameters sit at Sequential indices 0, 2, 5, 9, 12, 16, 19, 22,
    25, 29 (conv4_1), 32, ..., 51. Only ``[:RELU4_1_END]`` (to relu4_1,
    output (B, 512, ceil(H/8), ceil(W/8))) is used for style transfer; the
    whole definition exists so that the released file loads strictly.

    Args:
        num_layers (int, optional): build only the first ``num_layers``
            modules (same indices and keys), e.g. ``RELU4_1_END``. Defaults
            to all 53.
    """
    layers: List[nn.Module] = [nn.Conv2d(3, 3, kernel_size=1)]
    in_ch = 3
    for v in _VGG19_CFG:
        if num_layers is not None and len(layers) >= num_layers:
            break
        if v == 'M':
            layers.append(
                nn.MaxPool2d(kernel_size=2, stride=2, padding=0,
                             ceil_mode=True))
        else:
            layers += [
                nn.ReflectionPad2d(1),
                nn.Conv2d(in_ch, v, kernel_size=3),
                nn.ReLU()
            ]
            in_ch = v
    return nn.Sequential(*layers[:num_layers])


def build_adain_decoder() -> nn.Sequential:
    """The pytorch-AdaIN decoder (``decoder.pth``).

    29 modules mapping relu4_1 features (B, 512, h, w) to an image
    (B, 3, 8h, 8w): ``ReflectionPad2d(1)`` + unpadded 3x3 conv (+ ReLU except
    after the last conv) and three nearest 2x upsamplings. Parameters sit at
    Sequential indices 1, 5, 8, 11, 14, 18, 21, 25, 28.
    """
    layers: List[nn.Module] = []
    for i, v in enumerate(_DECODER_CFG):
        if v == 'U':
            layers.append(nn.Upsample(scale_factor=2, mode='nearest'))
            continue
        layers += [nn.ReflectionPad2d(1), nn.Conv2d(v[0], v[1], 3)]
        if i != len(_DECODER_CFG) - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def calc_mean_std(feat: Tensor, eps: float = 1e-5) -> Tuple[Tensor, Tensor]:
    """Channel-wise mean and std of (B, C, H, W) features.

    The std is ``sqrt(unbiased variance + eps)``, as in the AdaIN release the
    decoder was trained with. Returns two (B, C, 1, 1) tensors.
    """
    if feat.dim() != 4:
        raise ValueError(f'expected (B, C, H, W) features, got {feat.shape}')
    flat = feat.flatten(2)
    mean = flat.mean(dim=2)[..., None, None]
    std = (flat.var(dim=2) + eps).sqrt()[..., None, None]
    return mean, std


def adaptive_instance_norm(content_feat: Tensor, style_feat: Tensor,
                           eps: float = 1e-5) -> Tensor:
    """Adaptive instance normalisation.

    Normalises each channel of ``content_feat`` (B, C, H, W) to zero mean and
    unit std, then scales and shifts it to the channel-wise std and mean of
    ``style_feat`` (B, C, H', W'; the spatial size may differ). Returns
    (B, C, H, W).
    """
    if content_feat.shape[:2] != style_feat.shape[:2]:
        raise ValueError('content and style features need the same (B, C), '
                         f'got {content_feat.shape} and {style_feat.shape}')
    c_mean, c_std = calc_mean_std(content_feat, eps)
    s_mean, s_std = calc_mean_std(style_feat, eps)
    return (content_feat - c_mean) / c_std * s_std + s_mean


def _random_init_(module: nn.Module) -> None:
    """He-normal convs, zero biases: keeps activations O(1) through depth, so
    randomly initialised networks (tests) give meaningful feature stats."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, nonlinearity='relu')
            nn.init.zeros_(m.bias)


@MODELS.register_module()
class AdaINStyleTransfer(nn.Module):
    """Frozen AdaIN network that re-renders content images in the style of
    randomly paired style images (source -> target in MLDA / UDAPE).

    Built from config (``type='AdaINStyleTransfer'``) inside the data
    preprocessor; it is always in eval mode and runs in inference mode (no
    autograd bookkeeping). Only the selected images are encoded and
    decoded, and each distinct style image is encoded once per batch.

    Args:
        encoder_weights (str | None): path of the pytorch-AdaIN
            ``vgg_normalised.pth`` (the full 53-module state dict; only the
            layers to relu4_1 are kept).
        decoder_weights (str | None): path of the pytorch-AdaIN
            ``decoder.pth`` (or a decoder trained with
            ``tools/train_style_decoder.py``).
        alpha (float | tuple[float, float]): style strength in [0, 1]: a
            fixed value, or a range ``(low, high)`` from which one value is
            drawn uniformly per call (per image with ``alpha_per_image``;
            UDAPE draws one value per batch, e.g. from ``(0., 1.)``).
            Defaults to 1.0.
        prob (float): probability with which each content image (or, with
            ``pairing='batch'``, the whole batch) is stylised; the others
            are returned unchanged. Defaults to 0.5.
        pairing (str): ``'random'`` (each image selected on its own, with a
            random style image) or ``'batch'`` (the MLDA authors': all or
            nothing, content ``i`` with style ``i``, one alpha).
        allow_random_init (bool): when a weight path is None or its file is
            missing, initialise randomly (with a warning) instead of raising
            ``FileNotFoundError``. For tests and smoke runs only.
        alpha_per_image (bool): draw ``alpha`` per stylised image instead of
            once per call. Defaults to False.
        eps (float): AdaIN variance epsilon. Defaults to 1e-5.
        keep_in_state_dict (bool): whether the (frozen, file-loaded) weights
            appear in ``state_dict()``. Defaults to False: checkpoints of the
            enclosing model stay small and load with or without this module;
            if a loaded state dict does contain the keys, they are used.
        precision (str): ``'fp32'`` (default): fp32 even under autocast;
            ``'ambient'``: follows the ambient autocast (bf16/fp16 under
            ``--amp``); ``'bf16'``: bf16 autocast whatever the training's
            precision (a switch: the stylised pixels change by bf16
            rounding; the cheapest on GPUs and on CPUs with native bf16).
        channels_last (bool): encoder and decoder in channels-last memory
            layout (oneDNN's fast path for VGG's convolutions on the CPU);
            the same computation, float rounding apart. Its output is
            contiguous either way. Defaults to False.

    Shape:
        forward(content (B, 3, H, W), style (B_s, 3, H_s, W_s)), both float
        RGB in [0, 1] (or both normalised, see ``value_range``) ->
        (B, 3, H, W), same dtype as ``content``.
    """

    def __init__(self,
                 encoder_weights: Optional[str] = None,
                 decoder_weights: Optional[str] = None,
                 alpha: AlphaType = 1.0,
                 prob: float = 0.5,
                 allow_random_init: bool = False,
                 alpha_per_image: bool = False,
                 eps: float = 1e-5,
                 keep_in_state_dict: bool = False,
                 pairing: str = 'random',
                 precision: str = 'fp32',
                 channels_last: bool = False) -> None:
        super().__init__()
        self.pairing = check_pairing(pairing)
        if precision not in ('fp32', 'ambient', 'bf16'):
            raise ValueError(f"precision must be 'fp32', 'ambient' or "
                             f"'bf16', got {precision!r}")
        self.precision = precision
        self.channels_last = bool(channels_last)
        self.alpha_range = self._parse_alpha(alpha)
        if not 0.0 <= float(prob) <= 1.0:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = float(prob)
        self.alpha_per_image = alpha_per_image
        self.eps = eps
        self.allow_random_init = allow_random_init

        # the file holds all 53 modules: load it into the full definition
        # (strict), then keep only the layers to relu4_1 (indices, and so
        # keys, are unchanged)
        have_file = encoder_weights is not None and osp.isfile(
            encoder_weights)
        full = build_adain_encoder(None if have_file else RELU4_1_END)
        self._load(full, encoder_weights, 'encoder_weights',
                   'vgg_normalised.pth from pytorch-AdaIN '
                   '(naoto0804/pytorch-AdaIN releases)')
        self.encoder = nn.Sequential(*list(full.children())[:RELU4_1_END])

        self.decoder = build_adain_decoder()
        self._load(self.decoder, decoder_weights, 'decoder_weights',
                   'decoder.pth from pytorch-AdaIN '
                   '(naoto0804/pytorch-AdaIN releases)')

        self.float()
        if self.channels_last:
            self.to(memory_format=torch.channels_last)
        self.requires_grad_(False)
        super().train(False)
        if not keep_in_state_dict:
            self.register_state_dict_post_hook(_drop_own_keys)
            self.register_load_state_dict_pre_hook(_fill_own_keys)

    # ------------------------------------------------------------------ setup
    @staticmethod
    def _parse_alpha(alpha: AlphaType) -> Tuple[float, float]:
        if isinstance(alpha, (int, float)):
            low = high = float(alpha)
        elif isinstance(alpha, Sequence) and len(alpha) == 2:
            low, high = float(alpha[0]), float(alpha[1])
        else:
            raise TypeError('alpha must be a float or a (low, high) pair, '
                            f'got {alpha!r}')
        if not 0.0 <= low <= high <= 1.0:
            raise ValueError(f'alpha must satisfy 0 <= low <= high <= 1, '
                             f'got {alpha!r}')
        return low, high

    def _load(self, module: nn.Module, path: Optional[str], key: str,
              expected: str) -> None:
        """Load ``path`` into ``module`` strictly, or random-init it when
        allowed, or raise a ``FileNotFoundError`` naming ``key``."""
        if path is None or not osp.isfile(path):
            where = ('is not set' if path is None else
                     f"points to '{path}', which is a folder, not a file"
                     if osp.isdir(path) else
                     f"points to '{path}', which does not exist")
            msg = (f'AdaINStyleTransfer: `{key}` {where}; '
                   f'expected {expected}.')
            if not self.allow_random_init:
                raise FileNotFoundError(
                    msg + ' Set the path in the config, or pass '
                    'allow_random_init=True (tests only: the style transfer '
                    'is meaningless with random weights).')
            print_log(msg + ' Using RANDOM weights (allow_random_init=True).',
                      logger='current', level=30)
            _random_init_(module)
            return
        where = f'AdaINStyleTransfer: `{key}` {path!r}'
        problem = checkpoint_file_problem(path)
        if problem:
            raise ValueError(f'{where} cannot be loaded: {problem}; expected '
                             f'{expected}.')
        try:
            state = torch.load(path, map_location='cpu', weights_only=True)
        except Exception as error:  # noqa: BLE001 - re-raised with the key
            raise ValueError(
                f'{where} is not a file of plain weights (a state dict of '
                f'tensors): {str(error).splitlines()[0][:200]}; expected '
                f'{expected}. Weights saved as a whole pickled module are '
                'not loaded (unsafe); save its state_dict() instead.'
            ) from None
        if isinstance(state, dict) and isinstance(state.get('state_dict'),
                                                  dict):
            state = state['state_dict']  # an MMEngine-style wrapper
        if not isinstance(state, dict) or not all(
                torch.is_tensor(v) for v in state.values()):
            inside = (sorted(state)[:5] if isinstance(state, dict) else
                      type(state).__name__)
            raise ValueError(
                f'{where} holds {inside}, not a state dict of tensors; '
                f'expected {expected}.')
        own = module.state_dict()
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        shapes = [f'{k}: file {tuple(v.shape)} vs layer {tuple(own[k].shape)}'
                  for k, v in state.items()
                  if k in own and v.shape != own[k].shape]
        if missing or unexpected or shapes:
            raise ValueError(
                f'{where} does not fit the {key.split("_")[0]}: '
                f'{len(missing)} tensors missing (e.g. {missing[:2]}), '
                f'{len(unexpected)} unexpected (e.g. {unexpected[:2]}), '
                f'{len(shapes)} of another shape (e.g. {shapes[:2]}). '
                'Are encoder_weights and decoder_weights swapped, or is it '
                f'another network? Expected {expected}.')
        module.load_state_dict(state, strict=True)

    # ------------------------------------------------------------ mode / grad
    def train(self, mode: bool = True) -> 'AdaINStyleTransfer':
        """Stay in eval mode whatever the runner asks (frozen network)."""
        return super().train(False)

    # -------------------------------------------------------------- pieces
    def encode(self, images: Tensor) -> Tensor:
        """relu4_1 features of (N, 3, H, W) RGB images in [0, 1].

        Returns (N, 512, ceil(H/8), ceil(W/8)). Runs with the module's
        current grad mode.
        """
        images = images.float()
        if self.channels_last:
            images = images.contiguous(memory_format=torch.channels_last)
        return self.encoder(images)

    def decode(self, feats: Tensor, size: Tuple[int, int],
               value_range=(0.0, 1.0)) -> Tensor:
        """Decode (N, 512, h, w) features to (N, 3, H, W) images clamped to
        ``value_range`` ([0, 1] for RGB).

        The decoder upsamples by 8; with the encoder's ceil-mode pooling
        8h >= H, and the extra bottom/right rows are cropped (keeps pixel
        alignment, so keypoint labels stay valid).
        """
        h, w = size
        images = self.decoder(feats)[..., :h, :w]
        return clamp_to_range(
            images.contiguous(memory_format=torch.contiguous_format),
            value_range)

    def _draw_alpha(self, n: int, alpha_range=None) -> Tensor:
        """(n,) style strengths, drawn from ``alpha_range``."""
        low, high = alpha_range or self.alpha_range
        per_image = self.alpha_per_image and self.pairing != 'batch'
        u = torch.rand(n if per_image else 1).expand(n)
        return low + (high - low) * u

    def _precision(self, device: torch.device):
        """The autocast context of ``precision``."""
        if self.precision == 'fp32':
            return torch.autocast(device_type=device.type, enabled=False)
        if self.precision == 'bf16':
            return torch.autocast(device_type=device.type,
                                  dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def stylise(self, content: Tensor, style: Tensor,
                alpha: Union[float, Tensor], value_range=(0.0, 1.0)) -> Tensor:
        """Stylise ``content[i]`` with ``style[i]`` (one-to-one pairing).

        Args:
            content (Tensor): (N, 3, H, W) RGB in [0, 1].
            style (Tensor): (N, 3, H_s, W_s) RGB in [0, 1].
            alpha (float | Tensor): scalar or (N,) style strengths.

        Returns:
            Tensor: (N, 3, H, W) in ``value_range``.
        """
        with torch.inference_mode(), self._precision(content.device):
            f_c = self.encode(content)
            f_s = self.encode(style)
            out = self._mix_and_decode(f_c, f_s, alpha, content.shape[-2:],
                                       value_range)
        # a normal tensor (usable by autograd), of the content's dtype
        return out.to(content.dtype, copy=True)

    def _mix_and_decode(self, f_c: Tensor, f_s: Tensor,
                        alpha: Union[float, Tensor], size,
                        value_range) -> Tensor:
        if isinstance(alpha, Tensor):
            alpha = alpha.to(f_c).view(-1, 1, 1, 1)
        t = alpha * adaptive_instance_norm(f_c, f_s, self.eps) + \
            (1 - alpha) * f_c
        return self.decode(t, tuple(size), value_range)

    # -------------------------------------------------------------- forward
    @torch.no_grad()
    def forward(self, content: Tensor, style: Tensor,
                value_range=(0.0, 1.0), prob: Optional[float] = None,
                alpha=None) -> Tensor:
        """Stylise a random subset of ``content`` with style images.

        Which images, and with which style image, ``pairing`` decides
        (:func:`draw_style_pairs`); each selected image gets an ``alpha``
        from ``alpha_range``. Draws use torch's global RNG (seeded by the
        runner).

        Args:
            content (Tensor): (B, 3, H, W) float, RGB in [0, 1] or
                normalised like the model input.
            style (Tensor): (B_s, 3, H_s, W_s), in the same space.
            value_range: clamp of the stylised images: ``(0, 1)`` for RGB,
                or two (1, 3, 1, 1) tensors for normalised images.
            prob (float, optional), alpha (tuple, optional): override
                ``prob`` and the alpha range for this call (the authors'
                target-to-source direction has its own).

        Returns:
            Tensor: (B, 3, H, W), dtype of ``content``; images not selected
            are copied unchanged.
        """
        pairs = draw_style_pairs(content, style,
                                 self.prob if prob is None else prob,
                                 self.pairing)
        out = content.clone()
        if pairs is None:
            return out
        selected, style_idx = pairs
        alpha = self._draw_alpha(
            selected.numel(),
            None if alpha is None else self._parse_alpha(alpha))
        # encode every distinct style image once
        uniq, inverse = torch.unique(style_idx, return_inverse=True)
        with torch.inference_mode(), self._precision(content.device):
            f_c = self.encode(content[selected])
            f_s = self.encode(style[uniq])[inverse.to(content.device)]
            stylised = self._mix_and_decode(f_c, f_s, alpha,
                                            content.shape[-2:], value_range)
        out[selected] = stylised.to(out.dtype)
        return out

    def extra_repr(self) -> str:
        return (f'alpha={self.alpha_range}, '
                f'prob={self.prob}, alpha_per_image={self.alpha_per_image}, '
                f'pairing={self.pairing!r}, precision={self.precision!r}, '
                f'channels_last={self.channels_last}')



def _own_state(module: nn.Module) -> dict:
    """``{key: tensor}`` of every parameter and persistent buffer of
    ``module`` (relative keys), without running state_dict hooks."""
    out = {}
    for mod_name, mod in module.named_modules():
        pre = mod_name + '.' if mod_name else ''
        for name, p in mod._parameters.items():
            if p is not None:
                out[pre + name] = p
        for name, b in mod._buffers.items():
            if b is not None and name not in mod._non_persistent_buffers_set:
                out[pre + name] = b
    return out


def _drop_own_keys(module: nn.Module, state_dict: dict, prefix: str,
                   local_metadata) -> None:
    """state_dict post-hook: leave the frozen weights out of checkpoints."""
    for key in _own_state(module):
        state_dict.pop(prefix + key, None)


def _fill_own_keys(module: nn.Module, state_dict: dict, prefix: str,
                   local_metadata, strict, missing_keys, unexpected_keys,
                   error_msgs) -> None:
    """load_state_dict pre-hook: a state dict without the frozen weights
    (see :func:`_drop_own_keys`) keeps the current ones instead of reporting
    them missing; weights that are present are loaded as usual."""
    for key, value in _own_state(module).items():
        state_dict.setdefault(prefix + key, value.detach())
