"""Cost of one domain-adaptation train step against a supervised one, per
alignment level and per component.

    python tools/benchmark_step.py [--config configs/demo/mean_teacher.py] [--paper]
        [--levels mt,style,feature,pose,all,sf] [--batch-size 4] [--warmup 2]
        [--iters 4] [--device cpu|cuda] [--amp] [--no-breakdown]

A benchmark, not a test. In one process and with the same pose model and
per-domain batch size B it times (warm-up, then the median of N):

- MMPose's supervised ``train_step`` of the plain top-down model on B
  labelled samples (the reference, 1.00);
- the full adaptation step of each level, ``train_step`` of
  ``MeanTeacherPoseEstimator`` on B source + B target samples plus the EMA
  update ``MeanTeacherHook`` performs: ``mt`` (mean teacher only),
  ``style`` (+ AdaIN, p 0.5, random weights of the released layout),
  ``feature`` (+ discriminator behind gradient reversal on the backbone
  features), ``pose`` (+ information maximisation), ``all`` (the paper's
  full MLDA);
- with the breakdown, each component of the ``all`` step on its own, on
  the same inputs: source and strong-view forward+backward, teacher
  forward, occlusion, pseudo labels and warp, style transfer,
  discriminator and IM forward+backward, EMA update, optimizer step.

The supervised step and the levels run interleaved, one step of each per
round, so that drift of the machine (clock, memory, other load) reaches them
alike: measured one after another, a later level came out up to 0.9 s
slower at paper scale on CPU than the same level measured first.

Batches are synthetic and already collated, so data loading does not blur
the ratios (``tools/benchmark_data.py`` measures the loaders); the data
preprocessors still run. ``--paper``: SimpleBaseline ResNet-101, 256x256
input, 64x64 heatmaps. ``--amp`` (CUDA only): MMEngine's
``AmpOptimWrapper`` (bf16 autocast), for the supervised and the adaptation
steps alike. Peak memory: on CUDA the allocator's peak per step; on CPU
the process's peak resident set size (a high-water mark of all steps).
"""
import argparse
import copy
import os.path as osp
import resource
import statistics
import sys
import time
from collections import OrderedDict

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
import numpy as np  # noqa: E402
import torch  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.optim import AmpOptimWrapper, OptimWrapper  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmengine.structures import InstanceData, PixelData  # noqa: E402
from mmpose.registry import MODELS  # noqa: E402
from mmpose.structures import PoseDataSample  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: 'sf': the source-free mean teacher (B target samples, no source branch)
LEVELS = ('mt', 'style', 'feature', 'pose', 'all', 'sf')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default='configs/demo/mean_teacher.py')
    parser.add_argument('--paper', action='store_true',
                        help='ResNet-101, 256x256 input, 64x64 heatmaps')
    parser.add_argument('--levels', default=','.join(LEVELS),
                        help=f'comma-separated, from {LEVELS}')
    parser.add_argument('--batch-size', type=int, default=8,
                        help='samples per domain')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--iters', type=int, default=4)
    parser.add_argument('--device', default='cuda'
                        if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--amp', action='store_true',
                        help='bf16 AmpOptimWrapper (CUDA only)')
    parser.add_argument('--no-breakdown', action='store_true')
    args = parser.parse_args(argv)
    args.levels = [lv for lv in args.levels.split(',') if lv]
    unknown = sorted(set(args.levels) - set(LEVELS))
    if unknown:
        parser.error(f'--levels: unknown {unknown}; choose from {LEVELS}')
    if args.amp and not args.device.startswith('cuda'):
        parser.error('--amp needs a CUDA device (AmpOptimWrapper refuses '
                     'the CPU)')
    return args


def base_config(args):
    """The adaptation model config without alignment levels, its input and
    heatmap sizes."""
    cfg = Config.fromfile(osp.join(REPO, args.config)).model
    pose_model = cfg.pose_model
    if args.paper:
        pose_model.backbone = dict(type='ResNet', depth=101)
        pose_model.head.in_channels = 2048
        pose_model.head.deconv_out_channels = (256, 256, 256)
        pose_model.head.decoder = dict(
            type='MSRAHeatmap', input_size=(256, 256), heatmap_size=(64, 64),
            sigma=2)
    for key in ('adversarial_loss', 'im_loss'):
        cfg.pop(key, None)
    if cfg.get('data_preprocessor') is not None:
        cfg.data_preprocessor.pop('style_transfer', None)
    codec = pose_model.head.decoder
    return cfg, tuple(codec.input_size), tuple(codec.heatmap_size)


