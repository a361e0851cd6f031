# Study variant of gpa_lpa_adversarial.py: a weak, bounded hardness feedback (at most
# 1.2x the source error, weight 0.1) beside the target-anchored realism.
_base_ = ['../gpa_lpa_adversarial.py']
model = dict(lpa_cfg=dict(hard_weight=0.1, hard_ratio=1.2))
