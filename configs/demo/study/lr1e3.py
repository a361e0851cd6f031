# Study: the mean teacher at the source-only stage's learning rate.
_base_ = ['../mlda.py']
optim_wrapper = dict(optimizer=dict(lr=1e-3))
