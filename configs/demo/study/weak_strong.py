# Study: a milder strong view (rotation 30, scale 0.8-1.2, as the source
# pipeline) instead of rotation 60, scale 0.6-1.3.
_base_ = ['../mean_teacher.py', '../target_views.py']
train_dataloader = dict(dataset=dict(target=dict(pipeline=[
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='PoseMultiBranch', branch_field={{_base_.branches}},
         target_weak={{_base_.weak_view}},
         target_strong={{_base_.mild_strong_view}}),
])))
