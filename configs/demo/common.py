# Shared settings of the quick demo on the built-in toy figures
# (mmpose_mlda.datasets.toy_figures; Body16 = MPII joint order).
# ResNet-18 SimpleBaseline at 64x64 keeps a CPU run to minutes.
data_root = 'data_cache/toy_figures/'
metainfo = dict(from_file='configs/_base_/datasets/mpii.py')
input_size = (64, 64)
heatmap_size = (16, 16)
codec = dict(
    type='MSRAHeatmap',
    input_size=input_size,
    heatmap_size=heatmap_size,
    sigma=1)
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(type='ResNet', depth=18),
    head=dict(
        type='HeatmapHead',
        in_channels=512,
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
target_test = dict(
    type='CocoDataset',
    data_root=data_root + 'target_test/',
    ann_file='annotations.json',
    data_prefix=dict(img='images/'),
    metainfo=metainfo,
    test_mode=True,
    pipeline=val_pipeline)
val_dataloader = dict(
    batch_size=16,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=target_test)
test_dataloader = val_dataloader
body16_groups = dict(
    Shoulder=[12, 13], Elbow=[11, 14], Wrist=[10, 15], Hip=[2, 3],
    Knee=[1, 4], Ankle=[0, 5])
val_evaluator = [
    dict(type='HeatmapPCKMetric', joint_groups=body16_groups),
    dict(type='PCKAccuracy', thr=0.05, prefix='image'),
]
test_evaluator = val_evaluator
