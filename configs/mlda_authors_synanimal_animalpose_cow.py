# MLDA, SynAnimal -> AnimalPose cow, the authors' recipe applied to cow: their
# released AnimalPose script adapts to dog and sheep only, so here the cow
# train images are the target (the rest as mlda_authors_synanimal_animalpose_dog.py).
_base_ = ['./mlda_authors_synanimal_animalpose_dog.py']
cow = dict(
    _base_.target_dataset,
    ann_file='cached_data/real_animal_pose/cow/train_anno.npy',
    categories=('cow', ),
    pipeline=_base_.target_pipeline)
train_dataloader = dict(dataset=dict(target=dict(datasets=[cow])))
val_dataloader = dict(
    dataset=dict(
        ann_file='cached_data/real_animal_pose/cow/test_anno.npy',
        categories=('cow', )))
test_dataloader = val_dataloader
