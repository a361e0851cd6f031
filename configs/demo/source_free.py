# Source-free mean teacher: the source-only checkpoint adapts to the target
# figures without ever seeing a source image (no source branch, no
# supervised loss). The training set is the target set itself; 16 target
# images per iteration, as the 16 of the source-based 16 + 16 batch.
#   python tools/train.py configs/demo/source_free.py \
#       --cfg-options load_from=<source-only checkpoint>
_base_ = ['./mean_teacher.py']
model = dict(source_free=True)
train_dataloader = dict(
    _delete_=True,
    batch_size=16,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset={{_base_.train_dataloader.dataset.target}})
