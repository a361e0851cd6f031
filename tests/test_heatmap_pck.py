"""Tests for the published heatmap-space PCK@0.05 metric."""
import logging
import os.path as osp
import sys

# The package is used from the source tree (it is not pip-installed).
sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import mmpose_mlda  # noqa: F401,E402  (must come before mmpose)

import numpy as np
import pytest
import torch
from mmengine.evaluator import Evaluator
from mmengine.registry import DefaultScope
from mmengine.structures import InstanceData, PixelData

from mmpose.registry import METRICS
from mmpose.structures import PoseDataSample
from mmpose_mlda.evaluation import (BODY16_GROUPS, TIGDOG_GROUPS,
                                    ANIMALPOSE14_GROUPS, HeatmapPCKMetric,
                                    heatmap_argmax, heatmap_pck_correct,
                                    heatmap_pck_per_joint)

H = W = 64


def gaussian(x, y, h=H, w=W, sigma=2.0):
    """A target heatmap with its peak exactly at pixel (x, y)."""
    yy, xx = np.mgrid[0:h, 0:w]
    return np.exp(-((xx - x)**2 + (yy - y)**2) / (2 * sigma**2)).astype(
        np.float32)


def heatmaps(points, h=H, w=W):
    """(K, H, W) heatmaps; a point of None gives an all-zero heatmap."""
    out = np.zeros((len(points), h, w), np.float32)
    for k, p in enumerate(points):
        if p is not None:
            out[k] = gaussian(p[0], p[1], h, w)
    return out


def sample(pred_points, gt_points, h=H, w=W, as_dict=True):
    ds = PoseDataSample()
    ds.pred_fields = PixelData(
        heatmaps=torch.from_numpy(heatmaps(pred_points, h, w)))
    ds.gt_fields = PixelData(
        heatmaps=torch.from_numpy(heatmaps(gt_points, h, w)))
    return ds.to_dict() if as_dict else ds


def run_metric(metric, batches):
    """Feed batches (lists of (pred_points, gt_points)) through process()."""
    for batch in batches:
        metric.process({}, [sample(p, g) for p, g in batch])
    return metric.evaluate(sum(len(b) for b in batches))


# --------------------------------------------------------------------------
# pure functions


def test_heatmap_argmax_numpy_and_torch():
    hm = np.zeros((2, 3, 8, 8), np.float32)
    hm[0, 0, 5, 2] = 1.0  # x=2, y=5
    hm[0, 1, 1, 7] = 0.5  # x=7, y=1
    hm[0, 1, 6, 3] = 0.5  # tie, later in row-major order: loses
    hm[1, 0] = -1.0  # no positive value -> (0, 0)
    hm[1, 0, 4, 4] = -0.1
    # hm[1, 1] and the rest stay all-zero -> (0, 0)
    hm[1, 2, 7, 7] = 2.0
    expected = np.array([[[2, 5], [7, 1], [0, 0]], [[0, 0], [0, 0], [7, 7]]],
                        np.float32)
    out_np = heatmap_argmax(hm)
    assert isinstance(out_np, np.ndarray) and out_np.dtype == np.float32
    np.testing.assert_array_equal(out_np, expected)
    out_t = heatmap_argmax(torch.from_numpy(hm))
    assert isinstance(out_t, torch.Tensor) and out_t.dtype == torch.float32
    np.testing.assert_array_equal(out_t.numpy(), expected)
    # any leading shape works, including a single (H, W) map
    np.testing.assert_array_equal(heatmap_argmax(hm[0, 0]), [2, 5])


def test_threshold_3px_correct_4px_wrong():
    gt = [(30, 30)] * 6
    pred = [(33, 30), (34, 30), (30, 27), (32, 32), (33, 32), (30, 30)]
    # distances: 3, 4, 3, 2.83, 3.61, 0 px; limit 0.05 * 64 = 3.2 px
    correct, valid = heatmap_pck_correct(heatmaps(pred)[None],
                                         heatmaps(gt)[None])
    assert valid.all()
    assert correct[0].tolist() == [True, False, True, True, False, True]