def level_config(base, level: str):
    """``base`` with the alignment levels of ``level``, the paper's
    settings (random AdaIN weights of the released layout)."""
    cfg = copy.deepcopy(base)
    pose_model = cfg.pose_model
    backbone_channels = pose_model.head.in_channels
    if level in ('style', 'all'):
        if cfg.get('data_preprocessor') is None:
            cfg.data_preprocessor = dict()  # completes the pose model's
        cfg.data_preprocessor.style_transfer = dict(
            type='AdaINStyleTransfer', allow_random_init=True,
            alpha=(0.0, 1.0), prob=0.5)
    if level in ('feature', 'all'):
        cfg.adversarial_loss = dict(
            type='DomainAdversarialLoss', loss_weight=0.1,
            discriminator=dict(type='FeatureDomainDiscriminator',
                               in_channels=backbone_channels))
        cfg.adversarial_input = 'backbone'
    if level in ('pose', 'all'):
        cfg.im_loss = dict(type='InformationMaximizationLoss',
                           confidence_threshold=0.3, loss_weight=0.3)
    if level == 'sf':
        cfg.source_free = True
    return cfg


def fake_samples(num, input_size, heatmap_size, num_keypoints, view=False):
    """Collated-format inputs (uint8 images) and data samples."""
    w, h = input_size
    inputs, samples = [], []
    for _ in range(num):
        inputs.append(torch.randint(0, 256, (3, h, w), dtype=torch.uint8))
        sample = PoseDataSample(metainfo=dict(input_size=input_size))
        heatmaps = torch.rand(num_keypoints, heatmap_size[1],
                              heatmap_size[0])
        sample.gt_fields = PixelData(heatmaps=heatmaps)
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=torch.ones(1, num_keypoints))
        if view:
            angle = np.deg2rad(np.random.uniform(-30, 30))
            affine = np.eye(3)
            affine[:2, :2] = [[np.cos(angle), -np.sin(angle)],
                              [np.sin(angle), np.cos(angle)]]
            sample.set_metainfo(
                dict(
                    view_affine=affine,
                    view_joint_order=np.arange(num_keypoints)))
        samples.append(sample)
    return inputs, samples


def adaptation_batch(batch, input_size, heatmap_size, num_keypoints,
                     source_free=False):
    """A collated mixed batch: B source then B target samples (only the
    B target samples with ``source_free``)."""
    if source_free:
        target = {name: fake_samples(batch, input_size, heatmap_size,
                                     num_keypoints, view=True)
                  for name in ('target_weak', 'target_strong')}
        return dict(
            inputs=dict(source=[None] * batch,
                        **{k: v[0] for k, v in target.items()}),
            data_samples=dict(source=[None] * batch,
                              **{k: v[1] for k, v in target.items()}))
    branches = {}
    for name, view in (('source', False), ('target_weak', True),
                       ('target_strong', True)):
        branches[name] = fake_samples(batch, input_size, heatmap_size,
                                      num_keypoints, view)
    none = [None] * batch

    def layout(name, part):
        items = branches[name][part]
        return items + none if name == 'source' else none + items

    return dict(
        inputs={name: layout(name, 0) for name in branches},
        data_samples={name: layout(name, 1) for name in branches})


def peak_memory_mb(device):
    if device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(step, device) -> float:
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    start = time.perf_counter()
    step()
    if device.startswith('cuda'):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def time_it(step, warmup, iters, device):
    """Median seconds of ``step`` after ``warmup`` calls, and peak MiB."""
    if device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    times = [_timed(step, device) for _ in range(warmup + iters)]
    return statistics.median(times[warmup:]), peak_memory_mb(device)


