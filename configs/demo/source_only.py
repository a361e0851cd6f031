# Source-only: plain MMPose training on the labelled "rendered" figures,
# scored on the "photographed" target test set. Its checkpoint initialises
# configs/demo/mean_teacher.py.
_base_ = ['mmpose::_base_/default_runtime.py', './common.py']
custom_imports = dict(imports=['mmpose_mlda'], allow_failed_imports=False)

train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomBBoxTransform', rotate_factor=30, scale_factor=(0.8, 1.2)),
    dict(type='TopdownAffine', input_size={{_base_.input_size}}),
    dict(type='PhotometricDistortion'),
    dict(type='GenerateTarget', encoder={{_base_.codec}}),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(
    batch_size=32,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='CocoDataset',
        data_root='data_cache/toy_figures/source_train/',
        ann_file='annotations.json',
        data_prefix=dict(img='images/'),
        metainfo={{_base_.metainfo}},
        pipeline=train_pipeline))

train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=3000,
    val_interval=750)
val_cfg = dict()
test_cfg = dict()
optim_wrapper = dict(optimizer=dict(type='Adam', lr=1e-3))
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[2400], gamma=0.1)
]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(
        type='SafeCheckpointHook', by_epoch=False, interval=750,
        save_best='hm_pck/All', rule='greater'))
log_processor = dict(by_epoch=False)
# a rank that stops answering ends the job after this many seconds instead of
# leaving the others waiting (MMEngine passes it to init_process_group)
env_cfg = dict(dist_cfg=dict(timeout=1800))
