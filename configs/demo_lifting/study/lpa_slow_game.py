# Study: the generator learns 10x slower than in gpa_lpa_adversarial.py (Adam 1e-5), the
# discriminator as there (1e-4): between the frozen generator and the
# default game.
_base_ = ['../gpa_lpa_adversarial.py']
optim_wrapper = dict(generator=dict(optimizer=dict(lr=1e-5)))
