# MLDA, SynAnimal -> AnimalPose dog (14 keypoints). The cat, cow, horse and
# sheep configs change only the target category.
#   python tools/train.py configs/source_only_synanimal_animalpose_dog.py
#   python tools/train.py configs/mlda_synanimal_animalpose_dog.py \
#       --cfg-options load_from=work_dirs/source_only_synanimal_animalpose_dog/best_*.pth
_base_ = [
    './_base_/mlda_animal_256.py', './_base_/tasks/synanimal_animalpose.py'
]
model = dict(pose_model=dict(head=dict(out_channels=14)))
train_dataloader = dict(
    dataset=dict(
        source={{_base_.source_dataset}}, target={{_base_.target_dataset}}))
val_dataloader = dict(dataset={{_base_.test_dataset}})
test_dataloader = val_dataloader
val_evaluator = [dict(type='HeatmapPCKMetric', joint_groups='animalpose14')]
test_evaluator = val_evaluator
