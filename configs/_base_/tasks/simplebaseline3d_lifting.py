# The lifter every PoseDA config uses: SimpleBaseline3D (MMPose's TCN with
# kernel size 1 on one frame) on screen-normalised 2D input (MMPose's
# VideoPoseLifting codec), and the source / target / test pipelines.
# Datasets and schedule come from the task config.
codec = dict(
    type='VideoPoseLifting',
    num_keypoints=17,
    zero_center=True,
    root_index=0,
    remove_root=False)

model = dict(
    type='PoseDAPoseLifter',
    backbone=dict(
        type='TCN',
        in_channels=2 * 17,
        stem_channels=1024,
        num_blocks=2,
        kernel_sizes=(1, 1, 1),
        dropout=0.5),
    head=dict(
        type='TemporalRegressionHead',
        in_channels=1024,
        num_joints=17,
        loss=dict(type='MPJPELoss'),
        decoder=codec))

train_meta_keys = ('id', 'category_id', 'target_img_path', 'flip_indices',
                   'target_root', 'camera_param', 'domain', 'keypoints_3d')
source_pipeline = [
    dict(type='GenerateTarget', encoder=codec),
    dict(type='SetLiftingDomain', domain='source'),
    dict(type='PackPoseInputs', meta_keys=train_meta_keys)
]
target_pipeline = [
    dict(type='GenerateTarget', encoder=codec),
    dict(type='SetLiftingDomain', domain='target'),
    dict(type='PackPoseInputs', meta_keys=train_meta_keys)
]
val_pipeline = [
    dict(type='GenerateTarget', encoder=codec),
    dict(
        type='PackPoseInputs',
        meta_keys=('id', 'category_id', 'target_img_path', 'target_root'))
]
