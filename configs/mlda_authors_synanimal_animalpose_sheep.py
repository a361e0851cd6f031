# MLDA, SynAnimal -> AnimalPose sheep, the authors' released recipe: the dog
# preset's run (dog and sheep together), scored on the sheep test images.
_base_ = ['./mlda_authors_synanimal_animalpose_dog.py']
val_dataloader = dict(
    dataset=dict(
        ann_file='cached_data/real_animal_pose/sheep/test_anno.npy',
        categories=('sheep', )))
test_dataloader = val_dataloader
