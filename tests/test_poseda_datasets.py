"""Lifting dataset adapters on the real Human3.6M / MPI-INF-3DHP samples."""
import pickle
import shutil

import numpy as np
import pytest
from conftest import SHARED_DATA

from mmpose.registry import DATASETS
from mmpose_mlda.datasets.joint_sets import convert_keypoints, get_mapping
from mmpose_mlda.datasets.mpi_inf_3dhp_dataset import parse_3dhp_imgname

H36M = SHARED_DATA / 'h36m/open-mmlab+mmpose/tests/data/h36m'
DHP = SHARED_DATA / 'mpi_inf_3dhp/open-mmlab+mmpose/tests/data/mpi_inf_3dhp'
CODEC = dict(type='VideoPoseLifting', num_keypoints=17, zero_center=True,
             root_index=0, remove_root=False)
PIPELINE = [
    dict(type='GenerateTarget', encoder=CODEC),
    dict(type='SetLiftingDomain', domain='target'),
    dict(type='PackPoseInputs',
         meta_keys=('id', 'target_img_path', 'target_root', 'camera_param',
                    'domain', 'keypoints_3d'))
]

pytestmark = pytest.mark.skipif(not DHP.exists(),
                                reason='shared/data samples not present')


def _3dhp(split, **kw):
    cfg = dict(type='MpiInf3dhpDataset', data_root=str(DHP),
               ann_file=f'test_3dhp_{split}.npz',
               camera_param_file=f'cameras_{split}.pkl', pipeline=PIPELINE)
    cfg.update(kw)
    return DATASETS.build(cfg)


def test_parse_names():
    assert parse_3dhp_imgname('S4_Seq2_Cam0_001033.jpg') == (
        'S4_Seq2_Cam0', 1033)
    assert parse_3dhp_imgname('TS1_002001.jpg') == ('TS1', 2001)
    with pytest.raises(ValueError, match='MPI-INF-3DHP image name'):
        parse_3dhp_imgname('foo.jpg')


@pytest.mark.parametrize('split', ['train', 'test'])
def test_3dhp_native_and_h36m_order(split):
    raw = np.load(DHP / f'test_3dhp_{split}.npz')
    native = _3dhp(split)
    assert len(native) == len(raw['imgname']) == 2
    assert native.metainfo['dataset_name'] == 'mpi_inf_3dhp'
    info = native.get_data_info(0)
    np.testing.assert_allclose(info['keypoints_3d'][0], raw['S'][0, :, :3],
                               rtol=1e-6)
    conv = _3dhp(split, joint_set='h36m')
    assert conv.metainfo['dataset_name'] == 'h36m'
    c = conv.get_data_info(0)
    # H36M root = 3DHP pelvis (14), H36M head = 3DHP head_top (0),
    # H36M r_wrist (16) = 3DHP r_wrist (4)
    for h36m_j, dhp_j in ((0, 14), (10, 0), (16, 4), (8, 1)):
        np.testing.assert_allclose(c['keypoints_3d'][0, h36m_j],
                                   raw['S'][0, dhp_j, :3], rtol=1e-6)
        np.testing.assert_allclose(c['keypoints'][0, h36m_j],
                                   raw['part'][0, dhp_j, :2], rtol=1e-6)
    packed = conv[0]
    assert packed['inputs'].shape == (34, 1)
    assert packed['data_samples'].metainfo['domain'] == 'target'
    cam = packed['data_samples'].metainfo['camera_param']
    assert float(np.asarray(cam['h']).reshape(-1)[0]) >= np.asarray(
        cam['c']).reshape(-1)[1]  # cameras_train's h=204 typo repaired
    if split == 'test':
        assert c['sequence'] == 'TS1'


def test_joint_set_round_trip():
    kpts = np.random.default_rng(0).normal(size=(3, 17, 3))
    to_h36m, vis = convert_keypoints(kpts, np.ones((3, 17)), 'mpi_inf_3dhp',
                                     'h36m', 17)
    back, _ = convert_keypoints(to_h36m, vis, 'h36m', 'mpi_inf_3dhp', 17)
    np.testing.assert_allclose(back, kpts, rtol=1e-6)
    assert len(get_mapping('smpl24', 'h36m')) == 16


def test_3dhp_missing_camera_and_nan(tmp_path):
    d = tmp_path / 'dhp'
    shutil.copytree(DHP, d, ignore=shutil.ignore_patterns('*.jpg'))
    with open(d / 'cameras_test.pkl', 'rb') as f:
        cams = pickle.load(f)
    cams.pop('TS2')
    with open(d / 'cameras_nots2.pkl', 'wb') as f:
        pickle.dump(cams, f)
    with pytest.raises(KeyError, match=r"no camera 'TS2' for sample "
                       r"'TS2_001850.jpg'"):
        DATASETS.build(dict(type='MpiInf3dhpDataset', data_root=str(d),
                            ann_file='test_3dhp_test.npz',
                            camera_param_file='cameras_nots2.pkl'))
    raw = dict(np.load(d / 'test_3dhp_test.npz'))
    raw['part'][1, 3, 0] = np.nan
    np.savez(d / 'nan.npz', **raw)
    with pytest.raises(ValueError, match=r'nan.npz: NaN/inf 2D keypoints '
                       r'in 1 sample\(s\), first index 1 \(TS2_001850.jpg\)'):
        DATASETS.build(dict(type='MpiInf3dhpDataset', data_root=str(d),
                            ann_file='nan.npz'))


def test_3dhp_sequences_of_frames():
    ds = _3dhp('train', seq_len=3, causal=False, pipeline=[])
    info = ds.get_data_info(0)
    assert info['keypoints'].shape == (3, 17, 2)  # padded by repetition


def test_h36m_sample_through_mmpose_dataset():
    ds = DATASETS.build(dict(
        type='Human36mDataset', data_root=str(H36M),
        ann_file='test_h36m_body3d.npz', camera_param_file='cameras.pkl',
        seq_len=1, causal=True, keypoint_2d_src='gt', data_prefix=dict(
            img=''), pipeline=PIPELINE))
    assert len(ds) == 4
    sample = ds[0]['data_samples']
    assert sample.metainfo['keypoints_3d'].shape == (1, 17, 3)
    assert float(sample.metainfo['camera_param']['w']) == 1000
