# Study: combo_b with FDA (image level) and the head-feature discriminator
# (feature level, the authors' form, as configs/demo/mt_feature_head.py).
_base_ = ['./combo_b.py']
model = dict(
    data_preprocessor=dict(
        style_transfer=dict(type='FourierStyleTransfer', beta=0.03,
                            prob=0.5)),
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
