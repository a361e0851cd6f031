"""3D lifting metrics of the cross-dataset protocol (MPI-INF-3DHP style).

MMPose has MPJPE / PA-MPJPE (``MPJPEMetric``) but no 3DPCK or AUC and no
per-sequence report. Here, per sample, both poses are root-centred, then:

* MPJPE: mean joint error (mm); PA-MPJPE: after Procrustes alignment (MMPose's
  ``keypoint_mpjpe(..., alignment='procrustes')``);
* 3DPCK: % of joints with error <= ``pck_threshold`` (150 mm);
* AUC: mean 3DPCK over ``auc_thresholds`` (default 0, 5, ..., 150 mm, as the
  3DHP evaluation scripts), in %.

Reported overall and, when the image names carry a sequence (``TS1`` ...),
per sequence (``TS1/MPJPE``) and per sequence group (``GS``: TS1-2,
``noGS``: TS3-4, ``Outdoor``: TS5-6, ``Indoor``: TS1-4).
"""
import os.path as osp
import re
from collections import OrderedDict, defaultdict
from typing import Dict, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric

from mmpose.evaluation.functional import keypoint_mpjpe
from mmpose.registry import METRICS

DEFAULT_GROUPS = OrderedDict(
    GS=('TS1', 'TS2'), noGS=('TS3', 'TS4'), Outdoor=('TS5', 'TS6'),
    Indoor=('TS1', 'TS2', 'TS3', 'TS4'))


def pck_3d(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray,
           threshold: float) -> float:
    """% of valid joints with error at most ``threshold`` (so a perfect
    prediction scores 100 at every threshold, including 0).

    Args:
        pred, gt (np.ndarray): (N, K, 3); mask (np.ndarray): (N, K) bool.
    """
    err = np.linalg.norm(pred - gt, axis=-1)[mask]
    return float((err <= threshold).mean() * 100) if err.size else float('nan')


def auc_3d(pred: np.ndarray, gt: np.ndarray, mask: np.ndarray,
           thresholds: Sequence[float]) -> float:
    """Mean 3DPCK (%) over ``thresholds``; lies in [0, 100]."""
    return float(np.mean([pck_3d(pred, gt, mask, t) for t in thresholds]))


@METRICS.register_module()
class Lifting3DMetric(BaseMetric):
    """MPJPE, PA-MPJPE, 3DPCK@150 mm and AUC, overall and per sequence.

    Args:
        unit_scale (float): factor from the data's units to mm (MMPose's
            body3d npz are in metres: 1000).
        pck_threshold (float): 3DPCK threshold in mm. Defaults to 150.
        auc_thresholds (Sequence[float], optional): mm; defaults to
            0, 5, ..., 150.
        root_index (int): root joint used to centre both poses.
        joint_indices (Sequence[int], optional): joints that count (all by
            default).
        sequence_pattern (str): regex whose first group, searched in the
            image name, gives the sequence. Defaults to ``(TS\\d+)``.
        sequence_groups (dict, optional): group name -> sequences.
        prefix (str, optional): metric name prefix.
    """
    default_prefix = ''

    def __init__(self,
                 unit_scale: float = 1000.,
                 pck_threshold: float = 150.,
                 auc_thresholds: Optional[Sequence[float]] = None,
                 root_index: int = 0,
                 joint_indices: Optional[Sequence[int]] = None,
                 sequence_pattern: str = r'(TS\d+)',
                 sequence_groups: Optional[Dict[str, Sequence[str]]] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.unit_scale = unit_scale
        self.pck_threshold = pck_threshold
        self.auc_thresholds = (list(auc_thresholds)
                               if auc_thresholds is not None else
                               list(np.arange(0, 151, 5.0)))
        self.root_index = root_index
        self.joint_indices = joint_indices
        self.sequence_re = re.compile(sequence_pattern)
        self.sequence_groups = (DEFAULT_GROUPS if sequence_groups is None
                                else sequence_groups)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for ds in data_samples:
            pred = np.asarray(ds['pred_instances']['keypoints'])
            pred = pred.reshape(-1, *pred.shape[-2:])[-1]  # K, 3
            gt_inst = ds['gt_instances']
            gt = np.asarray(gt_inst['lifting_target']).reshape(
                -1, *pred.shape[-2:])[-1]
            vis = gt_inst.get('lifting_target_visible', None)
            mask = (np.ones(gt.shape[0], bool) if vis is None else
                    np.asarray(vis).reshape(-1, gt.shape[0])[-1] > 0)
            name = ds.get('target_img_path', ds.get('img_path', ''))
            if isinstance(name, (list, tuple, np.ndarray)):
                name = name[0] if len(name) else ''
            m = self.sequence_re.search(osp.basename(str(name)))
            self.results.append(
                dict(pred=pred, gt=gt, mask=mask,
                     seq=m.group(1) if m else None))

    def _scores(self, pred, gt, mask) -> Dict[str, float]:
        if self.joint_indices is not None:
            idx = list(self.joint_indices)
            pred, gt, mask = pred[:, idx], gt[:, idx], mask[:, idx]
        return {
            'MPJPE': keypoint_mpjpe(pred, gt, mask, 'none'),
            'PA-MPJPE': keypoint_mpjpe(pred, gt, mask, 'procrustes'),
            '3DPCK': pck_3d(pred, gt, mask, self.pck_threshold),
            'AUC': auc_3d(pred, gt, mask, self.auc_thresholds),
        }

    def compute_metrics(self, results: list) -> Dict[str, float]:
        r = self.root_index
        pred = np.stack([x['pred'] for x in results]) * self.unit_scale
        gt = np.stack([x['gt'] for x in results]) * self.unit_scale
        pred = pred - pred[:, r:r + 1]
        gt = gt - gt[:, r:r + 1]
        mask = np.stack([x['mask'] for x in results])
        metrics = OrderedDict(self._scores(pred, gt, mask))
        seqs = defaultdict(list)
        for i, x in enumerate(results):
            if x['seq'] is not None:
                seqs[x['seq']].append(i)
        for seq in sorted(seqs, key=lambda s: (len(s), s)):
            idx = seqs[seq]
            for k, v in self._scores(pred[idx], gt[idx], mask[idx]).items():
                metrics[f'{seq}/{k}'] = v
        for group, members in self.sequence_groups.items():
            idx = [i for s in members for i in seqs.get(s, [])]
            if idx:
                for k, v in self._scores(pred[idx], gt[idx],
                                         mask[idx]).items():
                    metrics[f'{group}/{k}'] = v
        return {k: float(v) for k, v in metrics.items()}
