"""The human dataset adapters: SURREAL, LSP and LSPet.

Real samples (``SHARED_DATA/lsp``): the real LSP joints.mat (no images), the
first 400 LSPet records with 40 real images, and 10 of those recast into the
LSP layout. SURREAL has only a format fixture (random keypoints). Small
fixtures built here cover the splits and the error messages.
"""
import json
import random
import shutil

import cv2
import numpy as np
import pytest
from PIL import Image
from scipy.io import savemat

from mmpose.registry import DATASETS
from mmpose_mlda.datasets import (DomainAdaptationDataset, LSPDataset,
                                  LSPetDataset, SurrealDataset)
from mmpose_mlda.datasets.joint_sets import get_mapping
from mmpose_mlda.datasets.lsp_dataset import load_lsp_joints
from mmpose_mlda.datasets.metainfo import metainfo_file
from mmpose_mlda.datasets.surreal_dataset import peers_split_indices

from conftest import SHARED_DATA

LSP_REAL = (SHARED_DATA / 'lsp' / 'YuliangXiu+MobilePose' / 'pose_dataset' /
            'lsp')
LSPET_REAL = SHARED_DATA / 'lsp' / 'MiraiLouis+lsp_cpm'
LSP_DERIVED = SHARED_DATA / 'lsp' / 'DERIVED' / 'lsp_format_from_lspet'
SURREAL_FIXTURE = SHARED_DATA / '_format_fixtures' / 'surreal_processed'

# docs/formats.md: Body16 slot i takes SMPL joint SMPL_TO_BODY16[i]
SMPL_TO_BODY16 = (7, 4, 1, 2, 5, 8, 0, 9, 12, 15, 20, 18, 13, 14, 19, 21)
# docs/formats.md: the peers' LSP gather index; slots 6, 7 are invisible
LSP_TO_BODY16 = (0, 1, 2, 3, 4, 5, 13, 13, 12, 13, 6, 7, 8, 9, 10, 11)
BODY16_FLIP = [5, 4, 3, 2, 1, 0, 6, 7, 8, 9, 15, 14, 13, 12, 11, 10]


def need(path):
    if not path.exists():
        pytest.skip(f'shared sample {path} not available')
    return str(path)


# ---------------------------------------------------------------- fixtures
def write_lsp(root, joints_xyv, layout='lsp', sizes=None):
    """An LSP / LSPet folder: ``joints_xyv`` (N, 14, 3) as (x, y, visible)."""
    joints_xyv = np.asarray(joints_xyv, dtype=np.float64)
    flags = joints_xyv[..., 2] if layout == 'lspet' else 1 - joints_xyv[..., 2]
    records = np.concatenate([joints_xyv[..., :2], flags[..., None]], -1)
    mat = (records.transpose(2, 1, 0) if layout == 'lsp' else
           records.transpose(1, 2, 0))
    (root / 'images').mkdir(parents=True)
    savemat(str(root / 'joints.mat'), {'joints': mat})
    template = 'im{:04d}.jpg' if layout == 'lsp' else 'im{:05d}.jpg'
    for i in range(len(joints_xyv)):
        w, h = sizes[i] if sizes else (60, 40)
        cv2.imwrite(str(root / 'images' / template.format(i + 1)),
                    np.full((h, w, 3), 128, np.uint8))
    return root


def random_joints(n, seed=0, w=60, h=40):
    rng = np.random.default_rng(seed)
    xyv = np.zeros((n, 14, 3))
    xyv[..., 0] = rng.uniform(5, w - 5, (n, 14))
    xyv[..., 1] = rng.uniform(5, h - 5, (n, 14))
    xyv[..., 2] = rng.random((n, 14)) > 0.2
    return xyv


def write_surreal(root, n_per_run=10, splits=('train', 'val', 'test'),
                  seed=0):
    """A processed-SURREAL folder: 3 runs per split, 32x32 images."""
    rng = np.random.default_rng(seed)
    for split in splits:
        for k in range(3):
            records = []
            for j in range(n_per_run):
                name = f'seq{k}/frame_{j}.jpg'
                path = root / split / f'run{k}' / name
                path.parent.mkdir(parents=True, exist_ok=True)
                cv2.imwrite(str(path), np.zeros((32, 32, 3), np.uint8))
                records.append(dict(
                    name=name,
                    keypoint2d=rng.uniform(4, 28, (24, 2)).tolist(),
                    keypoint3d=rng.uniform(-1, 1, (24, 3)).tolist(),
                    intrinsic_matrix=[[300, 0, 16], [0, 300, 16], [0, 0, 1]]))
            (root / split / f'run{k}.json').write_text(json.dumps(records))
    return root


