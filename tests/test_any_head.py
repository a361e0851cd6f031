"""Adapting any top-down head to a folder of images: coordinate pseudo
labels, the image-folder dataset, label-free monitoring, the custom
configs, and a run from a folder to a model MMPoseInferencer loads."""
import copy
import json
import os
import shutil
import sys
import types

import numpy as np
import pytest
import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import DefaultScope
from mmengine.runner import Runner
from mmpose.registry import DATASETS, KEYPOINT_CODECS, MODELS

from conftest import REPO_ROOT, SHARED_DATA, toy_mlda_cfg
from test_view_geometry import BRANCHES, INPUT, _sample, _view

from mmpose_mlda.models.pseudo_labels import (CoordinatePseudoLabeler,
                                              PseudoLabels)

LSPET = SHARED_DATA / 'lsp' / 'MiraiLouis+lsp_cpm'
BODY16 = dict(from_file=str(REPO_ROOT / 'configs' / '_base_' / 'datasets' /
                            'body16.py'))
CODECS = dict(
    msra=(dict(type='MSRAHeatmap', input_size=INPUT, heatmap_size=(32, 32),
               sigma=2), 4.0 * 0.8),  # argmax + quarter-pixel refinement
    simcc=(dict(type='SimCCLabel', input_size=INPUT, sigma=(4.0, 4.0),
                simcc_split_ratio=2.0, normalize=False), 0.5),
    regression=(dict(type='RegressionLabel', input_size=INPUT), 1e-3))


def _decode(codec, sample):
    """Keypoints back from the encoded targets of one sample (input px)."""
    labels, fields = sample.gt_instance_labels, sample.gt_fields
    if 'heatmaps' in fields:
        keypoints, _ = codec.decode(fields.heatmaps.numpy())
    elif 'keypoint_x_labels' in labels:
        keypoints, _ = codec.decode(labels.keypoint_x_labels.numpy(),
                                    labels.keypoint_y_labels.numpy())
    else:
        keypoints, _ = codec.decode(labels.keypoint_labels.numpy())
    return keypoints[0]


@pytest.mark.parametrize('codec_name', list(CODECS))
@pytest.mark.parametrize('weak_flip,strong_flip', [(False, False),
                                                  (False, True),
                                                  (True, False)])
def test_coordinate_pseudo_labels_land_where_the_affines_put_them(
        codec_name, weak_flip, strong_flip):
    codec_cfg, tolerance = CODECS[codec_name]
    codec = KEYPOINT_CODECS.build(codec_cfg)
    head = types.SimpleNamespace(decoder=codec)
    labeler = CoordinatePseudoLabeler()
    pipeline = Compose([
        dict(type='GetBBoxCenterScale'),
        dict(type='PoseMultiBranch', branch_field=BRANCHES,
             target_weak=_view(weak_flip, rotate=False),
             target_strong=_view(strong_flip, rotate=True)),
    ])
    checked = 0
    for seed in range(4):
        np.random.seed(seed)
        packed = pipeline(_sample(seed))
        weak = packed['data_samples']['target_weak']
        strong = packed['data_samples']['target_strong']
        # the teacher "predicts" the true keypoints of its weak view
        weak_xy = torch.as_tensor(weak.gt_instances.transformed_keypoints,
                                  dtype=torch.float64)
        pseudo = PseudoLabels(keypoints=weak_xy, confidence=torch.ones(1, 16),
                              frame=labeler.frame, teacher_samples=[[weak]])
        xy, weights = labeler.to_view(pseudo, [strong], torch.ones(1, 16))
        expected = torch.as_tensor(strong.gt_instances.transformed_keypoints,
                                   dtype=torch.float64)
        torch.testing.assert_close(xy, expected, atol=1e-3, rtol=0)
        # encoded with the student's codec, the targets decode back to
        # them (up to the codec's resolution) where they are inside the view
        target = labeler.targets(head, xy.float(), weights, [strong])[0]
        points = expected[0].numpy()
        inside = (target.gt_instance_labels.keypoint_weights[0].numpy() > 0) \
            & ((points >= 4) & (points <= np.array(INPUT) - 5)).all(-1)
        decoded = _decode(codec, target)
        error = np.abs(decoded - points).max(-1)[inside]
        assert error.size > 0 and error.max() <= tolerance, error.max()
        checked += error.size
    assert checked >= 30


def _batch(cfg):
    """One collated training batch of a config."""
    dataloader = Runner.build_dataloader(cfg.train_dataloader)
    return next(iter(dataloader))


