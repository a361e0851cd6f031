# Source-only of the regression head family (family_regression.py): the benchmark's
# source-only schedule and augmentation, scored with MMPose's image-space
# PCKAccuracy@0.05 (the heatmap-space metric needs heatmaps).
_base_ = ['./source_only.py', './family_regression.py']
model = dict(_delete_=True, **_base_.family_model)
train_dataloader = dict(
    dataset=dict(pipeline=_base_.family_source_views + [
        dict(type='GenerateTarget', encoder=_base_.family_codec),
        dict(type='PackPoseInputs'),
    ]))
val_evaluator = [dict(type='PCKAccuracy', thr=0.05, prefix='image')]
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(save_best='image/PCK'))
