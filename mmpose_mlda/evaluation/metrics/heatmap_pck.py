"""PCK@0.05 measured in heatmap space: the score that the domain-adaptive
2D pose papers (RegDA, UDAPE, MLDA, SFDAHPE) report.

The protocol (``docs/formats.md``, "The published evaluation protocol"):

* The predicted keypoint is the argmax of its predicted heatmap. There is no
  sub-pixel refinement and no flip test.
* The ground-truth keypoint is the argmax of the ground-truth (Gaussian
  target) heatmap, so it is quantised to heatmap pixels too.
* If a heatmap's maximum is not positive, its keypoint is set to ``(0, 0)``.
  This applies to predictions as well, so an all-negative predicted heatmap
  predicts ``(0, 0)``.
* A joint counts only if its ground-truth position has ``x > 1`` and
  ``y > 1``. An invisible joint has an all-zero target, so it lands at
  ``(0, 0)`` and drops out.
* Coordinates are divided by ``(H / 10, W / 10)``. The reference divides x by
  ``H / 10`` and y by ``W / 10``, which only matters for non-square heatmaps,
  and we do the same. A joint is correct when the Euclidean distance
  between the normalised coordinates is strictly below ``0.5``.

  PCK@``thr`` with ``thr`` a fraction of the heatmap size means exactly
  this: ``||(dx / (H/10), dy / (W/10))|| < 10 * thr`` is the same test as
  ``||(dx / H, dy / W)|| < thr``. So ``thr=0.05`` is the reference's ``0.5``,
  which on a 64x64 heatmap means within 3.2 heatmap pixels (12.8 pixels of
  the 256x256 input).
"""
import logging
import math
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from mmpose.registry import METRICS

__all__ = [
    'HeatmapPCKMetric', 'heatmap_argmax', 'heatmap_pck_correct',
    'heatmap_pck_per_joint', 'BODY16_GROUPS', 'TIGDOG_GROUPS',
    'ANIMALPOSE14_GROUPS', 'JOINT_GROUP_PRESETS'
]

# Reported joint groups of the benchmarks (docs/formats.md). In every case
# "All" is the mean over the union of these joints.
#: Body16 (MPII order) for SURREAL -> LSP. All = these 12 joints. Head, neck,
#: pelvis and thorax are not reported.
BODY16_GROUPS = OrderedDict(
    Shoulder=[12, 13],
    Elbow=[11, 14],
    Wrist=[10, 15],
    Hip=[2, 3],
    Knee=[1, 4],
    Ankle=[0, 5],
)
#: 18 TigDog / SynAnimal keypoints (horse order). All = all 18.
TIGDOG_GROUPS = OrderedDict(
    Eye=[0, 1],
    Chin=[2],
    Shoulder=[12, 13],
    Hip=[7],
    Elbow=[14, 15, 16, 17],
    Knee=[8, 9, 10, 11],
    Hoof=[3, 4, 5, 6],
)
#: The 14-keypoint AnimalPose subset (SynAnimal -> AnimalPose). All = 14.
ANIMALPOSE14_GROUPS = OrderedDict(
    Eye=[0, 1],
    Hoof=[2, 3, 4, 5],
    Knee=[6, 7, 8, 9],
    Elbow=[10, 11, 12, 13],
)
#: Names that a text config can pass as ``joint_groups``.
JOINT_GROUP_PRESETS = {
    'body16': BODY16_GROUPS,
    'tigdog': TIGDOG_GROUPS,
    'synanimal': TIGDOG_GROUPS,
    'animalpose14': ANIMALPOSE14_GROUPS,
}

ArrayLike = Union[np.ndarray, torch.Tensor]


