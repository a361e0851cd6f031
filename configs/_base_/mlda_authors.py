# MLDA as the authors released it (sunshinglight/DAML_PoseEstimation,
# train_human.py / train_animal.py / train_animal_other.py with the README's
# arguments). mlda_paper.py is the paper as written;
# docs/paper_and_authors.md lists every difference and the switch that selects
# it. mlda_authors_human_256.py / mlda_authors_animal_256.py assemble these
# settings with a task's pose model; configs/mlda_authors_<task>.py add the
# datasets, configs/mlda_authors_<task>_source_only.py the 40 source-only
# epochs before adaptation.
#
# Style transfer needs the authors' AdaIN weights (their saved_models/:
# vgg_normalised.pth and decoder_s2l_0_1.pth.tar for humans,
# decoder_animal_0_1.pth.tar for animals) under checkpoints/.
mlda_model = dict(
    type='MeanTeacherPoseEstimator',
    data_preprocessor=dict(
        # --s2t-freq 0.5 --s2t-alpha 0 1: the whole source batch with p 0.5,
        # source i in the style of target i, one alpha, on normalised images
        style_transfer=dict(
            type='AdaINStyleTransfer',
            encoder_weights='checkpoints/vgg_normalised.pth',
            decoder_weights='checkpoints/decoder_s2l_0_1.pth.tar',
            alpha=(0.0, 1.0),
            prob=0.5,
            pairing='batch'),
        style_space='normalized'),
    teacher_decay=0.999,  # --teacher_alpha
    teacher_norm='batch',  # teacher.train(), OldWeightEMA on parameters
    teacher_fp32=True,  # under AMP their teacher step runs outside autocast
    pseudo_labeler=dict(
        type='HeatmapPseudoLabeler',
        # both views warped back into the unaugmented crop, nearest
        frame=dict(type='ReferenceFrame', warp='authors',
                   interpolation='nearest'),
        rerender=True,  # rectify()
        truncation=3.0),
    consistency_threshold=dict(  # --mask-ratio 0.5
        type='KthValueConfidenceThreshold', mask_ratio=0.5),
    occlusion=dict(  # --occlude-rate 0.5 --occlude-thresh 0.9
        type='SingleKeypointOcclusion',
        prob=0.5,
        min_confidence=0.9,
        half_size=10),
    adversarial_loss=dict(  # --lambda_b 0.1 on each domain's BCE
        type='DomainAdversarialLoss',
        loss_weight=0.1,
        reduction='per_domain',
        discriminator=dict(
            type='PixelDomainDiscriminator',
            in_channels=256,
            hidden_channels=(256, 128, 128),
            classifier_kernel=3)),
    adversarial_input='head',
    im_loss=dict(  # SimCCLoss, --lambda_c 0.3, on the warped heatmaps
        type='InformationMaximizationLoss',
        formula='authors',
        loss_weight=0.3),
    im_input='frame')
mlda_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='MeanTeacherHook'),
    dict(type='KeepFreedMemoryHook'),
    dict(type='GRLCoefficientHook', schedule='constant', value=1.0),
]
mlda_train_dataloader = dict(
    batch_size=64,  # -b 32: 32 source + 32 target images per iteration
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='TwoDomainSampler', batch_size=64, source_ratio=0.5))
# two Adams at 1e-4; 70 epochs of 500 iterations, lr steps at epochs 45 and
# 60 (their MultiStepLR is stepped at the start of each epoch, so the student
# drops at epochs 44 and 59, i.e. 2000 and 9500 iterations into the 30
# adaptation epochs); the discriminator's scheduler is stepped only during
# adaptation and never reaches its milestones: it stays at 1e-4
mlda_optim_wrapper = dict(
    constructor='PartsOptimWrapperConstructor',
    student=dict(optimizer=dict(type='Adam', lr=1e-4)),
    discriminator=dict(optimizer=dict(type='Adam', lr=1e-4)))
mlda_param_scheduler = dict(
    student=[
        dict(
            type='MultiStepLR',
            by_epoch=False,
            milestones=[2000, 9500],
            gamma=0.1)
    ],
    discriminator=[])
# 30 adaptation epochs x 500 iterations, validated (and the best kept) every
# epoch; the source-only presets run the 40 pretraining epochs first
mlda_train_cfg = dict(max_iters=15000, val_interval=500)

# The authors' target views: one shared crop (the reference frame), then per
# view a random affine with shear (RandomAffineRotation: rotation 60, shear
# +-30, translation 0.05, scale 0.6-1.3), teacher and student alike, no flip.
authors_branches = ['source', 'target_weak', 'target_strong']
authors_view_meta_keys = (
    'id', 'img_id', 'img_path', 'category_id', 'crowd_index', 'ori_shape',
    'img_shape', 'input_size', 'input_center', 'input_scale', 'flip',
    'flip_direction', 'flip_indices', 'raw_ann_info', 'dataset_name',
    'view_affine', 'view_joint_order', 'reference_affine',
    'view_affine_params')
authors_view = [
    dict(
        type='RandomViewAffine',
        rotate=60,
        shear=(-30, 30),
        translate=(0.05, 0.05),
        scale=(0.6, 1.3),
        interpolation='nearest'),
    # their ColorJitter(0.25, 0.25, 0.25): torchvision's semantics
    dict(type='TorchvisionColorJitter', brightness=0.25, contrast=0.25,
         saturation=0.25),
    dict(type='PackPoseInputs', meta_keys=authors_view_meta_keys),
]
authors_views = dict(
    type='PoseMultiBranch',
    branch_field=authors_branches,
    target_weak=authors_view,
    target_strong=authors_view)
