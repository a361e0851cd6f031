# The two views of each unlabelled target image at 256x256: a weak view for
# the teacher and a strong view for the student (keypoint occlusion is done by
# the model, at the teacher's confident keypoints). Each view records its
# geometry so the model can map student heatmaps into the teacher's frame.
branches = ['source', 'target_weak', 'target_strong']
view_meta_keys = ('id', 'img_id', 'img_path', 'category_id', 'crowd_index',
                  'ori_shape', 'img_shape', 'input_size', 'input_center',
                  'input_scale', 'flip', 'flip_direction', 'flip_indices',
                  'raw_ann_info', 'dataset_name', 'view_affine',
                  'view_joint_order')
target_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(
        type='PoseMultiBranch',
        branch_field=branches,
        target_weak=[
            dict(
                type='RandomBBoxTransform',
                shift_factor=0.05,
                scale_factor=(0.9, 1.1),
                rotate_factor=10,
                rotate_prob=0.5),
            dict(type='TopdownAffine', input_size=(256, 256)),
            dict(type='RecordViewGeometry'),
            dict(type='PackPoseInputs', meta_keys=view_meta_keys),
        ],
        target_strong=[
            dict(type='RandomFlip', direction='horizontal'),
            dict(
                type='RandomBBoxTransform',
                shift_factor=0.05,
                scale_factor=(0.6, 1.3),
                rotate_factor=60,
                rotate_prob=1.0),
            dict(type='TopdownAffine', input_size=(256, 256)),
            dict(type='RecordViewGeometry'),
            dict(type='PhotometricDistortion'),
            dict(type='PackPoseInputs', meta_keys=view_meta_keys),
        ]),
]
