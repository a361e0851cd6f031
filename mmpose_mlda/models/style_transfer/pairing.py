"""Which source images get stylised, and by which style image; the value
range of the result."""
from typing import Optional, Tuple

import torch
from torch import Tensor


def check_images(x: Tensor, name: str) -> None:
    """Raise unless ``x`` is a (B, 3, H, W) tensor."""
    if not isinstance(x, Tensor) or x.dim() != 4 or x.shape[1] != 3:
        shape = tuple(x.shape) if isinstance(x, Tensor) else type(x)
        raise ValueError(f'{name} must be a (B, 3, H, W) tensor, got {shape}')


PAIRINGS = ('random', 'batch')


def check_pairing(pairing: str) -> str:
    if pairing not in PAIRINGS:
        raise ValueError(f'style transfer pairing must be one of {PAIRINGS}, '
                         f'got {pairing!r}.')
    return pairing


def draw_style_pairs(content: Tensor, style: Tensor, prob: float,
                     pairing: str = 'random'
                     ) -> Optional[Tuple[Tensor, Tensor]]:
    """Which content images get which style image (torch's global RNG,
    which the runner seeds).

    ``pairing='random'``: each content image is selected with probability
    ``prob`` and gets a style image drawn uniformly, with replacement.
    ``pairing='batch'`` (the MLDA authors'): the whole batch is selected
    with probability ``prob``, content ``i`` paired with style
    ``i % B_style``.

    Returns:
        tuple | None: indices of the selected content images (on
        ``content``'s device) and of their style images (on ``style``'s), or
        ``None`` when nothing is selected.
    """
    check_images(content, 'content')
    check_images(style, 'style')
    num, num_styles = content.shape[0], style.shape[0]
    if num == 0 or num_styles == 0 or prob == 0.0:
        return None
    if pairing == 'batch':
        if not float(torch.rand(())) < prob:
            return None
        selected = torch.arange(num)
        style_index = selected % num_styles
        return selected.to(content.device), style_index.to(style.device)
    selected = torch.nonzero(torch.rand(num) < prob).flatten()
    if selected.numel() == 0:
        return None
    style_index = torch.randint(num_styles, (selected.numel(), ))
    return selected.to(content.device), style_index.to(style.device)


def clamp_to_range(images: Tensor, value_range) -> Tensor:
    """Clamp to ``value_range``: two floats (``(0, 1)`` for RGB), or two
    (1, 3, 1, 1) tensors (the per-channel range of normalised images, as
    the MLDA authors clamp their stylised, normalised source images)."""
    low, high = value_range
    if isinstance(low, Tensor):
        return torch.maximum(torch.minimum(images, high.to(images)),
                             low.to(images))
    return images.clamp_(low, high)
