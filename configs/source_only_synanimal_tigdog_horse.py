# Source-only, SynAnimal -> TigDog horse (paper Table 3: 67.4 All).
_base_ = [
    './_base_/source_only_runtime.py', './_base_/tasks/animal_res101_256.py',
    './_base_/tasks/synanimal_tigdog.py'
]
train_dataloader = dict(dataset={{_base_.source_dataset}})
val_dataloader = dict(dataset={{_base_.test_dataset}})
test_dataloader = val_dataloader
