# MLDA, SynAnimal -> TigDog tiger (paper Table 2; published All: 68.4).
_base_ = ['./mlda_synanimal_tigdog_horse.py']
train_dataloader = dict(
    dataset=dict(source=dict(animal='tiger'), target=dict(animal='tiger')))
val_dataloader = dict(dataset=dict(animal='tiger'))
test_dataloader = val_dataloader
