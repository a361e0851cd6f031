# Human3.6M -> MPI-INF-3DHP, source only: a lifter trained on Human3.6M
# (S1, S5, S6, S7, S8; ground-truth 2D) and tested on the MPI-INF-3DHP test
# set (TS1-TS6) with 3DPCK@150mm / AUC / MPJPE / PA-MPJPE, overall, per
# sequence and per group (GS, noGS, Outdoor).
#
# Data as MMPose's preprocessing writes it:
#   data/h36m/annotation_body3d/fps50/h36m_train.npz
#   data/h36m/annotation_body3d/cameras.pkl
#   data/mpi_inf_3dhp/annotations/mpi_inf_3dhp_train.npz  (+ cameras_train.pkl)
#   data/mpi_inf_3dhp/annotations/mpi_inf_3dhp_test_valid.npz
#                                                       (+ cameras_test.pkl)
# 3DHP joints are converted to the Human3.6M order by the adapter.
#
# Lifter: SimpleBaseline3D (TCN with kernel size 1, 1 frame) on
# screen-normalised 2D (MMPose's VideoPoseLifting codec). VideoPose3D: set
# seq_len (e.g. 27) in every dataset and kernel_sizes=(3, 3, 3) in the
# backbone (GPA handles sequences; LPA augments the target frame and is
# meant for single-frame lifters).
_base_ = ['./_base_/lifting_runtime.py']

h36m_root = 'data/h36m/'
dhp_root = 'data/mpi_inf_3dhp/'
max_iters = 60000
batch_size = 256
seq_len = 1

train_cfg = dict(max_iters=max_iters, val_interval=5000)

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

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_iters, by_epoch=False,
         eta_min=1e-6)
]

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

source_dataset = dict(
    type='Human36mDataset',
    data_root=h36m_root,
    ann_file='annotation_body3d/fps50/h36m_train.npz',
    camera_param_file='annotation_body3d/cameras.pkl',
    seq_len=seq_len,
    causal=False,
    pad_video_seq=seq_len > 1,
    keypoint_2d_src='gt',
    data_prefix=dict(img='images/'),
    pipeline=source_pipeline)
target_train_dataset = dict(
    type='MpiInf3dhpDataset',
    joint_set='h36m',
    data_root=dhp_root,
    ann_file='annotations/mpi_inf_3dhp_train.npz',
    camera_param_file='annotations/cameras_train.pkl',
    seq_len=seq_len,
    causal=False,
    data_prefix=dict(img='images/'),
    pipeline=target_pipeline)

train_dataloader = dict(
    batch_size=batch_size,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=source_dataset)
val_dataloader = dict(
    batch_size=256,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='MpiInf3dhpDataset',
        joint_set='h36m',
        data_root=dhp_root,
        ann_file='annotations/mpi_inf_3dhp_test_valid.npz',
        camera_param_file='annotations/cameras_test.pkl',
        seq_len=seq_len,
        causal=False,
        data_prefix=dict(img='images/'),
        pipeline=val_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(type='Lifting3DMetric')
test_evaluator = val_evaluator
