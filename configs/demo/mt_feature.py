# Table 6 ablation: mean teacher + feature-level alignment (discriminator on
# the student's backbone features behind gradient reversal; paper weight 0.1).
# The paper leaves the reversal schedule and the discriminator's learning rate
# open; as in the authors' code the coefficient is 1.0 and the discriminator
# learns at the student's rate (they use two Adam optimisers with one lr). A
# discriminator at 10x the rate overpowered the student on this benchmark
# (README, "Built-in benchmark").
_base_ = ['./mlda.py']
model = dict(
    adversarial_loss=dict(
        type='DomainAdversarialLoss',
        loss_weight=0.1,
        discriminator=dict(type='FeatureDomainDiscriminator',
                           in_channels=256)),
    adversarial_input='backbone')
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'adversarial_loss': dict(lr_mult=1.)}))
custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='MeanTeacherHook'),
    dict(type='GRLCoefficientHook', schedule='constant', value=1.0),
]
