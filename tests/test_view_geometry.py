"""Weak/strong views: recorded geometry, heatmap warping, joint order."""
import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmpose.datasets.datasets.utils import parse_pose_metainfo

from mmpose_mlda.datasets.toy_figures import render_figure
from mmpose_mlda.models.pseudo_labels import WeakViewFrame
from mmpose_mlda.models.pseudo_labels.consistency_frames import view_metainfo
from mmpose_mlda.models.utils import (heatmap_peaks, heatmap_view_transform,
                                      match_joint_order,
                                      occlude_points, render_gaussians,
                                      warp_heatmaps)

INPUT = (128, 128)
CODEC = dict(
    type='MSRAHeatmap', input_size=INPUT, heatmap_size=(32, 32), sigma=2)
META = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/mpii.py'))
BRANCHES = ['source', 'target_weak', 'target_strong']
META_KEYS = ('img_shape', 'input_size', 'input_center', 'input_scale',
             'flip', 'flip_indices', 'view_affine', 'view_joint_order')


def _sample(seed):
    image, keypoints, _ = render_figure(np.random.default_rng(seed), 96,
                                        'target')
    joints = keypoints[:, :2]
    x0, y0 = joints.min(0) - 4
    x1, y1 = joints.max(0) + 4
    return dict(
        img=image,
        img_shape=image.shape[:2],
        ori_shape=image.shape[:2],
        bbox=np.array([[x0, y0, x1, y1]], dtype=np.float32),
        bbox_score=np.ones(1, dtype=np.float32),
        keypoints=joints[None].astype(np.float32),
        keypoints_visible=np.ones((1, 16), dtype=np.float32),
        flip_indices=META['flip_indices'])


def _view(flip, rotate):
    """A view pipeline; GenerateTarget renders the true keypoints so the
    test can compare views (the model never does this on target data)."""
    pipeline = []
    if flip:
        pipeline.append(dict(type='RandomFlip', prob=1.0))
    pipeline += [
        dict(
            type='RandomBBoxTransform',
            shift_prob=1.0,
            scale_prob=1.0,
            rotate_prob=1.0 if rotate else 0.0,
            rotate_factor=60),
        dict(type='TopdownAffine', input_size=INPUT),
        dict(type='RecordViewGeometry'),
        dict(type='PackPoseInputs', meta_keys=META_KEYS, pack_transformed=True),
    ]
    return pipeline


def _heatmaps_at(sample):
    """Gaussians at MMPose's sub-pixel keypoints of this view (input
    pixels / 4), in this view's channel order: an independent reference."""
    xy = torch.as_tensor(sample.gt_instances.transformed_keypoints) / 4
    return render_gaussians(xy.float(), (32, 32), sigma=2.0), xy


@pytest.mark.parametrize('weak_flip,strong_flip', [(False, False),
                                                  (False, True),
                                                  (True, True)])
def test_strong_heatmaps_warp_onto_weak_keypoints(weak_flip, strong_flip):
    np.random.seed(0)
    pipeline = Compose([
        dict(type='GetBBoxCenterScale'),
        dict(
            type='PoseMultiBranch',
            branch_field=BRANCHES,
            target_weak=_view(weak_flip, rotate=False),
            target_strong=_view(strong_flip, rotate=True)),
    ])
    checked = 0
    for seed in range(6):
        packed = pipeline(_sample(seed))
        assert packed['inputs']['source'] is None
        weak = packed['data_samples']['target_weak']
        strong = packed['data_samples']['target_strong']
        strong_hm, _ = _heatmaps_at(strong)
        warped, inside = WeakViewFrame().student_heatmaps(
            strong_hm, [strong], [[weak]], input_hw=INPUT)
        _, weak_xy = _heatmaps_at(weak)
        # joints whose Gaussian lies fully inside both views
        strong_xy = torch.as_tensor(
            strong.gt_instances.transformed_keypoints) / 4
        usable = ((weak_xy > 6) & (weak_xy < 25)).all(-1)
        usable &= match_joint_order(
            ((strong_xy > 6) & (strong_xy < 25)).all(-1).float()[..., None,
                                                                 None],
            torch.as_tensor(strong.metainfo['view_joint_order'])[None],
            torch.as_tensor(weak.metainfo['view_joint_order'])[None])[...,
                                                                     0, 0] > 0
        # 1. the geometry itself: strong keypoints mapped through the
        # recorded affines land exactly on MMPose's weak keypoints
        weak_affine = torch.as_tensor(
            view_metainfo([weak], 'view_affine')).float()
        strong_affine = torch.as_tensor(
            view_metainfo([strong], 'view_affine')).float()
        weak_order = torch.as_tensor(view_metainfo([weak], 'view_joint_order'))
        strong_order = torch.as_tensor(
            view_metainfo([strong], 'view_joint_order'))
        strong_to_weak = heatmap_view_transform(strong_affine, weak_affine,
                                                INPUT, (32, 32))[0]
        mapped = torch.cat([strong_xy[0], torch.ones(16, 1)], 1) @ strong_to_weak.T
        channel_of_joint = torch.argsort(strong_order[0])
        mapped = mapped[channel_of_joint[weak_order[0]], :2]
        torch.testing.assert_close(mapped, weak_xy[0], atol=1e-3, rtol=0)
        # 2. the warped heatmaps peak on those keypoints: bilinear resampling
        # peaks at the image of a strong-grid node, so up to half a strong
        # pixel (x zoom <= 2) plus half a weak pixel away; a wrong flip,
        # order or affine would be many pixels off
        warped_xy, _ = heatmap_peaks(warped)
        error = (warped_xy - weak_xy).abs().max(-1).values[usable]
        assert error.numel() > 0
        assert error.max() <= 1.5, error
        checked += error.numel()
        assert inside.shape == (1, 1, 32, 32)
    assert checked >= 30


