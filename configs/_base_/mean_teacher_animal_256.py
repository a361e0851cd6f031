# The adaptation model on the animal top-down setting: the mean teacher
# wrapping tasks/animal_res101_256.py's pose model, trained on batches of
# 32 source + 32 target images. The method settings come from mlda_paper.py
# (mlda_animal_256.py) or mlda_authors.py (mlda_authors_animal_256.py).
_base_ = ['./mlda_runtime.py', './tasks/animal_res101_256.py']
model = dict(
    _delete_=True,
    type='MeanTeacherPoseEstimator',
    pose_model={{_base_.model}})
batch_size = 64
train_dataloader = dict(
    _delete_=True,
    batch_size=batch_size,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(
        type='TwoDomainSampler', batch_size=batch_size, source_ratio=0.5),
    dataset=dict(
        type='DomainAdaptationDataset',
        source=dict(pipeline={{_base_.source_branch_pipeline}}),
        target=dict()))
