# Common schedule of the rows that start from the source-only checkpoint:
# the same number of iterations, learning rate and schedule for every row,
# so that only the training data / objective differ.
_base_ = ['./_base_.py']
adapt_iters = 300
adapt_lr = 5e-4
# the source-only checkpoint (tools/demo_lifting.py sets it; for
# tools/train.py run configs/demo_lifting/source_only.py first)
load_from = 'work_dirs/demo_lifting/source_only/iter_800.pth'
train_cfg = dict(max_iters=adapt_iters, val_interval=adapt_iters)
default_hooks = dict(checkpoint=dict(interval=adapt_iters))
optim_wrapper = dict(optimizer=dict(type='Adam', lr=adapt_lr))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=adapt_iters, by_epoch=False,
         eta_min=1e-5)
]
