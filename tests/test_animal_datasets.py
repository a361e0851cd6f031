"""SynAnimal, TigDog and Animal-Pose adapters: formats, joint orders, splits,
errors, and the MMPose top-down pipeline on their samples."""
import json
import shutil

import numpy as np
import pytest
from scipy.io import loadmat, savemat

from conftest import SHARED_DATA

from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.registry import DATASETS

from mmpose_mlda.datasets import (AnimalPoseCategoryDataset,
                                  SynAnimalDataset, TigDogDataset)
from mmpose_mlda.datasets.metainfo import metainfo_file
from mmpose_mlda.datasets.synanimal_dataset import (
    NUM_VERTICES, SYNANIMAL_VERTEX_INDICES, build_synanimal_cache)
from mmpose_mlda.datasets.tigdog_dataset import load_tigdog_frames
from mmpose_mlda.evaluation.metrics.heatmap_pck import (ANIMALPOSE14_GROUPS,
                                                         TIGDOG_GROUPS)

FIXTURES = SHARED_DATA / '_format_fixtures' / 'animal_data'
AP = SHARED_DATA / 'animalpose'
AP_ORIGINAL = AP / 'DERIVED'
AP_MMPOSE = AP / 'open-mmlab+mmpose' / 'tests' / 'data' / 'animalpose'
AP_UDAPE = (AP / 'VisionLearningGroup+UDA_PoseEstimation' / 'cached_data' /
            'real_animal_pose')
TIGDOG_SPLITS = (SHARED_DATA / 'tigdog' / 'VisionLearningGroup+'
                 'UDA_PoseEstimation' / 'cached_data')
SYN_SPLITS = (SHARED_DATA / 'synanimal' / 'VisionLearningGroup+'
              'UDA_PoseEstimation' / 'cached_data')


def need(*paths):
    for p in paths:
        if not p.exists():
            pytest.skip(f'sample data not found: {p}')


def fixture_copy(tmp_path, name='animal_data'):
    need(FIXTURES)
    dst = tmp_path / name
    shutil.copytree(FIXTURES, dst)
    return dst


# ---------------------------------------------------------------- metainfo
# flip pairs of the peers ('real_animal' / 'animal_pose' matchedParts)
PEER_FLIP_18 = [(0, 1), (3, 4), (5, 6), (8, 9), (10, 11), (12, 13), (14, 15),
                (16, 17)]
PEER_FLIP_14 = [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9), (10, 11), (12, 13)]


@pytest.mark.parametrize('name,pairs,groups', [
    ('tigdog', PEER_FLIP_18, TIGDOG_GROUPS),
    ('synanimal', PEER_FLIP_18, TIGDOG_GROUPS),
    ('animalpose14', PEER_FLIP_14, ANIMALPOSE14_GROUPS),
])
def test_metainfo_matches_peers_and_pck_groups(name, pairs, groups):
    meta = parse_pose_metainfo(dict(from_file=metainfo_file(name)))
    flip = list(range(meta['num_keypoints']))
    for a, b in pairs:
        flip[a], flip[b] = b, a
    assert meta['flip_indices'] == flip
    assert meta['dataset_name'] == name
    assert len(meta['sigmas']) == meta['num_keypoints']
    names = meta['keypoint_id2name']
    for group, ids in groups.items():
        key = {'Hoof': ('Hoof', 'Paw'), 'Hip': ('Hip', )}.get(group,
                                                              (group, ))
        assert all(any(k in names[i] for k in key) for i in ids), group


def test_original_metainfo_is_mmpose_permuted():
    ours = parse_pose_metainfo(
        dict(from_file=metainfo_file('animalpose_original')))
    from mmpose.datasets import AnimalPoseDataset
    theirs = parse_pose_metainfo(AnimalPoseDataset.METAINFO)
    orig = (0, 1, 3, 4, 2, 17, 19, 18, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            16)
    for i, o in enumerate(orig):
        assert theirs['keypoint_id2name'][i] == ours['keypoint_id2name'][o]
        assert theirs['sigmas'][i] == ours['sigmas'][o]


