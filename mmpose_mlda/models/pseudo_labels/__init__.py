"""Strategies the mean teacher is built from: which teacher keypoints
count, where teacher and student are compared, how the teacher's
prediction becomes the student's target, and how the student's view is
occluded. They are helpers, not ``nn.Module``s: registered in MMPose's
``TASK_UTILS`` (as its codecs and assigners), each kind with a base class
whose contract the estimator checks when it is built."""
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
from .pseudo_labeler import PseudoLabeler, StudentPrediction

__all__ = [
    'ConfidentKeypointOcclusion', 'CoordinatePseudoLabeler',
    'FixedConfidenceThreshold',
    'HeatmapPseudoLabeler', 'KeypointOcclusion',
    'KthValueConfidenceThreshold', 'PseudoLabeler', 'PseudoLabels',
    'QuantileConfidenceThreshold', 'RandomConfidenceThreshold',
    'ReferenceFrame', 'SingleKeypointOcclusion', 'StudentPrediction',
    'WeakViewFrame',
    'build_confidence_threshold'
]
