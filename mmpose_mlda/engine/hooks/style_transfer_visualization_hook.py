"""Show what image-level alignment does to the source images."""
import os
import os.path as osp
from typing import Optional

import cv2
import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmpose.registry import HOOKS


def _row(images: torch.Tensor, max_images: int) -> np.ndarray:
    """(B, 3, H, W) RGB in [0, 1] -> one (H, n*W, 3) uint8 RGB strip."""
    images = images[:max_images].detach().float().clamp(0, 1).cpu()
    return np.concatenate(
        [(img.permute(1, 2, 0).numpy() * 255).astype(np.uint8)
         for img in images], axis=1)


@HOOKS.register_module()
class StyleTransferVisualizationHook(Hook):
    """Every ``interval`` iterations, save a grid of the source images, the
    target (style) images and the stylised source images of that batch.

    The grid shows exactly what the model trained on: a temporary forward
    hook captures the inputs and output of the data preprocessor's
    ``style_transfer`` module during the iteration (no extra pass, no extra
    random draws). Rows: source, target style images, stylised source
    (left unchanged where the module's ``prob`` skipped an image). Written to
    ``<work_dir>/style_transfer/iter_<n>.png`` and to the visualiser's
    backends (``add_image('style_transfer', ...)``).

    Args:
        interval (int): iterations between grids.
        max_images (int): images per row.
    """

    priority = 'LOW'

    def __init__(self, interval: int = 500, max_images: int = 4) -> None:
        self.interval = interval
        self.max_images = max_images
        self._handle = None
        self._captured: Optional[tuple] = None

    def _style_module(self, runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        return getattr(model.data_preprocessor, 'style_transfer', None)

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        module = self._style_module(runner)
        if module is None or not self.every_n_train_iters(
                runner, self.interval):
            return

        def capture(_, inputs, output):
            self._captured = (inputs[0], inputs[1], output)

        self._handle = module.register_forward_hook(capture)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if self._handle is None:
            return
        self._handle.remove()
        self._handle = None
        if self._captured is None:
            return
        content, style, stylised = self._captured
        self._captured = None
        rows = [_row(x, self.max_images) for x in (content, style, stylised)]
        width = max(row.shape[1] for row in rows)
        grid = np.concatenate(
            [np.pad(row, ((0, 0), (0, width - row.shape[1]), (0, 0)))
             for row in rows])
        out_dir = osp.join(runner.work_dir, 'style_transfer')
        os.makedirs(out_dir, exist_ok=True)
        cv2.imwrite(
            osp.join(out_dir, f'iter_{runner.iter + 1}.png'),
            cv2.cvtColor(grid, cv2.COLOR_RGB2BGR))
        runner.visualizer.add_image(
            'style_transfer', grid, step=runner.iter + 1)