# ------------------------------------------------------------------ TigDog
def _write_shot(path, coords, vis):
    """A landmark .mat laid out as TigDog's: landmarks[f][0][0][0] =
    (coords 19x2, visibility 19x1)."""
    dtype = [('coords', 'O'), ('visibility', 'O')]
    lms = np.empty((len(coords), 1), dtype=object)
    for f, (c, v) in enumerate(zip(coords, vis)):
        rec = np.empty((1, 1), dtype=dtype)
        rec[0, 0] = (c, v.reshape(19, 1))
        lms[f, 0] = rec
    savemat(str(path), {'landmarks': lms})


def make_tigdog(root, animal, shots, missing=(), size=(64, 48), seed=0):
    """A TigDog tree; shots = [(shot_id, start, end)], ``missing`` shot ids
    get no landmark file. Returns {global frame: (coords 19x2, vis 19)}."""
    import cv2
    rng = np.random.default_rng(seed)
    bd = root / 'behaviorDiscovery2.0'
    for d in (bd / 'ranges' / animal, bd / 'landmarks' / animal, bd / animal):
        d.mkdir(parents=True, exist_ok=True)
    savemat(str(bd / 'ranges' / animal / 'ranges.mat'),
            {'ranges': np.array(shots, dtype=np.int32)})
    truth = {}
    for shot_id, start, end in shots:
        n = end - start + 1
        coords = rng.uniform(2, min(size) - 2, (n, 19, 2))
        vis = (rng.uniform(size=(n, 19)) > 0.2).astype(float)
        if shot_id not in missing:
            _write_shot(bd / 'landmarks' / animal / f'{shot_id}.mat', coords,
                        vis)
            for f in range(n):
                truth[start + f] = (coords[f], vis[f])
        for f in range(start, end + 1):
            cv2.imwrite(str(bd / animal / f'{f:08d}.jpg'),
                        np.zeros((size[1], size[0], 3), np.uint8))
    return truth


def test_tigdog_fixture_reads_like_the_peers():
    need(FIXTURES)
    for animal in ('horse', 'tiger'):
        ds = TigDogDataset(data_root=str(FIXTURES), animal=animal,
                           split='all')
        lm = loadmat(str(FIXTURES / 'behaviorDiscovery2.0' / 'landmarks' /
                         animal / '7.mat'))['landmarks']
        assert len(ds) == {'horse': 3, 'tiger': 2}[animal]
        tiger = [1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 17, 18, 13, 14, 9, 10, 11,
                 12]  # docs/formats.md, 1-based
        order = np.arange(18) if animal == 'horse' else np.array(tiger) - 1
        for f in range(len(ds)):
            info = ds[f]
            c = lm[f][0][0][0][0][:18][order]
            v = lm[f][0][0][0][1][:18, 0][order]
            np.testing.assert_allclose(info['keypoints'][0], c, rtol=1e-6)
            np.testing.assert_array_equal(info['keypoints_visible'][0], v)
            assert info['img_path'].endswith(f'{animal}/{100 + f:08d}.jpg')
            assert ds.metainfo['dataset_name'] == 'tigdog'


def test_tigdog_frame_list_order_box_and_splits(tmp_path):
    shots = [(5, 10, 11), (9, 30, 30), (3, 20, 22)]
    truth = make_tigdog(tmp_path, 'horse', shots, missing=(9, ))
    frames, coords, vis = load_tigdog_frames(str(tmp_path), 'horse')
    # ranges order, shot 9 skipped, start..end inclusive
    assert [f['frame'] for f in frames] == [10, 11, 20, 21, 22]
    assert [f['frame_id'] for f in frames] == [0, 1, 0, 1, 2]
    split_dir = tmp_path / 'splits' / 'real_animal' / 'horse'
    split_dir.mkdir(parents=True)
    np.save(split_dir / 'train_idxs_by_video.npy', np.array([0, 1, 4]))
    np.save(split_dir / 'valid_idxs_by_video.npy', np.array([2, 3]))
    ds = TigDogDataset(data_root=str(tmp_path), split='train',
                       split_root='splits')
    assert [int(d['img_path'][-12:-4]) for d in ds] == [10, 11, 22]
    c, v = truth[22]
    np.testing.assert_allclose(ds[2]['keypoints'][0], c[:18], rtol=1e-5)
    # box: keypoint extent +-15 px clipped to the 64x48 frame
    k = c[:18]
    expect = [max(k[:, 0].min() - 15, 0), max(k[:, 1].min() - 15, 0),
              min(k[:, 0].max() + 15, 64), min(k[:, 1].max() + 15, 48)]
    np.testing.assert_allclose(ds[2]['bbox'][0], expect, rtol=1e-5)
    valid = TigDogDataset(data_root=str(tmp_path), split='valid',
                          split_root=str(tmp_path / 'splits'))
    assert len(valid) == 2


