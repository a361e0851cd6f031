# GPA + local pose augmentation with random transformations (our LPA): every
# source pose also enters the lifter's loss once more, transformed by LPA's
# bounded transformations (bone-direction rotations within joint limits,
# symmetric bone-length factors 1 +- 0.2, a global rotation within yaw 0.5 /
# pitch and roll 0.3 rad) with random raw parameters N(0, 1): a bone turns
# by 0.86 of its joint limit on average (RandomPoseAugmentation). No
# generator is trained and no discriminator is needed: on the local target
# family the adversarial game
# (gpa_lpa_adversarial.py) made the lifter worse at every setting tried,
# random transformations helped; the strength was chosen on the local
# family's data seed 0 (docs/poseda.md, "What LPA does").
_base_ = ['./gpa.py']
model = dict(
    generator=dict(type='RandomPoseAugmentation', param_std=1.0),
    lpa_cfg=dict(warmup_iters=0))
