# Control for the random LPA rows: RandomPoseAugmentation with a vanishing
# strength (raw parameters N(0, 1e-6^2)), so the "augmented" half of the
# lifter's loss is the GPA'd source poses again: what the extra loss term
# does without any new pose.
_base_ = ['../gpa.py']
model = dict(
    generator=dict(type='RandomPoseAugmentation', param_std=1e-6),
    lpa_cfg=dict(warmup_iters=0))
