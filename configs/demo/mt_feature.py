# Table 6 ablation: mean teacher + feature-level alignment (discriminator on
# the student's backbone features behind gradient reversal; paper weight 0.1).
# The paper optimises the max-min game with "the method [7]" (Ganin & Lempitsky,
# gradient reversal), whose coefficient ramps as 2 / (1 + exp(-10 p)) - 1 over
# training; the discriminator learns at the student's rate, as in the authors'
# code (two Adam optimisers, one lr). The authors' fixed coefficient 1.0 is
# schedule='constant'. On this benchmark a coefficient of 1.0 from the first
# iteration, or a discriminator at 10x the rate, cost 5-6 PCK points (one
# seed on an early version of this benchmark: the README of commit 006f7ca).
_base_ = ['./mean_teacher.py', './feature_level.py']
model = dict(
    adversarial_loss=dict(
        type='DomainAdversarialLoss',
        loss_weight=0.1,
        discriminator=dict(type='FeatureDomainDiscriminator',
                           in_channels=256)),
    adversarial_input='backbone')
optim_wrapper = _base_.feature_level_optim_wrapper
custom_hooks = _base_.feature_level_hooks
