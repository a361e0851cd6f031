from .mean_teacher_pose_estimator import MeanTeacherPoseEstimator

__all__ = ['MeanTeacherPoseEstimator']