def time_interleaved(steps: 'OrderedDict[str, callable]', warmup, iters,
                     device) -> tuple:
    """Median seconds of each step, the steps taking turns (one call of
    each per round, ``warmup`` rounds discarded), and on CUDA each step's
    peak allocated MiB (None on the CPU, where only the process's RSS
    high-water mark exists)."""
    cuda = device.startswith('cuda')
    times = OrderedDict((name, []) for name in steps)
    peaks = OrderedDict((name, 0.0 if cuda else None) for name in steps)
    for index in range(warmup + iters):
        for name, step in steps.items():
            if cuda:
                torch.cuda.reset_peak_memory_stats()
            seconds = _timed(step, device)
            if cuda:
                peaks[name] = max(peaks[name], peak_memory_mb(device))
            if index >= warmup:
                times[name].append(seconds)
    return OrderedDict((name, statistics.median(t))
                       for name, t in times.items()), peaks


def _adaptation_step(model, optim, data):
    """One adaptation ``train_step`` plus the EMA update of the teacher."""
    def step():
        model.train_step(copy.copy(data), optim)
        with torch.no_grad():
            model.teacher.update_parameters(model.student)
    return step


def make_optim(module, args):
    optimizer = torch.optim.Adam(module.parameters())
    if args.amp:
        return AmpOptimWrapper(optimizer=optimizer, dtype='bfloat16')
    return OptimWrapper(optimizer)


def components(model, data, args):
    """Each part of one adaptation step on its own: name -> callable."""
    preprocessed = model.data_preprocessor(copy.deepcopy(data), True)
    inputs, samples = preprocessed['inputs'], preprocessed['data_samples']
    student, teacher = model.student, model.teacher.module
    strong, weak = inputs['target_strong'], inputs['target_weak']
    input_hw = tuple(strong.shape[-2:])
    with torch.no_grad():
        teacher_heatmaps = teacher.head.forward(teacher.extract_feat(weak))
    with torch.no_grad():
        pseudo = model.pseudo_labeler.from_teacher(
            teacher, [weak], [samples['target_weak']], input_hw)
    optim = torch.optim.Adam(model.parameters())
    parts = OrderedDict()

    def source_pass():
        feats = student.extract_feat(inputs['source'])
        preds, _ = model._student_head(feats)
        model._supervised_loss(feats, preds, samples['source']).backward()

    def strong_pass():
        preds, _ = model._student_head(student.extract_feat(strong))
        preds.square().mean().backward()

    def teacher_pass():
        with torch.no_grad():
            teacher.head.forward(teacher.extract_feat(weak))

    def warp():
        frame = model.pseudo_labeler.frame
        frame.teacher_heatmaps([teacher_heatmaps], [samples['target_weak']],
                               input_hw)
        frame.student_heatmaps(teacher_heatmaps, samples['target_strong'],
                               [samples['target_weak']], input_hw)

    parts['source forward+backward'] = source_pass
    parts['teacher forward (weak view)'] = teacher_pass
    parts['student forward+backward (strong view)'] = strong_pass
    if model.occlusion is not None:
        parts['occlusion'] = lambda: model.occlusion(
            strong, pseudo, samples['target_strong'])
    parts['pseudo labels + warp'] = warp
    preprocessor = model.data_preprocessor
    if preprocessor.style_transfer is not None:
        source_images = [x for x in data['inputs']['source'] if x is not None]
        style_images = [
            x for x in data['inputs']['target_weak'] if x is not None
        ]
        parts['style transfer (source batch)'] = lambda: preprocessor._stylise(
            source_images, style_images)
    if model.adversarial_loss is not None:
        with torch.no_grad():  # the features the step's discriminator sees
            f_s, f_t = (student.extract_feat(x)
                        for x in (inputs['source'], strong))
            if model.adversarial_input == 'head':
                f_s, f_t = (model._student_head(f)[1] for f in (f_s, f_t))
            else:
                f_s, f_t = f_s[-1], f_t[-1]

        def discriminator():
            f_s.requires_grad_(True)
            f_t.requires_grad_(True)
            model.adversarial_loss(f_s, f_t)[0].backward()

        parts['discriminator forward+backward'] = discriminator
    if model.im_loss is not None:
        # heatmaps of the student's shape ('strong' or 'frame' alike)
        heatmaps = teacher_heatmaps.clone().requires_grad_(True)
        parts['IM forward+backward'] = lambda: model.im_loss(
            heatmaps).backward()
    parts['EMA update'] = lambda: model.teacher.update_parameters(student)

    def optimizer_step():
        for p in model.parameters():
            if p.requires_grad and p.grad is None:
                p.grad = torch.zeros_like(p)
        optim.step()

    parts['optimizer step'] = optimizer_step
    return parts


