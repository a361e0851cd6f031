# Study: LPA with random transformations (RandomPoseAugmentation, raw
# parameters N(0, 1.0^2), the generator's default bounds) instead of the
# adversarial generator: no discriminator, no game.
_base_ = ['../gpa.py']
model = dict(
    generator=dict(type='RandomPoseAugmentation', param_std=1.0),
    lpa_cfg=dict(warmup_iters=0))