# ---------------------------------------------------------------- LSP
def test_real_lsp_joints_mat_reads_with_occlusion_flag():
    keypoints, visible, layout = load_lsp_joints(
        need(LSP_REAL / 'joints.mat'))
    assert layout == 'lsp' and keypoints.shape == (2000, 14, 2)
    # MANIFEST: 92.7 % of the flags are 0 (= visible, flag 1 = occluded)
    assert visible.mean() == pytest.approx(0.927, abs=1e-3)


def test_real_lsp_annotations_through_the_dataset(tmp_path):
    """The real 2000-record file with placeholder images for 4 of them."""
    joints = need(LSP_REAL / 'joints.mat')
    shutil.copy(joints, tmp_path / 'joints.mat')
    (tmp_path / 'images').mkdir()
    for i in range(4):
        cv2.imwrite(str(tmp_path / 'images' / f'im{i + 1:04d}.jpg'),
                    np.zeros((8, 8, 3), np.uint8))
    ds = LSPDataset(data_root=str(tmp_path), num_images=4,
                    bbox_mode='keypoints')
    keypoints, visible, _ = load_lsp_joints(joints)
    assert len(ds) == 4
    for i in range(4):
        item = ds[i]
        np.testing.assert_allclose(item['keypoints'][0], keypoints[i])
        np.testing.assert_array_equal(item['keypoints_visible'][0],
                                      visible[i])
        assert item['img_path'].endswith(f'im{i + 1:04d}.jpg')


def test_lsp_and_lspet_agree_on_the_same_real_records():
    """DERIVED holds LSPet records 1-10 in the LSP layout (flag inverted):
    both readers must produce identical instances."""
    lsp = LSPDataset(data_root=need(LSP_DERIVED), num_images=10)
    lspet = LSPetDataset(data_root=need(LSPET_REAL), num_images=40)
    assert len(lsp) == 10 and len(lspet) == 40
    for i in range(10):
        np.testing.assert_allclose(lsp[i]['keypoints'],
                                   lspet[i]['keypoints'])
        np.testing.assert_array_equal(lsp[i]['keypoints_visible'],
                                      lspet[i]['keypoints_visible'])
    # LSPet record 1: joint 0 has flag 0 in the 14x3xN file -> invisible
    assert lspet[0]['keypoints_visible'][0, 0] == 0
    assert lspet[0]['keypoints_visible'][0, 1:].all()
    assert lsp.metainfo['dataset_name'] == 'lsp'
    assert lsp.metainfo['num_keypoints'] == 14


def test_lsp_image_bbox_is_the_whole_image():
    # stored for GetBBoxCenterScale's default padding 1.25 ...
    ds = LSPDataset(data_root=need(LSP_DERIVED), num_images=10)
    # ... or as the crop itself
    raw = LSPDataset(data_root=need(LSP_DERIVED), num_images=10,
                     pipeline_padding=1.0)
    for i in (0, 9):
        w, h = Image.open(ds[i]['img_path']).size
        np.testing.assert_allclose(raw[i]['bbox'], [[0, 0, w, h]])
        x1, y1, x2, y2 = ds[i]['bbox'][0]
        np.testing.assert_allclose([(x1 + x2) / 2, (y1 + y2) / 2],
                                   [w / 2, h / 2], rtol=1e-5)
        np.testing.assert_allclose([1.25 * (x2 - x1), 1.25 * (y2 - y1)],
                                   [w, h], rtol=1e-5)


def test_keypoint_bbox_is_a_padded_square_around_visible_joints(tmp_path):
    xyv = random_joints(1)
    xyv[0, 0] = (-50, -50, 0)  # an invisible outlier is ignored
    root = str(write_lsp(tmp_path, xyv))
    vis = xyv[0, xyv[0, :, 2] > 0, :2]
    lo, hi = vis.min(0), vis.max(0)
    center = (lo + hi) / 2
    for pipeline_padding in (1.0, 1.25):
        ds = LSPDataset(data_root=root, num_images=1, bbox_mode='keypoints',
                        bbox_padding=1.5, pipeline_padding=pipeline_padding)
        side = 1.5 * (hi - lo).max() / pipeline_padding
        np.testing.assert_allclose(
            ds[0]['bbox'][0], [*(center - side / 2), *(center + side / 2)],
            rtol=1e-5)


