# Global position alignment: source poses re-placed to the target's root
# positions / 2D scales (from unlabelled target 2D of the same batch).
_base_ = ['./_adapt_.py']
# 32 source + 32 target samples per batch (source as in source_only.py)
mixed_batch_size = 64
model = dict(gpa=dict(type='GlobalPositionAlignment'))
train_dataloader = dict(
    batch_size=mixed_batch_size,
    sampler=dict(
        _delete_=True,
        type='TwoDomainSampler',
        batch_size=mixed_batch_size,
        source_ratio=0.5),
    dataset=dict(
        _delete_=True,
        type='DomainAdaptationDataset',
        source={{_base_.source_dataset}},
        target={{_base_.target_train_dataset}}))