def test_tigdog_errors(tmp_path):
    need(TIGDOG_SPLITS, FIXTURES)
    # the published split points past the 3 fixture frames
    with pytest.raises(ValueError, match='train_idxs_by_video.npy indexes'):
        TigDogDataset(data_root=str(FIXTURES), split='train',
                      split_root=str(TIGDOG_SPLITS))
    with pytest.raises(FileNotFoundError, match='ranges.mat'):
        TigDogDataset(data_root=str(tmp_path), split='all')
    with pytest.raises(ValueError, match="unknown animal 'dog'"):
        TigDogDataset(data_root=str(FIXTURES), animal='dog')
    with pytest.raises(FileNotFoundError, match='missing split file'):
        TigDogDataset(data_root=str(FIXTURES), split='valid')
    # ranges of the wrong shape
    make_tigdog(tmp_path, 'horse', [(1, 0, 1)])
    savemat(str(tmp_path / 'behaviorDiscovery2.0' / 'ranges' / 'horse' /
                'ranges.mat'), {'ranges': np.zeros((2, 2))})
    with pytest.raises(ValueError, match=r'expected key "ranges" of shape'):
        TigDogDataset(data_root=str(tmp_path), split='all')
    # a landmark file shorter than its shot
    make_tigdog(tmp_path, 'tiger', [(1, 0, 1)])
    savemat(str(tmp_path / 'behaviorDiscovery2.0' / 'ranges' / 'tiger' /
                'ranges.mat'), {'ranges': np.array([[1, 0, 4]])})
    with pytest.raises(ValueError, match='holds 2 frames'):
        TigDogDataset(data_root=str(tmp_path), animal='tiger', split='all')
    # metainfo with the wrong keypoint count
    with pytest.raises(ValueError, match='18 keypoints'):
        TigDogDataset(data_root=str(FIXTURES), split='all',
                      metainfo=dict(from_file=metainfo_file('animalpose14')))


# --------------------------------------------------------------- SynAnimal
def test_synanimal_vertex_indices():
    assert set(SYNANIMAL_VERTEX_INDICES) == {'horse', 'tiger', 'sheep',
                                             'hound', 'elephant'}
    for idxs in SYNANIMAL_VERTEX_INDICES.values():
        assert len(idxs) == 18 and len(set(idxs)) == 18
        assert max(idxs) < NUM_VERTICES
    assert SYNANIMAL_VERTEX_INDICES['horse'][:3] == (1718, 1684, 1271)


def test_synanimal_cache_and_vertices_agree(tmp_path):
    need(FIXTURES)
    root = str(FIXTURES)
    cached = SynAnimalDataset(data_root=root, split='all', source='cache')
    verts = SynAnimalDataset(data_root=root, split='all', source='vertices')
    assert len(cached) == len(verts) == 2
    for a, b in zip(cached, verts):
        assert a['img_path'] == b['img_path']
        np.testing.assert_allclose(a['keypoints'], b['keypoints'], rtol=1e-5)
        np.testing.assert_allclose(a['bbox'], b['bbox'], rtol=1e-5)
    # the box is the extent of all vertices; the keypoints the 18 vertices
    pts = np.load(verts[0]['img_path'][:-7] + 'kpts.npy')
    np.testing.assert_allclose(
        verts[0]['bbox'][0],
        [pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()],
        rtol=1e-5)
    np.testing.assert_allclose(
        verts[0]['keypoints'][0],
        pts[list(SYNANIMAL_VERTEX_INDICES['horse']), :2], rtol=1e-5)
    assert verts[0]['keypoints_visible'].all()  # peers: occluded count
    strict = SynAnimalDataset(data_root=root, split='all',
                              source='vertices', use_occluded=False)
    np.testing.assert_array_equal(
        strict[0]['keypoints_visible'][0],
        pts[list(SYNANIMAL_VERTEX_INDICES['horse']), 2] > 0)
    # splits from the cache
    train = SynAnimalDataset(data_root=root, split='train')
    assert len(train) == 1 and train[0]['img_path'].split('/')[-1][0] == '0'


