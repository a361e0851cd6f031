# Source-only of the simcc head family (family_simcc.py): the benchmark's
# source-only schedule and augmentation, scored with MMPose's image-space
# PCKAccuracy@0.05 (the heatmap-space metric needs heatmaps).
_base_ = ['./source_only.py', './family_simcc.py']
model = dict(_delete_=True, **_base_.family_model)
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadImage'),
        dict(type='GetBBoxCenterScale'),
        dict(type='RandomFlip', direction='horizontal'),
        dict(
            type='RandomBBoxTransform',
            rotate_factor=30,
            scale_factor=(0.8, 1.2)),
        dict(type='TopdownAffine', input_size=(64, 64)),
        dict(type='PhotometricDistortion'),
        dict(type='GenerateTarget', encoder=_base_.family_codec),
        dict(type='PackPoseInputs'),
    ]))
val_evaluator = [dict(type='PCKAccuracy', thr=0.05, prefix='image')]
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(save_best='image/PCK'))