def test_thr_is_a_fraction_of_heatmap_size():
    gt = [(20, 20)] * 2
    pred = [(26, 20), (27, 20)]  # 6 px and 7 px; 0.1 * 64 = 6.4 px
    correct, _ = heatmap_pck_correct(
        heatmaps(pred)[None], heatmaps(gt)[None], thr=0.1)
    assert correct[0].tolist() == [True, False]
    correct, _ = heatmap_pck_correct(
        heatmaps(pred)[None], heatmaps(gt)[None], thr=0.05)
    assert correct[0].tolist() == [False, False]


def test_non_square_normalisation_follows_reference():
    # The reference divides x by H/10 and y by W/10. With H=64, W=32, x is
    # divided by 6.4 and y by 3.2.
    h, w = 64, 32
    gt = [(10, 10)] * 2
    pred = [(13, 10), (10, 12)]  # 3/6.4=0.47 (ok); 2/3.2=0.625 (wrong)
    correct, valid = heatmap_pck_correct(
        heatmaps(pred, h, w)[None], heatmaps(gt, h, w)[None])
    assert valid.all()
    assert correct[0].tolist() == [True, False]


def test_invisible_and_border_joints_are_excluded():
    gt = [None, (1, 30), (30, 1), (2, 2), (0, 0), (40, 40)]
    pred = [(30, 30), (1, 30), (30, 1), (2, 2), (0, 0), (50, 50)]
    correct, valid = heatmap_pck_correct(heatmaps(pred)[None],
                                         heatmaps(gt)[None])
    # all-zero GT -> argmax (0, 0) -> invalid; x<=1 or y<=1 -> invalid
    assert valid[0].tolist() == [False, False, False, True, False, True]
    assert correct[0].tolist() == [False, False, False, True, False, False]


def test_per_joint_accuracy_and_minus_one():
    gt = np.stack([
        heatmaps([(10, 10), None, (20, 20)]),
        heatmaps([(10, 10), None, (20, 20)]),
    ])
    pred = np.stack([
        heatmaps([(10, 10), (5, 5), (30, 30)]),
        heatmaps([(40, 40), (5, 5), (21, 21)]),
    ])
    acc, cnt = heatmap_pck_per_joint(pred, gt)
    np.testing.assert_allclose(acc, [0.5, -1.0, 0.5])
    assert cnt.tolist() == [2, 0, 2]
    # torch input gives the same answer
    acc_t, _ = heatmap_pck_per_joint(torch.from_numpy(pred),
                                     torch.from_numpy(gt))
    np.testing.assert_allclose(acc_t, acc)


def test_negative_prediction_maps_to_origin():
    pred = -np.ones((1, 1, H, W), np.float32)
    pred[0, 0, 3, 3] = -0.5  # max is at (3, 3) but negative -> (0, 0)
    gt = heatmaps([(2, 2)])[None]
    correct, valid = heatmap_pck_correct(pred, gt)
    # (0, 0) is 2.83 px from (2, 2): correct; (3, 3) would also be
    assert valid.all() and correct.all()
    gt = heatmaps([(3, 4)])[None]  # (0,0)->5 px wrong; (3,3)->1 px correct
    correct, _ = heatmap_pck_correct(pred, gt)
    assert not correct.any()


# --------------------------------------------------------------------------
# the metric


def body16_points(correct_joints, invisible=()):
    """A Body16 sample. Joints in ``correct_joints`` are predicted 1 px off;
    the others are 10 px off. Joints in ``invisible`` have no GT."""
    gt, pred = [], []
    for k in range(16):
        x, y = 8 + 3 * k, 40
        gt.append(None if k in invisible else (x, y))
        pred.append((x + 1, y) if k in correct_joints else (x, y - 10))
    return pred, gt


