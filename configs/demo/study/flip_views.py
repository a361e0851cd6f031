# Study: two teacher views averaged (the weak view and its horizontal flip).
_base_ = ['../mean_teacher.py', '../target_views.py']
_branches = ['source', 'target_weak', 'target_weak_1', 'target_strong']
train_dataloader = dict(dataset=dict(
    target=dict(pipeline=[
        dict(type='LoadImage'),
        dict(type='GetBBoxCenterScale'),
        dict(type='PoseMultiBranch', branch_field=_branches,
             target_weak={{_base_.weak_view}},
             target_weak_1={{_base_.flipped_weak_view}},
             target_strong={{_base_.strong_view}}),
    ]),
    source=dict(pipeline=[
        dict(type='LoadImage'),
        dict(type='GetBBoxCenterScale'),
        dict(type='RandomFlip', direction='horizontal'),
        dict(type='RandomBBoxTransform', rotate_factor=30,
             scale_factor=(0.8, 1.2)),
        dict(type='TopdownAffine', input_size={{_base_.input_size}}),
        dict(type='PhotometricDistortion'),
        dict(type='GenerateTarget', encoder={{_base_.codec}}),
        dict(type='PoseMultiBranch', branch_field=_branches,
             source=[dict(type='PackPoseInputs')]),
    ])))
