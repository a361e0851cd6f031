# Oracle of the simcc head family: its source-only training on the
# LABELLED target figures.
_base_ = ['./simcc_source_only.py']
train_dataloader = dict(
    dataset=dict(data_root='data_cache/toy_figures/target_train/'))