def test_lsp_splits_and_num_images(tmp_path):
    root = str(write_lsp(tmp_path, random_joints(10)))
    ids = {}
    for split in ('all', 'train', 'test'):
        ds = LSPDataset(data_root=root, num_images=10, split=split)
        ids[split] = [ds[i]['img_id'] for i in range(len(ds))]
    assert ids == dict(all=list(range(10)), train=[0, 1, 2, 3, 4],
                       test=[5, 6, 7, 8, 9])
    assert len(LSPDataset(data_root=root, num_images=None)) == 10
    test = LSPDataset(data_root=root, num_images=10, split='test')
    assert test[0]['img_path'].endswith('im0006.jpg')


def test_lsp_converted_to_body16(tmp_path):
    xyv = random_joints(3, seed=1)
    xyv[..., 2] = 1
    xyv[1, 11, 2] = 0  # record 2: left wrist occluded
    ds = LSPDataset(data_root=str(write_lsp(tmp_path, xyv)), num_images=3,
                    convert_to='body16')
    assert ds.metainfo['dataset_name'] == 'body16'
    assert ds.metainfo['num_keypoints'] == 16
    assert ds.metainfo['flip_indices'] == BODY16_FLIP
    for i in range(3):
        item = ds[i]
        kpts, vis = item['keypoints'][0], item['keypoints_visible'][0]
        assert kpts.shape == (16, 2) and item['flip_indices'] == BODY16_FLIP
        # LSP left wrist (11) -> Body16 left_wrist (15)
        np.testing.assert_allclose(kpts[15], xyv[i, 11, :2], rtol=1e-6)
        assert vis[15] == xyv[i, 11, 2]
        # pelvis and thorax do not exist in LSP
        assert vis[6] == 0 and vis[7] == 0
        for slot, src in enumerate(LSP_TO_BODY16):
            if slot not in (6, 7):
                np.testing.assert_allclose(kpts[slot], xyv[i, src, :2],
                                           rtol=1e-6)
    # the shared mapping agrees with the peers' gather index
    mapped = dict((dst, src) for src, dst in get_mapping('lsp', 'body16'))
    assert all(mapped[s] == LSP_TO_BODY16[s] for s in mapped)
    assert set(mapped) == set(range(16)) - {6, 7}


def test_registry_builds_from_a_config_dict(tmp_path):
    root = str(write_lsp(tmp_path / 'lspet', random_joints(2), 'lspet'))
    ds = DATASETS.build(dict(type='LSPetDataset', data_root=root,
                             num_images=2, convert_to='body16'))
    assert len(ds) == 2 and ds.metainfo['num_keypoints'] == 16


# ---------------------------------------------------------------- SURREAL
def test_surreal_fixture_reads_and_converts_to_body16():
    root = need(SURREAL_FIXTURE)
    native = SurrealDataset(data_root=root, split='val', peers_subset=False)
    body16 = SurrealDataset(data_root=root, split='val', peers_subset=False,
                            convert_to='body16')
    records = []
    for k in range(3):
        records += json.loads((SURREAL_FIXTURE / 'val' /
                               f'run{k}.json').read_text())
    assert len(native) == len(body16) == len(records) == 6
    assert native.metainfo['num_keypoints'] == 24
    assert body16.metainfo['flip_indices'] == BODY16_FLIP
    for i, rec in enumerate(records):
        kpts = np.asarray(rec['keypoint2d'], np.float32)
        np.testing.assert_allclose(native[i]['keypoints'][0], kpts)
        b = body16[i]
        assert b['keypoints_visible'].all()  # all 16 visible (peers)
        assert b['img_path'].endswith(f'val/run{i // 2}/{rec["name"]}')
        np.testing.assert_allclose(b['keypoints'][0, 0], kpts[7])
        np.testing.assert_allclose(b['keypoints'][0], kpts[list(
            SMPL_TO_BODY16)])