def test_flip_records_left_right_order():
    pipeline = Compose([
        dict(type='GetBBoxCenterScale'),
        dict(type='RandomFlip', prob=1.0),
        dict(type='TopdownAffine', input_size=INPUT),
        dict(type='RecordViewGeometry'),
    ])
    sample = _sample(0)
    original = sample['keypoints'][0].copy()
    results = pipeline(sample)
    order = results['view_joint_order']
    np.testing.assert_array_equal(order, META['flip_indices'])
    # view_affine maps original joint order[c] to channel c's position
    homogeneous = np.concatenate([original, np.ones((16, 1))], 1)
    mapped = homogeneous @ results['view_affine'].T
    np.testing.assert_allclose(
        mapped[order, :2], results['transformed_keypoints'][0], atol=1e-3)


def test_record_view_geometry_needs_topdown_affine():
    pipeline = Compose([dict(type='RecordViewGeometry')])
    with pytest.raises(KeyError, match='after TopdownAffine'):
        pipeline(_sample(0))


def test_multi_branch_rejects_unknown_branch():
    with pytest.raises(ValueError, match='not in branch_field'):
        Compose([dict(type='PoseMultiBranch', branch_field=['a'], b=[])])


def test_identity_warp_and_mask():
    heatmaps = torch.rand(2, 3, 8, 8)
    warped, inside = warp_heatmaps(heatmaps, torch.eye(3).expand(2, 3, 3))
    torch.testing.assert_close(warped, heatmaps)
    assert inside.min() == 1
    shift = torch.eye(3).repeat(2, 1, 1)
    shift[:, 0, 2] = 2.0  # source x -> x + 2 in the destination
    warped, inside = warp_heatmaps(heatmaps, shift)
    torch.testing.assert_close(warped[..., 2:], heatmaps[..., :-2])
    assert inside[..., :2].sum() == 0 and inside[..., 2:].min() == 1


def test_match_joint_order_inverts_a_flip():
    heatmaps = torch.arange(4.).view(1, 4, 1, 1).expand(1, 4, 2, 2)
    flipped_order = torch.tensor([[1, 0, 3, 2]])
    identity = torch.arange(4)[None]
    out = match_joint_order(heatmaps, flipped_order, identity)
    assert out[0, :, 0, 0].tolist() == [1., 0., 3., 2.]


def test_render_gaussians_peaks_where_asked():
    centers = torch.tensor([[[3., 5.], [10., 2.]]])
    heatmaps = render_gaussians(centers, (16, 12), sigma=1.0)
    xy, peak = heatmap_peaks(heatmaps)
    torch.testing.assert_close(xy, centers)
    torch.testing.assert_close(peak, torch.ones(1, 2))


def test_occlude_points_covers_only_selected_squares():
    images = torch.arange(2 * 16 * 16, dtype=torch.float).view(2, 1, 16, 16)
    points = torch.tensor([[[8., 8.]], [[4., 4.]]])
    selected = torch.tensor([[True], [False]])
    out = occlude_points(images, points, selected, half_size=2, shift=(5, 5))
    changed = out != images
    assert changed[1].sum() == 0
    assert changed[0, 0, 6:11, 6:11].all()
    assert changed[0].sum() == 25
