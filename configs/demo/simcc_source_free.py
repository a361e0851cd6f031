# Source-free mean teacher of the simcc head family: simcc_mean_teacher.py's
# target images only, no source branch (as configs/demo/source_free.py for
# heatmaps).
#   python tools/train.py configs/demo/simcc_source_free.py \
#       --cfg-options load_from=<simcc source-only checkpoint>
_base_ = ['./simcc_mean_teacher.py']
model = dict(source_free=True)
train_dataloader = dict(
    _delete_=True,
    batch_size=16,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset={{_base_.train_dataloader.dataset.target}})
