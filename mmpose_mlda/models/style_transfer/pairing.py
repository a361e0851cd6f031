"""Which source images get stylised, and by which style image."""
from typing import Optional, Tuple

import torch
from torch import Tensor


def check_images(x: Tensor, name: str) -> None:
    """Raise unless ``x`` is a (B, 3, H, W) tensor."""
    if not isinstance(x, Tensor) or x.dim() != 4 or x.shape[1] != 3:
        shape = tuple(x.shape) if isinstance(x, Tensor) else type(x)
        raise ValueError(f'{name} must be a (B, 3, H, W) tensor, got {shape}')


def draw_style_pairs(content: Tensor, style: Tensor,
                     prob: float) -> Optional[Tuple[Tensor, Tensor]]:
    """Select each content image with probability ``prob`` and give it a
    style image drawn uniformly, with replacement (torch's global RNG, which
    the runner seeds).

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
    selected = torch.nonzero(torch.rand(num) < prob).flatten()
    if selected.numel() == 0:
        return None
    style_index = torch.randint(num_styles, (selected.numel(), ))
    return selected.to(content.device), style_index.to(style.device)
