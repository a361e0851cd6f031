# MLDA as the paper writes it: mean teacher (EMA 0.999, random consistency
# threshold, keypoint occlusion) + AdaIN style transfer (p 0.5, alpha ~
# U(0, 1)) + feature discriminator on the encoder features behind gradient
# reversal (lambda 0.1, the DANN ramp of the method the paper cites) +
# information maximisation (lambda 0.3). mlda_authors.py is the authors'
# released recipe; docs/paper_and_authors.md lists every
# difference and its switch. mlda_human_256.py / mlda_animal_256.py assemble
# these settings with a task's pose model.
#
# AdaIN needs the pytorch-AdaIN weight files (vgg_normalised.pth and a
# decoder; see docs/datasets.md). Without them use the weight-free FDA:
#   --cfg-options model.data_preprocessor.style_transfer.type=FourierStyleTransfer \
#       model.data_preprocessor.style_transfer.beta=0.01
mlda_model = dict(
    type='MeanTeacherPoseEstimator',
    data_preprocessor=dict(
        style_transfer=dict(
            type='AdaINStyleTransfer',
            encoder_weights='checkpoints/vgg_normalised.pth',
            decoder_weights='checkpoints/decoder.pth',
            alpha=(0.0, 1.0),
            prob=0.5)),
    teacher_decay=0.999,
    consistency_threshold=dict(
        type='RandomConfidenceThreshold', low=0.0, high=1.0),
    # the authors' --occlude-rate 0.5 --occlude-thresh 0.9
    occlusion=dict(
        type='ConfidentKeypointOcclusion',
        prob=0.5,
        min_confidence=0.9,
        patch_ratio=0.12),
    adversarial_loss=dict(
        type='DomainAdversarialLoss',
        loss_weight=0.1,
        discriminator=dict(
            type='FeatureDomainDiscriminator', in_channels=2048)),
    adversarial_input='backbone',
    # the paper gives no threshold value
    im_loss=dict(
        type='InformationMaximizationLoss',
        confidence_threshold=0.3,
        loss_weight=0.3))
mlda_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='MeanTeacherHook'),
    dict(type='KeepFreedMemoryHook'),
    # the reversal schedule of the method the paper cites (Ganin & Lempitsky,
    # DANN); the authors' code keeps 1.0: schedule='constant', value=1.0
    dict(type='GRLCoefficientHook', schedule='dann', value=1.0, gamma=10.0),
]
mlda_train_dataloader = dict(
    batch_size=64,  # 32 source + 32 target images per iteration
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='TwoDomainSampler', batch_size=64, source_ratio=0.5))

# The two views of each unlabelled target image at 256x256: a weak view for
# the teacher and a strong view for the student (keypoint occlusion is done by
# the model, at the teacher's confident keypoints). Each view records its
# geometry so the model can map student heatmaps into the teacher's frame.
branches = ['source', 'target_weak', 'target_strong']
view_meta_keys = ('id', 'img_id', 'img_path', 'category_id', 'crowd_index',
                  'ori_shape', 'img_shape', 'input_size', 'input_center',
                  'input_scale', 'flip', 'flip_direction', 'flip_indices',
                  'raw_ann_info', 'dataset_name', 'view_affine',
                  'view_joint_order')
target_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(
        type='PoseMultiBranch',
        branch_field=branches,
        target_weak=[
            dict(
                type='RandomBBoxTransform',
                shift_factor=0.05,
                scale_factor=(0.9, 1.1),
                rotate_factor=10,
                rotate_prob=0.5),
            dict(type='TopdownAffine', input_size=(256, 256)),
            dict(type='RecordViewGeometry'),
            dict(type='PackPoseInputs', meta_keys=view_meta_keys),
        ],
        target_strong=[
            dict(type='RandomFlip', direction='horizontal'),
            dict(
                type='RandomBBoxTransform',
                shift_factor=0.05,
                scale_factor=(0.6, 1.3),
                rotate_factor=60,
                rotate_prob=1.0),
            dict(type='TopdownAffine', input_size=(256, 256)),
            dict(type='RecordViewGeometry'),
            dict(type='PhotometricDistortion'),
            dict(type='PackPoseInputs', meta_keys=view_meta_keys),
        ]),
]