def heatmap_argmax(heatmaps: ArrayLike) -> ArrayLike:
    """Integer argmax of each heatmap, as the reference's ``get_max_preds``.

    Args:
        heatmaps: ``(..., H, W)`` numpy array or torch tensor, e.g.
            ``(N, K, H, W)``.

    Returns:
        ``(..., 2)`` float32 ``(x, y)`` heatmap-pixel coordinates, of the same
        type (and device, for tensors) as the input. A tie goes to the first
        maximum in row-major order. Where a heatmap's maximum is not ``> 0``
        the coordinates are ``(0, 0)``.
    """
    if heatmaps.ndim < 2:
        raise ValueError('heatmaps must have shape (..., H, W), got '
                         f'{tuple(heatmaps.shape)}')
    h, w = heatmaps.shape[-2:]
    lead = tuple(heatmaps.shape[:-2])
    if isinstance(heatmaps, torch.Tensor):
        flat = heatmaps.reshape(*lead, h * w)
        idx = flat.argmax(dim=-1)
        positive = flat.amax(dim=-1) > 0
        row = torch.div(idx, w, rounding_mode='floor')
        coords = torch.stack([idx % w, row], dim=-1).to(torch.float32)
        return coords * positive.unsqueeze(-1).to(torch.float32)
    flat = np.asarray(heatmaps).reshape(*lead, h * w)
    idx = np.argmax(flat, axis=-1)
    positive = np.max(flat, axis=-1) > 0
    coords = np.stack([idx % w, idx // w], axis=-1).astype(np.float32)
    return coords * positive[..., None].astype(np.float32)


def _to_numpy(x: ArrayLike) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def heatmap_pck_correct(pred_heatmaps: ArrayLike,
                        gt_heatmaps: ArrayLike,
                        thr: float = 0.05) -> Tuple[np.ndarray, np.ndarray]:
    """Per-sample, per-joint outcome of the heatmap-space PCK test.

    Args:
        pred_heatmaps: ``(..., K, H, W)`` predicted heatmaps.
        gt_heatmaps: ground-truth target heatmaps of the same shape.
        thr: PCK threshold as a fraction of the heatmap size. ``0.05`` is the
            reference's ``0.5`` on coordinates divided by ``size / 10``.

    Returns:
        ``(correct, valid)``: two boolean arrays of shape ``(..., K)``.
        ``valid`` is True where the ground-truth argmax has both coordinates
        ``> 1``. ``correct`` is True where the joint is valid and the
        normalised distance is ``< 10 * thr``.
    """
    if tuple(pred_heatmaps.shape) != tuple(gt_heatmaps.shape):
        raise ValueError('predicted and ground-truth heatmaps differ in shape:'
                         f' {tuple(pred_heatmaps.shape)} vs '
                         f'{tuple(gt_heatmaps.shape)}')
    h, w = pred_heatmaps.shape[-2:]
    pred = _to_numpy(heatmap_argmax(pred_heatmaps)).astype(np.float32)
    gt = _to_numpy(heatmap_argmax(gt_heatmaps)).astype(np.float32)
    # Same arithmetic as the reference: (x, y) / ([H, W] / 10) in float64,
    # normalise first, then subtract.
    norm = np.array([h, w], dtype=np.float64) / 10
    valid = (gt[..., 0] > 1) & (gt[..., 1] > 1)
    dists = np.linalg.norm(pred / norm - gt / norm, axis=-1)
    correct = valid & (dists < thr * 10)
    return correct, valid


def heatmap_pck_per_joint(pred_heatmaps: ArrayLike,
                          gt_heatmaps: ArrayLike,
                          thr: float = 0.05) -> Tuple[np.ndarray, np.ndarray]:
    """Per-joint accuracy over one batch, like the reference's ``accuracy``.

    Args:
        pred_heatmaps: ``(N, K, H, W)`` predicted heatmaps.
        gt_heatmaps: ``(N, K, H, W)`` ground-truth target heatmaps.
        thr: PCK threshold as a fraction of the heatmap size (see
            :func:`heatmap_pck_correct`).

    Returns:
        ``(acc, valid_counts)``. ``acc`` is a ``(K,)`` float64 array: for each
        joint, the fraction of its valid samples that are correct, or ``-1``
        when the joint has no valid sample in the batch, as the reference
        returns. ``valid_counts`` is a ``(K,)`` int64 array.
    """
    if pred_heatmaps.ndim != 4:
        raise ValueError('expected (N, K, H, W) heatmaps, got '
                         f'{tuple(pred_heatmaps.shape)}')
    correct, valid = heatmap_pck_correct(pred_heatmaps, gt_heatmaps, thr)
    n_valid = valid.sum(axis=0).astype(np.int64)
    n_correct = correct.sum(axis=0).astype(np.float64)
    acc = np.full(n_valid.shape, -1.0)
    np.divide(n_correct, n_valid, out=acc, where=n_valid > 0)
    return acc, n_valid


def _format_table(headers: Sequence[str], values: Sequence[float]) -> str:
    """A one-row ASCII table: headers over values, as percentages."""
    cells = ['nan' if math.isnan(v) else f'{100 * v:.2f}' for v in values]
    widths = [max(len(h), len(c)) for h, c in zip(headers, cells)]
    rule = '+' + '+'.join('-' * (wd + 2) for wd in widths) + '+'

    def row(items):
        return '|' + '|'.join(f' {s:^{wd}} '
                              for s, wd in zip(items, widths)) + '|'

    return '\n'.join([rule, row(headers), rule, row(cells), rule])


def _get_field(data_sample, field: str):
    """``data_sample[field]['heatmaps']`` for a dict or a data element."""
    fields = data_sample.get(field, None)
    if fields is None:
        return None
    return fields.get('heatmaps', None)


@METRICS.register_module()
class HeatmapPCKMetric(BaseMetric):
    """Heatmap-space PCK with joint groups, as the domain-adaptive pose
    papers report it (UDAPE / MLDA and RegDA / TLL protocols).

    This is not MMPose's ``PCKAccuracy``. That metric works in image space
    and normalises by the bbox size. You can still list it in
    ``val_evaluator`` next to this one, unchanged. The keys do not clash:
    this metric's keys start with ``hm_pck/``.

    Input: every data sample must carry ``pred_fields['heatmaps']`` and
    ``gt_fields['heatmaps']``, both ``(K, H, W)``. Set
    ``model.test_cfg.output_heatmaps=True`` and ``flip_test=False`` (the
    protocol has no flip test), and put ``GenerateTarget`` (with the training
    heatmap codec) before ``PackPoseInputs`` in the val pipeline.

    Output keys (with the default prefix): ``hm_pck/<group>`` for each group,
    in the given order, then ``hm_pck/All``. Values are fractions in
    [0, 1], as the reference returns them. The logged table shows
    percentages, as the papers print them.

    "All": if ``joint_groups`` has an entry called ``All`` (any case, e.g.
    the reference's ``'all'``), that entry defines it. Otherwise "All" is
    the union of the joints of all groups, which is the reference's
    ``all`` for Body16, TigDog and AnimalPose. Without groups, "All" covers
    every joint.

    Modes (how per-batch results become per-group scores). For each
    evaluation batch (each ``process()`` call) the per-joint accuracy is
    ``correct / valid``, or ``-1`` for a joint with no valid ground truth in
    that batch (the reference's ``dist_acc``). Then:

    * ``'udape'`` (the default; UDAPE and the MLDA authors'
      ``DAML_PoseEstimation`` ``validate()``, which produced the MLDA
      tables): one ``AverageMeter(ignore_val=-1)`` per joint, updated with
      ``n=batch_size``. A batch where the joint has no valid ground truth is
      skipped for that joint, so a joint's score is the batch-size-weighted
      mean of its per-batch accuracies over the batches where it is valid; a
      joint that is never valid stays at 0 (the log warns). Groups are the
      plain mean of their joints' scores, taken once at the end
      (``group_accuracy``). With ``batch_size=1`` (the authors' animal
      default) a joint's score is its pooled accuracy.
    * ``'tll'`` (RegDA, Transfer-Learning-Library): a group's batch score
      is the plain mean of its joints' per-batch values with the ``-1``
      left in (it pulls the group and "All" down), and batch scores are
      averaged over batches weighted by batch size.
    * ``'pooled'`` does not depend on batching: per joint
      ``sum(correct) / sum(valid)`` over the whole dataset; a group is the
      mean of its joints that have valid ground truth (NaN if none has).

    ``'udape'`` and ``'tll'`` depend on how the val set is split into
    batches: use the papers' ``val_dataloader`` (``batch_size=32`` for
    humans, ``1`` for the authors' animal scripts, ``shuffle=False``). All
    three agree when every joint has valid ground truth in every batch and
    all batches have the same number of valid samples per joint.

    Distributed evaluation: results are kept per sample, tagged with (rank,
    batch), so the padding samples that mmengine drops are not counted. Batch
    composition is per rank.

    Categories: with ``categories`` (e.g. ``('horse', 'tiger')``) the
    metric also reports each category's groups, ``hm_pck/<category>/<group>``,
    scored on that category's samples alone (their batches keep their
    composition; with the animal protocol's batch size 1 this is exactly a
    separate evaluation per category). ``hm_pck/All`` stays the score of the
    whole validation set: the MLDA authors' two-category animal runs keep
    the epoch with the best combined score and print each category beside
    it. Each sample's category is read from its metainfo key
    ``category_key`` (``PackPoseInputs(meta_keys=(..., 'animal'))``; TigDog
    and AnimalPose record ``animal``); a category the validation set lacks is
    refused when the validation loop is built (:meth:`check_dataset`).

    Args:
        thr (float): PCK threshold as a fraction of the heatmap size.
            Defaults to 0.05, which is the reference's threshold 0.5 on
            coordinates divided by ``size / 10``.
        joint_groups (dict[str, list[int]] | str | None): ordered groups of
            joint indices, e.g. ``dict(Shoulder=[12, 13], Elbow=[11, 14])``,
            or a preset name: ``'body16'``, ``'tigdog'``, ``'synanimal'``,
            ``'animalpose14'``. ``None`` reports only "All" over all joints.
        mode (str): ``'udape'``, ``'tll'`` or ``'pooled'`` (see above).
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        categories (Sequence[str], optional): categories to report one by
            one beside the whole set (see above).
        category_key (str): the metainfo key holding a sample's category.
        prefix (str, optional): key prefix. Defaults to ``'hm_pck'``.
        collect_dir (str, optional): see
            :class:`mmengine.evaluator.BaseMetric`.
    """
    default_prefix: Optional[str] = 'hm_pck'
    ALL_KEY = 'All'
    MODES = ('udape', 'tll', 'pooled')

    def __init__(self,
                 thr: float = 0.05,
                 joint_groups: Union[Dict[str, Sequence[int]], str,
                                     None] = None,
                 mode: str = 'udape',
                 categories: Optional[Sequence[str]] = None,
                 category_key: str = 'animal',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        if not 0 < thr:
            raise ValueError(f'thr must be > 0, got {thr}')
        if mode not in self.MODES:
            raise ValueError(
                f'HeatmapPCKMetric: mode must be one of {self.MODES}, got '
                f'{mode!r}.')
        self.thr = float(thr)
        self.mode = mode
        self.groups, self.all_joints = self._parse_groups(joint_groups)
        if isinstance(categories, str):
            categories = (categories, )
        self.categories = tuple(categories or ())
        if len(set(self.categories)) != len(self.categories):
            raise ValueError('HeatmapPCKMetric: categories lists a category '
                             f'twice: {self.categories}.')
        self.category_key = category_key
        self._batch_idx = 0

    def check_dataset(self, dataset) -> None:
        """Refuse categories the validation set does not hold, when the
        validation loop is built (``TeacherStudentValLoop`` calls this)."""
        if not self.categories:
            return
        found = {
            str(dataset.get_data_info(i).get(self.category_key))
            for i in range(len(dataset))
        }
        missing = [c for c in self.categories if c not in found]
        if missing:
            raise ValueError(
                f'HeatmapPCKMetric: val_evaluator categories {missing} are '
                f'not in the validation dataset, whose samples have '
                f'{self.category_key} in {sorted(found)}; list only those '
                '(or add them to the val dataset).')

    @staticmethod
    def _parse_groups(joint_groups) -> Tuple['OrderedDict[str, List[int]]',
                                             Optional[List[int]]]:
        if isinstance(joint_groups, str):
            key = joint_groups.lower()
            if key not in JOINT_GROUP_PRESETS:
                raise ValueError(
                    f'unknown joint_groups preset {joint_groups!r}; choose '
                    f'from {sorted(JOINT_GROUP_PRESETS)} or pass a dict')
            joint_groups = JOINT_GROUP_PRESETS[key]
        groups: 'OrderedDict[str, List[int]]' = OrderedDict()
        all_joints = None
        for name, idxs in (joint_groups or {}).items():
            if isinstance(idxs, int):
                idxs = [idxs]
            idxs = [int(i) for i in idxs]
            if not idxs or min(idxs) < 0:
                raise ValueError(f'joint group {name!r} must be a non-empty '
                                 f'list of joint indices >= 0, got {idxs}')
            if str(name).lower() == 'all':
                all_joints = idxs
            else:
                groups[str(name)] = idxs
        if all_joints is None and groups:
            # Union of the groups' joints, in order of first appearance.
            all_joints = list(
                OrderedDict.fromkeys(i for g in groups.values() for i in g))
        return groups, all_joints

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Score one batch. Keeps per-sample ``correct`` / ``valid`` flags."""
        if not data_samples:
            return
        if not self.results:
            # evaluate() clears self.results: this is a new evaluation run.
            self._batch_idx = 0
        preds, gts = [], []
        for i, ds in enumerate(data_samples):
            pred = _get_field(ds, 'pred_fields')
            if pred is None:
                raise KeyError(
                    f'{type(self).__name__}: data sample {i} has no '
                    "pred_fields['heatmaps']. Set "
                    '`model.test_cfg.output_heatmaps=True` (and '
                    '`flip_test=False` for the published protocol) in the '
                    'config so the model outputs its heatmaps.')
            gt = _get_field(ds, 'gt_fields')
            if gt is None:
                raise KeyError(
                    f'{type(self).__name__}: data sample {i} has no '
                    "gt_fields['heatmaps']. Add `dict(type='GenerateTarget', "
                    'encoder=codec)` to the val pipeline before '
                    '`PackPoseInputs` so the ground-truth heatmaps are '
                    'packed.')
            preds.append(torch.as_tensor(pred))
            gts.append(torch.as_tensor(gt))
        try:
            pred_hm = torch.stack([p.to(preds[0].device) for p in preds])
            gt_hm = torch.stack(gts)
        except RuntimeError as e:
            raise ValueError(f'{type(self).__name__}: heatmaps in one batch '
                             f'must share a shape: {e}') from e
        if pred_hm.ndim != 4 or pred_hm.shape != gt_hm.shape:
            raise ValueError(
                f'{type(self).__name__}: expected predicted and ground-truth '
                'heatmaps of the same (K, H, W) shape, got '
                f'{tuple(pred_hm.shape[1:])} and {tuple(gt_hm.shape[1:])}')
        num_joints = pred_hm.shape[1]
        used = (self.all_joints or []) + [
            i for g in self.groups.values() for i in g
        ]
        if used and max(used) >= num_joints:
            raise ValueError(
                f'{type(self).__name__}: joint index {max(used)} in '
                f'joint_groups, but the heatmaps have only {num_joints} '
                'channels')
        correct, valid = heatmap_pck_correct(pred_hm, gt_hm, self.thr)
        batch = (get_rank(), self._batch_idx)
        self._batch_idx += 1
        for i, (c, v) in enumerate(zip(correct, valid)):
            result = dict(batch=batch, correct=c, valid=v)
            if self.categories:
                if self.category_key not in data_samples[i]:
                    raise KeyError(
                        f'{type(self).__name__}: data sample {i} has no '
                        f'{self.category_key!r}, which categories needs; '
                        'add it to the val pipeline\'s PackPoseInputs '
                        f'meta_keys.')
                result['category'] = str(data_samples[i][self.category_key])
            self.results.append(result)

    def _group_scores(self, per_joint_fn, num_joints: int) -> 'OrderedDict':
        all_joints = self.all_joints or list(range(num_joints))
        out = OrderedDict()
        for name, idxs in self.groups.items():
            out[name] = per_joint_fn(idxs)
        out[self.ALL_KEY] = per_joint_fn(all_joints)
        return out

    def compute_metrics(self, results: list) -> Dict[str, float]:
        metrics = self._scores(results, 'all samples')
        for category in self.categories:
            members = [r for r in results if r['category'] == category]
            if results and not members:
                raise ValueError(
                    f'{type(self).__name__}: no validation sample has '
                    f'{self.category_key}={category!r} (val_evaluator '
                    f'categories {list(self.categories)}); list only the '
                    'categories the val dataset holds.')
            for name, value in self._scores(members, category).items():
                metrics[f'{category}/{name}'] = value
        return metrics

    def _scores(self, results: list, title: str) -> Dict[str, float]:
        """Group scores of ``results`` (per-sample flags), logged as a
        table headed ``title`` when the metric reports categories."""
        if not results:
            names = list(self.groups) + [self.ALL_KEY]
            return {name: float('nan') for name in names}
        correct = np.stack([np.asarray(r['correct']) for r in results])
        valid = np.stack([np.asarray(r['valid']) for r in results])
        num_joints = correct.shape[1]
        if self.mode == 'pooled':
            score = self._pooled_scorer(correct, valid)
        else:
            batch_acc, batch_size = self._batch_accuracies(
                results, correct, valid)
            score = (self._udape_scorer if self.mode == 'udape' else
                     self._tll_scorer)(batch_acc, batch_size)

        metrics = self._group_scores(score, num_joints)
        title = (f'{type(self).__name__} (PCK@{self.thr:g} in heatmap space, '
                 f'{self.mode} mode' +
                 (f', {title}' if self.categories else '') + '), %:')
        print_log(
            title + '\n' +
            _format_table(list(metrics.keys()), list(metrics.values())),
            logger='current')
        return dict(metrics)

    @staticmethod
    def _batch_accuracies(results: list, correct: np.ndarray,
                          valid: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Per evaluation batch: (num_batches, K) accuracies (``-1`` where a
        joint has no valid ground truth, ``dist_acc``) and batch sizes."""
        batch_keys = np.array([r['batch'] for r in results],
                              dtype=np.int64).reshape(len(results), -1)
        _, inv = np.unique(batch_keys, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        num_batches = inv.max() + 1
        n_correct = np.zeros((num_batches, correct.shape[1]))
        n_valid = np.zeros((num_batches, correct.shape[1]))
        np.add.at(n_correct, inv, correct)
        np.add.at(n_valid, inv, valid)
        acc = np.full(n_correct.shape, -1.0)
        np.divide(n_correct, n_valid, out=acc, where=n_valid > 0)
        return acc, np.bincount(inv, minlength=num_batches)

    @staticmethod
    def _tll_scorer(acc: np.ndarray, batch_size: np.ndarray):
        """TLL: group mean per batch with the -1 inside, then
        ``AverageMeter(n=batch_size)``."""
        weights = batch_size / batch_size.sum()

        def score(idxs):
            return float(np.sum(acc[:, idxs].mean(axis=1) * weights))

        return score

    def _udape_scorer(self, acc: np.ndarray, batch_size: np.ndarray):
        """UDAPE: one ``AverageMeter(ignore_val=-1)`` per joint, groups from
        the joint averages at the end; a never-valid joint scores 0."""
        counted = acc != -1
        weight = counted * batch_size[:, None]
        total = weight.sum(axis=0)
        joint_acc = np.zeros(acc.shape[1])
        np.divide((acc * weight).sum(axis=0), total, out=joint_acc,
                  where=total > 0)
        never = sorted(set(np.flatnonzero(total == 0).tolist())
                       & set(self.all_joints or range(acc.shape[1])))
        if never:
            print_log(
                f'{type(self).__name__}: joints {never} have no valid ground '
                'truth in any evaluation batch and count as 0 in their '
                "groups (the UDAPE/MLDA protocol); mode='pooled' leaves them "
                'out instead.', logger='current', level=logging.WARNING)

        def score(idxs):
            return float(joint_acc[idxs].mean())

        return score

    @staticmethod
    def _pooled_scorer(correct: np.ndarray, valid: np.ndarray):
        """Dataset-pooled per-joint accuracy; joints never valid left out."""
        tot_valid = valid.sum(axis=0)
        joint_acc = np.full(correct.shape[1], np.nan)
        np.divide(correct.sum(axis=0), tot_valid, out=joint_acc,
                  where=tot_valid > 0)

        def score(idxs):
            vals = joint_acc[idxs]
            vals = vals[~np.isnan(vals)]
            return float(vals.mean()) if vals.size else float('nan')

        return score
