"""Watch adaptation on a target that has no labels."""
import copy
import logging
from typing import Dict, List, Union

import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmpose.registry import HOOKS

from mmpose_mlda.models.pseudo_labels.consistency_frames import view_metainfo
from mmpose_mlda.models.pseudo_labels.coordinate_pseudo_labeler import \
    map_keypoints
from mmpose_mlda.models.utils import joint_order_index

VIEWS = ('target_weak', 'target_weak_1')


def view_predictions(network, inputs: torch.Tensor,
                     samples) -> Dict[str, np.ndarray]:
    """A plain pose model's keypoints (B, K, 2), in input pixels of the
    view, and scores (B, K), through its head's own decoding."""
    preds = network.head.predict(
        network.extract_feat(inputs), samples,
        test_cfg=dict(flip_test=False))
    if isinstance(preds, tuple):  # (instances, fields)
        preds = preds[0]
    return dict(
        keypoints=np.stack([p.keypoints[0] for p in preds]),
        scores=np.stack([p.keypoint_scores[0] for p in preds]))


def adaptation_model(runner):
    return runner.model.module if is_model_wrapper(
        runner.model) else runner.model


# what the held-out slice takes from the training folder when it does not
# set it itself: the same images, boxes and split
FOLDER_KEYS = ('data_root', 'metainfo', 'bbox_file', 'score_thr',
               'category_ids', 'detector', 'cache_dir', 'val_every')


def build_held_out_loader(runner, dataloader: Union[str, dict],
                          hook: str):
    """The dataloader of a hook that watches the target's held-out slice.

    ``dataloader`` is a dataloader config, or the name of a top-level
    config key holding one (``'monitor_dataloader'``), so that
    ``--cfg-options monitor_dataloader.batch_size=8`` reaches the hook. An
    ``UnlabeledImageDataset`` in it that leaves ``data_root`` (boxes,
    metainfo, ``val_every``, ...) unset takes them from the training
    target's folder: moving the folder with
    ``--cfg-options train_dataloader.dataset.target.data_root=...`` (or
    ``train_dataloader.dataset.data_root`` when source-free) moves the
    held-out slice with it.
    """
    if isinstance(dataloader, str):
        if dataloader not in runner.cfg:
            raise KeyError(
                f'{hook}: dataloader={dataloader!r} names no top-level key of '
                'the config; give a dataloader config, or define '
                f'{dataloader} = dict(...) in the config.')
        dataloader = runner.cfg[dataloader]
    dataloader = copy.deepcopy(dataloader)
    dataset = dataloader.get('dataset', {})
    if dataset.get('type') == 'UnlabeledImageDataset':
        train = runner.cfg.get('train_dataloader', {}).get('dataset', {})
        folder = train.get('target', train)
        if folder.get('type') == 'UnlabeledImageDataset':
            for key in FOLDER_KEYS:
                if dataset.get(key) is None and key in folder:
                    dataset[key] = copy.deepcopy(folder[key])
    return runner.build_dataloader(dataloader)


@torch.no_grad()
def predict_target_views(model, data_batch: dict) -> dict:
    """Teacher predictions on every weak view of a batch and the student's
    on the first; both networks in eval mode for the pass."""
    data = model.data_preprocessor(data_batch, False)
    inputs, samples = data['inputs'], data['data_samples']
    student_mode = model.student.training
    model.student.eval()
    try:
        out = dict(samples=samples, teacher={
            view: view_predictions(model.teacher.module, inputs[view],
                                   samples[view])
            for view in VIEWS if view in inputs
        })
        out['student'] = view_predictions(model.student, inputs[VIEWS[0]],
                                          samples[VIEWS[0]])
    finally:
        model.student.train(student_mode)
    return out


