"""tools/dataset_checks/check_{synanimal,tigdog,animalpose}.py."""
import importlib.util
import json
import shutil

import numpy as np
import pytest

from conftest import REPO_ROOT, SHARED_DATA

FIXTURES = SHARED_DATA / '_format_fixtures' / 'animal_data'
AP_ORIGINAL = SHARED_DATA / 'animalpose' / 'DERIVED' / 'animal-pose'
AP_MMPOSE = (SHARED_DATA / 'animalpose' / 'open-mmlab+mmpose' / 'tests' /
             'data' / 'animalpose')
TIGDOG_SPLITS = (SHARED_DATA / 'tigdog' / 'VisionLearningGroup+'
                 'UDA_PoseEstimation' / 'cached_data')


def tool(name):
    path = REPO_ROOT / 'tools' / 'dataset_checks' / f'{name}.py'
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_fixtures(tmp_path):
    if not FIXTURES.exists():
        pytest.skip(f'format fixtures not found: {FIXTURES}')
    root = tmp_path / 'animal_data'
    shutil.copytree(FIXTURES, root)
    return root


def test_check_tigdog(tmp_path, capsys):
    root = copy_fixtures(tmp_path)
    check = tool('check_tigdog')
    # no split files: one problem per missing file, listed together
    assert check.main([str(root), '--quick']) == 1
    out = capsys.readouterr().out
    assert out.count('missing split file') == 4
    assert 'frames: 3' in out and 'frames: 2' in out
    for animal, n in (('horse', 3), ('tiger', 2)):
        d = root / 'real_animal' / animal
        d.mkdir(parents=True)
        np.save(d / 'train_idxs_by_video.npy', np.arange(n - 1))
        np.save(d / 'valid_idxs_by_video.npy', np.array([n - 1]))
    assert check.main([str(root)]) == 0
    assert 'OK: no problems found' in capsys.readouterr().out
    # a missing frame, an overlapping split, and the published (too long)
    # tiger split are all reported in one run
    (root / 'behaviorDiscovery2.0' / 'horse' / '00000101.jpg').unlink()
    np.save(root / 'real_animal' / 'horse' / 'valid_idxs_by_video.npy',
            np.array([0, 2]))
    if TIGDOG_SPLITS.exists():
        shutil.copy(TIGDOG_SPLITS / 'real_animal' / 'tiger' /
                    'train_idxs_by_video.npy',
                    root / 'real_animal' / 'tiger')
    assert check.main([str(root), '--quick']) == 1
    out = capsys.readouterr().out
    assert '1 frame(s) missing or unreadable' in out
    assert 'share 1 frames' in out
    if TIGDOG_SPLITS.exists():
        assert 'indexes up to 16516 but the frame list has 2' in out


def test_check_synanimal_builds_the_cache(tmp_path, capsys):
    root = copy_fixtures(tmp_path)
    check = tool('check_synanimal')
    cache = root / 'clean_data' / 'keypoints_18.json'
    cache.unlink()
    assert check.main([str(root), '--quick', '--build-cache']) == 1
    out = capsys.readouterr().out
    assert out.count('missing split file') == 2
    assert not cache.exists()  # not built from an incomplete copy
    folder = root / 'synthetic_animal' / 'horse_combineds5r5_texture'
    np.save(folder / 'train_idxs.npy', np.array([1]))
    np.save(folder / 'valid_idxs.npy', np.array([0]))
    assert check.main([str(root), '--build-cache']) == 0
    data = json.loads(cache.read_text())
    assert data['horse']['train_idxs'] == [1]
    assert data['horse']['valid_idxs'] == [0]
    assert len(data['horse']['keypoints']) == 2
    assert 'OK' in capsys.readouterr().out
    # a changed split makes the cache stale; the rebuild fixes it
    np.save(folder / 'train_idxs.npy', np.array([0]))
    np.save(folder / 'valid_idxs.npy', np.array([1]))
    assert check.main([str(root), '--animal', 'horse']) == 1
    assert 'differs from the split file' in capsys.readouterr().out
    assert check.main([str(root), '--build-cache']) == 0
    assert json.loads(cache.read_text())['horse']['train_idxs'] == [0]
    # a broken vertex file and a missing image: both reported, no rebuild
    npy = sorted(folder.glob('*kpts.npy'))[0]
    np.save(npy, np.zeros((10, 3)))
    sorted(folder.glob('*img.png'))[1].unlink()
    before = cache.read_text()
    assert check.main([str(root), '--build-cache', '--quick']) == 1
    out = capsys.readouterr().out
    assert 'malformed vertex file' in out
    assert 'without their <stem>kpts.npy' not in out
    assert cache.read_text() == before


def test_check_animalpose(tmp_path, capsys):
    if not AP_ORIGINAL.exists() or not AP_MMPOSE.exists():
        pytest.skip('Animal-Pose samples not found')
    check = tool('check_animalpose')
    assert check.main([str(AP_ORIGINAL / 'keypoints.json')]) == 0
    out = capsys.readouterr().out
    assert "per_category: {'cat': 1, 'horse': 1}" in out
    assert check.main([str(AP_MMPOSE / 'test_animalpose.json')]) == 0
    assert 'format: mmpose' in capsys.readouterr().out
    # every kind of problem in one run
    data = json.loads((AP_ORIGINAL / 'keypoints.json').read_text())
    data['annotations'] += [
        dict(data['annotations'][0], keypoints=[[0, 0, 0]] * 19),
        dict(data['annotations'][0], category_id=9),
        dict(data['annotations'][0], image_id=1),
        dict(data['annotations'][0], bbox=[10, 10, 5, 500]),
    ]
    data['annotations'][0]['keypoints'][0] = [900, 95, 1]
    shutil.copytree(AP_ORIGINAL / 'images', tmp_path / 'images')
    (tmp_path / 'images' / 'ho105.jpeg').unlink()
    bad = tmp_path / 'keypoints.json'
    bad.write_text(json.dumps(data))
    assert check.main([str(bad)]) == 1
    out = capsys.readouterr().out
    for message in ('with the wrong shape', 'category_id outside',
                    'refer to unlisted images', 'missing or unreadable',
                    'out-of-image box', 'visible keypoints more than'):
        assert message in out, message
    assert check.main([str(tmp_path / 'nope.json')]) == 1
    assert 'missing annotation file' in capsys.readouterr().out