def main(argv=None):
    args = parse_args(argv)
    init_default_scope('mmpose')
    torch.manual_seed(0)
    np.random.seed(0)
    base, input_size, heatmap_size = base_config(args)
    num_keypoints = base.pose_model.head.out_channels
    batch = args.batch_size
    device = args.device

    supervised = MODELS.build(base.pose_model).to(device).train()
    inputs, samples = fake_samples(batch, input_size, heatmap_size,
                                   num_keypoints)
    plain_data = dict(inputs=inputs, data_samples=samples)
    plain_optim = make_optim(supervised, args)
    steps = OrderedDict(supervised=lambda: supervised.train_step(
        plain_data, plain_optim))
    data = adaptation_batch(batch, input_size, heatmap_size, num_keypoints)
    models = OrderedDict()
    for level in args.levels:
        model = MODELS.build(level_config(base, level)).to(device).train()
        model.reset_teacher()
        models[level] = model
        level_data = adaptation_batch(
            batch, input_size, heatmap_size, num_keypoints,
            source_free=True) if level == 'sf' else data
        steps[level] = _adaptation_step(model, make_optim(model, args),
                                        level_data)
    seconds, peaks = time_interleaved(steps, args.warmup, args.iters,
                                      device)

    backbone = base.pose_model.backbone
    print(f'device {device}{" (bf16 AMP)" if args.amp else ""}, torch '
          f'threads {torch.get_num_threads()}, ResNet-{backbone.depth}, '
          f'input {input_size[0]}x{input_size[1]}, heatmaps '
          f'{heatmap_size[0]}x{heatmap_size[1]}, {batch} samples per domain, '
          f'median of {args.iters} rounds after {args.warmup} warm-up rounds '
          '(the steps interleaved)')
    if not device.startswith('cuda'):
        print(f'peak RSS of the process (all steps): '
              f'{peak_memory_mb(device):.0f} MiB')
    titles = OrderedDict(supervised='supervised MMPose train_step (B)')
    titles.update((level, f'adaptation step, {level} ('
                   + ('B' if level == 'sf' else 'B+B') + ', EMA)')
                  for level in args.levels)
    sup_time = seconds['supervised']
    print(f'{"step":<44}{"time":>9}{"ratio":>8}' +
          ('   peak allocated' if device.startswith('cuda') else ''))
    for name, title in titles.items():
        memory = f'   {peaks[name]:.0f} MiB' if peaks[name] is not None \
            else ''
        print(f'{title:<44}{seconds[name]:>8.3f}s'
              f'{seconds[name] / sup_time:>8.2f}{memory}')
    print('targets: full MLDA (all) <= 2.6, mean teacher (mt) <= 2.3, '
          'source-free (sf) <= mean teacher minus its source pass')

    if args.no_breakdown:
        return
    model = models.get('all')
    if model is None:
        model = MODELS.build(level_config(base, 'all')).to(device).train()
        model.reset_teacher()
    print('\nbreakdown of the full MLDA step, each part on its own:')
    total = 0.0
    context = torch.autocast(device_type='cuda', dtype=torch.bfloat16) \
        if args.amp else torch.autocast(device_type='cpu', enabled=False)
    with context:
        for name, part in components(model, data, args).items():
            seconds, _ = time_it(part, args.warmup, args.iters, device)
            total += seconds
            print(f'  {name:<42}{seconds:>8.3f}s{seconds / sup_time:>8.2f}')
    print(f'  {"sum of the parts":<42}{total:>8.3f}s{total / sup_time:>8.2f}')


if __name__ == '__main__':
    main()
