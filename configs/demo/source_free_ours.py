# Our recipe without source images: configs/demo/ours.py's switches that do
# not need the source (learning rate 1e-3, teacher decay 0.95, batch-median
# threshold, re-rendered pseudo heatmaps, milder strong view), no style
# transfer (FDA takes its style from source images), target images only, as
# configs/demo/source_free.py.
#   python tools/train.py configs/demo/source_free_ours.py \
#       --cfg-options load_from=<source-only checkpoint>
_base_ = ['./ours.py']
model = dict(source_free=True, data_preprocessor=dict(style_transfer=None))
train_dataloader = dict(
    _delete_=True,
    batch_size=16,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset={{_base_.train_dataloader.dataset.target}})
