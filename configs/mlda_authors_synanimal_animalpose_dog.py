# MLDA, SynAnimal -> AnimalPose dog, the authors' released recipe (their
# README command for train_animal_other.py). --train_on_all_cat with their
# default --animal all: the synthetic hound and sheep renders adapted to the
# AnimalPose dog AND sheep train images in one run; scored on the dog test
# images (mlda_authors_synanimal_animalpose_sheep.py: sheep). No
# target-to-source stylisation: their script parses --t2s-freq/--t2s-alpha but
# stylises teacher views only in `train1`, which its epoch loop never calls
# (data_preprocessor.target_to_source stays a switch). Two stages:
#   python tools/train.py configs/mlda_authors_synanimal_animalpose_dog_source_only.py
#   python tools/train.py configs/mlda_authors_synanimal_animalpose_dog.py --cfg-options \
#       load_from=work_dirs/mlda_authors_synanimal_animalpose_dog_source_only/best_teacher_hm_pck_All_iter_XXXX.pth
_base_ = [
    './_base_/mlda_authors_animal_256.py',
    './_base_/tasks/synanimal_animalpose.py'
]
model = dict(pose_model=dict(head=dict(out_channels=14)))
sheep = dict(
    _base_.target_dataset,
    ann_file='cached_data/real_animal_pose/sheep/train_anno.npy',
    categories=('sheep', ))
train_dataloader = dict(
    dataset=dict(
        source=_base_.source_dataset,
        target=dict(
            _delete_=True,
            type='ConcatDataset',
            datasets=[
                dict(_base_.target_dataset, pipeline=_base_.target_pipeline),
                dict(sheep, pipeline=_base_.target_pipeline)
            ])))
val_dataloader = dict(dataset=_base_.test_dataset)
test_dataloader = val_dataloader
val_evaluator = [dict(type='HeatmapPCKMetric', joint_groups='animalpose14')]
test_evaluator = val_evaluator
