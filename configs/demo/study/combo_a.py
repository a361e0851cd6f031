# Study: the factors that helped one at a time, stacked: lr 1e-3, the
# batch-median threshold, teacher decay 0.95 and the milder strong view.
_base_ = ['../mean_teacher.py', '../target_views.py']
optim_wrapper = dict(optimizer=dict(lr=1e-3))
model = dict(
    teacher_decay=0.95,
    consistency_threshold=dict(
        _delete_=True, type='QuantileConfidenceThreshold', q=0.5))
train_dataloader = dict(dataset=dict(target=dict(pipeline=[
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='PoseMultiBranch', branch_field={{_base_.branches}},
         target_weak={{_base_.weak_view}},
         target_strong={{_base_.mild_strong_view}}),
])))
