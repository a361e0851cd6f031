# The RTMPose-style head family of the built-in benchmark: a tiny CSPNeXt
# (RTMPose-t widths) and MMPose's RTMCCHead (SimCC coordinate
# classification) at the benchmark's 64x64 input. simcc_source_only.py,
# simcc_oracle.py and simcc_mean_teacher.py build on these settings; the
# mean teacher adapts it with coordinate pseudo labels.
_base_ = ['./family_views.py']
simcc_codec = dict(
    type='SimCCLabel',
    input_size=(64, 64),
    sigma=(2.4, 2.4),
    simcc_split_ratio=2.0,
    normalize=False,
    use_dark=False)
simcc_model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        _scope_='mmdet',
        type='CSPNeXt',
        arch='P5',
        expand_ratio=0.5,
        deepen_factor=0.167,
        widen_factor=0.375,
        out_indices=(4, ),
        channel_attention=True,
        norm_cfg=dict(type='BN'),
        act_cfg=dict(type='SiLU')),
    head=dict(
        type='RTMCCHead',
        in_channels=384,
        out_channels=16,
        input_size=(64, 64),
        in_featuremap_size=(2, 2),
        simcc_split_ratio=2.0,
        final_layer_kernel_size=3,
        gau_cfg=dict(
            hidden_dims=128,
            s=64,
            expansion_factor=2,
            dropout_rate=0.,
            drop_path=0.,
            act_fn='SiLU',
            use_rel_bias=False,
            pos_enc=False),
        loss=dict(
            type='KLDiscretLoss',
            use_target_weight=True,
            beta=10.,
            label_softmax=True),
        decoder=simcc_codec),
    test_cfg=dict(flip_test=False))
family_codec = simcc_codec
family_model = simcc_model