def _steps_lower_the_loss(cfg, steps=8):
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    batch = _batch(cfg)
    losses = []
    for _ in range(steps):
        log_vars = model.train_step(copy.deepcopy(batch), optim)
        model.teacher.update_parameters(model.student)
        losses.append(float(log_vars['loss']))
        assert 'target.loss_consistency' in log_vars
    assert all(np.isfinite(losses))
    assert losses[-1] < losses[0], losses
    return model, log_vars


def test_rtmpose_style_model_adapts_with_coordinate_pseudo_labels(
        toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path),
                       config='simcc_mean_teacher.py')
    # every keypoint takes part, so the consistency loss is exercised
    cfg.model.consistency_threshold = dict(
        type='FixedConfidenceThreshold', value=-1e9)
    model, log_vars = _steps_lower_the_loss(cfg)
    assert type(model.student.head).__name__ == 'RTMCCHead'
    assert float(log_vars['target.loss_consistency']) > 0


def test_vitpose_style_model_adapts(toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path))
    pose_model = cfg.model.pose_model
    pose_model.backbone = dict(
        type='mmpretrain.VisionTransformer',
        arch=dict(embed_dims=64, num_layers=2, num_heads=2,
                  feedforward_channels=128),
        img_size=(64, 64), patch_size=8, qkv_bias=True, drop_path_rate=0.,
        with_cls_token=False, out_type='featmap', patch_cfg=dict(padding=0))
    pose_model.head.update(in_channels=64, deconv_out_channels=(32, 32),
                           deconv_kernel_sizes=(4, 4))
    cfg.model.consistency_threshold = dict(
        type='FixedConfidenceThreshold', value=-1e9)
    model, log_vars = _steps_lower_the_loss(cfg)
    assert type(model.student.backbone).__name__ == 'VisionTransformer'
    # and through coordinate pseudo labels, the route of any head
    cfg.model.pseudo_labeler = dict(type='CoordinatePseudoLabeler')
    _steps_lower_the_loss(cfg, steps=4)


def test_heatmap_only_levels_need_heatmaps_and_codecs_are_required(
        toy_data_root, tmp_path):
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path),
                       config='simcc_mean_teacher.py')
    broken = copy.deepcopy(cfg.model)
    broken.im_loss = dict(type='InformationMaximizationLoss')
    with pytest.raises(TypeError, match="im_loss need heatmaps.*RTMCCHead"
                       ".*CoordinatePseudoLabeler"):
        MODELS.build(broken)
    broken = copy.deepcopy(cfg.model)
    broken.pose_model.head.decoder = None
    with pytest.raises(TypeError, match="RTMCCHead has none.*head.decoder"):
        MODELS.build(broken)
    # a heatmap head with coordinate pseudo labels has no frame heatmaps
    # for the IM loss (None reached it at the first adapting iteration)
    heatmap = toy_mlda_cfg(toy_data_root, str(tmp_path)).model
    heatmap.update(pseudo_labeler=dict(type='CoordinatePseudoLabeler'),
                   im_loss=dict(type='InformationMaximizationLoss'),
                   im_input='frame')
    with pytest.raises(TypeError, match=r"im_input='frame' .* only "
                       r"HeatmapPseudoLabeler makes.*im_input='strong'"):
        MODELS.build(heatmap)


# ------------------------------------------------------------- folders
def _folder(tmp_path, num_images=None):
    """LSPet's sample images (or the first ``num_images``) in two camera
    folders, with a broken JPEG, an empty PNG and a text file."""
    folder = tmp_path / 'my_images'
    names = sorted(os.listdir(LSPET / 'images'))[:num_images]
    (folder / 'cam0').mkdir(parents=True)
    for name in names:
        shutil.copy(LSPET / 'images' / name, folder / 'cam0' / name)
    (folder / 'cam1').mkdir()
    for name in ('im00001.jpg', 'im00002.jpg'):
        shutil.move(str(folder / 'cam0' / name), str(folder / 'cam1' / name))
    (folder / 'cam1' / 'broken.jpg').write_bytes(b'\xff\xd8 not a jpeg')
    (folder / 'cam1' / 'empty.png').write_bytes(b'')
    (folder / 'notes.txt').write_text('not an image')
    return folder


def _build(**kwargs):
    with DATASETS.switch_scope_and_registry('mmpose') as registry:
        return registry.build(
            dict(type='UnlabeledImageDataset', metainfo=BODY16, **kwargs))