def test_synanimal_build_cache_and_split_files(tmp_path):
    root = fixture_copy(tmp_path)
    (root / 'clean_data' / 'keypoints_18.json').unlink()
    folder = root / 'synthetic_animal' / 'horse_combineds5r5_texture'
    np.save(folder / 'train_idxs.npy', np.array([1]))
    np.save(folder / 'valid_idxs.npy', np.array([0]))
    # without a cache, 'auto' reads the vertex files and the split files
    ds = SynAnimalDataset(data_root=str(root), split='train')
    assert len(ds) == 1 and '/1_SK_' in ds[0]['img_path']
    path = build_synanimal_cache(str(root), ['horse'])
    data = json.loads(open(path).read())
    assert data['horse']['train_idxs'] == [1]
    assert data['horse']['imgpath'][0].startswith(
        './animal_data/synthetic_animal/horse_combineds5r5_texture/')
    assert np.asarray(data['horse']['keypoints']).shape == (2, 18, 3)
    cached = SynAnimalDataset(data_root=str(root), split='train',
                              source='cache')
    np.testing.assert_allclose(cached[0]['keypoints'], ds[0]['keypoints'],
                               rtol=1e-6)
    assert not list((root / 'clean_data').glob('*.tmp'))


def test_synanimal_to_animalpose14():
    need(FIXTURES)
    full = SynAnimalDataset(data_root=str(FIXTURES), split='all')
    sub = SynAnimalDataset(data_root=str(FIXTURES), split='all',
                           convert_to='animalpose14')
    assert sub.metainfo['dataset_name'] == 'animalpose14'
    assert sub[0]['keypoints'].shape == (1, 14, 2)
    keep = [0, 1, 3, 4, 5, 6, 8, 9, 10, 11, 14, 15, 16, 17]
    np.testing.assert_allclose(sub[0]['keypoints'][0],
                               full[0]['keypoints'][0][keep])
    assert sub[0]['flip_indices'] == [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10,
                                      13, 12]


def test_synanimal_errors(tmp_path):
    need(FIXTURES, SYN_SPLITS)
    with pytest.raises(ValueError, match='unknown animal'):
        SynAnimalDataset(data_root=str(FIXTURES), animal='zebra')
    # the published horse split (indices up to 9999) on a 2-image copy
    with pytest.raises(ValueError, match='indexes up to 999'):
        SynAnimalDataset(data_root=str(FIXTURES), source='vertices',
                         split_root=str(SYN_SPLITS))
    with pytest.raises(KeyError, match="no entry for 'tiger'"):
        SynAnimalDataset(data_root=str(FIXTURES), animal='tiger',
                         source='cache')
    root = fixture_copy(tmp_path)
    with pytest.raises(FileNotFoundError, match='missing split file'):
        SynAnimalDataset(data_root=str(root), split='valid',
                         source='vertices')
    npy = next((root / 'synthetic_animal').rglob('*kpts.npy'))
    np.save(npy, np.zeros((100, 3)))
    with pytest.raises(ValueError, match=r'expected \(3299, 3\)'):
        SynAnimalDataset(data_root=str(root), split='all', source='vertices')
    cache = root / 'clean_data' / 'keypoints_18.json'
    data = json.loads(cache.read_text())
    data['horse']['keypoints'] = [[[0, 0, 1]] * 17] * 2
    cache.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r'expected \(2, 18, 3\)'):
        SynAnimalDataset(data_root=str(root), split='all', source='cache')


