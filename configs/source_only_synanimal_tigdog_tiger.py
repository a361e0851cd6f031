# Source-only, SynAnimal -> TigDog tiger (paper Table 2: 54.8 All).
_base_ = ['./source_only_synanimal_tigdog_horse.py']
train_dataloader = dict(dataset=dict(animal='tiger'))
val_dataloader = dict(dataset=dict(animal='tiger'))
test_dataloader = val_dataloader
