# The authors' released recipe (mlda_authors.py) on the animal top-down
# setting (tasks/animal_res101_256.py): mean-only normalisation (their
# Normalize([0.3999, 0.3909, 0.3871], [1, 1, 1])), the animal AdaIN decoder,
# target views from the box crop (no random resized crop), their two
# optimizers and schedule; configs/mlda_authors_<task>.py add the datasets.
_base_ = [
    './mlda_runtime.py', './tasks/animal_res101_256.py', './mlda_authors.py'
]
mean_only = dict(
    type='PoseDataPreprocessor',
    mean=[101.97, 99.68, 98.71],
    std=[255., 255., 255.],
    bgr_to_rgb=True)
model = dict(
    _delete_=True,
    pose_model=dict(
        _base_.model,
        data_preprocessor=mean_only,
        head=dict(
            _base_.model.head,
            loss=dict(
                type='KeypointMSELoss', use_target_weight=True,
                loss_weight=0.5))),
    **dict(
        _base_.mlda_model,
        data_preprocessor=dict(
            _base_.mlda_model.data_preprocessor,
            style_transfer=dict(
                _base_.mlda_model.data_preprocessor.style_transfer,
                decoder_weights='checkpoints/decoder_animal_0_1.pth.tar'))))
custom_hooks = _base_.mlda_hooks
# their animal target views: the human views' affine without colour jitter
# (train_animal*.py compose RandomAffineRotation and ToTensor only)
authors_animal_view = [_base_.authors_view[0], _base_.authors_view[-1]]
target_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=(256, 256)),
    dict(type='RecordViewGeometry'),
    dict(_base_.authors_views, target_weak=authors_animal_view,
         target_strong=authors_animal_view),
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
