"""tools/dataset_mean_std.py against pixels read independently (PIL)."""
import glob
import sys

import numpy as np
import pytest
from PIL import Image

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / 'tools'))
import dataset_mean_std  # noqa: E402


def _toy_test_config(tmp_path, toy_data_root):
    """A config whose val dataset is the toy target test split."""
    config = tmp_path / 'cfg.py'
    config.write_text(
        "val_dataloader = dict(dataset=dict(type='CocoDataset', "
        f"data_root='{toy_data_root}target_test/', "
        "ann_file='annotations.json', data_prefix=dict(img='images/'), "
        "metainfo=dict(from_file='configs/_base_/datasets/body16.py'), "
        "test_mode=True, pipeline=[]))\n")
    return config


def test_mean_and_std_of_a_dataset_in_rgb(toy_data_root, tmp_path):
    config = _toy_test_config(tmp_path, toy_data_root)
    mean, std = dataset_mean_std.main(
        [str(config), '--dataset', 'val_dataloader.dataset'])
    pixels = np.concatenate([
        np.asarray(Image.open(p).convert('RGB'), np.float64).reshape(-1, 3)
        for p in sorted(glob.glob(toy_data_root + 'target_test/images/*'))
    ])
    np.testing.assert_allclose(mean, pixels.mean(0), rtol=1e-9)
    np.testing.assert_allclose(std, pixels.std(0), rtol=1e-6)
    assert not np.allclose(mean, mean[::-1])  # the channel order matters


def test_a_key_that_is_not_a_dataset_is_named(tmp_path):
    config = tmp_path / 'cfg.py'
    config.write_text('val_dataloader = dict(batch_size=2)\n')
    with pytest.raises(SystemExit, match=r"val_dataloader\.dataset: the "
                       r"config has no 'dataset' there"):
        dataset_mean_std.main([str(config), '--dataset',
                               'val_dataloader.dataset'])


def test_a_mean_of_the_wrong_length_is_named():
    from mmpose.registry import MODELS
    with pytest.raises(ValueError, match=r'mean must have 1 or 3 values '
                       r'\(one per channel\), got 2: \[120, 110\] '
                       r'\(model\.data_preprocessor\.mean'):
        MODELS.build(dict(type='DomainAdaptationDataPreprocessor',
                          mean=[120, 110], std=[58, 57, 57]))


def test_per_image_average_written_for_the_preprocessor(toy_data_root,
                                                        tmp_path):
    """--per-image: the authors' _compute_mean (each image's mean and std,
    averaged); --out: the JSON that target_mean reads."""
    from mmpose_mlda.models import DomainAdaptationDataPreprocessor
    config = _toy_test_config(tmp_path, toy_data_root)
    out = tmp_path / 'stats.json'
    mean, std = dataset_mean_std.main(
        [str(config), '--dataset', 'val_dataloader.dataset', '--per-image',
         '--out', str(out)])
    images = [
        np.asarray(Image.open(p).convert('RGB'), np.float64).reshape(-1, 3)
        for p in sorted(glob.glob(toy_data_root + 'target_test/images/*'))
    ]
    np.testing.assert_allclose(
        mean, np.mean([i.mean(0) for i in images], axis=0), rtol=1e-9)
    np.testing.assert_allclose(
        std, np.mean([i.std(0, ddof=1) for i in images], axis=0), rtol=1e-6)
    preprocessor = DomainAdaptationDataPreprocessor(
        mean=[0.] * 3, std=[255.] * 3, target_mean=str(out))
    np.testing.assert_allclose(preprocessor.target_mean.flatten().numpy(),
                               mean, rtol=1e-6)
