# Source-only, SynAnimal -> AnimalPose sheep (14 keypoints): the dog config with
# another target category.
_base_ = ['./source_only_synanimal_animalpose_dog.py']
val_dataloader = dict(
    dataset=dict(
        ann_file='cached_data/real_animal_pose/sheep/test_anno.npy',
        categories=('sheep', )))
test_dataloader = val_dataloader
