# Our recipe (docs/adaptation_study.md) as switches on the paper's preset
# (mlda_paper.py); configs/mlda_ours_<task>.py apply them to a task:
#   model = {{_base_.ours_model}}
#   train_dataloader = dict(dataset=dict(target=dict(
#       pipeline={{_base_.ours_target_pipeline}})))
#   custom_hooks = {{_base_.ours_hooks}}  (no reversal schedule)
# Each switch was chosen on the built-in benchmark's dev target
# (configs/demo/ours.py is the same recipe at that scale):
# - a pseudo label counts where the teacher is above the batch median;
# - teacher heatmaps are re-rendered as Gaussians at their argmax;
# - the student's strong view is milder (rotation 30, scale 0.8-1.2);
# - the image level is the weight-free FDA (beta 0.01: a 5x5 band of a 256
#   crop) instead of AdaIN, which needs released weights;
# - no feature level: the paper's classifier on the backbone features pulls
#   the encoder back to the source (its reversed gradient is 8-13x the pose
#   losses') and costs points at every weight tried, and the authors'
#   head-feature discriminator added nothing on top of the switches above;
# - no pose level (IM moved nothing measurable).
# The paper's learning rate (1e-4, the source stage's) and teacher decay
# (0.999: it averages about 7% of the 15k adaptation iterations, as the
# benchmark's 0.95 averages about 5% of its 400) are kept.
ours_model = dict(
    data_preprocessor=dict(
        style_transfer=dict(_delete_=True, type='FourierStyleTransfer',
                            beta=0.01, prob=0.5)),
    consistency_threshold=dict(
        _delete_=True, type='QuantileConfidenceThreshold', q=0.5),
    pseudo_labeler=dict(type='HeatmapPseudoLabeler', rerender=True),
    adversarial_loss=None,
    im_loss=None)
ours_hooks = [dict(type='SyncBuffersHook'), dict(type='MeanTeacherHook'),
              dict(type='KeepFreedMemoryHook')]
ours_view_meta_keys = ('id', 'img_id', 'img_path', 'category_id',
                       'crowd_index', 'ori_shape', 'img_shape', 'input_size',
                       'input_center', 'input_scale', 'flip',
                       'flip_direction', 'flip_indices', 'raw_ann_info',
                       'dataset_name', 'view_affine', 'view_joint_order')
ours_target_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(
        type='PoseMultiBranch',
        branch_field=['source', 'target_weak', 'target_strong'],
        target_weak=[
            dict(type='RandomBBoxTransform', shift_factor=0.05,
                 scale_factor=(0.9, 1.1), rotate_factor=10, rotate_prob=0.5),
            dict(type='TopdownAffine', input_size=(256, 256)),
            dict(type='RecordViewGeometry'),
            dict(type='PackPoseInputs', meta_keys=ours_view_meta_keys),
        ],
        target_strong=[
            dict(type='RandomFlip', direction='horizontal'),
            dict(type='RandomBBoxTransform', shift_factor=0.05,
                 scale_factor=(0.8, 1.2), rotate_factor=30, rotate_prob=1.0),
            dict(type='TopdownAffine', input_size=(256, 256)),
            dict(type='RecordViewGeometry'),
            dict(type='PhotometricDistortion'),
            dict(type='PackPoseInputs', meta_keys=ours_view_meta_keys),
        ]),
]
