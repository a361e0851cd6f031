"""Show the teacher's pseudo labels on target images."""
import os
import os.path as osp
from typing import Optional, Union

import cv2
import numpy as np
from mmengine.hooks import Hook
from mmengine.structures import InstanceData
from mmpose.registry import HOOKS
from mmpose.structures import PoseDataSample

from .label_free_monitor_hook import (VIEWS, adaptation_model,
                                      build_held_out_loader,
                                      predict_target_views)


@HOOKS.register_module()
class PseudoLabelVisualizationHook(Hook):
    """Every ``interval`` iterations (and at the end), a grid of target
    images with the teacher's keypoints and skeleton drawn by MMPose's
    visualiser (``runner.visualizer``, a ``PoseLocalVisualizer``), written
    to ``<work_dir>/pseudo_labels/iter_<n>.png`` and to every visualiser
    backend (``add_image('pseudo_labels', ...)``: TensorBoard, W&B, ...
    when configured).

    Args:
        dataloader (dict | str): target images with a ``target_weak``
            branch (the held-out slice of ``LabelFreeMonitorHook`` does), or
            the name of the config key holding it (see
            :func:`build_held_out_loader`).
        interval (int): iterations between grids.
        num_images (int): images in the grid (one row).
        kpt_thr (float): keypoints scoring below are not drawn.
    """

    priority = 'LOW'

    def __init__(self, dataloader: Union[dict, str], interval: int = 500,
                 num_images: int = 8, kpt_thr: float = 0.3) -> None:
        self.dataloader_cfg = dataloader
        self.interval = interval
        self.num_images = num_images
        self.kpt_thr = kpt_thr
        self.dataloader = None
        self.last_grid: Optional[np.ndarray] = None

    def before_train(self, runner) -> None:
        self.dataloader = build_held_out_loader(
            runner, self.dataloader_cfg, type(self).__name__)
        runner.visualizer.set_dataset_meta(self.dataloader.dataset.metainfo)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if self.every_n_train_iters(runner, self.interval) or \
                self.is_last_train_iter(runner):
            self.draw(runner)

    def draw(self, runner) -> np.ndarray:
        model = adaptation_model(runner)
        tiles = []
        for batch in self.dataloader:
            pred = predict_target_views(model, batch)
            teacher = pred['teacher'][VIEWS[0]]
            images = [x for x in batch['inputs'][VIEWS[0]] if x is not None]
            for i, image in enumerate(images):
                if len(tiles) == self.num_images:
                    break
                rgb = image.permute(1, 2, 0).numpy()[..., ::-1].copy()
                sample = PoseDataSample()
                sample.pred_instances = InstanceData(
                    keypoints=teacher['keypoints'][i:i + 1],
                    keypoint_scores=teacher['scores'][i:i + 1])
                runner.visualizer.add_datasample(
                    'pseudo_label', rgb, sample, draw_gt=False,
                    draw_bbox=False, show=False, kpt_thr=self.kpt_thr)
                tiles.append(runner.visualizer.get_image())
            if len(tiles) == self.num_images:
                break
        height = max(t.shape[0] for t in tiles)
        grid = np.concatenate(
            [np.pad(t, ((0, height - t.shape[0]), (0, 0), (0, 0)))
             for t in tiles], axis=1)
        out_dir = osp.join(runner.work_dir, 'pseudo_labels')
        os.makedirs(out_dir, exist_ok=True)
        step = runner.iter + 1
        cv2.imwrite(osp.join(out_dir, f'iter_{step}.png'),
                    cv2.cvtColor(grid, cv2.COLOR_RGB2BGR))
        runner.visualizer.add_image('pseudo_labels', grid, step=step)
        self.last_grid = grid
        return grid
