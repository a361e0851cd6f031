"""Augmentation generator of PoseDA's local pose augmentation (LPA).

Written by hand (the authors did not release LPA). An MLP reads a
root-relative source pose plus noise and predicts the raw parameters of the
bounded transformations (:class:`BoundedPoseAugmentation`); the
transformations are applied there, so the generator's output is the
augmented pose and the gradient flows from any loss on it back into the MLP.
"""
import torch
from torch import Tensor, nn

from mmpose.registry import MODELS
from .bounded_pose_augmentation import BoundedPoseAugmentation


@MODELS.register_module()
class PoseAugmentationGenerator(BoundedPoseAugmentation):
    """Predict transformation parameters with an MLP and return augmented
    poses; an adversarial game trains it (``learnable``).

    Args:
        noise_dim (int): dimension of the input noise.
        hidden_dim (int): MLP width.
        **kwargs: the transformations' bounds and switches
            (:class:`BoundedPoseAugmentation`).
    """
    learnable = True

    def __init__(self, noise_dim: int = 16, hidden_dim: int = 256, **kwargs):
        super().__init__(**kwargs)
        self.noise_dim = noise_dim
        out_dim = self.num_angle + self.num_length + 3
        self.mlp = nn.Sequential(
            nn.Linear(self.num_keypoints * 3 + noise_dim, hidden_dim),
            nn.LeakyReLU(0.2), nn.Linear(hidden_dim, hidden_dim),
            nn.LeakyReLU(0.2), nn.Linear(hidden_dim, out_dim))

    def predict_params(self, pose: Tensor) -> dict:
        """Raw parameters from the MLP on (pose, noise): ``angle``
        (B, K, 3), ``length`` (B, G), ``rotation`` (B, 3)."""
        noise = torch.randn(pose.shape[0], self.noise_dim,
                            device=pose.device, dtype=pose.dtype)
        out = self.mlp(torch.cat([pose.flatten(1), noise], dim=1))
        angle, length, rot = out.split(
            [self.num_angle, self.num_length, 3], dim=1)
        return dict(
            angle=angle.reshape(-1, self.num_keypoints, 3),
            length=length,
            rotation=rot)
