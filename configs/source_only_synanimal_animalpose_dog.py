# Source-only, SynAnimal -> AnimalPose dog (14 keypoints).
_base_ = [
    './_base_/source_only_runtime.py', './_base_/tasks/animal_res101_256.py',
    './_base_/tasks/synanimal_animalpose.py'
]
model = dict(head=dict(out_channels=14))
train_dataloader = dict(dataset={{_base_.source_dataset}})
val_dataloader = dict(dataset={{_base_.test_dataset}})
test_dataloader = val_dataloader
val_evaluator = [dict(type='HeatmapPCKMetric', joint_groups='animalpose14')]
test_evaluator = val_evaluator
