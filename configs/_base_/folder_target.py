# The pieces configs/custom/*_coco_to_folder.py share (names start with
# folder_, so this file sits beside any MMPose model config in `_base_`):
# COCO as the labelled source, a folder of your own images (data/my_images/,
# any tree of jpg/png) as the unlabelled target, the views, label-free
# monitoring on a held-out slice of the folder, and the runtime. Such a target
# has no labels to validate on: the run is watched through the monitor
# (monitor/... in the log and every visualiser backend) and the pseudo-label
# grids in <work_dir>/pseudo_labels/.
folder_metainfo = dict(from_file='configs/_base_/datasets/coco.py')
folder_branches = ['source', 'target_weak', 'target_strong']
folder_monitor_branches = ['target_weak', 'target_weak_1']
folder_view_meta_keys = (
    'id', 'img_id', 'img_path', 'category_id', 'crowd_index', 'ori_shape',
    'img_shape', 'input_size', 'input_center', 'input_scale', 'flip',
    'flip_direction', 'flip_indices', 'raw_ann_info', 'dataset_name',
    'view_affine', 'view_joint_order')
folder_source_dataset = dict(
    type='CocoDataset',
    data_root='data/coco/',
    ann_file='annotations/person_keypoints_train2017.json',
    data_prefix=dict(img='train2017/'),
    metainfo=folder_metainfo)
# boxes: the whole image (pre-cropped people); for full scenes give a COCO
# detection-results json (bbox_file=...) or an MMDetection detector
# (detector=dict(config=..., checkpoint=...)), see UnlabeledImageDataset
folder_target_dataset = dict(
    type='UnlabeledImageDataset',
    data_root='data/my_images/',
    metainfo=folder_metainfo,
    split='train')
# augmentation before each view's TopdownAffine, and after it
folder_source_augment = [
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', scale_factor=(0.75, 1.25),
         rotate_factor=40),
]
folder_weak_augment = [
    dict(type='RandomBBoxTransform', shift_factor=0.05,
         scale_factor=(0.9, 1.1), rotate_factor=10, rotate_prob=0.5),
]
# our recipe's milder strong view (configs/_base_/mlda_ours.py; the paper's
# is scale 0.6-1.3, rotation 60)
folder_strong_augment = [
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', shift_factor=0.05,
         scale_factor=(0.8, 1.2), rotate_factor=30, rotate_prob=1.0),
]
folder_weak_finish = [
    dict(type='RecordViewGeometry'),
    dict(type='PackPoseInputs', meta_keys=folder_view_meta_keys),
]
folder_strong_finish = [
    dict(type='RecordViewGeometry'),
    dict(type='PhotometricDistortion'),
    dict(type='PackPoseInputs', meta_keys=folder_view_meta_keys),
]
# our recipe's switches that apply to any head (configs/_base_/mlda_ours.py):
# the batch-median threshold and FDA from the source images
folder_ours_model = dict(
    data_preprocessor=dict(
        style_transfer=dict(type='FourierStyleTransfer', beta=0.01,
                            prob=0.5)),
    consistency_threshold=dict(type='QuantileConfidenceThreshold', q=0.5))
folder_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='MeanTeacherHook'),
    dict(type='KeepFreedMemoryHook'),
]
folder_train_dataloader = dict(
    batch_size=64,  # 32 source + 32 target images per iteration
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='TwoDomainSampler', batch_size=64, source_ratio=0.5))
# the source-free configs: target images only, as many per iteration as
# the 32 of the source-based 32 + 32 batch
folder_source_free_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True))
# the held-out slice of the training folder: data_root, boxes, metainfo and
# val_every are taken from the training target when the hooks build it, so
# moving the folder (train_dataloader.dataset.target.data_root, or
# train_dataloader.dataset.data_root when source-free) moves the slice too
folder_monitor_dataloader = dict(
    batch_size=32,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='UnlabeledImageDataset', split='val'))
folder_train_cfg = dict(
    type='AdaptationTrainLoop', max_iters=10000, burn_in_iters=0,
    val_interval=10000)
folder_optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=0.05))
folder_param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[7500], gamma=0.1)
]
folder_default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(
        type='SafeCheckpointHook', by_epoch=False, interval=1000,
        max_keep_ckpts=3, save_best=None))
