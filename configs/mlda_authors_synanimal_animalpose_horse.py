# MLDA, SynAnimal -> AnimalPose horse, the authors' recipe applied to horse: their
# released AnimalPose script adapts to dog and sheep only, so here the horse
# train images are the target (the rest as mlda_authors_synanimal_animalpose_dog.py).
_base_ = ['./mlda_authors_synanimal_animalpose_dog.py']
horse = dict(
    _base_.target_dataset,
    ann_file='cached_data/real_animal_pose/horse/train_anno.npy',
    categories=('horse', ),
    pipeline=_base_.target_pipeline)
train_dataloader = dict(dataset=dict(target=dict(datasets=[horse])))
# one category: selected and tested on the horse test images
val_dataloader = dict(
    dataset=dict(
        _base_.dog_test,
        _delete_=True,
        ann_file='cached_data/real_animal_pose/horse/test_anno.npy',
        categories=('horse', )))
val_evaluator = [dict(type='HeatmapPCKMetric', joint_groups='animalpose14')]
test_dataloader = val_dataloader
