"""PoseDA global position alignment: statistics matching and intrinsics."""
import math

import torch

from mmpose_mlda.models.lifting import GlobalPositionAlignment
from mmpose_mlda.models.lifting.camera_utils import (camera_tensors,
                                                     normalize_screen, project)
from mmpose_mlda.models.lifting.global_position_alignment import \
    root_position_and_scale


def _random_poses(n, gen, depth=(4.0, 6.0), lateral=1.0):
    """(n, 1, 17, 3) camera-frame poses: a random stick figure."""
    rel = torch.randn(n, 1, 17, 3, generator=gen) * torch.tensor(
        [0.2, 0.45, 0.15])
    rel = rel - rel[:, :, :1]
    z = torch.empty(n).uniform_(*depth, generator=gen)
    xy = torch.empty(n, 2).uniform_(-lateral, lateral, generator=gen)
    return rel + torch.cat([xy, z[:, None]], 1)[:, None, None]


def test_projection_intrinsics_order():
    """u = f_x X / Z + c_x: f scales, c shifts (the published snippet
    swaps them)."""
    pts = torch.tensor([[[1.0, 0.5, 4.0]]])  # B=1, 1 point
    f = torch.tensor([[1000., 1200.]])
    c = torch.tensor([[300., 200.]])
    uv = project(pts, f, c)
    assert torch.allclose(uv, torch.tensor([[[550., 350.]]]))
    # swapped roles would give 300 * 0.25 + 1000 = 1075
    assert not torch.allclose(uv[..., 0], torch.tensor(1075.))
    cams = camera_tensors([dict(f=[[1000.], [1200.]], c=[[300.], [200.]],
                                w=640, h=480)], ['x'])
    assert cams['f'].tolist() == [[1000., 1200.]]
    assert cams['c'].tolist() == [[300., 200.]]
    assert cams['wh'].tolist() == [[640., 480.]]


def test_gpa_per_sample_intrinsics_exact():
    """Each sample lands at ITS desired position with ITS own camera."""
    gen = torch.Generator().manual_seed(0)
    poses = _random_poses(3, gen)
    f = torch.tensor([[1145., 1145.], [1500., 1490.], [800., 820.]])
    c = torch.tensor([[512., 515.], [1020., 1040.], [330., 250.]])
    wh = torch.tensor([[1000., 1000.], [2048., 2048.], [640., 480.]])
    t_root = torch.tensor([[0.3, -0.2], [-0.5, 0.4], [0.1, 0.1]])
    t_scale = torch.tensor([0.15, 0.3, 0.2])
    out = GlobalPositionAlignment()(poses, f, c, wh, t_root, t_scale)
    kn = normalize_screen(project(out['poses_3d'], f, c), wh)
    root, scale = root_position_and_scale(kn)
    assert torch.allclose(root, t_root, atol=1e-4)
    assert torch.allclose(scale, t_scale, rtol=5e-3)
    assert torch.allclose(out['keypoints_norm'], kn)
    # translation only: the root-relative pose is unchanged
    rel_in = poses - poses[:, :, :1]
    rel_out = out['poses_3d'] - out['poses_3d'][:, :, :1]
    assert torch.allclose(rel_in, rel_out, atol=1e-5)
    # using the first sample's focal length for all breaks samples 1, 2
    wrong = GlobalPositionAlignment()(poses, f[:1].expand(3, 2), c, wh,
                                      t_root, t_scale)
    kn_wrong = normalize_screen(project(wrong['poses_3d'], f, c), wh)
    assert not torch.allclose(
        root_position_and_scale(kn_wrong)[1], t_scale, rtol=5e-2)


def test_gpa_matches_target_statistics_after_camera_change():
    """Source: cameras far away, person centred; target: closer camera,
    longer focal length, person low and to the right. After GPA with target
    2D only, the source's root-position / scale statistics are the
    target's."""
    gen = torch.Generator().manual_seed(1)
    n = 2000
    src = _random_poses(n, gen, depth=(4.5, 5.5), lateral=0.3)
    f_s = torch.full((n, 2), 1145.)
    c_s = torch.full((n, 2), 500.)
    wh_s = torch.full((n, 2), 1000.)
    # target: the same kind of poses seen by another camera setup
    tgt = _random_poses(n, gen, depth=(1.8, 2.6), lateral=0.3)
    tgt = tgt + torch.tensor([0.6, 0.5, 0.0])
    f_t = torch.full((n, 2), 1500.)
    c_t = torch.full((n, 2), 1024.)
    wh_t = torch.full((n, 2), 2048.)
    kn_t = normalize_screen(project(tgt, f_t, c_t), wh_t)
    t_root, t_scale = root_position_and_scale(kn_t)
    kn_s = normalize_screen(project(src, f_s, c_s), wh_s)
    s_root, s_scale = root_position_and_scale(kn_s)
    # the camera change is real: statistics differ before alignment
    assert (s_root.mean(0) - t_root.mean(0)).abs().max() > 0.1
    assert abs(s_scale.mean() - t_scale.mean()) > 0.05
    gpa = GlobalPositionAlignment()
    d_root, d_scale = gpa.sample_target(
        t_root, t_scale, n, generator=torch.Generator().manual_seed(2))
    out = gpa(src, f_s, c_s, wh_s, d_root, d_scale)
    a_root, a_scale = root_position_and_scale(out['keypoints_norm'])
    assert torch.allclose(a_root.mean(0), t_root.mean(0), atol=0.02)
    assert torch.allclose(a_root.std(0), t_root.std(0), rtol=0.1)
    assert math.isclose(a_scale.mean(), t_scale.mean(), rel_tol=0.03)
    assert math.isclose(a_scale.std(), t_scale.std(), rel_tol=0.15)
    assert (out['poses_3d'][..., 2] > 0).all()
