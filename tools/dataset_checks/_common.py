"""Helpers shared by the ``check_*.py`` dataset checkers in this folder.

The folder is not a package: each checker puts its own directory on
``sys.path`` and imports these functions with ``from _common import ...``.
"""
import argparse
import os.path as osp
from typing import Dict, List, Optional, Tuple

import numpy as np

#: how many examples of one kind of problem to name
MAX_EXAMPLES = 5


def image_size(path: str, decode: bool = True) -> Optional[Tuple[int, int]]:
    """(width, height) of an image, None if it is missing or unreadable.

    ``decode`` reads the pixels with MMPose's ``LoadImage``, so an image that
    passes here also loads in training; otherwise only the header is read
    (fast, but misses truncated pixel data).
    """
    from mmpose_mlda.datasets.image_probe import (UnreadableImageError,
                                                  decoded_image_size,
                                                  header_image_size)
    if not osp.isfile(path):
        return None
    try:
        return (decoded_image_size if decode else header_image_size)(path)
    except (UnreadableImageError, FileNotFoundError):
        return None


def examples(items: List[str]) -> str:
    """The first ``MAX_EXAMPLES`` items, comma separated, followed by
    ``(+N more)`` when there are more."""
    more = len(items) - MAX_EXAMPLES
    return ', '.join(items[:MAX_EXAMPLES]) + (f' (+{more} more)'
                                              if more > 0 else '')


def add_problem(problems: List[str], items: List[str], what: str) -> None:
    """Append ``'<len(items)> <what>: <examples(items)>'`` to ``problems``,
    one line for all the problems of one kind; nothing when ``items`` is
    empty."""
    if items:
        problems.append(f'{len(items)} {what}: {examples(items)}')


def outside_image(xy: np.ndarray, width: int, height: int,
                  margin: float) -> np.ndarray:
    """Boolean mask of the points of ``xy`` (N x >=2) lying more than
    ``margin`` px outside a ``width`` x ``height`` image."""
    return ((xy[:, 0] < -margin) | (xy[:, 0] > width + margin)
            | (xy[:, 1] < -margin) | (xy[:, 1] > height + margin))


def add_quick_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--quick``: read image headers only (``decode=False``)."""
    parser.add_argument('--quick', action='store_true',
                        help='read image headers only, do not decode')


def print_summary(summary: Dict, indent: str = '  ') -> None:
    """Print one ``key: value`` line per summary entry."""
    for key, value in summary.items():
        print(f'{indent}{key}: {value}')


def report(problems: List[str]) -> int:
    """Print the problems (or that there are none); the exit code: 1 if
    there are problems, else 0."""
    if problems:
        print(f'{len(problems)} problem(s):')
        for problem in problems:
            print(f'  - {problem}')
        return 1
    print('OK: no problems found')
    return 0
