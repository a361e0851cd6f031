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
# the paper's schedule continues the source-only stage's count
# (tasks/topdown_res101_256.py): 1e-5 after 2.5k, 1e-6 after 10k adaptation
# iterations, 15k in all
param_scheduler = _base_.paper_adaptation_scheduler
train_cfg = dict(max_iters=_base_.paper_adaptation_iters)