def test_group_means_and_all():
    metric = HeatmapPCKMetric(joint_groups=BODY16_GROUPS)
    # one batch of two samples
    s1 = body16_points(correct_joints={12, 13, 11, 2, 0, 9})
    s2 = body16_points(correct_joints={12, 14, 3, 6})
    res = run_metric(metric, [[s1, s2]])
    expected = {
        'hm_pck/Shoulder': (1 + 0.5) / 2,  # 12: 2/2, 13: 1/2
        'hm_pck/Elbow': (0.5 + 0.5) / 2,
        'hm_pck/Wrist': 0.0,
        'hm_pck/Hip': (0.5 + 0.5) / 2,
        'hm_pck/Knee': 0.0,
        'hm_pck/Ankle': (0.5 + 0) / 2,
    }
    # All = the 12 reported joints; head (9) and pelvis (6) do not count
    expected['hm_pck/All'] = (1 + .5 + .5 + .5 + 0 + 0 + .5 + .5 + 0 + 0 +
                              .5 + 0) / 12
    assert list(res) == list(expected)  # group order, then All
    for k, v in expected.items():
        assert res[k] == pytest.approx(v), k


def test_explicit_all_group_and_no_groups():
    s = body16_points(correct_joints={0, 1, 2, 3})
    res = run_metric(
        HeatmapPCKMetric(joint_groups=dict(A=[0, 4], all=[0, 1, 2, 3, 9])),
        [[s]])
    assert res == pytest.approx({'hm_pck/A': 0.5, 'hm_pck/All': 0.8})
    res = run_metric(HeatmapPCKMetric(), [[s]])
    assert res == pytest.approx({'hm_pck/All': 4 / 16})


def test_batch_size_weighting():
    groups = dict(G=[0, 1])
    ok = [(10, 10), (20, 20)]
    bad = [(40, 40), (50, 50)]
    gt = [(10, 10), (20, 20)]
    # batch 1: 3 samples, all correct (1.0); batch 2: 1 sample, wrong (0.0)
    res = run_metric(
        HeatmapPCKMetric(joint_groups=groups),
        [[(ok, gt)] * 3, [(bad, gt)]])
    assert res['hm_pck/G'] == pytest.approx(3 / 4)
    assert res['hm_pck/All'] == pytest.approx(3 / 4)
    # batch 1: 1 correct of 2 (0.5); batch 2: 1 sample correct (1.0)
    res = run_metric(
        HeatmapPCKMetric(joint_groups=groups),
        [[(ok, gt), (bad, gt)], [(ok, gt)]])
    assert res['hm_pck/G'] == pytest.approx((2 * 0.5 + 1 * 1.0) / 3)


def test_tll_lets_minus_one_leak_udape_and_pooled_do_not():
    groups = dict(G=[0, 1])
    gt_full = [(10, 10), (20, 20)]
    gt_no0 = [None, (20, 20)]
    pred = [(10, 10), (20, 20)]  # always correct where valid
    batches = [[(pred, gt_full)] * 2, [(pred, gt_no0)] * 2]
    tll = run_metric(HeatmapPCKMetric(joint_groups=groups, mode='tll'),
                     batches)
    udape = run_metric(HeatmapPCKMetric(joint_groups=groups), batches)
    pooled = run_metric(
        HeatmapPCKMetric(joint_groups=groups, mode='pooled'), batches)
    # tll: batch 2 has acc(joint 0) = -1 -> G = (-1 + 1) / 2 = 0
    assert tll['hm_pck/G'] == pytest.approx((2 * 1.0 + 2 * 0.0) / 4)
    # udape: joint 0 skips batch 2, so both joints score 1
    assert udape['hm_pck/G'] == pytest.approx(1.0)
    assert pooled['hm_pck/G'] == pytest.approx(1.0)


def test_udape_is_the_default_and_an_unknown_mode_is_named():
    assert HeatmapPCKMetric().mode == 'udape'
    with pytest.raises(ValueError, match=r"mode must be one of .*'udape'.*"
                       r"got 'published'"):
        HeatmapPCKMetric(mode='published')


