# Study variant of gpa_lpa_adversarial.py: twice the bone-direction limits of the
# default (limbs up to 1.2-1.4 rad, trunk 0.4-0.6 rad) and bone lengths in
# 1 +- 0.3, so the augmentations can reach articulations the source never
# shows.
_base_ = ['../gpa_lpa_adversarial.py']
model = dict(
    generator=dict(
        bone_limits=(0.0, 0.3, 1.2, 1.2, 0.3, 1.2, 1.2, 0.4, 0.4, 0.6, 0.6,
                     0.3, 1.4, 1.4, 0.3, 1.4, 1.4),
        max_bone_scale=0.3))
