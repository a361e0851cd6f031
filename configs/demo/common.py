# Shared settings of the built-in benchmark (mmpose_mlda.datasets.toy_figures,
# Body16 = MPII joint order). Sized for a 2-core CPU: ResNet-18 at half width,
# 96x96 crops, 24x24 heatmaps (PCK@0.05 = 1.2 heatmap pixels). The paper
# configs keep the paper's settings (ResNet-101, 256x256, 64x64).
data_root = 'data_cache/toy_figures/'
metainfo = dict(from_file='configs/_base_/datasets/mpii.py')
input_size = (96, 96)
codec = dict(
    type='MSRAHeatmap',
    input_size=input_size,
    heatmap_size=(24, 24),
    sigma=1.5)
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        type='ResNet', depth=18, stem_channels=32, base_channels=32),
    head=dict(
        type='HeatmapHead',
        in_channels=256,
        out_channels=16,
        deconv_out_channels=(128, 128, 128),
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
