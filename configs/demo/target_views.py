# The mean teacher's target views (configs/demo/mean_teacher.py writes them inline),
# for the configs that change one of them: configs/demo/ours.py and the study.
study_input_size = (64, 64)
study_meta_keys = ('id', 'img_id', 'img_path', 'category_id', 'crowd_index',
                   'ori_shape', 'img_shape', 'input_size', 'input_center',
                   'input_scale', 'flip', 'flip_direction', 'flip_indices',
                   'raw_ann_info', 'dataset_name', 'view_affine',
                   'view_joint_order')
weak_view = [
    dict(type='RandomBBoxTransform', shift_factor=0.05,
         scale_factor=(0.9, 1.1), rotate_factor=10, rotate_prob=0.5),
    dict(type='TopdownAffine', input_size=study_input_size),
    dict(type='RecordViewGeometry'),
    dict(type='PackPoseInputs', meta_keys=study_meta_keys),
]
strong_view = [
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', shift_factor=0.1,
         scale_factor=(0.6, 1.3), rotate_factor=60, rotate_prob=1.0),
    dict(type='TopdownAffine', input_size=study_input_size),
    dict(type='RecordViewGeometry'),
    dict(type='PhotometricDistortion'),
    dict(type='PackPoseInputs', meta_keys=study_meta_keys),
]
mild_strong_view = [
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', shift_factor=0.1,
         scale_factor=(0.8, 1.2), rotate_factor=30, rotate_prob=1.0),
    dict(type='TopdownAffine', input_size=study_input_size),
    dict(type='RecordViewGeometry'),
    dict(type='PhotometricDistortion'),
    dict(type='PackPoseInputs', meta_keys=study_meta_keys),
]
flipped_weak_view = [dict(type='RandomFlip', direction='horizontal',
                           prob=1.0)] + weak_view
