# Runtime shared by every adaptation config: MMPose's default runtime plus
# the plugin, the teacher update, the adaptation loops and iteration-based
# logging. Datasets, model and schedule come from the task config.
_base_ = ['mmpose::_base_/default_runtime.py']

custom_imports = dict(imports=['mmpose_mlda'], allow_failed_imports=False)

train_cfg = dict(
    _delete_=True,
    type='AdaptationTrainLoop',
    max_iters=30000,
    burn_in_iters=0,
    val_interval=1000)
val_cfg = dict(_delete_=True, type='TeacherStudentValLoop')
test_cfg = dict(_delete_=True, type='TestLoop')

custom_hooks = [
    dict(type='SyncBuffersHook'),
    dict(type='MeanTeacherHook'),
    # on the CPU: freed memory reused, no page faults per step (bit-identical)
    dict(type='KeepFreedMemoryHook'),
]
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(
        type='SafeCheckpointHook',
        by_epoch=False,
        interval=1000,
        max_keep_ckpts=3,
        save_best='teacher/hm_pck/All',
        rule='greater'))
log_processor = dict(by_epoch=False)
# a rank that stops answering ends the job after this many seconds instead of
# leaving the others waiting (MMEngine passes it to init_process_group)
env_cfg = dict(dist_cfg=dict(timeout=1800))
