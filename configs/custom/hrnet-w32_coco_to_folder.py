# Adapt a COCO-trained HRNet-W32 (heatmaps) to a folder of your own images
# with our recipe's heatmap consistency (README, "Adapt your own model to your
# own images"):
#   python tools/train.py configs/custom/hrnet-w32_coco_to_folder.py \
#       --cfg-options load_from=checkpoints/td-hm_hrnet-w32_8xb64-210e_coco-256x192-81c58e40_20220909.pth
_base_ = [
    'mmpose::body_2d_keypoint/topdown_heatmap/coco/td-hm_hrnet-w32_8xb64-210e_coco-256x192.py',  # noqa
    '../_base_/folder_target.py'
]
custom_imports = dict(imports=['mmpose_mlda'], allow_failed_imports=False)
input_size = _base_.codec['input_size']
codec = _base_.codec
model = dict(
    _delete_=True,
    type='MeanTeacherPoseEstimator',
    # the weights come from load_from (no pretrained-backbone download)
    pose_model=dict(
        _base_.model,
        backbone=dict(_base_.model.backbone, init_cfg=None),
        test_cfg=dict(flip_test=False)),
    teacher_decay=0.999,
    pseudo_labeler=dict(type='HeatmapPseudoLabeler', rerender=True),
    **_base_.folder_ours_model,
    occlusion=dict(type='ConfidentKeypointOcclusion', prob=0.5,
                   min_confidence=0.5, patch_ratio=0.12))

affine = [dict(type='TopdownAffine', input_size=input_size)]
weak_view = _base_.folder_weak_augment + affine + _base_.folder_weak_finish
strong_view = _base_.folder_strong_augment + affine + \
    _base_.folder_strong_finish
load = [dict(type='LoadImage'), dict(type='GetBBoxCenterScale')]
source_pipeline = load + _base_.folder_source_augment + affine + [
    dict(type='PhotometricDistortion'),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PoseMultiBranch', branch_field=_base_.folder_branches,
         source=[dict(type='PackPoseInputs')]),
]
target_pipeline = load + [
    dict(type='PoseMultiBranch', branch_field=_base_.folder_branches,
         target_weak=weak_view, target_strong=strong_view)
]
# two weak views of each held-out image (pseudo-label stability)
monitor_pipeline = load + [
    dict(type='PoseMultiBranch', branch_field=_base_.folder_monitor_branches,
         target_weak=weak_view, target_weak_1=weak_view)
]
train_dataloader = dict(
    _delete_=True,
    dataset=dict(
        type='DomainAdaptationDataset',
        source=dict(_base_.folder_source_dataset, pipeline=source_pipeline),
        target=dict(_base_.folder_target_dataset, pipeline=target_pipeline)),
    **_base_.folder_train_dataloader)
monitor_dataloader = dict(
    _base_.folder_monitor_dataloader,
    dataset=dict(_base_.folder_monitor_dataloader.dataset,
                 pipeline=monitor_pipeline))
# the hooks read the top-level key: --cfg-options monitor_dataloader.... works
custom_hooks = _base_.folder_hooks + [
    dict(type='LabelFreeMonitorHook', dataloader='monitor_dataloader',
         interval=500),
    dict(type='PseudoLabelVisualizationHook',
         dataloader='monitor_dataloader', interval=500),
]
train_cfg = dict(_delete_=True, **_base_.folder_train_cfg)
val_cfg = val_dataloader = val_evaluator = None
test_cfg = test_dataloader = test_evaluator = None
optim_wrapper = dict(_delete_=True, **_base_.folder_optim_wrapper)
param_scheduler = _base_.folder_param_scheduler
default_hooks = _base_.folder_default_hooks
log_processor = dict(by_epoch=False)
