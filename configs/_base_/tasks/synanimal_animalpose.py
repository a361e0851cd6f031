# SynAnimal -> AnimalPose datasets in the 14-keypoint subset (eyes, paws,
# knees, elbows; docs/formats.md), dog by default (the other category configs
# change the category and its split files). As UDAPE does, the source is the
# synthetic hound and sheep renders, and the target's per-category train/test
# split is UDAPE's cached_data/real_animal_pose/<cat>/{train,test}_anno.npy
# (records of the original keypoints.json). Paths follow docs/datasets.md.
source_dataset = dict(
    type='SynAnimalDataset',
    data_root='data/animal_data/',
    animal=('hound', 'sheep'),
    split='train',
    convert_to='animalpose14')
target_dataset = dict(
    type='AnimalPoseCategoryDataset',
    data_root='data/animal_data/',
    ann_file='cached_data/real_animal_pose/dog/train_anno.npy',
    image_json='animal-pose/keypoints.json',
    categories=('dog', ),
    convert_to='animalpose14')
test_dataset = dict(
    type='AnimalPoseCategoryDataset',
    data_root='data/animal_data/',
    ann_file='cached_data/real_animal_pose/dog/test_anno.npy',
    image_json='animal-pose/keypoints.json',
    categories=('dog', ),
    convert_to='animalpose14',
    test_mode=True)
