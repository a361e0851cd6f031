# The source views of the head families (family_simcc.py,
# family_regression.py): the benchmark's source-only augmentation up to the
# crop; each family config appends its codec's GenerateTarget.
family_source_views = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', rotate_factor=30, scale_factor=(0.8, 1.2)),
    dict(type='TopdownAffine', input_size=(64, 64)),
    dict(type='PhotometricDistortion'),
]
