"""Cost of one domain-adaptation train step against a supervised one, per
alignment level and per component.

    python tools/benchmark_step.py [--config configs/demo/mean_teacher.py] [--paper]
        [--levels mt,style,feature,pose,all,sf] [--batch-size 4] [--warmup 2]
        [--iters 4] [--device cpu|cuda] [--amp] [--channels-last]
        [--style-bf16] [--style-channels-last] [--default-malloc]
        [--no-breakdown]

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
- with the breakdown, the ``all`` step itself split into the named steps
  the estimator marks (preprocessing with the style transfer, source
  pass, teacher, occlusion, strong-view pass, consistency, discriminator,
  IM, backward, optimizer step, EMA), read by ``torch.profiler``: the
  parts of the real step, summing to it.

The supervised step and the levels run interleaved, one step of each per
round, so that drift of the machine (clock, memory, other load) reaches them
alike: measured one after another, a later level came out up to 0.9 s
slower at paper scale on CPU than the same level measured first.

Batches are synthetic and already collated, so data loading does not blur
the ratios (``tools/benchmark_data.py`` measures the loaders); the data
preprocessors still run. ``--paper``: SimpleBaseline ResNet-101, 256x256
input, 64x64 heatmaps. ``--amp``: bf16 autocast (MMEngine's
``AmpOptimWrapper`` on CUDA, ``CpuBf16OptimWrapper`` on CPU), for the
supervised and the adaptation steps alike. ``--style-bf16`` and
``--style-channels-last``: the AdaIN style network's ``precision='bf16'``
and ``channels_last`` switches (by default it is fp32 and contiguous, under
``--amp`` too). Peak memory: on CUDA
the allocator's peak per step; on CPU the process's peak resident set size
(a high-water mark of all steps) and its minor page faults.

On the CPU the process keeps freed memory for reuse, as the adaptation
configs' ``KeepFreedMemoryHook`` makes a training do
(``mmpose_mlda.utils.keep_freed_cpu_memory``); ``--default-malloc`` leaves
glibc's defaults (every step's large blocks mapped and faulted in anew).
"""
import argparse
import copy
import os.path as osp
import resource
import statistics
import sys
import time
from collections import OrderedDict
from types import SimpleNamespace

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
from torch.profiler import ProfilerActivity, profile  # noqa: E402

from mmpose_mlda.engine.optimizers import CpuBf16OptimWrapper  # noqa: E402
from mmpose_mlda.engine.hooks import MeanTeacherHook  # noqa: E402
from mmpose_mlda.models.utils import named_step_seconds  # noqa: E402
from mmpose_mlda.utils import keep_freed_cpu_memory  # noqa: E402

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
                        help='bf16 autocast: AmpOptimWrapper on CUDA, '
                        'CpuBf16OptimWrapper on CPU')
    parser.add_argument('--style-bf16', action='store_true',
                        help="the AdaIN style network in bf16 (its "
                        "precision='bf16' switch; by default it stays fp32, "
                        'under --amp too)')
    parser.add_argument('--style-channels-last', action='store_true',
                        help='the AdaIN style network in channels-last '
                        'layout (its channels_last switch)')
    parser.add_argument('--no-breakdown', action='store_true')
    parser.add_argument('--channels-last', action='store_true',
                        help='every model in channels-last layout (the '
                        "supervised one too; the adaptation models' "
                        'model.channels_last switch)')
    parser.add_argument('--default-malloc', action='store_true',
                        help="glibc's default malloc settings on the CPU "
                        '(by default freed memory is kept for reuse)')
    args = parser.parse_args(argv)
    args.levels = [lv for lv in args.levels.split(',') if lv]
    unknown = sorted(set(args.levels) - set(LEVELS))
    if unknown:
        parser.error(f'--levels: unknown {unknown}; choose from {LEVELS}')
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


def level_config(base, level: str, args):
    """``base`` with the alignment levels of ``level``, the paper's
    settings (random AdaIN weights of the released layout; the style
    network's switches from ``--style-bf16``, ``--style-channels-last``)."""
    cfg = copy.deepcopy(base)
    pose_model = cfg.pose_model
    backbone_channels = pose_model.head.in_channels
    if level in ('style', 'all'):
        if cfg.get('data_preprocessor') is None:
            cfg.data_preprocessor = dict()  # completes the pose model's
        cfg.data_preprocessor.style_transfer = dict(
            type='AdaINStyleTransfer', allow_random_init=True,
            alpha=(0.0, 1.0), prob=0.5,
            precision='bf16' if args.style_bf16 else 'fp32',
            channels_last=args.style_channels_last)
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


def build(model_cfg, args):
    """The model on the device, in training mode, in the chosen layout."""
    model = MODELS.build(model_cfg).to(args.device).train()
    if args.channels_last:
        model.to(memory_format=torch.channels_last)
    return model


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


def time_interleaved(steps: 'OrderedDict[str, callable]', warmup, iters,
                     device) -> tuple:
    """Seconds of each step in every round, the steps taking turns (one
    call of each per round, ``warmup`` rounds discarded), and on CUDA each
    step's peak allocated MiB (None on the CPU, where only the process's
    RSS high-water mark exists)."""
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
    return times, peaks


def ratio_spread(times: list, reference: list) -> tuple:
    """Median and interquartile range of the per-round ratios: each round's
    step against the reference step of the same round, so that drift of
    the machine between rounds cancels."""
    ratios = sorted(t / r for t, r in zip(times, reference))
    if len(ratios) < 2:
        return ratios[0], ratios[0], ratios[0]
    low, mid, high = statistics.quantiles(ratios, n=4, method='inclusive')
    return mid, low, high


