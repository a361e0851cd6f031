# SynAnimal -> TigDog datasets (18 keypoints, horse order; docs/formats.md), horse
# by default (the tiger configs set animal='tiger'). Paths follow
# docs/datasets.md; override data_root / split_root for your copy. The
# published splits: SynAnimal train/valid_idxs.npy, TigDog
# {train,valid}_idxs_by_video.npy (the target is adapted on the unlabelled
# train frames and scored on the valid frames).
source_dataset = dict(
    type='SynAnimalDataset',
    data_root='data/animal_data/',
    animal='horse',
    split='train')
target_dataset = dict(
    type='TigDogDataset',
    data_root='data/animal_data/',
    animal='horse',
    split='train')
test_dataset = dict(
    type='TigDogDataset',
    data_root='data/animal_data/',
    animal='horse',
    split='valid',
    test_mode=True)
