# Study ablation of gpa_lpa_adversarial.py: the generator never learns (lr 0), so the
# augmentations are the initial generator's random, bounded transformations:
# does the discriminator's (target) signal matter at all?
_base_ = ['../gpa_lpa_adversarial.py']
optim_wrapper = dict(generator=dict(optimizer=dict(lr=0.0)))
