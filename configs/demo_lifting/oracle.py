# Oracle: trained with the TARGET training set's 3D labels (an upper bound;
# not unsupervised adaptation), fine-tuned from the source-only checkpoint.
_base_ = ['./_adapt_.py']
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='MpiInf3dhpDataset',
        joint_set='h36m',
        data_root={{_base_.data_root}},
        ann_file='target/3dhp_train.npz',
        camera_param_file='target/cameras_train.pkl',
        seq_len=1,
        data_prefix=dict(img=''),
        pipeline={{_base_.source_pipeline}}))
