# MLDA on the animal top-down setting, the paper's defaults: mean teacher (EMA
# 0.999, random consistency threshold, keypoint occlusion) + AdaIN style
# transfer (p 0.5, alpha ~ U(0, 1)) + feature discriminator behind gradient
# reversal (lambda_adv 0.1) + information maximisation (lambda_im 0.3).
# Task configs (configs/mlda_*.py) fill in the source and target datasets.
#
# AdaIN needs the pytorch-AdaIN weight files (vgg_normalised.pth and a
# decoder; see docs/datasets.md). Without them use the weight-free FDA:
#   --cfg-options model.data_preprocessor.style_transfer.type=FourierStyleTransfer \
#       model.data_preprocessor.style_transfer.beta=0.01
_base_ = [
    './mlda_runtime.py', './tasks/animal_res101_256.py', './mlda_views_256.py'
]
model = dict(
    _delete_=True,
    type='MeanTeacherPoseEstimator',
    pose_model={{_base_.model}},
    data_preprocessor=dict(
        style_transfer=dict(
            type='AdaINStyleTransfer',
            encoder_weights='checkpoints/vgg_normalised.pth',
            decoder_weights='checkpoints/decoder.pth',
            alpha=(0.0, 1.0),
            prob=0.5)),
    teacher_decay=0.999,
    consistency_threshold=dict(type='random', low=0.0, high=1.0),
    # the authors' --occlude-rate 0.5 --occlude-thresh 0.9
    occlusion=dict(prob=0.5, min_confidence=0.9, patch_ratio=0.12),
    adversarial_loss=dict(
        type='DomainAdversarialLoss',
        loss_weight=0.1,
        discriminator=dict(type='FeatureDomainDiscriminator',
                           in_channels=2048)),
    adversarial_input='backbone',
    # the paper gives no threshold value
    im_loss=dict(
        type='InformationMaximizationLoss',
        confidence_threshold=0.3,
        loss_weight=0.3))
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='MeanTeacherHook'),
    # the reversal schedule of the method the paper cites (Ganin & Lempitsky,
    # DANN); the authors' code keeps 1.0: schedule='constant', value=1.0
    dict(type='GRLCoefficientHook', schedule='dann', value=1.0, gamma=10.0),
]

batch_size = 64  # 32 source + 32 target images per iteration
train_dataloader = dict(
    _delete_=True,
    batch_size=batch_size,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(
        type='TwoDomainSampler', batch_size=batch_size, source_ratio=0.5),
    dataset=dict(
        type='DomainAdaptationDataset',
        source=dict(pipeline={{_base_.source_branch_pipeline}}),
        target=dict(pipeline={{_base_.target_pipeline}})))
