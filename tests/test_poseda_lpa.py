"""PoseDA local pose augmentation: transformations, generator,
discriminator, and the adversarial train step."""
import numpy as np
import pytest
import torch

from mmpose_mlda.models.lifting import (AnchorPoseDiscriminator,
                                        PoseAugmentationGenerator,
                                        TargetAnchor2DDiscriminator)
from mmpose_mlda.models.lifting.pose_transformations import (
    H36M_BONE_GROUPS, H36M_BONE_LIMITS, H36M_PARENTS, bone_lengths,
    global_rotation, pose_to_bones, rotate_bone_directions,
    scale_bone_lengths)


def _poses(n=32, seed=0):
    from mmpose_mlda.datasets.toy_motion import (MOTION_STATS,
                                                 _subject_offsets,
                                                 simulate_sequence)
    rng = np.random.default_rng(seed)
    off = _subject_offsets(rng, MOTION_STATS['source'])
    world = simulate_sequence(rng, MOTION_STATS['source'], off, n)
    p = torch.tensor(world, dtype=torch.float32)
    return p - p[:, :1]


def _angles(a, b):
    cos = (a * b).sum(-1) / (a.norm(dim=-1) * b.norm(dim=-1)).clamp(1e-8)
    return torch.arccos(cos.clamp(-1, 1))


def test_bone_rotation_keeps_lengths_and_respects_limits():
    pose = _poses()
    limits = torch.tensor(H36M_BONE_LIMITS)
    raw = torch.randn(pose.shape[0], 17, 3) * 50  # far beyond the limits
    out = rotate_bone_directions(pose, raw, H36M_PARENTS, limits)
    assert torch.allclose(bone_lengths(out, H36M_PARENTS),
                          bone_lengths(pose, H36M_PARENTS), atol=1e-5)
    ang = _angles(pose_to_bones(out, H36M_PARENTS)[:, 1:],
                  pose_to_bones(pose, H36M_PARENTS)[:, 1:])
    assert (ang <= limits[1:] + 1e-4).all()
    assert (ang.max(0).values > 0.5 * limits[1:]).all()  # limits are used
    assert torch.allclose(out[:, 0], pose[:, 0])


def test_bone_scaling_bounded_symmetric_keeps_directions():
    pose = _poses()
    raw = torch.randn(pose.shape[0], len(H36M_BONE_GROUPS)) * 10
    out = scale_bone_lengths(pose, raw, H36M_PARENTS, H36M_BONE_GROUPS, 0.2)
    ratio = bone_lengths(out, H36M_PARENTS)[:, 1:] / bone_lengths(
        pose, H36M_PARENTS)[:, 1:]
    assert ((ratio >= 0.8 - 1e-5) & (ratio <= 1.2 + 1e-5)).all()
    for grp in H36M_BONE_GROUPS:  # left and right share one factor
        g = [j - 1 for j in grp]
        assert torch.allclose(ratio[:, g], ratio[:, g[:1]].expand(-1, len(g)),
                              atol=1e-5)
    ang = _angles(pose_to_bones(out, H36M_PARENTS)[:, 1:],
                  pose_to_bones(pose, H36M_PARENTS)[:, 1:])
    assert ang.max() < 1e-3


def test_global_rotation_keeps_lengths_and_bounds():
    pose = _poses()
    raw = torch.zeros(pose.shape[0], 3)
    raw[:, 0] = 100.  # yaw saturates at max_yaw
    out = global_rotation(pose, raw, max_yaw=0.5, max_tilt=0.2)
    assert torch.allclose(bone_lengths(out, H36M_PARENTS),
                          bone_lengths(pose, H36M_PARENTS), atol=1e-5)
    # the hip axis turns by exactly max_yaw about the vertical (y) axis
    hip = lambda p: (p[:, 4] - p[:, 1])[:, [0, 2]]  # noqa: E731
    ang = _angles(hip(out), hip(pose))
    assert torch.allclose(ang, torch.full_like(ang, 0.5), atol=1e-3)


def test_generator_gradients_flow_and_output_valid():
    gen = PoseAugmentationGenerator()
    pose = _poses(16)
    aug = gen(pose)
    assert aug.shape == pose.shape and torch.isfinite(aug).all()
    aug.pow(2).sum().backward()
    grads = [p.grad for p in gen.parameters()]
    assert all(g is not None and g.abs().sum() > 0 for g in grads)
    # the bone-length factors stay within 1 +- max_bone_scale
    ratio = bone_lengths(aug, H36M_PARENTS)[:, 1:] / bone_lengths(
        pose, H36M_PARENTS)[:, 1:]
    assert ((ratio > 0.8 - 1e-4) & (ratio < 1.2 + 1e-4)).all()


def test_discriminator_trains():
    torch.manual_seed(0)
    disc = AnchorPoseDiscriminator()
    opt = torch.optim.Adam(disc.parameters(), lr=1e-3)
    real = _poses(64, seed=1)
    limits = torch.full((17, ), 1.2)
    fake = rotate_bone_directions(real, torch.randn(64, 17, 3) * 3,
                                  H36M_PARENTS, limits)
    first = disc.loss_discriminator(real, fake).item()
    for _ in range(60):
        loss = disc.loss_discriminator(real, fake)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.5 * first
    assert (disc(real).mean() - disc(fake).mean()) > 0.5


def test_target_anchor_2d_discriminator():
    """2D anchors: invariant to root position and 2D scale, and it learns to
    tell target-like from source-like local 2D structure."""
    torch.manual_seed(0)
    disc = TargetAnchor2DDiscriminator()
    src = _poses(64, seed=1)[..., :2]
    moved = src * 3.0 + torch.tensor([0.4, -0.2])
    assert torch.allclose(disc(src), disc(moved), atol=1e-5)
    limits = torch.full((17, ), 1.2)
    tgt = rotate_bone_directions(_poses(64, seed=2),
                                 torch.randn(64, 17, 3) * 3, H36M_PARENTS,
                                 limits)[..., :2]
    opt = torch.optim.Adam(disc.parameters(), lr=1e-3)
    first = disc.loss_discriminator(tgt, src).item()
    for _ in range(60):
        loss = disc.loss_discriminator(tgt, src)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.5 * first
    # the generator's loss is differentiable in the fake 2D poses
    fake = src.clone().requires_grad_(True)
    disc.loss_generator(fake).backward()
    assert fake.grad is not None and fake.grad.abs().sum() > 0


def test_random_pose_augmentation_draws_bounded_transformations():
    from mmpose_mlda.models.lifting import RandomPoseAugmentation
    pose = _poses(64)
    small, large = (RandomPoseAugmentation(param_std=s) for s in (0.05, 0.5))
    assert not list(small.parameters())
    torch.manual_seed(0)
    a, b = small(pose), small(pose)
    assert a.shape == pose.shape and not torch.allclose(a, b)
    # bone lengths within 1 +- max_bone_scale; stronger draws move further
    ratio = bone_lengths(a, H36M_PARENTS)[:, 1:] / bone_lengths(
        pose, H36M_PARENTS)[:, 1:]
    assert ((ratio > 0.8 - 1e-4) & (ratio < 1.2 + 1e-4)).all()
    dist = lambda x: (x - pose).norm(dim=-1).mean()  # noqa: E731
    assert dist(large(pose)) > 3 * dist(a)
    with pytest.raises(ValueError, match="'hidden_dim' belongs"):
        RandomPoseAugmentation(hidden_dim=64)
    with pytest.raises(ValueError, match='param_std must be > 0'):
        RandomPoseAugmentation(param_std=0)
