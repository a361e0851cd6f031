# Mean teacher of the regression head family (family_regression.py) with coordinate
# pseudo labels: the teacher's decoded keypoints, mapped into the strong view
# and encoded by the student head's own codec, scored by its own loss.
_base_ = ['./mean_teacher.py', './family_regression.py']
model = dict(
    pose_model=dict(_delete_=True, **_base_.family_model),
    pseudo_labeler=dict(type='CoordinatePseudoLabeler'))
train_dataloader = dict(
    dataset=dict(
        source=dict(pipeline=_base_.family_source_views + [
            dict(type='GenerateTarget', encoder=_base_.family_codec),
            dict(
                type='PoseMultiBranch',
                branch_field=_base_.branches,
                source=[dict(type='PackPoseInputs')]),
        ])))
val_evaluator = [dict(type='PCKAccuracy', thr=0.05, prefix='image')]
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(save_best='teacher/image/PCK'))
