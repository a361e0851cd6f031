# Runtime of the source-only configs (configs/source_only_*.py): plain MMPose
# top-down training on the labelled source, validated on the target test set.
# Their checkpoints initialise the adaptation configs (load_from), as the
# authors pretrain on the source before adapting. The run length is not given
# in the paper: the authors' 40 epochs x 500 iterations (the first part of the
# paper's count, tasks/topdown_res101_256.py).
_base_ = ['mmpose::_base_/default_runtime.py']
custom_imports = dict(imports=['mmpose_mlda'], allow_failed_imports=False)

train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=20000,
    val_interval=1000)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(
        type='SafeCheckpointHook',
        by_epoch=False,
        interval=1000,
        max_keep_ckpts=3,
        save_best='hm_pck/All',
        rule='greater'))
log_processor = dict(by_epoch=False)
# a rank that stops answering ends the job after this many seconds instead of
# leaving the others waiting (MMEngine passes it to init_process_group)
env_cfg = dict(dist_cfg=dict(timeout=1800))