def test_folder_with_whole_image_boxes(tmp_path, logged):
    folder = _folder(tmp_path)
    dataset = _build(data_root=str(folder))
    assert len(dataset) == 40  # recursive, the two broken files skipped
    out = '\n'.join(logged)
    assert out.count('are skipped') == 1
    assert 'broken.jpg' in out and 'empty.png' in out
    info = dataset.get_data_info(0)
    assert info['img_path'].endswith('cam0/im00003.jpg')
    from PIL import Image
    width, height = Image.open(info['img_path']).size
    np.testing.assert_allclose(info['bbox'], [[0, 0, width, height]])
    assert info['keypoints'].shape == (1, 16, 2)
    assert info['flip_indices'] == dataset.metainfo['flip_indices']
    train = _build(data_root=str(folder), split='train', val_every=10)
    val = _build(data_root=str(folder), split='val', val_every=10)
    assert len(train) + len(val) == 40 and len(val) == 5  # 42 files / 10


def test_folder_with_a_detection_json(tmp_path, logged):
    folder = _folder(tmp_path)
    detections = [
        dict(image_id=5, bbox=[10, 20, 50, 60], score=0.9),
        dict(file_name='cam1/im00002.jpg', bbox=[1, 2, 30, 40], score=0.8),
        dict(image_id='im00007', bbox=[0, 0, 20, 20], score=0.1),  # low
        dict(image_id=6, bbox=[5, 5, 0, 30], score=0.9),  # zero width
        dict(image_id=999, bbox=[0, 0, 5, 5], score=0.9),  # no such image
    ]
    (tmp_path / 'dets.json').write_text(json.dumps(detections))
    dataset = _build(data_root=str(folder),
                     bbox_file=str(tmp_path / 'dets.json'), score_thr=0.3)
    assert len(dataset) == 2
    boxes = {dataset.get_data_info(i)['img_path'].split('/')[-1]:
             dataset.get_data_info(i)['bbox'][0].tolist()
             for i in range(len(dataset))}
    assert boxes == {'im00005.jpg': [10, 20, 60, 80],
                     'im00002.jpg': [1, 2, 31, 42]}
    out = '\n'.join(logged)
    assert '1 detections in' in out and '1 zero-size boxes' in out


@pytest.mark.parametrize('case,message', [
    ('no_images', 'no images'),
    ('unmatched_json', 'none of the 1 detections'),
    ('bad_detector', 'detector.checkpoint'),
])
def test_folder_bad_inputs(tmp_path, case, message):
    folder = _folder(tmp_path)
    kwargs = dict(data_root=str(folder))
    if case == 'no_images':
        (tmp_path / 'empty').mkdir()
        kwargs = dict(data_root=str(tmp_path / 'empty'))
    elif case == 'unmatched_json':
        (tmp_path / 'dets.json').write_text(json.dumps(
            [dict(image_id='frame_0001', bbox=[0, 0, 9, 9], score=1.)]))
        kwargs['bbox_file'] = str(tmp_path / 'dets.json')
    else:
        config = tmp_path / 'det.py'
        config.write_text('model = None\n')
        kwargs['detector'] = dict(config=str(config),
                                  checkpoint=str(tmp_path / 'missing.pth'))
    with pytest.raises((FileNotFoundError, ValueError), match=message):
        _build(**kwargs)


# -------------------------------------------------- runs on a folder
def _folder_run_cfg(toy_data_root, folder, work_dir, max_iters=2):
    """The demo's adaptation config with the image folder as the target,
    monitored on its held-out slice."""
    cfg = toy_mlda_cfg(toy_data_root, str(work_dir), max_iters=max_iters)
    target = cfg.train_dataloader.dataset.target
    pipeline = target.pipeline
    cfg.train_dataloader.dataset.target = dict(
        type='UnlabeledImageDataset', data_root=str(folder),
        metainfo=BODY16, split='train', pipeline=pipeline)
    weak = pipeline[-1]['target_weak']
    monitor = dict(
        batch_size=4, num_workers=0,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='UnlabeledImageDataset', data_root=str(folder),
            metainfo=BODY16, split='val', val_every=10,
            pipeline=pipeline[:-1] + [
                dict(type='PoseMultiBranch',
                     branch_field=['target_weak', 'target_weak_1'],
                     target_weak=weak, target_weak_1=weak)
            ]))
    cfg.custom_hooks = list(cfg.custom_hooks) + [
        dict(type='LabelFreeMonitorHook', dataloader=monitor, interval=1),
        dict(type='PseudoLabelVisualizationHook', dataloader=monitor,
             interval=1, num_images=3),
    ]
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.visualizer = dict(
        type='PoseLocalVisualizer',
        vis_backends=[dict(type='LocalVisBackend')],
        name=f'visualizer:{work_dir}')  # not an earlier test's instance
    return cfg


