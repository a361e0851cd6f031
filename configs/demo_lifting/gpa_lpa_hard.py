# Variant of gpa_lpa_adversarial.py with the generator's "hardness" feedback on
# (L_G += relu(beta * e_src - e_aug), beta = 2): augmentations are pushed to
# be twice as hard for the lifter as the source poses. Not a default row of
# tools/demo_lifting.py (see docs/poseda.md for why: on this benchmark the
# feedback exploits the 2D-3D depth ambiguity and hurts).
_base_ = ['./gpa_lpa_adversarial.py']
model = dict(lpa_cfg=dict(hard_weight=1.0, hard_ratio=2.0))
