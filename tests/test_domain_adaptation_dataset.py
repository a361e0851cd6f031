import copy
import itertools
import json
import sys
from pathlib import Path

import pytest

try:
    import mmpose_mlda  # noqa: F401  (must precede mmpose)
except ModuleNotFoundError:  # run without the repo root on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import mmpose_mlda  # noqa: F401

from mmpose.datasets import CocoDataset  # noqa: E402
from mmpose.registry import DATASETS  # noqa: E402

from mmpose_mlda.datasets.domain_adaptation_dataset import \
    DomainAdaptationDataset  # noqa: E402
from mmpose_mlda.datasets.samplers import TwoDomainSampler  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / 'shared' / 'data'
COCO_ROOT = DATA / 'coco' / 'open-mmlab+mmpose' / 'tests' / 'data' / 'coco'
MPII_ROOT = DATA / 'mpii' / 'open-mmlab+mmpose' / 'tests' / 'data' / 'mpii'

pytestmark = pytest.mark.skipif(
    not (COCO_ROOT / 'test_coco.json').is_file()
    or not (MPII_ROOT / 'test_mpii.json').is_file(),
    reason=f'MMPose sample data not found under {DATA}')

COCO_SIZE = 12  # valid top-down instances in test_coco.json


def coco_cfg(**kwargs):
    cfg = dict(type='CocoDataset',
               data_root=str(COCO_ROOT),
               ann_file='test_coco.json',
               data_prefix=dict(img=''),
               pipeline=[],
               test_mode=False)
    cfg.update(kwargs)
    return cfg


def mpii_cfg(**kwargs):
    cfg = dict(type='MpiiDataset',
               data_root=str(MPII_ROOT),
               ann_file='test_mpii.json',
               data_prefix=dict(img=''),
               pipeline=[],
               test_mode=False)
    cfg.update(kwargs)
    return cfg


def test_index_layout_sizes_and_metainfo():
    target_indices = [2, 3, 4]
    ds = DomainAdaptationDataset(source=coco_cfg(),
                                 target=coco_cfg(indices=target_indices))
    full = CocoDataset(**{k: v for k, v in coco_cfg().items() if k != 'type'})
    assert ds.source_size == COCO_SIZE == len(full)
    assert ds.target_size == 3
    assert len(ds) == COCO_SIZE + 3
    assert ds.cumulative_sizes == [COCO_SIZE, COCO_SIZE + 3]

    for i in range(COCO_SIZE):
        assert ds.get_data_info(i)['id'] == full.get_data_info(i)['id']
        assert ds[i]['id'] == full[i]['id']
        assert ds.domain_of(i) == 'source'
    for j, k in enumerate(target_indices):
        assert ds.get_data_info(COCO_SIZE + j)['id'] == \
            full.get_data_info(k)['id']
        assert ds[COCO_SIZE + j]['id'] == full[k]['id']
        assert ds.domain_of(COCO_SIZE + j) == 'target'
    assert ds[-1]['id'] == full[target_indices[-1]]['id']
    with pytest.raises(IndexError):
        ds[len(ds)]

    meta = ds.metainfo
    assert meta['dataset_name'] == 'coco'
    assert meta['num_keypoints'] == 17
    meta['num_keypoints'] = 0  # a copy: the dataset is not changed
    assert ds.metainfo['num_keypoints'] == 17


def test_registry_build_with_instances_and_lazy_init():
    src = DATASETS.build(coco_cfg())
    tgt = DATASETS.build(coco_cfg(lazy_init=True))
    ds = DATASETS.build(
        dict(type='DomainAdaptationDataset',
             source=src,
             target=tgt,
             lazy_init=True))
    assert isinstance(ds, DomainAdaptationDataset)
    assert ds.source is src and ds.target is tgt
    assert not ds._fully_initialized
    ds.full_init()
    assert ds._fully_initialized and tgt._fully_initialized
    assert (ds.source_size, ds.target_size) == (COCO_SIZE, COCO_SIZE)
    ds.full_init()  # idempotent


def test_works_with_two_domain_sampler():
    ds = DomainAdaptationDataset(source=coco_cfg(indices=[0, 1, 2, 3, 4]),
                                 target=coco_cfg(indices=[5, 6, 7]))
    s = TwoDomainSampler(ds, batch_size=4, num_source=3, seed=0)
    it = iter(s)
    for _ in range(10):
        batch = list(itertools.islice(it, 4))
        assert [ds.domain_of(i) for i in batch] == ['source'] * 3 + ['target']
        assert ds[batch[-1]]['id'] in {
            ds.target.get_data_info(k)['id']
            for k in range(3)
        }