def test_collapse_signs_on_constructed_collapses():
    from mmpose_mlda.engine.hooks import LabelFreeMonitorHook
    hook = LabelFreeMonitorHook(dataloader={})
    first = dict(teacher_confidence=0.40, pseudo_label_stability=2.0,
                 keypoint_spread=12.0)
    healthy = dict(teacher_confidence=0.48, pseudo_label_stability=1.6,
                   keypoint_spread=11.0)
    assert hook.collapse_signs(first, healthy) == []
    confirming = dict(healthy, pseudo_label_stability=3.5)
    [sign] = hook.collapse_signs(first, confirming)
    assert 'confirming its own mistakes' in sign and '2.00 -> 3.50' in sign
    # less stable but not more confident: noise, not self-confirmation
    assert hook.collapse_signs(
        first, dict(confirming, teacher_confidence=0.41)) == []
    collapsed = dict(healthy, keypoint_spread=1.5)
    [sign] = hook.collapse_signs(first, collapsed)
    assert 'collapsing to one place' in sign and '12.00 -> 1.50' in sign
    assert len(hook.collapse_signs(
        first, dict(confirming, keypoint_spread=1.5))) == 2


def test_monitors_and_pseudo_label_grids(toy_data_root, tmp_path, logged):
    folder = _folder(tmp_path)
    cfg = _folder_run_cfg(toy_data_root, folder, tmp_path / 'run')
    runner = Runner.from_cfg(cfg)
    runner.train()
    monitor = next(h for h in runner.hooks
                   if type(h).__name__ == 'LabelFreeMonitorHook')
    assert [m['iter'] for m in monitor.history] == [1, 2]
    last = monitor.history[-1]
    assert last['confident_share'] == pytest.approx(float(
        runner.message_hub.get_scalar('monitor/confident_share').current()))
    assert last['teacher_confidence'] == pytest.approx(
        float(runner.message_hub.get_scalar(
            'monitor/teacher_confidence').current()))
    for key in ('teacher_student_distance', 'pseudo_label_stability',
                'keypoint_spread'):
        assert np.isfinite(last[key]) and last[key] >= 0
    # a healthy two-iteration run raises no collapse warning
    assert not any('label-free monitor, iteration' in m for m in logged)
    grids = sorted(os.listdir(tmp_path / 'run' / 'pseudo_labels'))
    assert grids == ['iter_1.png', 'iter_2.png']
    visual = next(h for h in runner.hooks
                  if type(h).__name__ == 'PseudoLabelVisualizationHook')
    assert visual.last_grid.shape[1] == 3 * 64  # three 64x64 tiles
    # every visualiser backend got the scalars and the grid
    vis_dir = [os.path.join(r, d) for r, ds, _ in os.walk(tmp_path / 'run')
               for d in ds if d == 'vis_data'][0]
    scalars = open(os.path.join(vis_dir, 'scalars.json')).read()
    assert 'monitor/pseudo_label_stability' in scalars
    assert any('pseudo_labels' in f for _, _, fs in os.walk(vis_dir)
               for f in fs)


def test_folder_to_exported_model_in_mmpose_inferencer(toy_data_root,
                                                       tmp_path):
    from extract_teacher import extract
    from mmpose.apis import MMPoseInferencer
    folder = _folder(tmp_path)
    cfg = _folder_run_cfg(toy_data_root, folder, tmp_path / 'run')
    cfg.custom_hooks = cfg.custom_hooks[:-2]
    Runner.from_cfg(cfg).train()
    config_file = tmp_path / 'adapt.py'
    cfg.dump(str(config_file))
    pth, py = extract(str(config_file), str(tmp_path / 'run' / 'iter_2.pth'),
                      str(tmp_path / 'exported'))
    inferencer = MMPoseInferencer(pose2d=py, pose2d_weights=pth,
                                  det_model='whole_image', device='cpu')
    result = next(inferencer(str(folder / 'cam1' / 'im00001.jpg')))
    keypoints = np.asarray(result['predictions'][0][0]['keypoints'])
    assert keypoints.shape == (16, 2)


