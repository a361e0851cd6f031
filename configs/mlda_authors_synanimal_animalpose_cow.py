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
# one category: selected and tested on the cow test images
val_dataloader = dict(
    dataset=dict(
        _base_.dog_test,
        _delete_=True,
        ann_file='cached_data/real_animal_pose/cow/test_anno.npy',
        categories=('cow', )))
val_evaluator = [dict(type='HeatmapPCKMetric', joint_groups='animalpose14')]
test_dataloader = val_dataloader
