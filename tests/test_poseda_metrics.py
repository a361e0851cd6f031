"""3DPCK / AUC / MPJPE / PA-MPJPE on hand-made cases."""
import numpy as np
import pytest

from mmpose_mlda.evaluation.metrics import Lifting3DMetric
from mmpose_mlda.evaluation.metrics.lifting_3d_metric import auc_3d, pck_3d


def _sample(pred, gt, name):
    return dict(pred_instances=dict(keypoints=pred[None]),
                gt_instances=dict(lifting_target=gt[None],
                                  lifting_target_visible=np.ones((1, 17))),
                target_img_path=[name])


def _pose(seed):
    return np.random.default_rng(seed).normal(0, 0.3, (17, 3))


def test_perfect_prediction():
    m = Lifting3DMetric()
    m.process(None, [_sample(_pose(i), _pose(i), f'TS1_{i:06d}.jpg')
                     for i in range(4)])
    res = m.compute_metrics(m.results)
    assert res['3DPCK'] == 100 and res['AUC'] == 100
    assert res['MPJPE'] == pytest.approx(0, abs=1e-6)
    assert res['PA-MPJPE'] == pytest.approx(0, abs=1e-4)
    assert res['TS1/3DPCK'] == 100 and res['GS/3DPCK'] == 100


def test_auc_bounds_and_constant_error():
    gt = np.zeros((1, 17, 3))
    mask = np.ones((1, 17), bool)
    thr = np.arange(0, 151, 5.0)
    assert auc_3d(gt + [1000, 0, 0], gt, mask, thr) == 0
    assert auc_3d(gt, gt, mask, thr) == 100
    # 52 mm everywhere: correct from 55 mm on -> 20 of 31 thresholds
    assert auc_3d(gt + [52, 0, 0], gt, mask, thr) == pytest.approx(
        100 * 20 / 31)
    assert pck_3d(gt + [150, 0, 0], gt, mask, 150) == 100
    assert pck_3d(gt + [151, 0, 0], gt, mask, 150) == 0


def test_per_sequence_groups_units_and_procrustes():
    m = Lifting3DMetric()  # metres in, millimetres out
    gt1, gt5 = _pose(1), _pose(5)
    shifted = gt5.copy()
    shifted[1:] += [0.2, 0, 0]  # 200 mm off, root-relative
    rot = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1.]])
    m.process(None, [
        _sample(gt1, gt1, 'TS1_000001.jpg'),
        _sample(shifted, gt5, 'TS5_000001.jpg'),
        _sample(1.1 * gt1 @ rot.T + 3, gt1, 'TS3_000001.jpg'),
    ])
    res = m.compute_metrics(m.results)
    assert res['TS1/3DPCK'] == 100
    # only the root (error 0 after root-centring) is within 150 mm
    assert res['TS5/3DPCK'] == pytest.approx(100 / 17)
    assert res['TS5/MPJPE'] == pytest.approx(200 * 16 / 17, rel=1e-4)
    assert res['Outdoor/3DPCK'] == res['TS5/3DPCK']
    assert res['GS/3DPCK'] == 100
    assert res['TS3/PA-MPJPE'] == pytest.approx(0, abs=1e-3)
    assert res['TS3/MPJPE'] > 100
    # the root is right at every threshold (0 mm error), the rest never
    assert res['TS5/AUC'] == pytest.approx(100 / 17)
    assert res['TS1/AUC'] == 100
    assert list(res)[:4] == ['MPJPE', 'PA-MPJPE', '3DPCK', 'AUC']
