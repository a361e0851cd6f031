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
_base_ = [
    './_base_/lifting_runtime.py', './_base_/tasks/simplebaseline3d_lifting.py'
]

h36m_root = 'data/h36m/'
dhp_root = 'data/mpi_inf_3dhp/'
max_iters = 60000
batch_size = 256
seq_len = 1

train_cfg = dict(max_iters=max_iters, val_interval=5000)

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_iters, by_epoch=False,
         eta_min=1e-6)
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
    pipeline={{_base_.source_pipeline}})
target_train_dataset = dict(
    type='MpiInf3dhpDataset',
    joint_set='h36m',
    data_root=dhp_root,
    ann_file='annotations/mpi_inf_3dhp_train.npz',
    camera_param_file='annotations/cameras_train.pkl',
    seq_len=seq_len,
    causal=False,
    data_prefix=dict(img='images/'),
    pipeline={{_base_.target_pipeline}})

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
        pipeline={{_base_.val_pipeline}},
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(type='Lifting3DMetric')
test_evaluator = val_evaluator
