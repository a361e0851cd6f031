# Study variant: wide bounds (lpa_wide_bounds.py) and the fast game
# (lpa_fast_game.py) together.
_base_ = ['./lpa_wide_bounds.py']
optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=1e-3)),
    discriminator=dict(optimizer=dict(lr=1e-3)))
