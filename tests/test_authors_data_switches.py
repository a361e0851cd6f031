"""The authors' data-side switches (issue 21): their random resized crop,
their SynAnimal augmentation, per-domain normalisation and combined-category
model selection, each checked against a reference written here from their
code (``sunshinglight/DAML_PoseEstimation``), not against our own helpers."""
import math

import numpy as np
import pytest
from mmpose.datasets.transforms import GetBBoxCenterScale, TopdownAffine

from mmpose_mlda.datasets.transforms import (RandomSquareCropInBox,
                                             SyntheticAnimalAugmentation)


def _their_resize_pad_keypoints(points, width, height, size):
    """Their ``resize_pad``: the longer side to ``size``, centred padding."""
    points = np.array(points, np.float64)
    if width < height:
        out_w = int(size * width / height)
        points = points * size / height
        points[:, 0] += (size - out_w) / 2
    else:
        out_h = int(size * height / width)
        points = points * size / width
        points[:, 1] += (size - out_h) / 2
    return points


def _crop_then_affine(image_hw, bbox, keypoints, left, top, side):
    """Our pipeline with the crop's draw fixed to (left, top, side)."""
    crop = RandomSquareCropInBox(canvas=256)
    crop.draw = lambda: (left, top, side)
    results = dict(
        img=np.zeros(image_hw + (3, ), np.uint8),
        bbox=np.array([bbox], np.float32),
        keypoints=np.array([keypoints], np.float32),
        keypoints_visible=np.ones((1, len(keypoints)), np.float32))
    results = GetBBoxCenterScale()(results)
    results = crop(results)
    results = TopdownAffine(input_size=(256, 256))(results)
    return results['transformed_keypoints'][0]


@pytest.mark.parametrize('image_hw', [(180, 120), (120, 200)])
def test_square_crop_maps_keypoints_as_their_resized_crop(image_hw):
    """ResizePad to 256, crop (left, top, side) of the canvas, resize to
    256: their keypoints, through GetBBoxCenterScale (the LSP whole-image
    box, stored for its 1.25 padding), our crop and TopdownAffine."""
    height, width = image_hw
    box_w, box_h = width / 1.25, height / 1.25
    bbox = [(width - box_w) / 2, (height - box_h) / 2,
            (width + box_w) / 2, (height + box_h) / 2]
    keypoints = [[10.0, 20.0], [width / 2, height / 3], [width - 5, 7.0]]
    for left, top, side in [(0, 0, 256), (37, 5, 219), (10, 52, 198)]:
        ours = _crop_then_affine(image_hw, bbox, keypoints, left, top, side)
        canvas = _their_resize_pad_keypoints(keypoints, width, height, 256)
        theirs = (canvas - [left, top]) * 256 / side
        # their resize to a whole number of pixels moves the padding by up
        # to half a canvas pixel; MMPose's warp is exact
        np.testing.assert_allclose(ours, theirs, atol=0.5 * 256 / side)


def test_square_crop_draws_stay_inside_and_follow_their_distribution():
    """Their get_params: area U(0.6, 1.3) of the canvas, kept when the side
    fits (so the area is U(0.6, 1) in effect), position uniform over the
    free room; never outside the canvas."""
    np.random.seed(0)
    crop = RandomSquareCropInBox(area=(0.6, 1.3), canvas=256)
    draws = np.array([crop.draw() for _ in range(4000)], np.float64)
    left, top, side = draws.T
    assert (left >= 0).all() and (top >= 0).all()
    assert (left + side <= 256).all() and (top + side <= 256).all()
    area = (side / 256)**2
    assert area.min() >= 0.59 and area.max() <= 1.0
    assert abs(area.mean() - 0.8) < 0.01  # uniform on (0.6, 1)
    free = 256 - side
    placed = free > 20
    assert abs((left[placed] / free[placed]).mean() - 0.5) < 0.02
    assert abs((top[placed] / free[placed]).mean() - 0.5) < 0.02


def test_square_crop_falls_back_to_the_whole_canvas():
    np.random.seed(0)
    crop = RandomSquareCropInBox(area=(1.1, 1.3), canvas=256)
    assert {crop.draw() for _ in range(20)} == {(0, 0, 256)}


@pytest.mark.parametrize('bad', [dict(area=(0.0, 1.0)), dict(area=(1.0, 0.5)),
                                 dict(canvas=0), dict(max_attempts=0)])
def test_square_crop_refuses_bad_options(bad):
    with pytest.raises(ValueError, match='RandomSquareCropInBox'):
        RandomSquareCropInBox(**bad)


def test_square_crop_whole_canvas_is_the_box_crop():
    """The fallback crop is exactly TopdownAffine's own square crop."""
    bbox = [10.0, 20.0, 90.0, 140.0]
    keypoints = [[30.0, 40.0], [80.0, 130.0]]
    ours = _crop_then_affine((160, 100), bbox, keypoints, 0, 0, 256)
    results = GetBBoxCenterScale()(dict(
        img=np.zeros((160, 100, 3), np.uint8),
        bbox=np.array([bbox], np.float32),
        keypoints=np.array([keypoints], np.float32),
        keypoints_visible=np.ones((1, 2), np.float32)))
    plain = TopdownAffine(input_size=(256, 256))(results)
    np.testing.assert_allclose(ours, plain['transformed_keypoints'][0],
                               atol=1e-4)


