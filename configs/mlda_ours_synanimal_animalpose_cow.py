# Our recipe (configs/_base_/mlda_ours.py, docs/adaptation_study.md) on
# configs/mlda_synanimal_animalpose_cow.py: same model, data and schedule, our switches.
#   python tools/train.py configs/source_only_synanimal_animalpose_cow.py
#   python tools/train.py configs/mlda_ours_synanimal_animalpose_cow.py \
#       --cfg-options load_from=work_dirs/source_only_synanimal_animalpose_cow/best_*.pth
_base_ = ['./mlda_synanimal_animalpose_cow.py', './_base_/mlda_ours.py']
model = {{_base_.ours_model}}
train_dataloader = dict(
    dataset=dict(target=dict(pipeline={{_base_.ours_target_pipeline}})))
custom_hooks = {{_base_.ours_hooks}}
