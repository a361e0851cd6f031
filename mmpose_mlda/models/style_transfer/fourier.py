"""Fourier Domain Adaptation (FDA, Yang & Soatto, CVPR 2020): weight-free
image-level alignment.

The low-frequency part of an image's amplitude spectrum carries its global
"style" (colour cast, illumination, contrast), the phase carries the
structure. FDA keeps the content image's phase and its high-frequency
amplitude, and takes the low-frequency amplitude from a style image, then
transforms back. No network, no weights: a cheap alternative to
:class:`AdaINStyleTransfer` with the same call signature.
"""
import math
from typing import Optional

import torch
import torch.nn.functional as F
from mmpose.registry import MODELS
from torch import Tensor, nn

from .pairing import check_pairing, clamp_to_range, draw_style_pairs


def low_frequency_mask(height: int, width: int, beta: float,
                       device=None) -> Tensor:
    """Boolean (H, W // 2 + 1) mask of the swapped band in ``rfft2`` layout.

    The band is every frequency ``(k_y, k_x)`` (integer cycles per image)
    with ``|k_y| <= b`` and ``|k_x| <= b``, ``b = floor(beta * min(H, W))``:
    the centred ``(2b + 1) x (2b + 1)`` square of the ``fftshift``-ed
    spectrum, as in FDA's numpy reference (``low_freq_mutate_np``). It is
    symmetric under ``k -> -k``, so the result of the swap is exactly real.
    ``beta <= 0`` gives an empty band (FDA becomes the identity).
    """
    if beta <= 0:
        return torch.zeros(height, width // 2 + 1, dtype=torch.bool,
                           device=device)
    b = int(math.floor(beta * min(height, width)))
    k_y = torch.fft.fftfreq(height, d=1.0 / height, device=device).abs()
    k_x = torch.fft.rfftfreq(width, d=1.0 / width, device=device)
    return (k_y[:, None] <= b) & (k_x[None, :] <= b)


def fda_amplitude_swap(content: Tensor, style: Tensor, beta: float) -> Tensor:
    """Put the low-frequency amplitude of ``style[i]`` into ``content[i]``.

    Args:
        content (Tensor): (N, C, H, W) images.
        style (Tensor): (N, C, H, W) images (paired one-to-one).
        beta (float): band half-size as a fraction of ``min(H, W)``
            (see :func:`low_frequency_mask`); FDA uses 0.01 - 0.09.

    Returns:
        Tensor: (N, C, H, W) float32, NOT clamped: its spectrum has the
        content's phase everywhere, the style's amplitude inside the band
        and the content's amplitude outside it.
    """
    if content.shape != style.shape:
        raise ValueError('content and style must have the same shape, got '
                         f'{tuple(content.shape)} and {tuple(style.shape)}')
    h, w = content.shape[-2:]
    spec_c = torch.fft.rfft2(content.float())  # (N, C, H, W//2+1) complex
    spec_s = torch.fft.rfft2(style.float())
    mask = low_frequency_mask(h, w, beta, device=content.device)
    amp = torch.where(mask, spec_s.abs(), spec_c.abs())
    spec = torch.polar(amp, spec_c.angle())
    return torch.fft.irfft2(spec, s=(h, w))


@MODELS.register_module()
class FourierStyleTransfer(nn.Module):
    """FDA style transfer of randomly selected content images with randomly
    paired style images (source -> target).

    Args:
        beta (float): band half-size as a fraction of ``min(H, W)``; 0 is the
            identity. Defaults to 0.01 (FDA's beta).
        prob (float): probability with which each content image is
            stylised; the others are returned unchanged. Defaults to 0.5.

    Shape:
        forward(content (B, 3, H, W), style (B_s, 3, H_s, W_s)), float RGB
        in [0, 1] -> (B, 3, H, W) in [0, 1], dtype of ``content``. Style
        images of another size are resized (bilinear) to (H, W) first.

    No parameters; the module runs under ``no_grad`` in fp32 and ignores
    ``train()`` (it has no mode-dependent behaviour).
    """

    def __init__(self, beta: float = 0.01, prob: float = 0.5,
                 pairing: str = 'random') -> None:
        super().__init__()
        if not 0.0 <= beta < 1.0:
            raise ValueError('FourierStyleTransfer: beta is the band '
                             'half-size as a fraction of the image side and '
                             f'must be in [0, 1), got {beta} '
                             '(style_transfer.beta; FDA uses 0.01).')
        self.pairing = check_pairing(pairing)
        if not 0.0 <= float(prob) <= 1.0:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.beta = float(beta)
        self.prob = float(prob)
        super().train(False)

    def train(self, mode: bool = True) -> 'FourierStyleTransfer':
        """Stay in eval mode (consistent with the AdaIN module)."""
        return super().train(False)

    @torch.no_grad()
    def stylise(self, content: Tensor, style: Tensor,
                value_range=(0.0, 1.0)) -> Tensor:
        """FDA of ``content[i]`` with ``style[i]``; (N, 3, H, W) ->
        (N, 3, H, W) float32 clamped to ``value_range`` (two floats or
        (1, 3, 1, 1) tensors; [0, 1] for RGB)."""
        if style.shape[-2:] != content.shape[-2:]:
            style = F.interpolate(
                style.float(), size=tuple(content.shape[-2:]),
                mode='bilinear', align_corners=False)
        with torch.autocast(device_type=content.device.type, enabled=False):
            out = fda_amplitude_swap(content, style, self.beta)
        return clamp_to_range(out, value_range)

    @torch.no_grad()
    def forward(self, content: Tensor, style: Tensor,
                value_range=(0.0, 1.0), prob: Optional[float] = None,
                alpha=None) -> Tensor:
        """Stylise each content image with probability ``prob`` using a
        style image drawn uniformly (with replacement) from ``style``
        (torch's global RNG).

        Args:
            content (Tensor): (B, 3, H, W) float RGB in [0, 1].
            style (Tensor): (B_s, 3, H_s, W_s) float RGB in [0, 1].

            value_range: clamp of the result (see :meth:`stylise`).
            prob (float, optional): overrides ``self.prob`` for this call.
            alpha: unused (FDA has no style strength).

        Returns:
            Tensor: (B, 3, H, W) in ``value_range``; images not selected
            are copied unchanged.
        """
        pairs = draw_style_pairs(content, style,
                                 self.prob if prob is None else prob,
                                 self.pairing)
        out = content.clone()
        if pairs is None:
            return out
        selected, style_idx = pairs
        stylised = self.stylise(content[selected], style[style_idx],
                                value_range)
        out[selected] = stylised.to(out.dtype)
        return out

    def extra_repr(self) -> str:
        return (f'beta={self.beta}, prob={self.prob}, '
                f'pairing={self.pairing!r}')

