# Oracle: the same training on the LABELLED target figures, the upper bound
# adaptation is measured against.
_base_ = ['./source_only.py']
train_dataloader = dict(
    dataset=dict(data_root='data_cache/toy_figures/target_train/'))
