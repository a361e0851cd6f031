# The authors' released recipe (mlda_authors.py) on the human top-down
# setting (tasks/topdown_res101_256.py): their source views, their target
# views from a random resized crop of the LSP image, their two optimizers and
# schedule; configs/mlda_authors_<task>.py add the datasets.
_base_ = [
    './mlda_runtime.py', './tasks/topdown_res101_256.py', './mlda_authors.py'
]
# JointsMSELoss has a factor 0.5
model = dict(
    _delete_=True,
    pose_model=dict(
        _base_.model,
        head=dict(
            _base_.model.head,
            loss=dict(
                type='KeypointMSELoss', use_target_weight=True,
                loss_weight=0.5))),
    **_base_.mlda_model)
custom_hooks = _base_.mlda_hooks
target_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    # base_transform: their RandomResizedCrop(scale=(0.6, 1.3)) of the
    # resized and padded LSP image, always inside it
    _base_.authors_crop,
    dict(type='TopdownAffine', input_size=(256, 256)),
    dict(type='RecordViewGeometry'),
    _base_.authors_views,
]
train_dataloader = dict(
    _delete_=True,
    dataset=dict(
        type='DomainAdaptationDataset',
        source=dict(pipeline=_base_.authors_source_branch_pipeline),
        target=dict(pipeline=target_pipeline)),
    **_base_.mlda_train_dataloader)
optim_wrapper = dict(_delete_=True, **_base_.mlda_optim_wrapper)
param_scheduler = dict(_delete_=True, **_base_.mlda_param_scheduler)
train_cfg = _base_.mlda_train_cfg
default_hooks = dict(checkpoint=dict(interval=500))
# their validity rule in the ground truth the PCK reads
val_dataloader = dict(dataset=dict(pipeline=_base_.authors_val_pipeline))
test_dataloader = val_dataloader
