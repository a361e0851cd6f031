# Study: our recipe (configs/demo/ours.py) plus the authors' feature level,
# the per-pixel discriminator on the student's deconv-head features behind
# gradient reversal (as configs/demo/mt_feature_head.py). The question it
# answers on the dev target: does the head-feature discriminator, the one
# level that gains most on the thermal family, belong in ours?
_base_ = ['../ours.py', '../feature_level.py']
model = dict(
    adversarial_loss=_base_.head_adversarial_loss,
    adversarial_input='head')
optim_wrapper = _base_.feature_level_optim_wrapper
custom_hooks = _base_.feature_level_hooks
