# Mean-teacher adaptation of the source-only demo model to the target
# figures. Start from the source-only checkpoint:
#   python tools/train.py configs/demo/mean_teacher.py \
#       --cfg-options load_from=work_dirs/source_only/best_*.pth
_base_ = ['../_base_/mlda_runtime.py', './common.py']

branches = ['source', 'target_weak', 'target_strong']
view_meta_keys = ('id', 'img_id', 'img_path', 'category_id', 'crowd_index',
                  'ori_shape', 'img_shape', 'input_size', 'input_center',
                  'input_scale', 'flip', 'flip_direction', 'flip_indices',
                  'raw_ann_info', 'dataset_name', 'view_affine',
                  'view_joint_order')

model = dict(
    _delete_=True,
    type='MeanTeacherPoseEstimator',
    pose_model={{_base_.model}},
    # a 600-iteration run: the teacher must move within it (paper: 0.999
    # over 30k iterations)
    teacher_decay=0.99,
    consistency_threshold=dict(
        type='RandomConfidenceThreshold', low=0.0, high=1.0),
    occlusion=dict(type='ConfidentKeypointOcclusion', prob=0.5,
                   min_confidence=0.5, patch_ratio=0.12))

source_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', rotate_factor=30, scale_factor=(0.8, 1.2)),
    dict(type='TopdownAffine', input_size={{_base_.input_size}}),
    dict(type='PhotometricDistortion'),
    dict(type='GenerateTarget', encoder={{_base_.codec}}),
    dict(
        type='PoseMultiBranch',
        branch_field=branches,
        source=[dict(type='PackPoseInputs')]),
]
target_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(
        type='PoseMultiBranch',
        branch_field=branches,
        # weak view for the teacher: mild geometry only
        target_weak=[
            dict(
                type='RandomBBoxTransform',
                shift_factor=0.05,
                scale_factor=(0.9, 1.1),
                rotate_factor=10,
                rotate_prob=0.5),
            dict(type='TopdownAffine', input_size={{_base_.input_size}}),
            dict(type='RecordViewGeometry'),
            dict(type='PackPoseInputs', meta_keys=view_meta_keys),
        ],
        # strong view for the student: flip, large geometry, photometric
        # (keypoint occlusion is applied by the model, at the teacher's
        # confident keypoints)
        target_strong=[
            dict(type='RandomFlip', direction='horizontal'),
            dict(
                type='RandomBBoxTransform',
                shift_factor=0.1,
                scale_factor=(0.6, 1.3),
                rotate_factor=60,
                rotate_prob=1.0),
            dict(type='TopdownAffine', input_size={{_base_.input_size}}),
            dict(type='RecordViewGeometry'),
            dict(type='PhotometricDistortion'),
            dict(type='PackPoseInputs', meta_keys=view_meta_keys),
        ]),
]

batch_size = 32  # 16 source + 16 target per iteration
train_dataloader = dict(
    batch_size=batch_size,
    num_workers=0,
    sampler=dict(
        type='TwoDomainSampler', batch_size=batch_size, source_ratio=0.5),
    dataset=dict(
        type='DomainAdaptationDataset',
        source=dict(
            type='CocoDataset',
            data_root='data_cache/toy_figures/source_train/',
            ann_file='annotations.json',
            data_prefix=dict(img='images/'),
            metainfo={{_base_.metainfo}},
            pipeline=source_pipeline),
        target=dict(
            type='CocoDataset',
            data_root='data_cache/toy_figures/target_train/',
            ann_file='annotations.json',
            data_prefix=dict(img='images/'),
            metainfo={{_base_.metainfo}},
            pipeline=target_pipeline)))

train_cfg = dict(max_iters=600, burn_in_iters=0, val_interval=150)
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-4))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[450], gamma=0.1)
]
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=150))
