from .view_geometry import (heatmap_peaks, heatmap_view_transform,
                            match_joint_order, occlude_points,
                            render_gaussians, warp_heatmaps)

__all__ = [
    'heatmap_peaks', 'heatmap_view_transform', 'match_joint_order',
    'occlude_points', 'render_gaussians', 'warp_heatmaps'
]
