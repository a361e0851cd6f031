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
# their AnimalPose target (train views and test images) subtracts its own
# real-image mean (animal_pose_mt.py loads cached_data/real_animal_pose/all/
# mean.pth.tar with --train_on_all_cat); the source keeps the synthetic mean.
# Without that file, write one from the target's images (their per-image rule):
#   python tools/dataset_mean_std.py configs/mlda_authors_synanimal_animalpose_dog.py \
#       --dataset train_dataloader.dataset.target --per-image --out FILE.json
# and pass --cfg-options model.data_preprocessor.target_mean=FILE.json
model = dict(
    pose_model=dict(head=dict(out_channels=14)),
    data_preprocessor=dict(
        target_mean='data/animal_data/cached_data/real_animal_pose/all/'
        'mean.pth.tar'))
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
# their model selection: the epoch with the best COMBINED dog + sheep PCK
# (teacher/hm_pck/All), each category logged beside it; the test set is this
# config's category
dog_test = dict(_base_.test_dataset, pipeline=_base_.authors_val_pipeline)
sheep_test = dict(
    dog_test,
    ann_file='cached_data/real_animal_pose/sheep/test_anno.npy',
    categories=('sheep', ))
val_dataloader = dict(
    dataset=dict(
        _delete_=True, type='ConcatDataset', datasets=[dog_test, sheep_test]))
val_evaluator = [
    dict(type='HeatmapPCKMetric', joint_groups='animalpose14',
         categories=('dog', 'sheep'))
]
test_dataloader = dict(dataset=dog_test)
test_evaluator = [dict(type='HeatmapPCKMetric', joint_groups='animalpose14')]
