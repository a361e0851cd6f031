# The source-only stage of configs/mlda_authors_synanimal_tigdog_horse.py, as the authors run
# it (--pretrain-epoch 40): 40 epochs x 500 iterations on the labelled source
# only, with source-to-target style transfer, Adam 1e-4 without a drop, the
# best target PCK (every epoch) kept for the adaptation stage's load_from.
_base_ = ['./mlda_authors_synanimal_tigdog_horse.py']
train_cfg = dict(max_iters=20000, source_only=True)
param_scheduler = dict(_delete_=True, student=[], discriminator=[])