@HOOKS.register_module()
class LabelFreeMonitorHook(Hook):
    """Every ``interval`` iterations (and at the end), statistics of the
    teacher on a held-out slice of the unlabelled target, logged to the
    message hub and every visualiser backend (``monitor/...``):

    - ``teacher_confidence``: mean keypoint score of the teacher;
    - ``confident_share``: share of keypoints scoring above
      ``min_confidence``;
    - ``teacher_student_distance``: mean distance (input pixels) between
      teacher and student keypoints on the same weak view;
    - ``pseudo_label_stability``: mean distance (input pixels) between the
      teacher's keypoints on two weak views of an image, mapped into one
      frame with the recorded view affines (0 = perfectly stable);
    - ``keypoint_spread``: mean over images of the RMS distance (input
      pixels) of the teacher's keypoints from their centroid.

    A run without labels can collapse unseen; the hook warns, in words, when
    its signals show it, against the first measurement (the checkpoint
    before adaptation moved it far):

    - the teacher grows more confident (``teacher_confidence`` up by more
      than ``confidence_rise``) while its pseudo labels grow less stable
      (``pseudo_label_stability`` distance up by more than
      ``stability_drop`` of its first value): it is confirming its own
      mistakes;
    - the keypoints fall into one place (``keypoint_spread`` below
      ``min_spread_ratio`` of its first value).

    Args:
        dataloader (dict | str): the held-out slice, e.g. an
            ``UnlabeledImageDataset(split='val')`` whose pipeline ends with
            ``PoseMultiBranch`` making ``target_weak`` and
            ``target_weak_1`` (two weak views with ``RecordViewGeometry``),
            or the name of the config key holding it (see
            :func:`build_held_out_loader`).
        interval (int): iterations between two measurements.
        min_confidence (float): the threshold of ``confident_share``.
        confidence_rise (float): rise of the mean teacher score that,
            together with falling stability, signals self-confirmation.
        stability_drop (float): relative growth of the two-view distance
            that counts as falling stability.
        min_spread_ratio (float): share of the first keypoint spread below
            which the keypoints have collapsed.
    """

    priority = 'LOW'

    def __init__(self, dataloader: Union[dict, str], interval: int = 500,
                 min_confidence: float = 0.5,
                 confidence_rise: float = 0.05,
                 stability_drop: float = 0.5,
                 min_spread_ratio: float = 0.3) -> None:
        self.dataloader_cfg = dataloader
        self.interval = interval
        self.min_confidence = min_confidence
        self.confidence_rise = confidence_rise
        self.stability_drop = stability_drop
        self.min_spread_ratio = min_spread_ratio
        self.dataloader = None
        self.history: List[dict] = []

    def before_train(self, runner) -> None:
        self.dataloader = build_held_out_loader(
            runner, self.dataloader_cfg, type(self).__name__)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if self.every_n_train_iters(runner, self.interval) or \
                self.is_last_train_iter(runner):
            self.measure(runner)

    def measure(self, runner) -> Dict[str, float]:
        model = adaptation_model(runner)
        scores, distances, stability, spread = [], [], [], []
        for batch in self.dataloader:
            pred = predict_target_views(model, batch)
            teacher = pred['teacher'][VIEWS[0]]
            scores.append(teacher['scores'])
            centred = teacher['keypoints'] - teacher['keypoints'].mean(
                axis=1, keepdims=True)
            spread.append(np.sqrt((centred**2).sum(-1).mean(-1)))
            distances.append(np.linalg.norm(
                teacher['keypoints'] - pred['student']['keypoints'], axis=-1))
            if VIEWS[1] in pred['teacher']:
                stability.append(self._view_distance(pred))
        scores = np.concatenate(scores)
        metrics = dict(
            teacher_confidence=float(scores.mean()),
            confident_share=float((scores > self.min_confidence).mean()),
            teacher_student_distance=float(np.concatenate(distances).mean()),
            keypoint_spread=float(np.concatenate(spread).mean()))
        if stability:
            metrics['pseudo_label_stability'] = float(
                np.concatenate(stability).mean())
        step = runner.iter + 1
        for key, value in metrics.items():
            runner.message_hub.update_scalar(f'monitor/{key}', value)
        runner.visualizer.add_scalars(
            {f'monitor/{k}': v for k, v in metrics.items()}, step=step)
        print_log('label-free monitor: ' + ', '.join(
            f'{k} {v:.4g}' for k, v in metrics.items()), logger='current')
        self.history.append(dict(iter=step, **metrics))
        for warning in self.collapse_signs(self.history[0], metrics):
            print_log(f'label-free monitor, iteration {step}: {warning}',
                      logger='current', level=logging.WARNING)
        return metrics

    def collapse_signs(self, first: dict, now: dict) -> List[str]:
        """What in ``now`` (this measurement) against ``first`` (the
        first one) looks like a collapse, as sentences."""
        signs = []
        rise = now['teacher_confidence'] - first['teacher_confidence']
        if 'pseudo_label_stability' in now and rise > self.confidence_rise:
            before = first['pseudo_label_stability']
            after = now['pseudo_label_stability']
            if after > before * (1 + self.stability_drop):
                signs.append(
                    f'the teacher grew more confident ({rise:+.3f} mean '
                    f'score) while its pseudo labels grew less stable '
                    f'(two-view distance {before:.2f} -> {after:.2f} px): '
                    'it is confirming its own mistakes. Lower the learning '
                    'rate, raise teacher_decay or stop at an earlier '
                    'checkpoint.')
        if now['keypoint_spread'] < \
                self.min_spread_ratio * first['keypoint_spread']:
            signs.append(
                f'the keypoints are collapsing to one place (spread '
                f"{first['keypoint_spread']:.2f} -> "
                f"{now['keypoint_spread']:.2f} px). Stop the run; use an "
                'earlier checkpoint and a lower learning rate.')
        return signs

    @staticmethod
    def _view_distance(pred: dict) -> np.ndarray:
        """(B, K) distance between the teacher's two views' keypoints in
        the first view's frame and joint order."""
        first, second = (pred['samples'][v] for v in VIEWS)
        keypoints = torch.as_tensor(pred['teacher'][VIEWS[1]]['keypoints'])
        affine = torch.as_tensor(
            view_metainfo(first, 'view_affine') @ np.linalg.inv(
                view_metainfo(second, 'view_affine')))
        mapped = map_keypoints(keypoints.double(), affine).numpy()
        index = joint_order_index(view_metainfo(second, 'view_joint_order'),
                                  view_metainfo(first, 'view_joint_order'))
        if index is not None:
            mapped = np.take_along_axis(mapped, index[..., None], axis=1)
        return np.linalg.norm(
            mapped - pred['teacher'][VIEWS[0]]['keypoints'], axis=-1)