# -------------------------------------------------------------- AnimalPose
def test_animalpose_both_formats_give_the_same_14_keypoints():
    need(AP_ORIGINAL / 'animal-pose' / 'keypoints.json',
         AP_MMPOSE / 'test_animalpose.json')
    orig = AnimalPoseCategoryDataset(data_root=str(AP_ORIGINAL),
                                     categories='cat',
                                     convert_to='animalpose14')
    mm = AnimalPoseCategoryDataset(data_root=str(AP_MMPOSE),
                                   ann_file='test_animalpose.json',
                                   categories=('cat', ),
                                   convert_to='animalpose14')
    assert orig.ann_format == 'original' and mm.ann_format == 'mmpose'
    assert len(orig) == len(mm) == 1
    a, b = orig[0], mm[0]
    assert a['img_path'].endswith('images/ca110.jpeg')
    assert b['img_path'].endswith('animalpose/ca110.jpeg')
    np.testing.assert_array_equal(a['keypoints'], b['keypoints'])
    np.testing.assert_array_equal(a['keypoints_visible'],
                                  b['keypoints_visible'])
    np.testing.assert_array_equal(a['bbox'], b['bbox'])
    assert a['keypoints'].shape == (1, 14, 2)
    # the eyes, then the left-front paw (original index 13)
    np.testing.assert_array_equal(a['keypoints'][0, :3],
                                  [[117, 95], [85, 102], [84, 214]])
    assert int(a['category_id']) == int(b['category_id']) == 2
    assert orig.metainfo['dataset_name'] == 'animalpose14'


def test_animalpose_formats_orders_and_categories():
    need(AP_ORIGINAL / 'animal-pose' / 'keypoints.json',
         AP_MMPOSE / 'test_animalpose.json')
    orig = AnimalPoseCategoryDataset(data_root=str(AP_ORIGINAL))
    mm = AnimalPoseCategoryDataset(data_root=str(AP_MMPOSE),
                                   ann_file='test_animalpose.json')
    assert orig.metainfo['dataset_name'] == 'animalpose_original'
    assert mm.metainfo['dataset_name'] == 'animalpose'  # MMPose's order
    assert [int(d['category_id']) for d in orig] == [2, 4]
    assert [int(d['category_id']) for d in mm] == [2, 4]
    as_orig = AnimalPoseCategoryDataset(data_root=str(AP_MMPOSE),
                                        ann_file='test_animalpose.json',
                                        convert_to='animalpose')
    assert as_orig.metainfo['dataset_name'] == 'animalpose_original'
    for a, b in zip(orig, as_orig):
        np.testing.assert_array_equal(a['keypoints'], b['keypoints'])
    horses = AnimalPoseCategoryDataset(data_root=str(AP_ORIGINAL),
                                       categories=['horse', 'cow'])
    assert len(horses) == 1 and horses[0]['img_path'].endswith('ho105.jpeg')
    reg = DATASETS.build(dict(type='AnimalPoseCategoryDataset',
                              data_root=str(AP_ORIGINAL), categories=4))
    assert len(reg) == 1


def test_animalpose_udape_split_file(tmp_path):
    npy = AP_UDAPE / 'cat' / 'test_anno.npy'
    need(npy)
    anns = np.load(npy, allow_pickle=True)
    # an original-style keypoints.json naming every image of the split
    images = {str(a['image_id']): f'{a["image_id"]}.jpg' for a in anns}
    (tmp_path / 'animal-pose').mkdir()
    (tmp_path / 'animal-pose' / 'keypoints.json').write_text(
        json.dumps(dict(images=images, annotations=[])))
    ds = AnimalPoseCategoryDataset(data_root=str(tmp_path),
                                   ann_file=str(npy),
                                   convert_to='animalpose14')
    assert ds.ann_format == 'udape'
    sub = [0, 1, 13, 14, 15, 16, 9, 10, 11, 12, 5, 6, 7, 8]
    # MMPose drops instances with none of the 14 keypoints annotated
    kept = [a for a in anns
            if np.max(np.asarray(a['keypoints'])[sub, :2]) > 0]
    assert len(ds) == len(kept) == 289
    assert all(int(d['category_id']) == 2 for d in ds)
    first = np.asarray(kept[0]['keypoints'], np.float32)
    np.testing.assert_array_equal(ds[0]['keypoints'][0], first[sub, :2])
    assert ds[0]['img_path'] == str(tmp_path / 'animal-pose' / 'images' /
                                    f'{kept[0]["image_id"]}.jpg')


