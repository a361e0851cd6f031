"""Anchor discriminator of PoseDA's local pose augmentation (LPA).

Written by hand. It scores how realistic a root-relative 3D pose is, with
the *source* poses as anchors (real) and the generator's augmented poses as
fakes, in a least-squares GAN. Input is a kinematic description of the pose
that makes implausible bone directions and proportions easy to see: the unit
bone directions (K x 3, which also carry the global orientation) and the
bone lengths relative to their mean (K).
"""
from typing import Optional, Sequence

import torch
from torch import Tensor, nn

from mmpose.registry import MODELS
from .pose_transformations import H36M_PARENTS, pose_to_bones


@MODELS.register_module()
class AnchorPoseDiscriminator(nn.Module):
    """MLP real/fake scorer for root-relative 3D poses.

    Args:
        num_keypoints (int): K. Defaults to 17.
        parents (Sequence[int], optional): skeleton parents (H36M default).
        hidden_dim (int): MLP width.
    """

    def __init__(self,
                 num_keypoints: int = 17,
                 parents: Optional[Sequence[int]] = None,
                 hidden_dim: int = 256):
        super().__init__()
        self.parents = tuple(parents if parents is not None else H36M_PARENTS)
        if len(self.parents) != num_keypoints:
            raise ValueError(f'AnchorPoseDiscriminator: num_keypoints='
                             f'{num_keypoints} but {len(self.parents)} '
                             'parents')
        self.num_keypoints = num_keypoints
        self.mlp = nn.Sequential(
            nn.Linear(num_keypoints * 4, hidden_dim), nn.LeakyReLU(0.2),
            nn.Linear(hidden_dim, hidden_dim), nn.LeakyReLU(0.2),
            nn.Linear(hidden_dim, 1))

    def features(self, pose: Tensor) -> Tensor:
        """(B, K, 3) root-relative pose -> (B, 4K) kinematic features."""
        bones = pose_to_bones(pose - pose[:, :1], self.parents)
        length = bones.norm(dim=-1)  # B, K (root entry 0)
        direction = bones / length[..., None].clamp(min=1e-6)
        rel_len = length / length[:, 1:].mean(1, keepdim=True).clamp(
            min=1e-6)
        return torch.cat([direction.flatten(1), rel_len], dim=1)

    def forward(self, pose: Tensor) -> Tensor:
        """(B, K, 3) poses -> (B,) realism scores (LSGAN: 1 real, 0 fake)."""
        return self.mlp(self.features(pose))[:, 0]

    def loss_discriminator(self, real: Tensor, fake: Tensor) -> Tensor:
        """LSGAN discriminator loss: real (anchor) -> 1, augmented -> 0."""
        return 0.5 * ((self(real) - 1).pow(2).mean() +
                      self(fake.detach()).pow(2).mean())

    def loss_generator(self, fake: Tensor) -> Tensor:
        """LSGAN generator loss: augmented poses should score 1."""
        return (self(fake) - 1).pow(2).mean()


@MODELS.register_module()
class TargetAnchor2DDiscriminator(nn.Module):
    """LSGAN real/fake scorer on 2D poses, with TARGET 2D poses as anchors.

    This is the unsupervised-adaptation form of the anchor discriminator:
    the real samples are the unlabelled target-domain 2D poses, the fakes
    are the re-projections of the generator's augmented source poses (placed
    by GPA in the source camera). Root position and 2D scale are divided
    out, so the discriminator judges only the local 2D structure of the
    pose (what GPA does not align); its gradient moves the augmentation
    towards target-like local poses and viewpoints.

    Args:
        num_keypoints (int): K. Defaults to 17.
        root_index (int): root joint. Defaults to 0.
        hidden_dim (int): MLP width.
    """
    input_space = '2d'

    def __init__(self, num_keypoints: int = 17, root_index: int = 0,
                 hidden_dim: int = 256):
        super().__init__()
        self.num_keypoints = num_keypoints
        self.root_index = root_index
        self.mlp = nn.Sequential(
            nn.Linear(num_keypoints * 2, hidden_dim), nn.LeakyReLU(0.2),
            nn.Linear(hidden_dim, hidden_dim), nn.LeakyReLU(0.2),
            nn.Linear(hidden_dim, 1))

    def features(self, kpts: Tensor) -> Tensor:
        """(B, K, 2) screen-normalised 2D -> (B, 2K) root-relative 2D
        divided by its RMS joint-to-root distance."""
        if kpts.dim() != 3 or kpts.shape[1:] != (self.num_keypoints, 2):
            raise ValueError('TargetAnchor2DDiscriminator expects (B, '
                             f'{self.num_keypoints}, 2) 2D poses, got '
                             f'{tuple(kpts.shape)}')
        rel = kpts - kpts[:, self.root_index:self.root_index + 1]
        scale = rel.pow(2).sum(-1).mean(-1).sqrt().clamp(min=1e-6)
        return (rel / scale[:, None, None]).flatten(1)

    def forward(self, kpts: Tensor) -> Tensor:
        """(B, K, 2) 2D poses -> (B,) scores (LSGAN: 1 real, 0 fake)."""
        return self.mlp(self.features(kpts))[:, 0]

    def loss_discriminator(self, real: Tensor, fake: Tensor) -> Tensor:
        """Target 2D (anchors) -> 1, re-projected augmentations -> 0."""
        return 0.5 * ((self(real) - 1).pow(2).mean() +
                      self(fake.detach()).pow(2).mean())

    def loss_generator(self, fake: Tensor) -> Tensor:
        """Re-projected augmentations should look like target 2D poses."""
        return (self(fake) - 1).pow(2).mean()
