# MLDA, SynAnimal -> TigDog horse (paper Table 3; published All: 76.3).
#   python tools/train.py configs/source_only_synanimal_tigdog_horse.py
#   python tools/train.py configs/mlda_synanimal_tigdog_horse.py \
#       --cfg-options load_from=work_dirs/source_only_synanimal_tigdog_horse/best_*.pth
_base_ = ['./_base_/mlda_animal_256.py', './_base_/tasks/synanimal_tigdog.py']
train_dataloader = dict(
    dataset=dict(
        source={{_base_.source_dataset}}, target={{_base_.target_dataset}}))
val_dataloader = dict(dataset={{_base_.test_dataset}})
test_dataloader = val_dataloader
