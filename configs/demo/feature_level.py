# The feature level's shared settings, for configs that add it to another
# recipe (read them as _base_.<name>): the discriminator learns at the
# student's rate, as in the authors' code (two Adam optimisers, one lr), and
# the gradient-reversal coefficient ramps as 2 / (1 + exp(-10 p)) - 1 over
# training (Ganin & Lempitsky, the paper's "method [7]").
feature_level_optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'adversarial_loss': dict(lr_mult=1.)}))
feature_level_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='MeanTeacherHook'),
    dict(type='KeepFreedMemoryHook'),
    dict(type='GRLCoefficientHook', schedule='dann', value=1.0, gamma=10.0),
]
# the authors' form: their per-pixel discriminator on the deconv-head features
# (adversarial_input='head'), at a quarter of their width as the demo's head
# is (configs/demo/mt_feature_head.py)
head_adversarial_loss = dict(
    type='DomainAdversarialLoss',
    loss_weight=0.1,
    discriminator=dict(type='PixelDomainDiscriminator', in_channels=64,
                       hidden_channels=64))