def test_udape_never_valid_joint_counts_zero_and_warns(monkeypatch):
    from mmpose_mlda.evaluation.metrics import heatmap_pck
    logged = []
    monkeypatch.setattr(heatmap_pck, 'print_log',
                        lambda msg, logger=None, level=None: logged.append(
                            (msg, level)))
    groups = dict(G=[0, 1])
    batches = [[([(10, 10), (20, 20)], [(10, 10), None])] * 3]
    udape = run_metric(HeatmapPCKMetric(joint_groups=groups), batches)
    assert udape['hm_pck/G'] == pytest.approx(0.5)  # (1 + 0) / 2
    warnings = [m for m, level in logged if level == logging.WARNING]
    assert len(warnings) == 1 and 'joints [1]' in warnings[0]
    pooled = run_metric(
        HeatmapPCKMetric(joint_groups=groups, mode='pooled'), batches)
    assert pooled['hm_pck/G'] == pytest.approx(1.0)
    tll = run_metric(HeatmapPCKMetric(joint_groups=groups, mode='tll'),
                     batches)
    assert tll['hm_pck/G'] == pytest.approx(0.0)  # (1 - 1) / 2


def test_udape_with_batch_size_one_is_pooled_per_joint():
    rng = np.random.default_rng(3)
    groups = dict(G=[0, 1, 2], H=[3])
    batches = []
    for _ in range(9):
        gt = [tuple(p) if rng.random() > 0.3 else None
              for p in rng.integers(2, 30, (4, 2))]
        pred = [tuple(p) for p in rng.integers(2, 30, (4, 2))]
        pred[0] = gt[0] or pred[0]
        batches.append([(pred, gt)])
    udape = run_metric(HeatmapPCKMetric(joint_groups=groups), batches)
    pooled = run_metric(
        HeatmapPCKMetric(joint_groups=groups, mode='pooled'), batches)
    for key in ('hm_pck/G', 'hm_pck/H', 'hm_pck/All'):
        assert udape[key] == pytest.approx(pooled[key], abs=1e-12)


def test_tll_and_pooled_differ_on_uneven_valid_counts():
    groups = dict(G=[0])
    gt, gt_inv = [(10, 10)], [None]
    good, bad = [(10, 10)], [(40, 40)]
    # batch 1 (1 sample): joint valid and correct -> 1.0
    # batch 2 (3 samples): joint valid once, wrong -> 0.0
    batches = [[(good, gt)], [(bad, gt), (good, gt_inv), (good, gt_inv)]]
    pub = run_metric(HeatmapPCKMetric(joint_groups=groups, mode='tll'),
                     batches)
    pooled = run_metric(
        HeatmapPCKMetric(joint_groups=groups, mode='pooled'), batches)
    assert pub['hm_pck/G'] == pytest.approx(1 / 4)
    assert pooled['hm_pck/G'] == pytest.approx(1 / 2)
    # udape weighs each batch's accuracy by the whole batch size
    udape = run_metric(HeatmapPCKMetric(joint_groups=groups), batches)
    assert udape['hm_pck/G'] == pytest.approx((1 * 1.0 + 3 * 0.0) / 4)
    # same data in one batch: tll equals pooled
    pub1 = run_metric(
        HeatmapPCKMetric(joint_groups=groups, mode='tll'),
        [sum(batches, [])])
    assert pub1['hm_pck/G'] == pytest.approx(1 / 2)


def test_pooled_skips_joints_never_valid():
    res = run_metric(
        HeatmapPCKMetric(joint_groups=dict(G=[0, 1], H=[1]), mode='pooled'),
        [[([(10, 10), (5, 5)], [(10, 10), None])]])
    assert res['hm_pck/G'] == pytest.approx(1.0)
    assert np.isnan(res['hm_pck/H'])


