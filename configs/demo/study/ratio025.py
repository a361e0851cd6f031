# Study: 8 source + 24 target images per batch (the default 16 + 16).
_base_ = ['../mean_teacher.py']
train_dataloader = dict(sampler=dict(source_ratio=0.25))
