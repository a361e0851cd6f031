# PoseDA, Human3.6M -> MPI-INF-3DHP: global position alignment (target 2D
# only, no target 3D) + local pose augmentation (generator + anchor
# discriminator with the unlabelled 3DHP 2D poses as anchors), starting from
# the source-only config's last checkpoint (train it first). Every batch
# holds 256 Human3.6M samples (2D + 3D) and 256 unlabelled MPI-INF-3DHP 2D
# poses. hard_weight=0: see docs/poseda.md (the "harder" feedback hurt on
# the built-in benchmark).
_base_ = ['./poseda_h36m_3dhp_source_only.py']

mixed_batch_size = 512

model = dict(
    gpa=dict(type='GlobalPositionAlignment'),
    generator=dict(type='PoseAugmentationGenerator'),
    discriminator=dict(type='TargetAnchor2DDiscriminator'),
    lpa_cfg=dict(warmup_iters=0, hard_weight=0.0))
load_from = 'work_dirs/poseda_h36m_3dhp_source_only/iter_60000.pth'

train_dataloader = dict(
    batch_size=mixed_batch_size,
    sampler=dict(
        _delete_=True,
        type='TwoDomainSampler',
        batch_size=mixed_batch_size,
        source_ratio=0.5),
    dataset=dict(
        _delete_=True,
        type='DomainAdaptationDataset',
        source={{_base_.source_dataset}},
        target={{_base_.target_train_dataset}}))

optim_wrapper = dict(
    _delete_=True,
    constructor='PartsOptimWrapperConstructor',
    lifter=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3)),
    generator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4)),
    discriminator=dict(
        type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4)))
param_scheduler = dict(
    _delete_=True,
    lifter=[
        dict(type='CosineAnnealingLR', T_max={{_base_.max_iters}},
             by_epoch=False, eta_min=1e-6)
    ],
    generator=[],
    discriminator=[])
