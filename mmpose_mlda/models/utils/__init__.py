from .finite_loss import stop_on_non_finite_loss
from .fp32_head_outputs import fp32_head_outputs
from .named_step import named_step, named_step_seconds
from .norm_statistics import frozen_norm_statistics
from .torchvision_affine import batched_affine, forward_affine_matrix
from .view_geometry import (heatmap_peaks, heatmap_view_transform,
                            joint_order_index, match_joint_order,
                            occlude_points, permute_channels,
                            render_gaussians, warp_heatmaps)

__all__ = [
    'batched_affine', 'forward_affine_matrix', 'fp32_head_outputs',
    'frozen_norm_statistics', 'heatmap_peaks',
    'heatmap_view_transform', 'joint_order_index', 'match_joint_order',
    'named_step', 'named_step_seconds',
    'occlude_points', 'permute_channels', 'render_gaussians',
    'stop_on_non_finite_loss', 'warp_heatmaps'
]
