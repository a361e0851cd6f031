# GPA + adversarial local pose augmentation (PoseDA's form, as this project
# reads it; the authors did not release LPA): an augmentation generator (bounded bone
# rotations, bone-length factors, global rotation) and an anchor
# discriminator whose anchors are the unlabelled TARGET 2D poses of the batch
# (re-projected augmentations must look like target 2D poses once root
# position and scale are divided out). The lifter trains on the GPA'd source
# poses plus their augmentations. No warm-up: the lifter starts from the
# source-only checkpoint.
_base_ = ['./gpa.py']
model = dict(
    generator=dict(type='PoseAugmentationGenerator'),
    discriminator=dict(type='TargetAnchor2DDiscriminator'),
    lpa_cfg=dict(warmup_iters=0, hard_weight=0.0))
optim_wrapper = dict(
    _delete_=True,
    constructor='PartsOptimWrapperConstructor',
    lifter=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr={{_base_.adapt_lr}})),
    generator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4)),
    discriminator=dict(
        type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4)))
param_scheduler = dict(
    _delete_=True,
    lifter=[
        dict(type='CosineAnnealingLR', T_max={{_base_.adapt_iters}},
             by_epoch=False, eta_min=1e-5)
    ],
    generator=[],
    discriminator=[])
