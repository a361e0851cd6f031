# MLDA, SynAnimal -> AnimalPose cat, the authors' recipe applied to cat: their
# released AnimalPose script adapts to dog and sheep only, so here the cat
# train images are the target (the rest as mlda_authors_synanimal_animalpose_dog.py).
_base_ = ['./mlda_authors_synanimal_animalpose_dog.py']
cat = dict(
    _base_.target_dataset,
    ann_file='cached_data/real_animal_pose/cat/train_anno.npy',
    categories=('cat', ),
    pipeline=_base_.target_pipeline)
train_dataloader = dict(dataset=dict(target=dict(datasets=[cat])))
# one category: selected and tested on the cat test images
val_dataloader = dict(
    dataset=dict(
        _base_.dog_test,
        _delete_=True,
        ann_file='cached_data/real_animal_pose/cat/test_anno.npy',
        categories=('cat', )))
val_evaluator = [dict(type='HeatmapPCKMetric', joint_groups='animalpose14')]
test_dataloader = val_dataloader