def test_surreal_peers_split_matches_their_shuffle(tmp_path):
    root = write_surreal(tmp_path, n_per_run=10)
    names = {}
    for split in ('train', 'val', 'test'):
        ds = SurrealDataset(data_root=str(root), split=split)
        names[split] = [ds[i]['img_path'] for i in range(len(ds))]
        # the peers' own procedure on the concatenated sample list
        samples = [str(root / split / f'run{k}' / f'seq{k}/frame_{j}.jpg')
                   for k in range(3) for j in range(10)]
        random.seed(42)
        random.shuffle(samples)
        n = min(int(len(samples) * 0.2), 3200)
        expected = {'train': samples[n:], 'test': samples[:n],
                    'val': samples}[split]
        assert names[split] == expected
    assert len(names['train']) == 24 and len(names['test']) == 6
    assert len(names['val']) == 30
    assert len(peers_split_indices(100000, 'test')) == 3200
    whole = SurrealDataset(data_root=str(root), split='train',
                           peers_subset=False, runs=(1, ))
    assert len(whole) == 10


def test_surreal_bbox_modes(tmp_path):
    root = str(write_surreal(tmp_path, n_per_run=2, splits=('val', )))
    image = SurrealDataset(data_root=root, split='val', bbox_mode='image',
                           pipeline_padding=1.0)
    np.testing.assert_allclose(image[0]['bbox'], [[0, 0, 32, 32]])
    image = SurrealDataset(data_root=root, split='val', bbox_mode='image')
    np.testing.assert_allclose(image[0]['bbox'], [[3.2, 3.2, 28.8, 28.8]],
                               rtol=1e-5)
    kpt = SurrealDataset(data_root=root, split='val')
    box = kpt[0]['bbox'][0]
    assert box[2] - box[0] == pytest.approx(box[3] - box[1])


# ---------------------------------------------------------------- errors
def expect_error(exc, *fragments, **kwargs):
    cls = kwargs.pop('cls')
    with pytest.raises(exc) as info:
        cls(**kwargs)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)
    return str(info.value)


def test_lsp_bad_inputs_give_clear_errors(tmp_path):
    root = write_lsp(tmp_path / 'ok', random_joints(4))
    expect_error(FileNotFoundError, 'joints.mat not found', 'data_root',
                 cls=LSPDataset, data_root=str(tmp_path / 'nowhere'))
    expect_error(ValueError, 'holds 4 records', 'num_images <= 4',
                 cls=LSPDataset, data_root=str(root), num_images=5)
    expect_error(ValueError, 'LSPET layout', 'use LSPetDataset',
                 cls=LSPDataset, data_root=need(LSPET_REAL), num_images=40)
    msg = expect_error(FileNotFoundError, '360 of the 400', 'num_images',
                       cls=LSPetDataset, data_root=need(LSPET_REAL),
                       num_images=400)
    assert 'im00041.jpg' in msg

    wrong = tmp_path / 'wrong'
    wrong.mkdir()
    savemat(str(wrong / 'joints.mat'), {'joints': np.zeros((2, 14, 3))})
    expect_error(ValueError, 'shape (2, 14, 3)', 'expected 3x14xN',
                 cls=LSPDataset, data_root=str(wrong))
    savemat(str(wrong / 'joints.mat'), {'points': np.zeros((3, 14, 3))})
    expect_error(ValueError, 'no variable "joints"', "['points']",
                 cls=LSPDataset, data_root=str(wrong))
    (wrong / 'joints.mat').write_text('not a mat file')
    expect_error(ValueError, 'cannot be read as a MATLAB',
                 cls=LSPDataset, data_root=str(wrong))

    shutil.rmtree(root / 'images')
    expect_error(FileNotFoundError, 'image folder', 'data_prefix',
                 cls=LSPDataset, data_root=str(root), num_images=4)

    broken = write_lsp(tmp_path / 'broken', random_joints(2))
    (broken / 'images' / 'im0002.jpg').write_bytes(b'garbage')
    expect_error(ValueError, 'im0002.jpg cannot be read as an image',
                 cls=LSPDataset, data_root=str(broken), num_images=2,
                 bbox_mode='image')
    expect_error(ValueError, 'metainfo (body16) defines 16',
                 cls=LSPDataset, data_root=str(broken), num_images=2,
                 bbox_mode='keypoints',
                 metainfo=dict(from_file=metainfo_file('body16')))
    expect_error(ValueError, "split='val'", cls=LSPDataset,
                 data_root=str(broken), split='val')
    expect_error(ValueError, "convert_to='coco'", cls=LSPDataset,
                 data_root=str(broken), convert_to='coco')