# --------------------------------------------------------------------------
# their SynAnimal source augmentation (CC-SSL's imgaug sequence)


def _only(step, **options):
    """The augmentation with only ``step`` switched on, always applied."""
    augment = SyntheticAnimalAugmentation(prob=1.0, **options)
    augment.STEPS = (step, )
    return augment


@pytest.mark.parametrize('scale, translate, rotate, shear, expected', [
    # scikit-image's AffineTransform about the centre (cx, cy) = (49.5,
    # 29.5), worked by hand for the point (cx + 10, cy + 4):
    ((2.0, 0.5), (6, -3), 0.0, 0.0, (49.5 + 20 + 6, 29.5 + 2 - 3)),
    ((1.0, 1.0), (0, 0), 90.0, 0.0, (49.5 - 4, 29.5 + 10)),
    ((1.0, 1.0), (0, 0), 0.0, 30.0, (49.5 + 10 - 4 * 0.5,
                                     29.5 + 4 * math.cos(math.pi / 6))),
])
def test_their_affine_matrix_by_hand(scale, translate, rotate, shear,
                                     expected):
    matrix = SyntheticAnimalAugmentation.affine_matrix(
        100, 60, scale, translate, rotate, shear)
    moved = matrix @ np.array([49.5 + 10, 29.5 + 4, 1.0])
    np.testing.assert_allclose(moved[:2], expected, atol=1e-9)


def test_the_image_and_its_keypoints_move_together():
    """A bright dot drawn at each keypoint ends where the keypoint does; a
    keypoint pushed out of the image turns invisible."""
    np.random.seed(3)
    augment = _only('affine')
    for _ in range(20):
        image = np.zeros((60, 100, 3), np.uint8)
        points = np.array([[30.0, 20.0], [70.0, 40.0], [99.0, 59.0]])
        for x, y in points[:2]:
            image[int(y) - 1:int(y) + 2, int(x) - 1:int(x) + 2] = 255
        results = augment(dict(
            img=image, keypoints=points[None].astype(np.float32),
            keypoints_visible=np.ones((1, 3), np.float32)))
        out, moved = results['img'], results['keypoints'][0]
        visible = results['keypoints_visible'][0]
        for k in range(2):
            x, y = moved[k]
            inside = 2 <= x < 98 and 2 <= y < 58
            assert visible[k] == (1.0 if 0 <= x <= 100 and 0 <= y <= 60
                                  else 0.0)
            if inside:
                patch = out[int(round(y)) - 2:int(round(y)) + 3,
                            int(round(x)) - 2:int(round(x)) + 3]
                # the fill colour is random: the dot is white in every channel
                assert (patch.min(axis=2) > 100).any(), (x, y)


def test_noise_std_and_channel_sharing():
    np.random.seed(0)
    augment = _only('noise', noise_std=20.0)
    shared = 0
    for _ in range(200):
        out = augment(dict(img=np.full((16, 16, 3), 128, np.uint8)))['img']
        diff = out.astype(np.float64) - 128
        assert 15 < diff.std() < 25
        shared += bool((out[..., 0] == out[..., 1]).all() and
                       (out[..., 1] == out[..., 2]).all())
    assert 70 < shared < 130  # per channel with p 0.5


def test_contrast_about_128_within_its_range():
    np.random.seed(0)
    augment = _only('contrast')
    image = np.tile(np.array([28, 78, 178, 228], np.uint8)[:, None, None],
                    (1, 4, 3))
    for _ in range(100):
        out = augment(dict(img=image.copy()))['img'].astype(np.float64)
        factor = (out[1] - 128) / (78 - 128)  # rows of v = 78: no clipping
        assert (factor >= 0.5 - 0.02).all() and (factor <= 2.0 + 0.02).all()
        np.testing.assert_allclose(out[1], np.round(128 + factor * -50),
                                   atol=1e-9)


def test_each_augmenter_at_its_rate_in_a_random_order():
    np.random.seed(0)
    augment = SyntheticAnimalAugmentation()
    calls = []
    for step in augment.STEPS:
        setattr(augment, '_' + step,
                lambda results, step=step: calls[-1].append(step))
    for _ in range(2000):
        calls.append([])
        augment(dict(img=np.zeros((4, 4, 3), np.uint8)))
    for step in augment.STEPS:
        rate = np.mean([step in c for c in calls])
        assert abs(rate - 0.5) < 0.04, (step, rate)
    orders = {tuple(c) for c in calls if len(c) == 4}
    assert len(orders) > 12  # of 24 permutations


@pytest.mark.parametrize('bad', [dict(prob=1.5), dict(scale=(1.5, 0.5)),
                                 dict(contrast=(2.0,)),
                                 dict(per_channel_prob=-0.1)])
def test_synthetic_animal_augmentation_refuses_bad_options(bad):
    with pytest.raises(ValueError, match='SyntheticAnimalAugmentation: '):
        SyntheticAnimalAugmentation(**bad)