@pytest.mark.parametrize('role', ['source', 'target'])
def test_missing_data_root(role, tmp_path):
    missing = tmp_path / 'no_such_dir'
    cfgs = dict(source=coco_cfg(), target=coco_cfg())
    cfgs[role] = coco_cfg(data_root=str(missing))
    with pytest.raises(FileNotFoundError) as err:
        DomainAdaptationDataset(**cfgs)
    msg = str(err.value)
    assert f'{role}.data_root' in msg
    assert str(missing) in msg
    assert 'does not exist' in msg


@pytest.mark.parametrize('role', ['source', 'target'])
def test_empty_data_root(role, tmp_path):
    empty = tmp_path / 'empty'
    empty.mkdir()
    cfgs = dict(source=coco_cfg(), target=coco_cfg())
    cfgs[role] = coco_cfg(data_root=str(empty))
    with pytest.raises(FileNotFoundError) as err:
        DomainAdaptationDataset(**cfgs)
    msg = str(err.value)
    assert f'{role}.data_root' in msg
    assert str(empty) in msg
    assert 'exists but is empty' in msg


def test_missing_ann_file():
    with pytest.raises(FileNotFoundError) as err:
        DomainAdaptationDataset(
            source=coco_cfg(),
            target=coco_cfg(ann_file='missing_annotations.json'))
    msg = str(err.value)
    assert 'target.ann_file' in msg
    assert 'missing_annotations.json' in msg


def test_mismatched_keypoints_coco_vs_mpii():
    with pytest.raises(ValueError) as err:
        DomainAdaptationDataset(source=coco_cfg(), target=mpii_cfg())
    msg = str(err.value)
    assert 'do not match' in msg
    assert 'CocoDataset' in msg and 'MpiiDataset' in msg
    assert 'test_coco.json' in msg and 'test_mpii.json' in msg
    assert 'source has 17 keypoints, target has 16' in msg
    assert "index 0 (source 'nose' vs target 'right_ankle')" in msg
    assert 'KeypointConverter' in msg
    assert 'metainfo' in msg


def test_mismatched_keypoint_names_and_flip_indices():
    tgt = DATASETS.build(coco_cfg())
    tgt._metainfo = copy.deepcopy(tgt._metainfo)
    tgt._metainfo['keypoint_id2name'][5] = 'left_wing'
    with pytest.raises(ValueError,
                       match=r"names differ; first differing "
                       r"keypoint index 5: source 'left_shoulder' vs target "
                       r"'left_wing'.*KeypointConverter"):
        DomainAdaptationDataset(source=coco_cfg(), target=tgt)

    tgt = DATASETS.build(coco_cfg())
    flip = list(tgt._metainfo['flip_indices'])
    flip[3], flip[4] = 3, 4  # ears no longer swap
    tgt._metainfo['flip_indices'] = flip
    with pytest.raises(ValueError,
                       match='flip_indices differ; first '
                       'differing keypoint index 3: source 4 vs target 3'):
        DomainAdaptationDataset(source=coco_cfg(), target=tgt)


def _coco_without_annotations(tmp_path):
    data = json.loads((COCO_ROOT / 'test_coco.json').read_text())
    data['annotations'] = []
    (tmp_path / 'unlabelled.json').write_text(json.dumps(data))
    return coco_cfg(data_root=str(tmp_path), ann_file='unlabelled.json')


def test_empty_target(tmp_path):
    with pytest.raises(ValueError) as err:
        DomainAdaptationDataset(source=coco_cfg(),
                                target=_coco_without_annotations(tmp_path))
    msg = str(err.value)
    assert 'The target dataset is empty after loading' in msg
    assert 'unlabelled.json' in msg
    assert str(tmp_path) in msg
    assert '0 samples' in msg


def test_empty_source_lazy_init(tmp_path):
    ds = DomainAdaptationDataset(source=_coco_without_annotations(tmp_path),
                                 target=coco_cfg(),
                                 lazy_init=True)
    with pytest.raises(ValueError, match='The source dataset is empty'):
        ds.full_init()


def test_invalid_sub_dataset_type():
    with pytest.raises(TypeError, match='`target` must be a dataset config'):
        DomainAdaptationDataset(source=coco_cfg(), target=[1, 2, 3])
