"""The cheaper paths of the benchmark give what the plain paths give (their
speed is measured by tools/profile_iteration.py, never here)."""
import glob

import numpy as np
import pytest
from mmpose.datasets.transforms import LoadImage

from mmpose_mlda.datasets.transforms import CachedLoadImage


@pytest.fixture()
def toy_images(toy_data_root):
    return sorted(glob.glob(toy_data_root + 'target_test/images/*'))[:4]


@pytest.mark.parametrize('options', [dict(), dict(to_float32=True)])
def test_cached_load_image_returns_what_load_image_reads(toy_images,
                                                         options):
    plain, cached = LoadImage(**options), CachedLoadImage(**options)
    for _ in range(2):  # decoded, then from memory
        for path in toy_images:
            expected = plain(dict(img_path=path))
            got = cached(dict(img_path=path))
            assert got['img'].dtype == expected['img'].dtype
            np.testing.assert_array_equal(got['img'], expected['img'])
            assert got['img_shape'] == expected['img_shape']
            assert got['ori_shape'] == expected['ori_shape']
    assert cached.cached_bytes == sum(
        plain(dict(img_path=p))['img'].nbytes for p in toy_images)


def test_cached_images_are_copies_and_the_budget_holds(toy_images):
    cached = CachedLoadImage()
    first = cached(dict(img_path=toy_images[0]))['img']
    first[:] = 0  # a later transform writing in place
    again = cached(dict(img_path=toy_images[0]))['img']
    np.testing.assert_array_equal(
        again, LoadImage()(dict(img_path=toy_images[0]))['img'])
    assert again.any()

    budget = CachedLoadImage(max_megabytes=first.nbytes * 1.5 / 2**20)
    for path in toy_images:
        budget(dict(img_path=path))
    assert budget.cached_bytes == first.nbytes  # only one fits
    with pytest.raises(ValueError, match='max_megabytes'):
        CachedLoadImage(max_megabytes=-1)