def test_animalpose_errors(tmp_path):
    need(AP_ORIGINAL / 'animal-pose' / 'keypoints.json',
         AP_MMPOSE / 'test_animalpose.json')
    with pytest.raises(FileNotFoundError, match='missing annotation file'):
        AnimalPoseCategoryDataset(data_root=str(tmp_path))
    with pytest.raises(ValueError, match="unknown category 'zebra'"):
        AnimalPoseCategoryDataset(data_root=str(AP_ORIGINAL),
                                  categories='zebra')
    data = json.loads(
        (AP_ORIGINAL / 'animal-pose' / 'keypoints.json').read_text())
    data['annotations'][1]['keypoints'] = data['annotations'][1][
        'keypoints'][:19]
    bad = tmp_path / 'bad.json'
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r'annotation 1 of .*bad.json has '
                       r'keypoints \(19, 3\)'):
        AnimalPoseCategoryDataset(ann_file=str(bad))
    # an MMPose file whose names do not record the species
    mm = json.loads((AP_MMPOSE / 'test_animalpose.json').read_text())
    mm['images'][0]['file_name'] = 'VOC2012/JPEGImages/2008_000001.jpg'
    voc = tmp_path / 'voc.json'
    voc.write_text(json.dumps(mm))
    assert len(AnimalPoseCategoryDataset(ann_file=str(voc))) == 2
    with pytest.raises(ValueError, match='do not record their species'):
        AnimalPoseCategoryDataset(ann_file=str(voc), categories='cat')
    with pytest.raises(ValueError, match='20 keypoints here but the '
                       'metainfo animalpose14 has 14'):
        AnimalPoseCategoryDataset(
            data_root=str(AP_ORIGINAL),
            metainfo=dict(from_file=metainfo_file('animalpose14')))
    (tmp_path / 'odd.json').write_text(json.dumps({'foo': 1}))
    with pytest.raises(ValueError, match='cannot tell the format'):
        AnimalPoseCategoryDataset(ann_file=str(tmp_path / 'odd.json'))


# ------------------------------------------------- MMPose top-down pipeline
PIPELINE = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=(256, 256)),
    dict(type='GenerateTarget',
         encoder=dict(type='MSRAHeatmap', input_size=(256, 256),
                      heatmap_size=(64, 64), sigma=1)),
    dict(type='PackPoseInputs'),
]


@pytest.mark.parametrize('cfg,num_kpts', [
    (dict(type='TigDogDataset', data_root=str(FIXTURES), split='all'), 18),
    (dict(type='TigDogDataset', data_root=str(FIXTURES), animal='tiger',
          split='all'), 18),
    (dict(type='SynAnimalDataset', data_root=str(FIXTURES), split='all'),
     18),
    (dict(type='SynAnimalDataset', data_root=str(FIXTURES), split='all',
          convert_to='animalpose14'), 14),
    (dict(type='AnimalPoseCategoryDataset', data_root=str(AP_ORIGINAL),
          convert_to='animalpose14'), 14),
    (dict(type='AnimalPoseCategoryDataset', data_root=str(AP_MMPOSE),
          ann_file='test_animalpose.json'), 20),
])
def test_topdown_pipeline(cfg, num_kpts):
    need(FIXTURES, AP_ORIGINAL, AP_MMPOSE)
    ds = DATASETS.build(dict(cfg, pipeline=PIPELINE))
    for i in range(min(2, len(ds))):
        out = ds[i]
        assert tuple(out['inputs'].shape) == (3, 256, 256)
        sample = out['data_samples']
        assert tuple(sample.gt_fields.heatmaps.shape) == (num_kpts, 64, 64)
        weights = sample.gt_instance_labels.keypoint_weights
        assert weights.shape[-1] == num_kpts
        # every visible keypoint inside the crop gets a Gaussian peak of 1
        heat = sample.gt_fields.heatmaps.numpy()
        w = weights.numpy().reshape(-1)
        np.testing.assert_allclose(heat.reshape(num_kpts, -1).max(1)[w > 0],
                                   1.0, atol=1e-5)
        assert sample.metainfo['flip_indices'] == ds.metainfo['flip_indices']
