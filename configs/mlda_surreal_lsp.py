# MLDA, SURREAL -> LSP (paper Table 1; published All: 84.4 PCK@0.05).
#   python tools/train.py configs/source_only_surreal_lsp.py
#   python tools/train.py configs/mlda_surreal_lsp.py \
#       --cfg-options load_from=work_dirs/source_only_surreal_lsp/best_*.pth
_base_ = ['./_base_/mlda_human_256.py', './_base_/tasks/surreal_lsp.py']
train_dataloader = dict(
    dataset=dict(
        source={{_base_.source_dataset}}, target={{_base_.target_dataset}}))
val_dataloader = dict(dataset={{_base_.test_dataset}})
test_dataloader = val_dataloader
