# Study: our source-free recipe (configs/demo/source_free_ours.py) at
# ours.py's fast pace (learning rate 1e-3, teacher decay 0.95). Measured on
# the dev target it peaks at iteration 100 (43.6) and drifts down to 35.1 by
# iteration 400 (docs/adaptation_study.md, 6b); it is what the small
# source-free adaptation test runs (the early effect, in few iterations).
_base_ = ['../source_free_ours.py']
model = dict(teacher_decay=0.95)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
