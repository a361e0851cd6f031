# The regression head family of the built-in benchmark: the benchmark's
# ResNet-18/2 backbone and MMPose's RLEHead (coordinate regression with
# residual log-likelihood; its scores are 1 - sigma). regression_*.py build
# on these settings; the mean teacher adapts it with coordinate pseudo
# labels.
_base_ = ['./family_views.py']
family_codec = dict(type='RegressionLabel', input_size=(64, 64))
family_model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        type='ResNet',
        depth=18,
        stem_channels=32,
        base_channels=32,
        strides=(1, 2, 2, 1)),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='RLEHead',
        in_channels=256,
        num_joints=16,
        loss=dict(type='RLELoss', use_target_weight=True),
        decoder=family_codec),
    test_cfg=dict(flip_test=False))
