# The paper's animal setting (SynAnimal -> TigDog / AnimalPose): the human
# top-down setting with Gaussian sigma 1 and the 18 TigDog keypoints (the
# AnimalPose configs set 14).
#
# Normalisation: ImageNet mean/std, as MMPose does. The animal peers
# (CC-SSL, UDA-Animal, UDAPE) subtract a per-dataset RGB mean and do NOT
# divide by the std; to reproduce that quirk give the mean in 0-255 and a std
# of 255, e.g. for SynAnimal 'all' (mean .3999, .3909, .3871):
#   --cfg-options model.pose_model.data_preprocessor.mean="[101.97,99.68,98.71]" \
#                 model.pose_model.data_preprocessor.std="[255,255,255]"
# (for source-only configs drop "pose_model.").
_base_ = ['./topdown_res101_256.py']

codec = dict(
    type='MSRAHeatmap', input_size=(256, 256), heatmap_size=(64, 64), sigma=1)
authors_codec = dict(codec, type='ValidityMSRAHeatmap', validity='centre')
model = dict(head=dict(out_channels=18, decoder=codec))
source_views = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(
        type='RandomBBoxTransform',
        shift_factor=0.05,
        scale_factor=(0.6, 1.3),
        rotate_factor=60),
    dict(type='TopdownAffine', input_size=(256, 256)),
    dict(type='PhotometricDistortion'),
    dict(type='GenerateTarget', encoder=codec),
]
# source-only training packs the views; adaptation configs route them into
# the 'source' branch of the mixed source/target batch
source_pipeline = source_views + [dict(type='PackPoseInputs')]
source_branch_pipeline = source_views + [
    dict(
        type='PoseMultiBranch',
        branch_field=['source', 'target_weak', 'target_strong'],
        source=[dict(type='PackPoseInputs')])
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=(256, 256)),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
# the authors' animal source images: their SynAnimal dataset class's own
# augmentation (CC-SSL's imgaug sequence on the whole render, the crop box
# left where it was), a horizontal flip with p 0.5, the box crop without
# rotation or scale jitter, no colour jitter; their target validity rule
authors_source_branch_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='SyntheticAnimalAugmentation'),
    dict(type='RandomFlip', direction='horizontal', prob=0.5),
    dict(type='TopdownAffine', input_size=(256, 256)),
    dict(type='GenerateTarget', encoder=authors_codec),
    source_branch_pipeline[-1],
]
# their validation: their validity rule, and each image's category for the
# combined-category model selection (HeatmapPCKMetric(categories=...))
authors_val_meta_keys = ('id', 'img_id', 'img_path', 'category_id',
                         'crowd_index', 'ori_shape', 'img_shape', 'input_size',
                         'input_center', 'input_scale', 'flip',
                         'flip_direction', 'flip_indices', 'raw_ann_info',
                         'dataset_name', 'animal')
authors_val_pipeline = val_pipeline[:3] + [
    dict(type='GenerateTarget', encoder=authors_codec),
    dict(type='PackPoseInputs', meta_keys=authors_val_meta_keys),
]
train_dataloader = dict(dataset=dict(pipeline=source_pipeline))
# the authors' animal scripts evaluate one image per batch (--test-batch 1),
# which the published PCK depends on
val_dataloader = dict(batch_size=1, dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = [dict(type='HeatmapPCKMetric', joint_groups='tigdog')]
test_evaluator = val_evaluator
