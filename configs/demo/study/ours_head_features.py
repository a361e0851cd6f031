# Study: our recipe (configs/demo/ours.py) plus the authors' feature level,
# the per-pixel discriminator on the student's deconv-head features behind
# gradient reversal (as configs/demo/mt_feature_head.py). The question it
# answers on the dev target: does the head-feature discriminator, the one
# level that gains most on the thermal family, belong in ours?
_base_ = ['../ours.py']
model = dict(
    adversarial_loss=dict(
        type='DomainAdversarialLoss',
        loss_weight=0.1,
        discriminator=dict(type='PixelDomainDiscriminator', in_channels=64,
                           hidden_channels=64)),
    adversarial_input='head')
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'adversarial_loss': dict(lr_mult=1.)}))
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='MeanTeacherHook'),
    dict(type='GRLCoefficientHook', schedule='dann', value=1.0, gamma=10.0),
]