sys.path.insert(0, str(REPO_ROOT / 'tools'))


# the rtmpose-m configs run through the README's own commands
# (tests/test_readme_commands.py)
@pytest.mark.parametrize('name', ['hrnet-w32_coco_to_folder.py',
                                  'hrnet-w32_source_free.py'])
def test_custom_configs_train_one_iteration(name, tmp_path):
    coco = SHARED_DATA / 'coco' / 'open-mmlab+mmpose' / 'tests' / 'data' / \
        'coco'
    if not coco.exists():
        pytest.skip(f'{coco} absent')
    # 20 images: 2 held out for the monitors (HRNet-W32 runs them on CPU)
    folder = _folder(tmp_path, num_images=20)
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / 'custom' / name))
    cfg.work_dir = str(tmp_path / 'run')
    cfg.log_level = 'WARNING'
    cfg.train_cfg.max_iters = 1
    loader = cfg.train_dataloader
    loader.update(batch_size=2, num_workers=0, persistent_workers=False)
    source_free = name.endswith('_source_free.py')
    if source_free:  # the folder alone
        loader.dataset.data_root = str(folder)
    else:
        loader.sampler.batch_size = 2
        loader.dataset.source.update(
            data_root=str(coco) + '/', ann_file='test_coco.json',
            data_prefix=dict(img=''))
        loader.dataset.target.data_root = str(folder)
    # the held-out slice follows the training folder
    cfg.monitor_dataloader.update(num_workers=0, batch_size=2)
    runner = Runner.from_cfg(cfg)
    runner.train()
    losses = runner.message_hub.log_scalars
    assert 'train/target.loss_consistency' in losses
    assert ('train/source.loss_kpt' in losses) != source_free
    assert os.path.exists(tmp_path / 'run' / 'pseudo_labels' / 'iter_1.png')


def test_folder_with_a_detector_run_once_and_cached(tmp_path, logged):
    """An MMDetection RTMDet-tiny (random weights: boxes, not people) run
    over a 3-image folder, NMS included; its boxes are cached and reused."""
    import mmdet
    from mmdet.apis import init_detector
    source = os.path.join(os.path.dirname(mmdet.__file__), '.mim', 'configs',
                          'rtmdet', 'rtmdet_tiny_8xb32-300e_coco.py')
    cfg = Config.fromfile(source)
    cfg.model.backbone.init_cfg = None  # no ImageNet download
    # random weights score every anchor alike: NMS over RTMDet's 30000
    # candidates per image took 45 s; 300 still exercise it
    cfg.model.test_cfg.nms_pre = 300
    config = str(tmp_path / 'rtmdet_tiny.py')
    cfg.dump(config)
    checkpoint = str(tmp_path / 'rtmdet_tiny.pth')
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmdet'):
        detector = init_detector(config, None, device='cpu')
    for name, param in detector.named_parameters():
        if 'rtm_reg' in name and name.endswith('bias'):
            param.data.fill_(1.0)  # boxes of a few strides, not points
    torch.save(dict(state_dict=detector.state_dict()), checkpoint)
    folder = tmp_path / 'scenes'
    folder.mkdir()
    for name in ('im00001.jpg', 'im00002.jpg', 'im00003.jpg'):
        shutil.copy(LSPET / 'images' / name, folder / name)
    kwargs = dict(data_root=str(folder), cache_dir=str(tmp_path / 'cache'),
                  detector=dict(config=config, checkpoint=checkpoint,
                                score_thr=0.0, label=None))
    dataset = _build(**kwargs)
    assert len(dataset) > 0
    # the detector left the caller's registry scope as it was
    assert DefaultScope.get_current_instance().scope_name == 'mmpose'
    assert {dataset.get_data_info(i)['img_path'] for i in range(
        len(dataset))} <= {str(folder / n) for n in os.listdir(folder)}
    caches = os.listdir(tmp_path / 'cache')
    assert len(caches) == 1 and caches[0].startswith('detections_')
    again = _build(**kwargs)
    assert len(again) == len(dataset)
    assert any('reusing detections' in m for m in logged)
    # a checkpoint that does not load is named
    (tmp_path / 'garbage.pth').write_bytes(b'garbage')
    kwargs['detector']['checkpoint'] = str(tmp_path / 'garbage.pth')
    with pytest.raises(RuntimeError, match='garbage.pth does not load'):
        _build(**kwargs)
