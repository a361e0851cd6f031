# Our recipe (configs/_base_/mlda_ours.py, docs/adaptation_study.md) on
# configs/mlda_surreal_lsp.py: same model, data and schedule, our switches.
#   python tools/train.py configs/source_only_surreal_lsp.py
#   python tools/train.py configs/mlda_ours_surreal_lsp.py \
#       --cfg-options load_from=work_dirs/source_only_surreal_lsp/best_*.pth
_base_ = ['./mlda_surreal_lsp.py', './_base_/mlda_ours.py']
model = {{_base_.ours_model}}
train_dataloader = dict(
    dataset=dict(target=dict(pipeline={{_base_.ours_target_pipeline}})))
custom_hooks = {{_base_.ours_hooks}}
