# Study variant of gpa_lpa_adversarial.py: generator and discriminator learn 10x faster
# (Adam 1e-3 each instead of 1e-4), so the adversarial game moves within the
# 300 adaptation iterations.
_base_ = ['../gpa_lpa_adversarial.py']
optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=1e-3)),
    discriminator=dict(optimizer=dict(lr=1e-3)))
