# Built-in lifting benchmark (procedural motion, see
# mmpose_mlda/datasets/toy_motion.py): source = H36M-like camera setup and
# poses, target = 3DHP-like cameras and poses. Generate the data first:
#   python -m mmpose_mlda.datasets.toy_motion data_cache/toy_lifting
# (tools/demo_lifting.py does it). SimpleBaseline3D-style lifter (TCN with
# kernel size 1 = MLP with residual blocks) on screen-normalised 2D input.
# Protocol (as in the paper): source_only.py pre-trains on the source; every
# other row (_adapt_.py) starts from that checkpoint (load_from) and trains
# the same number of iterations.
_base_ = [
    '../_base_/lifting_runtime.py',
    '../_base_/tasks/simplebaseline3d_lifting.py'
]

data_root = 'data_cache/toy_lifting/'
max_iters = 800  # source pre-training
batch_size = 32  # source samples per iteration (plus as many target ones)

train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(
    logger=dict(interval=500),
    checkpoint=dict(interval=max_iters, save_best=None))
randomness = dict(seed=0)

# a smaller lifter than the paper's for a CPU run
model = dict(
    backbone=dict(stem_channels=512, dropout=0.25),
    head=dict(in_channels=512))

optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=max_iters, by_epoch=False,
         eta_min=1e-5)
]

source_dataset = dict(
    type='Human36mDataset',
    data_root=data_root,
    ann_file='source/h36m_train.npz',
    camera_param_file='source/cameras.pkl',
    seq_len=1,
    causal=True,
    keypoint_2d_src='gt',
    data_prefix=dict(img=''),
    pipeline={{_base_.source_pipeline}})
target_train_dataset = dict(
    type='MpiInf3dhpDataset',
    joint_set='h36m',
    data_root=data_root,
    ann_file='target/3dhp_train.npz',
    camera_param_file='target/cameras_train.pkl',
    seq_len=1,
    data_prefix=dict(img=''),
    pipeline={{_base_.target_pipeline}})

# source only (overridden by the adaptation configs)
train_dataloader = dict(
    batch_size=batch_size,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=source_dataset)
val_dataloader = dict(
    batch_size=256,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='MpiInf3dhpDataset',
        joint_set='h36m',
        data_root=data_root,
        ann_file='target/3dhp_test.npz',
        camera_param_file='target/cameras_test.pkl',
        seq_len=1,
        data_prefix=dict(img=''),
        pipeline={{_base_.val_pipeline}},
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(type='Lifting3DMetric')
test_evaluator = val_evaluator
