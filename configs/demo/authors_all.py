# The authors' released recipe (configs/_base_/mlda_authors.py) at the built-in
# benchmark's scale: their teacher (train-mode BatchNorm), reference frame
# with nearest warps, re-rendered pseudo heatmaps, kthvalue threshold, one
# occluded keypoint per sample, per-pixel discriminator on the head features
# (a quarter of their widths, as the demo head is a quarter of theirs),
# per-domain adversarial reduction, constant reversal coefficient, their IM
# on the warped heatmaps, their target views (one shared random resized crop
# inside the box, then a random affine with shear per view) and two
# optimizers. FDA stands in for their
# AdaIN (no weights here), in their batch pairing.
_base_ = ['./mean_teacher.py', '../_base_/mlda_authors.py']

model = dict(
    _delete_=True,
    type='MeanTeacherPoseEstimator',
    pose_model={{_base_.model.pose_model}},
    data_preprocessor=dict(
        style_transfer=dict(type='FourierStyleTransfer', beta=0.03, prob=0.5,
                            pairing='batch')),
    teacher_decay={{_base_.model.teacher_decay}},
    teacher_norm='batch',
    pseudo_labeler={{_base_.mlda_model.pseudo_labeler}},
    consistency_threshold={{_base_.mlda_model.consistency_threshold}},
    # 20 of 256 pixels -> 5 of 64
    occlusion=dict(type='SingleKeypointOcclusion', prob=0.5,
                   min_confidence=0.9, half_size=2),
    adversarial_loss=dict(
        type='DomainAdversarialLoss',
        loss_weight=0.1,
        reduction='per_domain',
        discriminator=dict(
            type='PixelDomainDiscriminator', in_channels=64,
            hidden_channels=(64, 32, 32), classifier_kernel=3)),
    adversarial_input='head',
    im_loss={{_base_.mlda_model.im_loss}},
    im_input='frame')
custom_hooks = {{_base_.mlda_hooks}}

target_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    # their random resized crop, always inside the box's square crop (on
    # the demo's 64-pixel canvas)
    dict(type='RandomSquareCropInBox', area=(0.6, 1.3),
         canvas=64),
    dict(type='TopdownAffine', input_size={{_base_.input_size}}),
    dict(type='RecordViewGeometry'),
    {{_base_.authors_views}},
]
train_dataloader = dict(dataset=dict(target=dict(pipeline=target_pipeline)))
optim_wrapper = dict(
    _delete_=True,
    constructor='PartsOptimWrapperConstructor',
    student=dict(optimizer=dict(type='Adam', lr=1e-4)),
    discriminator=dict(optimizer=dict(type='Adam', lr=1e-4)))
param_scheduler = dict(
    _delete_=True,
    student=[dict(type='MultiStepLR', by_epoch=False, milestones=[450],
                  gamma=0.1)],
    discriminator=[])
