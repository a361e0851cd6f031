# Runtime shared by the 2D-to-3D lifting (PoseDA) configs: MMPose's default
# runtime, the plugin, iteration-based training and MPJPE-based checkpoints.
_base_ = ['mmpose::_base_/default_runtime.py']

custom_imports = dict(imports=['mmpose_mlda'], allow_failed_imports=False)

train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=60000,
    val_interval=5000)
val_cfg = dict(_delete_=True, type='ValLoop')
test_cfg = dict(_delete_=True, type='TestLoop')

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=100),
    checkpoint=dict(
        type='SafeCheckpointHook',
        by_epoch=False,
        interval=5000,
        max_keep_ckpts=1,
        save_best='MPJPE',
        rule='less'))
log_processor = dict(by_epoch=False)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='Pose3dLocalVisualizer', vis_backends=vis_backends, name='visualizer')
# a rank that stops answering ends the job after this many seconds instead of
# leaving the others waiting (MMEngine passes it to init_process_group)
env_cfg = dict(dist_cfg=dict(timeout=1800))
