# A tiny plain-MMPose top-down config for fast CPU tests: SimpleBaseline
# (ResNet-18 + HeatmapHead, both slimmed to a quarter of the usual channels)
# at 64x64 input / 16x16 heatmaps, trained for 2 iterations on the 4-image
# COCO sample MMPose ships with its tests.
# No `_base_`. The data path is resolved relative to this file when it is
# loaded; to use other data override the dataset / evaluator fields.
default_scope = 'mmpose'

data_root = ('{{ fileDirname }}/../../../shared/data/coco/'
             'open-mmlab+mmpose/tests/data/coco/')
ann_file = 'test_coco.json'

# runtime
train_cfg = dict(type='IterBasedTrainLoop', max_iters=2, val_interval=1000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(optimizer=dict(type='Adam', lr=5e-4))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
auto_scale_lr = dict(base_batch_size=2, enable=False)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=1),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=2, by_epoch=False),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='PoseVisualizationHook', enable=False))
env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))
visualizer = dict(
    type='PoseLocalVisualizer', vis_backends=[dict(type='LocalVisBackend')])
log_processor = dict(
    type='LogProcessor', window_size=1, by_epoch=False, num_digits=6)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0)

# model
codec = dict(
    type='MSRAHeatmap', input_size=(64, 64), heatmap_size=(16, 16), sigma=1)
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='ResNet', depth=18, stem_channels=16, base_channels=16),
    head=dict(
        type='HeatmapHead',
        in_channels=128,
        out_channels=17,
        deconv_out_channels=(64, 64, 64),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=True))

# data
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs')
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=codec['input_size']),
    dict(type='PackPoseInputs')
]
dataset = dict(
    type='CocoDataset',
    data_root=data_root,
    data_mode='topdown',
    ann_file=ann_file,
    data_prefix=dict(img=''))
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(**dataset, pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(**dataset, test_mode=True, pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='CocoMetric', ann_file=data_root + ann_file),
    dict(type='PCKAccuracy', thr=0.5),
]
test_evaluator = val_evaluator
