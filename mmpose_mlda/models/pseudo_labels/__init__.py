"""Strategies the mean teacher is built from: which teacher keypoints
count, where teacher and student are compared, how the teacher's
prediction becomes the student's target, and how the student's view is
occluded."""
from .confidence_thresholds import (FixedConfidenceThreshold,
                                    KthValueConfidenceThreshold,
                                    QuantileConfidenceThreshold,
                                    RandomConfidenceThreshold,
                                    build_confidence_threshold)
from .consistency_frames import ReferenceFrame, WeakViewFrame
from .coordinate_pseudo_labeler import CoordinatePseudoLabeler
from .heatmap_pseudo_labeler import HeatmapPseudoLabeler
from .keypoint_occlusion import (ConfidentKeypointOcclusion,
                                 KeypointOcclusion, SingleKeypointOcclusion)
from .labels import PseudoLabels

__all__ = [
    'ConfidentKeypointOcclusion', 'CoordinatePseudoLabeler',
    'FixedConfidenceThreshold',
    'HeatmapPseudoLabeler', 'KeypointOcclusion',
    'KthValueConfidenceThreshold', 'PseudoLabels',
    'QuantileConfidenceThreshold', 'RandomConfidenceThreshold',
    'ReferenceFrame', 'SingleKeypointOcclusion', 'WeakViewFrame',
    'build_confidence_threshold'
]
