# Study: combo_b with FDA (image level) and the head-feature discriminator
# (feature level, the authors' form, as configs/demo/mt_feature_head.py).
_base_ = ['./combo_b.py', '../feature_level.py']
model = dict(
    data_preprocessor=dict(
        style_transfer=dict(type='FourierStyleTransfer', beta=0.03,
                            prob=0.5)),
    adversarial_loss=_base_.head_adversarial_loss,
    adversarial_input='head')
optim_wrapper = _base_.feature_level_optim_wrapper
custom_hooks = _base_.feature_level_hooks
