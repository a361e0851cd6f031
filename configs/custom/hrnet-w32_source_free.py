# Source-free: adapt a COCO-trained hrnet-w32 to a folder of your own images
# without COCO (README, "Adapt a model-zoo checkpoint to your images without
# its training data"). The model-zoo checkpoint initialises student and
# teacher; every iteration sees target images only: no source branch, no
# supervised loss, no style transfer (it needs source images).
#   python tools/train.py configs/custom/hrnet-w32_source_free.py \
#       --cfg-options load_from=checkpoints/td-hm_hrnet-w32_8xb64-210e_coco-256x192-81c58e40_20220909.pth
_base_ = ['./hrnet-w32_coco_to_folder.py']
model = dict(source_free=True, data_preprocessor=dict(_delete_=True))
train_dataloader = dict(
    _delete_=True,
    dataset=dict(_base_.folder_target_dataset,
                 pipeline=_base_.target_pipeline),
    **_base_.folder_source_free_dataloader)
