# Mean teacher of the regression head family (family_regression.py) with coordinate
# pseudo labels: the teacher's decoded keypoints, mapped into the strong view
# and encoded by the student head's own codec, scored by its own loss.
_base_ = ['./mlda.py', './family_regression.py']
model = dict(
    pose_model=dict(_delete_=True, **_base_.family_model),
    pseudo_labeler=dict(type='CoordinatePseudoLabeler'))
train_dataloader = dict(
    dataset=dict(
        source=dict(pipeline=[
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
            dict(
                type='PoseMultiBranch',
                branch_field=_base_.branches,
                source=[dict(type='PackPoseInputs')]),
        ])))
val_evaluator = [dict(type='PCKAccuracy', thr=0.05, prefix='image')]
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(save_best='teacher/image/PCK'))
