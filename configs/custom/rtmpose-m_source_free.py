# Source-free: adapt a COCO-trained rtmpose-m to a folder of your own images
# without COCO (README, "Adapt a model-zoo checkpoint to your images without
# its training data"). The model-zoo checkpoint initialises student and
# teacher; every iteration sees target images only: no source branch, no
# supervised loss, no style transfer (it needs source images).
#   python tools/train.py configs/custom/rtmpose-m_source_free.py \
#       --cfg-options load_from=checkpoints/rtmpose-m_simcc-coco_pt-aic-coco_420e-256x192-d8dd5ca4_20230127.pth
_base_ = ['./rtmpose-m_coco_to_folder.py']
model = dict(source_free=True, data_preprocessor=dict(_delete_=True))
train_dataloader = dict(
    _delete_=True,
    dataset=dict(_base_.folder_target_dataset,
                 pipeline=_base_.target_pipeline),
    **_base_.folder_source_free_dataloader)
