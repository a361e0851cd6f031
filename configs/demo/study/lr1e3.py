# Study: the mean teacher at the source-only stage's learning rate.
_base_ = ['../mean_teacher.py']
optim_wrapper = dict(optimizer=dict(lr=1e-3))
