# Source-only, SURREAL -> LSP (paper Table 1: 65.0 PCK@0.05 All): trained on
# labelled SURREAL, scored on LSP. Initialises configs/mlda_surreal_lsp.py.
_base_ = [
    './_base_/source_only_runtime.py', './_base_/tasks/topdown_res101_256.py',
    './_base_/tasks/surreal_lsp.py'
]
train_dataloader = dict(dataset={{_base_.source_dataset}})
val_dataloader = dict(dataset={{_base_.test_dataset}})
test_dataloader = val_dataloader