def _adaptation_step(model, optim, data):
    """One adaptation ``train_step`` plus the teacher update that
    ``MeanTeacherHook`` performs after it."""
    hook, runner = MeanTeacherHook(), SimpleNamespace(model=model)

    def step():
        model.train_step(copy.copy(data), optim)
        hook.after_train_iter(runner, 0)
    return step


def make_optim(module, args):
    optimizer = torch.optim.Adam(module.parameters())
    if args.amp and args.device.startswith('cuda'):
        return AmpOptimWrapper(optimizer=optimizer, dtype='bfloat16')
    if args.amp:
        return CpuBf16OptimWrapper(optimizer=optimizer)
    return OptimWrapper(optimizer)


def breakdown(model, optim, data, args) -> 'OrderedDict[str, float]':
    """Seconds per step of each named step of the real adaptation step
    (``mlda::*`` ranges, see ``named_step``), under ``torch.profiler``
    over ``args.iters`` steps after ``args.warmup``; 'rest' is what no
    named step covers (parsing the losses, Python between the steps, the
    profiler's own overhead)."""
    step = _adaptation_step(model, optim, data)
    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(args.iters):
            step()
    wall = (time.perf_counter() - start) / args.iters
    parts = named_step_seconds(prof, args.iters)
    parts['rest'] = wall - sum(parts.values())
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
    kept = device == 'cpu' and not args.default_malloc and \
        keep_freed_cpu_memory()

    supervised = build(base.pose_model, args)
    inputs, samples = fake_samples(batch, input_size, heatmap_size,
                                   num_keypoints)
    plain_data = dict(inputs=inputs, data_samples=samples)
    plain_optim = make_optim(supervised, args)
    steps = OrderedDict(supervised=lambda: supervised.train_step(
        plain_data, plain_optim))
    data = adaptation_batch(batch, input_size, heatmap_size, num_keypoints)
    models = OrderedDict()
    for level in args.levels:
        model = build(level_config(base, level, args), args)
        model.reset_teacher()
        models[level] = model
        level_data = adaptation_batch(
            batch, input_size, heatmap_size, num_keypoints,
            source_free=True) if level == 'sf' else data
        steps[level] = _adaptation_step(model, make_optim(model, args),
                                        level_data)
    times, peaks = time_interleaved(steps, args.warmup, args.iters, device)
    seconds = OrderedDict((k, statistics.median(t)) for k, t in times.items())

    backbone = base.pose_model.backbone
    print(f'device {device}{" (bf16 AMP)" if args.amp else ""}'
          f'{", channels-last" if args.channels_last else ""}'
          f'{", freed memory kept" if kept else ""}, torch '
          f'threads {torch.get_num_threads()}, ResNet-{backbone.depth}, '
          f'input {input_size[0]}x{input_size[1]}, heatmaps '
          f'{heatmap_size[0]}x{heatmap_size[1]}, {batch} samples per domain, '
          f'times: medians of {args.iters} rounds after {args.warmup} '
          'warm-up rounds (the steps interleaved); ratios: the median of the '
          'per-round ratios')
    if not device.startswith('cuda'):
        print(f'peak RSS of the process (all steps): '
              f'{peak_memory_mb(device):.0f} MiB; minor page faults so far '
              '(building, warm-up and timed steps): '
              f'{resource.getrusage(resource.RUSAGE_SELF).ru_minflt}')
    titles = OrderedDict(supervised='supervised MMPose train_step (B)')
    titles.update((level, f'adaptation step, {level} ('
                   + ('B' if level == 'sf' else 'B+B') + ', EMA)')
                  for level in args.levels)
    sup_time = seconds['supervised']
    print(f'{"step":<44}{"time":>9}{"ratio":>8}  ratio IQR over rounds' +
          ('   peak allocated' if device.startswith('cuda') else ''))
    for name, title in titles.items():
        memory = f'   {peaks[name]:.0f} MiB' if peaks[name] is not None \
            else ''
        ratio, low, high = ratio_spread(times[name], times['supervised'])
        print(f'{title:<44}{seconds[name]:>8.3f}s{ratio:>8.2f}  '
              f'({low:.2f}-{high:.2f}){memory}')
    print('targets: full MLDA (all) <= 2.6, mean teacher (mt) <= 2.3, '
          'source-free (sf) <= mean teacher minus its source pass')

    if args.no_breakdown:
        return
    model = models.get('all')
    if model is None:
        model = build(level_config(base, 'all', args), args)
        model.reset_teacher()
    print('\nbreakdown of the full MLDA step: its named steps under '
          'torch.profiler (with its overhead), in supervised steps:')
    context = torch.autocast(device_type=device.split(':')[0],
                             dtype=torch.bfloat16, enabled=args.amp)
    with context:
        parts = breakdown(model, make_optim(model, args), data, args)
    for name, seconds in parts.items():
        print(f'  {name:<42}{seconds:>8.3f}s{seconds / sup_time:>8.2f}')
    total = sum(parts.values())
    print(f'  {"profiled step":<42}{total:>8.3f}s{total / sup_time:>8.2f}')
    if device.startswith('cuda'):
        print('  (CUDA: host-side times; run with CUDA_LAUNCH_BLOCKING=1 for '
              'per-step device times)')

if __name__ == '__main__':
    main()