def test_surreal_bad_inputs_give_clear_errors(tmp_path):
    root = write_surreal(tmp_path, n_per_run=2, splits=('test', ))
    expect_error(FileNotFoundError, 'train/run0.json not found',
                 'train/ val/ test/', cls=SurrealDataset,
                 data_root=str(root), split='train')
    records = json.loads((root / 'test' / 'run1.json').read_text())
    records[1]['keypoint2d'] = records[1]['keypoint2d'][:16]
    (root / 'test' / 'run1.json').write_text(json.dumps(records))
    expect_error(ValueError, 'run1.json: record 1', 'shape (16, 2)',
                 cls=SurrealDataset, data_root=str(root), split='test')
    (root / 'test' / 'run1.json').write_text('{"name": 1}')
    expect_error(ValueError, 'expected a list of records',
                 cls=SurrealDataset, data_root=str(root), split='test')
    shutil.rmtree(root / 'test' / 'run0')
    expect_error(FileNotFoundError, 'image folder', 'run0',
                 cls=SurrealDataset, data_root=str(root), split='test',
                 runs=(0, ))
    expect_error(ValueError, 'needs data_root', cls=SurrealDataset)


# ---------------------------------------------------------------- pipeline
PIPELINE = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),  # MMPose's default padding 1.25
    dict(type='TopdownAffine', input_size=(256, 256)),
    dict(type='GenerateTarget',
         encoder=dict(type='MSRAHeatmap', input_size=(256, 256),
                      heatmap_size=(64, 64), sigma=2)),
    dict(type='PackPoseInputs'),
]


def test_topdown_pipeline_on_real_lsp_matches_peers_resize_pad():
    kwargs = dict(data_root=need(LSP_DERIVED), num_images=10,
                  convert_to='body16', test_mode=True)
    packed = LSPDataset(pipeline=PIPELINE, **kwargs)
    affine = LSPDataset(pipeline=PIPELINE[:3], **kwargs)  # no packing
    for i in (0, 3):
        sample = packed[i]['data_samples']
        assert tuple(packed[i]['inputs'].shape) == (3, 256, 256)
        assert tuple(sample.gt_fields.heatmaps.shape) == (16, 64, 64)
        weights = sample.gt_instance_labels.keypoint_weights[0]
        assert weights[6] == 0 and weights[7] == 0
        # bbox_mode='image' + the default pipeline == the peers'
        # ResizePad(256): scale by 256 / long side and centre
        out = affine[i]
        h, w = out['ori_shape']
        s = 256 / max(w, h)
        expected = out['keypoints'][0] * s + [(256 - w * s) / 2,
                                              (256 - h * s) / 2]
        vis = out['keypoints_visible'][0] > 0
        np.testing.assert_allclose(out['transformed_keypoints'][0][vis],
                                   expected[vis], atol=1e-2)


def test_topdown_pipeline_on_lspet_and_surreal():
    lspet = LSPetDataset(data_root=need(LSPET_REAL), num_images=40,
                         convert_to='body16', pipeline=PIPELINE)
    surreal = SurrealDataset(data_root=need(SURREAL_FIXTURE), split='test',
                             peers_subset=False, convert_to='body16',
                             pipeline=PIPELINE)
    for ds in (lspet, surreal):
        out = ds[1]
        assert tuple(out['inputs'].shape) == (3, 256, 256)
        heatmaps = out['data_samples'].gt_fields.heatmaps
        assert tuple(heatmaps.shape) == (16, 64, 64)
        assert float(heatmaps.max()) == pytest.approx(1.0, abs=1e-3)


def test_surreal_and_lsp_form_one_adaptation_dataset():
    source = SurrealDataset(data_root=need(SURREAL_FIXTURE), split='train',
                            convert_to='body16')
    target = LSPDataset(data_root=need(LSP_DERIVED), num_images=10,
                        convert_to='body16')
    da = DomainAdaptationDataset(source=source, target=target)
    assert len(da) == len(source) + 10
    assert da.metainfo['flip_indices'] == BODY16_FLIP
