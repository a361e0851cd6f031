# Source-only, SynAnimal -> AnimalPose cat (14 keypoints): the dog config with
# another target category.
_base_ = ['./source_only_synanimal_animalpose_dog.py']
val_dataloader = dict(
    dataset=dict(
        ann_file='cached_data/real_animal_pose/cat/test_anno.npy',
        categories=('cat', )))
test_dataloader = val_dataloader