def _loop_joint_accuracies(pred, gt, thr=0.5):
    """Per-joint batch accuracy written from the reference's description:
    integer argmax (``(0, 0)`` for a non-positive maximum), joints with
    ground truth at a coordinate <= 1 dropped, coordinates divided by
    (h/10, w/10), ``-1`` for a joint with no valid sample."""
    n, k, h, w = pred.shape
    accs = []
    for j in range(k):
        dists = []
        for i in range(n):
            coords = []
            for hm in (pred[i, j], gt[i, j]):
                flat = hm.reshape(-1)
                idx = int(np.argmax(flat))
                coords.append((idx % w, idx // w) if flat[idx] > 0 else (0, 0))
            (px, py), (gx, gy) = coords
            if gx > 1 and gy > 1:
                dists.append(
                    np.hypot(px / (h / 10) - gx / (h / 10),
                             py / (w / 10) - gy / (w / 10)))
        accs.append(sum(d < thr for d in dists) / len(dists) if dists else -1)
    return accs


class _Meter:
    """The reference's ``AverageMeter(ignore_val=...)``: ``update(val, n)``
    adds ``val * n`` to the sum and ``n`` to the count unless ``val`` is
    the ignored value; the average starts at 0."""

    def __init__(self, ignore_val=None):
        self.ignore_val, self.sum, self.count, self.avg = ignore_val, 0., 0, 0.

    def update(self, val, n):
        if val != self.ignore_val:
            self.sum += val * n
            self.count += n
            self.avg = self.sum / self.count


def _reference_tll(batches_pred, batches_gt, groups, thr=0.5):
    """TLL: group mean per batch (``-1`` inside), meter over batches."""
    meters = {name: _Meter() for name in groups}
    for pred, gt in zip(batches_pred, batches_gt):
        accs = _loop_joint_accuracies(pred, gt, thr)
        for name, idxs in groups.items():
            meters[name].update(sum(accs[j] for j in idxs) / len(idxs),
                                pred.shape[0])
    return {name: m.avg for name, m in meters.items()}


def _reference_udape(batches_pred, batches_gt, groups, thr=0.5):
    """UDAPE / DAML ``validate()``: a meter per joint ignoring -1, groups
    from the joint averages at the end."""
    meters = None
    for pred, gt in zip(batches_pred, batches_gt):
        accs = _loop_joint_accuracies(pred, gt, thr)
        meters = meters or [_Meter(ignore_val=-1) for _ in accs]
        for meter, acc in zip(meters, accs):
            meter.update(acc, pred.shape[0])
    return {
        name: sum(meters[j].avg for j in idxs) / len(idxs)
        for name, idxs in groups.items()
    }


def _random_batches(rng, batch_sizes, k=18, size=16, never_valid=()):
    batches_pred, batches_gt = [], []
    for bs in batch_sizes:
        gt_pts = rng.integers(0, size, size=(bs, k, 2))
        gt_pts[rng.random((bs, k)) < 0.3] = -1  # invisible
        gt_pts[:, list(never_valid)] = -1
        pred_pts = np.clip(gt_pts + rng.integers(-5, 6, size=gt_pts.shape), 0,
                           size - 1)
        pred = np.stack([
            heatmaps([tuple(p) for p in pp], size, size) for pp in pred_pts
        ])
        pred += rng.normal(0, 1e-3, pred.shape).astype(np.float32)
        gt = np.stack([
            heatmaps([tuple(p) if p[0] >= 0 else None for p in gp], size,
                     size) for gp in gt_pts
        ])
        # a border peak: ground truth at x = 1 is not valid
        gt[0, 0] = heatmaps([(1, size // 2)], size, size)[0]
        batches_pred.append(pred)
        batches_gt.append(gt)
    return batches_pred, batches_gt


def _evaluate(metric, batches_pred, batches_gt):
    for pred, gt in zip(batches_pred, batches_gt):
        samples = []
        for i in range(pred.shape[0]):
            ds = PoseDataSample()
            ds.pred_fields = PixelData(heatmaps=torch.from_numpy(pred[i]))
            ds.gt_fields = PixelData(heatmaps=torch.from_numpy(gt[i]))
            samples.append(ds.to_dict())
        metric.process({}, samples)
    return metric.evaluate(sum(p.shape[0] for p in batches_pred))


@pytest.mark.parametrize('mode', ['udape', 'tll'])
@pytest.mark.parametrize('batch_sizes,never_valid', [
    ((5, 3, 7, 1), ()),
    ((4, 4, 2), (6, )),  # a joint never valid
    ((1, ) * 12, ()),  # the authors' animal --test-batch 1
    ((1, ) * 6, (6, 13)),
])
def test_matches_loop_references_on_random_data(mode, batch_sizes,
                                                never_valid):
    rng = np.random.default_rng(sum(batch_sizes) + len(never_valid))
    batches_pred, batches_gt = _random_batches(rng, batch_sizes,
                                               never_valid=never_valid)
    # an all-zero predicted heatmap predicts (0, 0)
    batches_pred[-1][0, 3] = 0
    res = _evaluate(HeatmapPCKMetric(joint_groups=TIGDOG_GROUPS, mode=mode),
                    batches_pred, batches_gt)
    groups = dict(TIGDOG_GROUPS, All=list(range(18)))
    reference = _reference_udape if mode == 'udape' else _reference_tll
    ref = reference(batches_pred, batches_gt, groups)
    for name, val in ref.items():
        assert res[f'hm_pck/{name}'] == pytest.approx(val, abs=1e-12), name


def test_missing_heatmaps_raise_clear_errors():
    metric = HeatmapPCKMetric()
    ds = PoseDataSample()
    ds.gt_fields = PixelData(heatmaps=torch.zeros(2, 8, 8))
    with pytest.raises(KeyError, match='output_heatmaps=True'):
        metric.process({}, [ds.to_dict()])
    ds = PoseDataSample()
    ds.pred_fields = PixelData(heatmaps=torch.zeros(2, 8, 8))
    with pytest.raises(KeyError, match='GenerateTarget'):
        metric.process({}, [ds.to_dict()])
    with pytest.raises(KeyError, match='GenerateTarget'):
        metric.process({}, [{'pred_fields': {'heatmaps': torch.zeros(2, 8, 8)},
                             'gt_fields': {}}])


def test_bad_arguments():
    with pytest.raises(ValueError, match='mode'):
        HeatmapPCKMetric(mode='fancy')
    with pytest.raises(ValueError, match='preset'):
        HeatmapPCKMetric(joint_groups='zebra')
    with pytest.raises(ValueError, match='non-empty'):
        HeatmapPCKMetric(joint_groups=dict(G=[]))
    metric = HeatmapPCKMetric(joint_groups=dict(G=[0, 5]))
    with pytest.raises(ValueError, match='joint index 5'):
        metric.process({}, [sample([(3, 3)] * 2, [(3, 3)] * 2)])


def test_presets():
    m = HeatmapPCKMetric(joint_groups='body16')
    assert list(m.groups) == [
        'Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle'
    ]
    assert sorted(m.all_joints) == [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]
    m = HeatmapPCKMetric(joint_groups='tigdog')
    assert sorted(m.all_joints) == list(range(18))
    assert list(m.groups) == list(TIGDOG_GROUPS)
    m = HeatmapPCKMetric(joint_groups='animalpose14')
    assert sorted(m.all_joints) == list(range(14))
    assert list(m.groups) == list(ANIMALPOSE14_GROUPS)


def test_table_is_logged(monkeypatch):
    from mmpose_mlda.evaluation.metrics import heatmap_pck
    logged = []
    monkeypatch.setattr(heatmap_pck, 'print_log',
                        lambda msg, logger=None, level=None: logged.append(
                            (msg, logger)))
    run_metric(
        HeatmapPCKMetric(joint_groups=dict(Eye=[0], Chin=[1])),
        [[([(10, 10), (30, 30)], [(10, 10), (20, 20)])]])
    assert len(logged) == 1 and logged[0][1] == 'current'
    lines = logged[0][0].splitlines()
    assert 'udape mode' in lines[0]
    header = [c.strip() for c in lines[2].strip('|').split('|')]
    values = [c.strip() for c in lines[4].strip('|').split('|')]
    assert header == ['Eye', 'Chin', 'All']
    assert values == ['100.00', '0.00', '50.00']


def test_inside_mmengine_evaluator_with_mmpose_pck():
    assert METRICS.get('HeatmapPCKMetric') is HeatmapPCKMetric
    # a runner sets default_scope='mmpose' from the config; do the same here
    with DefaultScope.overwrite_default_scope('mmpose'):
        evaluator = Evaluator([
            dict(type='HeatmapPCKMetric', joint_groups=dict(A=[0], B=[1])),
            dict(type='PCKAccuracy', thr=0.05),
        ])
    samples = []
    for pred_pts, gt_pts in [([(10, 10), (30, 30)], [(10, 10), (20, 20)]),
                             ([(11, 10), (20, 21)], [(10, 10), (20, 20)])]:
        ds = sample(pred_pts, gt_pts, as_dict=False)
        ds.gt_instances = InstanceData(
            keypoints=np.array([gt_pts], np.float32) * 4,
            keypoints_visible=np.ones((1, 2), np.float32),
            bboxes=np.array([[0, 0, 256, 256]], np.float32))
        ds.pred_instances = InstanceData(
            keypoints=np.array([pred_pts], np.float32) * 4)
        samples.append(ds)
    evaluator.process(data_samples=samples[:1], data_batch={})
    evaluator.process(data_samples=samples[1:], data_batch={})
    res = evaluator.evaluate(2)
    assert res['hm_pck/A'] == pytest.approx(1.0)
    assert res['hm_pck/B'] == pytest.approx(0.5)
    assert res['hm_pck/All'] == pytest.approx(0.75)
    assert 'PCK' in res  # MMPose's image-space metric, alongside
    # a second evaluation starts from scratch
    evaluator.process(data_samples=samples[:1], data_batch={})
    res = evaluator.evaluate(1)
    assert res['hm_pck/All'] == pytest.approx(0.5)


# --------------------------------------------------------------------------
# categories: the authors' combined selection with per-category scores


def _animal_sample(animal, pred_points, gt_points):
    ds = sample(pred_points, gt_points)
    ds['animal'] = animal
    return ds


def test_categories_scored_alone_beside_the_whole_set():
    """Batch size 1 (the animal protocol). Horse: joint 0 always right,
    joint 1 right once in two; tiger: joint 0 always wrong, joint 1 right.
    Hand-computed per joint over each set, groups = joint means."""
    metric = HeatmapPCKMetric(joint_groups=dict(A=[0], B=[1]),
                              categories=('horse', 'tiger'))
    right, wrong = (20, 20), (40, 40)
    gt = [(20, 20), (20, 20)]
    for animal, pred in [('horse', [right, right]), ('horse', [right, wrong]),
                         ('tiger', [wrong, right]), ('tiger', [wrong, right]),
                         ('tiger', [wrong, right])]:
        metric.process({}, [_animal_sample(animal, pred, gt)])
    scores = metric.evaluate(5)
    assert scores['hm_pck/A'] == pytest.approx(2 / 5)
    assert scores['hm_pck/B'] == pytest.approx(4 / 5)
    assert scores['hm_pck/All'] == pytest.approx(0.6)
    assert scores['hm_pck/horse/A'] == pytest.approx(1.0)
    assert scores['hm_pck/horse/B'] == pytest.approx(0.5)
    assert scores['hm_pck/horse/All'] == pytest.approx(0.75)
    assert scores['hm_pck/tiger/A'] == pytest.approx(0.0)
    assert scores['hm_pck/tiger/All'] == pytest.approx(0.5)


def test_categories_need_the_category_in_each_sample():
    metric = HeatmapPCKMetric(categories=('horse', ))
    with pytest.raises(KeyError, match=r"no 'animal', which categories "
                       r"needs; add it to the val pipeline's PackPoseInputs "
                       r"meta_keys"):
        metric.process({}, [sample([(3, 3)], [(3, 3)])])


class _Records:
    """A dataset's get_data_info over fixed records."""

    def __init__(self, animals):
        self.animals = animals

    def __len__(self):
        return len(self.animals)

    def get_data_info(self, i):
        return dict(animal=self.animals[i])


def test_a_category_the_val_set_lacks_is_named():
    metric = HeatmapPCKMetric(categories=('dog', 'sheep'))
    metric.check_dataset(_Records(['dog', 'sheep', 'dog']))
    with pytest.raises(ValueError, match=r"val_evaluator categories "
                       r"\['sheep'\] are not in the validation dataset, "
                       r"whose samples have animal in \['dog'\]"):
        metric.check_dataset(_Records(['dog', 'dog']))
    with pytest.raises(ValueError, match='lists a category twice'):
        HeatmapPCKMetric(categories=('dog', 'dog'))
