# Shared settings of the built-in benchmark (mmpose_mlda.datasets.toy_figures,
# Body16 = MPII joint order). Sized for a 2-core CPU: 64x64 crops of the
# 128x128 figures, 32x32 heatmaps (PCK@0.05 = 1.6 heatmap pixels, so the
# diagonal neighbour of the true pixel counts and the score measures
# localisation rather than quantisation), ResNet-18 at half width with a
# stride-16 last stage and a light deconv head. The paper configs keep the
# paper's settings (ResNet-101, 256x256, 64x64).
data_root = 'data_cache/toy_figures/'
metainfo = dict(from_file='configs/_base_/datasets/body16.py')
input_size = (64, 64)
codec = dict(
    type='MSRAHeatmap',
    input_size=input_size,
    heatmap_size=(32, 32),
    sigma=1.5)
model = dict(
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
    head=dict(
        type='HeatmapHead',
        in_channels=256,
        out_channels=16,
        deconv_out_channels=(64, 64, 64),
        deconv_kernel_sizes=(4, 4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=False, output_heatmaps=True))

val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_dataloader = dict(
    batch_size=32,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='CocoDataset',
        data_root=data_root + 'target_test/',
        ann_file='annotations.json',
        data_prefix=dict(img='images/'),
        metainfo=metainfo,
        test_mode=True,
        pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='HeatmapPCKMetric', joint_groups='body16'),
    dict(type='PCKAccuracy', thr=0.05, prefix='image'),
]
test_evaluator = val_evaluator
randomness = dict(seed=0)
