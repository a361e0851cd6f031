# MLDA as the paper writes it (mlda_paper.py) on the human top-down setting
# (tasks/topdown_res101_256.py); configs/mlda_<task>.py add the datasets.
_base_ = [
    './mlda_runtime.py', './tasks/topdown_res101_256.py', './mlda_paper.py'
]
model = dict(_delete_=True, pose_model=_base_.model, **_base_.mlda_model)
custom_hooks = _base_.mlda_hooks
train_dataloader = dict(
    _delete_=True,
    dataset=dict(
        type='DomainAdaptationDataset',
        source=dict(pipeline=_base_.source_branch_pipeline),
        target=dict(pipeline=_base_.target_pipeline)),
    **_base_.mlda_train_dataloader)
