# Table 6 ablation: mean teacher + feature-level alignment (discriminator on
# the student's backbone features behind gradient reversal; paper weight 0.1,
# discriminator learning rate x10 through a parameter-wise multiplier).
_base_ = ['./mlda.py']
model = dict(
    adversarial_loss=dict(
        type='DomainAdversarialLoss',
        loss_weight=0.1,
        discriminator=dict(type='FeatureDomainDiscriminator',
                           in_channels=256)),
    adversarial_input='backbone')
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'adversarial_loss': dict(lr_mult=10.)}))
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='MeanTeacherHook'),
    dict(type='GRLCoefficientHook', schedule='constant', value=1.0),
]
