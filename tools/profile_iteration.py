"""Where one benchmark adaptation iteration and one validation spend their
time, end to end, on the benchmark's own data and runner; and what a change
saves, measured side by side with the plain path.

    python tools/profile_iteration.py [--config configs/demo/ours.py]
        [--target target] [--warmup 5] [--iters 30] [--profiled-iters 10]
        [--pipeline-samples 64] [--cfg-options key=value ...]
    python tools/profile_iteration.py --variant NAME KEY=VALUE ... \
        [--variant ...] [--rounds 3]

A benchmark, not a test. It builds the row's config exactly as
``tools/benchmark.py`` does (same splits, schedule rescaling, source-only
checkpoint from the benchmark's cache when present). The profile trains
``warmup + iters + profiled_iters`` iterations, then validates three times:

1. per iteration, MMEngine's ``IterTimerHook`` figures: data loading
   (``next`` on the loader, collate included) and the rest (the
   ``train_step`` and the hooks before the timer's, the EMA update among
   them); medians over ``iters`` iterations after ``warmup``;
2. the step split into the named steps the estimator and the EMA hook
   mark (``preprocess``, ``source``, ``teacher``, ``occlusion``,
   ``student_target``, ``consistency``, ..., ``backward_and_update``
   without the ``optimizer step`` inside it, ``ema``; see
   ``mmpose_mlda.models.utils.named_step``), read by ``torch.profiler``
   over ``profiled_iters`` iterations: the breakdown of the real step;
3. a validation (teacher and student on the target test split; the
   second, after one that fills any cache): wall clock, then its named
   steps under the profiler (the third), data loading being the rest;
   then a validation of the teacher alone (what each validation but the
   last costs in the benchmark, ``val_cfg.score_student='last'``);
4. the step's compute floor: the arithmetic of its convolution passes
   (the student's multiply-adds per sample, counted by MMEngine's
   ``FlopAnalyzer``, times the samples of the student's and the teacher's
   forward passes, the backward pass counted as twice the student's
   forward) at this machine's matrix-multiply rate (a 2048^3 ``torch.mm``
   with the same threads, fp32 and bf16): the least time those passes
   could take here, against what they took (the named steps ``source``,
   ``teacher``, ``student_target`` and ``backward_and_update``);
5. the cost of each data transform of the training pipelines, per sample.

Besides config keys, ``--cfg-options`` and ``--variant`` take
``in_memory=False`` and ``fast_bbox_draws=False`` (default True, as the
benchmark runs: ``benchmarking.keep_data_in_memory`` and
``benchmarking.draw_bbox_transforms_fast``).

``--variant``: each round trains a short run of the plain config and of
every variant, one after the other (``--rounds`` rounds, so that drift of
the machine reaches them alike), and reports each path's median iteration
(and its data loading) and validation (the first of a run, and a repeat)
with its per-round ratio to the plain path. ``--cfg-options`` apply to
every path.
"""
import argparse
import copy
import gc
import os.path as osp
import statistics
import sys
import tempfile
import time
from collections import OrderedDict, defaultdict
from typing import Tuple

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402
from mmengine.hooks import Hook  # noqa: E402
from mmengine.runner import Runner  # noqa: E402
from torch.profiler import ProfilerActivity, profile  # noqa: E402

import benchmark  # noqa: E402
import benchmarking  # noqa: E402
from mmpose_mlda.models.utils import named_step_seconds  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default='configs/demo/ours.py')
    parser.add_argument('--target', default='target',
                        choices=benchmark.TARGETS)
    parser.add_argument('--data-root', default='data_cache/toy_figures/')
    parser.add_argument('--cache-dir', default='data_cache/benchmark/')
    parser.add_argument('--num-images', type=int, default=1000,
                        help='figures per training split (as benchmark.py)')
    parser.add_argument('--num-test', type=int, default=1000)
    parser.add_argument('--source-iters', type=int, default=1000,
                        help='the source-only stage whose cached '
                        'checkpoint to start from (random weights when it '
                        'is not cached)')
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--iters', type=int, default=30)
    parser.add_argument('--profiled-iters', type=int, default=10)
    parser.add_argument('--pipeline-samples', type=int, default=64)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        default={}, help='applied to every path')
    parser.add_argument(
        '--variant', nargs='+', action='append', metavar='NAME KEY=VALUE',
        help='compare: a path named NAME with these config options, '
        'measured against the plain config in alternating rounds '
        '(repeatable)')
    parser.add_argument('--rounds', type=int, default=3)
    args = parser.parse_args(argv)
    for key in ('warmup', 'iters', 'profiled_iters', 'pipeline_samples',
                'rounds', 'num_images', 'num_test'):
        if getattr(args, key) < 1:
            parser.error(f'--{key.replace("_", "-")} must be at least 1')
    return args


def cached_source_checkpoint(args):
    """The benchmark's cached source-only checkpoint of this setting, or
    None."""
    cfg = benchmark.load_config(benchmark.SOURCE_CONFIG, '', args.data_root,
                                args.target, args.source_iters)
    key = benchmark.config_hash(cfg)
    path = osp.join(args.cache_dir, f'source_only_{key}', f'iter_'
                    f'{args.source_iters}.pth')
    return path if osp.exists(path) else None


class _StartProfiler(Hook):
    """Starts ``profiler`` before training iteration ``start``."""

    priority = 'HIGHEST'

    def __init__(self, profiler, start: int) -> None:
        self.profiler = profiler
        self.start = start

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter == self.start:
            self.profiler.start()


def timed_transforms(pipeline, times: dict, prefix: str = '') -> None:
    """Wrap each transform of an MMCV ``Compose`` (and of each
    ``PoseMultiBranch`` branch) so that its seconds add up in ``times``."""
    for index, transform in enumerate(pipeline.transforms):
        name = prefix + type(transform).__name__
        branches = getattr(transform, 'branch_pipelines', None)
        if branches is not None:
            for branch, sub in branches.items():
                timed_transforms(sub, times, f'{prefix}{branch}: ')

        def timed(results, transform=transform, name=name):
            start = time.perf_counter()
            out = transform(results)
            times[name] += time.perf_counter() - start
            return out

        pipeline.transforms[index] = timed


def transform_costs(dataset_cfg, samples: int) -> 'OrderedDict[str, float]':
    """Milliseconds per sample of every transform of one dataset's
    pipeline (the nested ones listed under their branch)."""
    from mmpose.registry import DATASETS
    dataset = DATASETS.build(dataset_cfg)
    times = defaultdict(float)
    timed_transforms(dataset.pipeline, times)
    for index in range(samples):
        dataset[index % len(dataset)]
    return OrderedDict((k, v / samples * 1e3) for k, v in times.items())


def _row(name: str, seconds: float, total: float) -> str:
    return f'  {name:<40}{seconds * 1e3:>9.1f} ms{seconds / total:>7.0%}'


class _LastBatch(Hook):
    """Keeps the number of samples of each branch of the last training
    batch of an adaptation model (``{'inputs': {branch: [image | None]}}``),
    and the input size."""

    def __init__(self) -> None:
        self.counts, self.input_hw = {}, None

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        inputs = data_batch['inputs']
        self.counts = {branch: sum(x is not None for x in images)
                       for branch, images in inputs.items()}
        image = next(x for images in inputs.values() for x in images
                     if x is not None)
        self.input_hw = tuple(image.shape[-2:])


def matmul_rate(dtype: torch.dtype, size: int = 2048,
                repeats: int = 5) -> float:
    """FLOP/s of a square ``torch.mm`` in ``dtype`` with torch's threads:
    what this machine's arithmetic gives at its best, the ceiling of the
    convolutions (oneDNN's are matrix multiplications in the end)."""
    a, b = (torch.randn(size, size).to(dtype) for _ in range(2))
    torch.mm(a, b)
    start = time.perf_counter()
    for _ in range(repeats):
        torch.mm(a, b)
    return 2 * size**3 * repeats / (time.perf_counter() - start)


def step_flop(model, batch: _LastBatch) -> Tuple[float, int, int]:
    """FLOP of one iteration's convolution passes (two per multiply-add):
    the student's forward passes (source and strong view), the teacher's
    (its views) and the backward pass, counted as twice the student's
    forward. Returns (FLOP, student samples, teacher samples)."""
    from mmengine.analysis import FlopAnalyzer
    student_branches = ['target_strong'] + (
        [] if getattr(model, 'source_free', True) else ['source'])
    student = sum(batch.counts.get(b, 0) for b in student_branches)
    teacher = sum(n for b, n in batch.counts.items()
                  if b.startswith('target_weak'))
    network = copy.deepcopy(model.student).eval()
    sample = torch.zeros(1, 3, *batch.input_hw)
    analyzer = FlopAnalyzer(network, (sample, None, 'tensor'))
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    per_sample = 2 * analyzer.total()
    return per_sample * (3 * student + teacher), student, teacher


def build_runner(args, options: dict, iters: int, prof=None):
    """A runner of the row's config as the benchmark builds it, with
    ``options`` merged, no checkpoint saving and no validation during
    training (validations are timed after it); the profiler, if given,
    starts after ``warmup + iters`` iterations."""
    work_dir = tempfile.mkdtemp(prefix='profile_iteration_')
    cfg = benchmark.load_config(args.config, work_dir, args.data_root,
                                args.target, iters, val_points=1,
                                load_from=cached_source_checkpoint(args))
    options = dict(options)
    if options.pop('in_memory', True):
        benchmarking.keep_data_in_memory(cfg)
    if options.pop('fast_bbox_draws', True):
        benchmarking.draw_bbox_transforms_fast(cfg)
    cfg.merge_from_dict(options)
    cfg.train_cfg.val_begin = iters + 1
    cfg.default_hooks.checkpoint.interval = 10**9
    cfg.default_hooks.checkpoint.save_last = False
    cfg.visualizer.name = f'visualizer:{work_dir}'
    cfg.experiment_name = osp.basename(work_dir)  # its own message hub
    runner = Runner.from_cfg(cfg)
    if prof is not None:
        runner.register_hook(_StartProfiler(prof, args.warmup + args.iters))
    return runner


def iteration_medians(runner, args) -> 'OrderedDict[str, float]':
    """Median seconds over the timed iterations, as MMEngine's
    ``IterTimerHook`` records them: data loading, the rest (the train step
    and the hooks that run before the timer's, the EMA update among them),
    and the whole iteration."""
    window = slice(args.warmup, args.warmup + args.iters)
    data, total = (
        runner.message_hub.get_scalar(f'train/{key}').data[0][window]
        for key in ('data_time', 'time'))
    return OrderedDict([
        ('data loading', statistics.median(data)),
        ('train_step and EMA update', statistics.median(total - data)),
        ('iteration', statistics.median(total)),
    ])


def timed_validation(runner) -> float:
    start = time.perf_counter()
    runner.val_loop.run()
    return time.perf_counter() - start


def profile_once(args) -> None:
    """The profile of one path (the config as it is, with
    ``--cfg-options``)."""
    prof = profile(activities=[ProfilerActivity.CPU])
    runner = build_runner(args, args.cfg_options,
                          args.warmup + args.iters + args.profiled_iters,
                          prof)
    last_batch = _LastBatch() if hasattr(runner.model, 'student') else None
    if last_batch is not None:
        runner.register_hook(last_batch)
    runner.train()  # the profiler runs from the profiled iterations on
    prof.stop()
    steps = named_step_seconds(prof, args.profiled_iters)
    timed_validation(runner)  # the first fills any cache
    val_seconds = timed_validation(runner)
    with profile(activities=[ProfilerActivity.CPU]) as val_prof:
        runner.val_loop.run()
    val_steps = named_step_seconds(val_prof, 1)
    teacher_only = None  # what a validation before the last costs
    if hasattr(runner.val_loop, 'score_student'):
        runner.val_loop.score_student = 'never'
        teacher_only = timed_validation(runner)

    medians = iteration_medians(runner, args)
    iteration = medians.pop('iteration')
    cfg = runner.cfg
    print(f'{args.config} on {args.target}, torch threads '
          f'{torch.get_num_threads()}, train num_workers '
          f'{cfg.train_dataloader.num_workers}, batch '
          f'{cfg.train_dataloader.batch_size}; start: '
          f'{cfg.load_from or "random weights (no cached source stage)"}')
    print(f'\none iteration (median of {args.iters} after {args.warmup} '
          f'warm-up): {iteration * 1e3:.1f} ms')
    for name, seconds in medians.items():
        print(_row(name, seconds, iteration))
    print(f'\nthe train_step\'s and the EMA\'s named steps (profiler, mean '
          f'of {args.profiled_iters} iterations; shares of the median '
          'iteration above):')
    for name, seconds in steps.items():
        print(_row(name, seconds, iteration))

    size = len(runner.val_loop.dataloader.dataset)
    print(f'\none validation ({size} figures, teacher and student; the '
          f'second of the run): {val_seconds:.2f} s')
    named = 0.0
    for name, seconds in val_steps.items():
        named += seconds
        print(_row(name, seconds, val_seconds))
    print(_row('data loading and the rest', max(val_seconds - named, 0.0),
               val_seconds))
    if teacher_only is not None:
        print(f'a validation of the teacher alone (val_cfg.score_student: '
              f"'last' scores the student at the last validation only, as "
              f'the benchmark does): {teacher_only:.2f} s')

    if last_batch is not None:
        print_compute_floor(runner.model, last_batch, steps)

    print(f'\ndata transforms, ms per sample (mean of '
          f'{args.pipeline_samples}):')
    dataset = cfg.train_dataloader.dataset
    parts = [('source', dataset.source), ('target', dataset.target)] \
        if 'source' in dataset else [('target', dataset)]
    for label, dataset_cfg in parts:
        costs = transform_costs(dataset_cfg, args.pipeline_samples)
        top_level = sum(v for k, v in costs.items() if ': ' not in k)
        print(f'  {label} pipeline: {top_level:.2f} ms')
        for name, ms in costs.items():
            print(f'    {name:<50}{ms:>7.2f}')


def print_compute_floor(model, batch: _LastBatch, steps: dict) -> None:
    """The convolution passes' arithmetic against this machine's best
    rate (module docstring, 4)."""
    flop, student, teacher = step_flop(model, batch)
    passes = ('source', 'teacher', 'student_target', 'backward_and_update')
    measured = sum(steps.get(name, 0.0) for name in passes)
    h, w = batch.input_hw
    print(f'\nthe step\'s compute floor: {flop / 1e9:.1f} GFLOP an '
          f'iteration (forward passes of {student} student and {teacher} '
          f'teacher samples at {h}x{w}, the backward twice the student\'s '
          'forward); the named passes (source, teacher, student_target, '
          f'backward_and_update) took {measured * 1e3:.1f} ms, '
          f'{flop / measured / 1e9:.0f} GFLOP/s')
    for dtype in (torch.float32, torch.bfloat16):
        rate = matmul_rate(dtype)
        print(f'  at this machine\'s {str(dtype)[6:]} matrix-multiply rate '
              f'({rate / 1e9:.0f} GFLOP/s, 2048^3, {torch.get_num_threads()}'
              f' threads): at least {flop / rate * 1e3:.1f} ms; measured '
              f'{measured / (flop / rate):.2f}x that')


def compare(args) -> None:
    """Rounds of short runs, each path once per round (the plain config
    first): the iteration's median, its data loading's and two
    validations per run, and each path's per-round ratio to the plain
    one."""
    paths = OrderedDict(plain=args.cfg_options)
    for name, *options in args.variant:
        paths[name] = dict(args.cfg_options)
        for option in options:
            key, _, value = option.partition('=')
            paths[name][key] = DictAction._parse_iterable(value)
    results = OrderedDict((name, defaultdict(list)) for name in paths)
    for index in range(args.rounds):
        for name, options in paths.items():
            runner = build_runner(args, options, args.warmup + args.iters)
            runner.train()
            record = results[name]
            medians = iteration_medians(runner, args)
            record['iteration'].append(medians['iteration'])
            record['data loading'].append(medians['data loading'])
            record['first validation'].append(timed_validation(runner))
            record['repeat validation'].append(timed_validation(runner))
            del runner
            gc.collect()
            print(f'round {index + 1}/{args.rounds} {name}: ' + ', '.join(
                f'{k} {v[-1] * 1e3:.0f} ms' for k, v in record.items()),
                flush=True)
    print(f'\n{args.config} on {args.target}; medians over {args.rounds} '
          'rounds (ratio: median of per-round ratios to plain, range)')
    for part in ('iteration', 'data loading', 'first validation',
                 'repeat validation'):
        print(f'\n{part}:')
        plain = results['plain'][part]
        for name, record in results.items():
            ratios = sorted(p / t for p, t in zip(plain, record[part]))
            print(f'  {name:<24}{statistics.median(record[part]) * 1e3:>9.1f}'
                  f' ms   {statistics.median(ratios):.2f}x cheaper '
                  f'({ratios[0]:.2f}-{ratios[-1]:.2f})')


def main(argv=None):
    args = parse_args(argv)
    benchmark.make_data(args.data_root, args.num_images, args.num_test,
                        args.target)
    if cached_source_checkpoint(args) is None:
        print(f'no cached source-only stage of {args.source_iters} '
              f'iterations under {args.cache_dir} for this setting: every '
              'path starts from random weights (run tools/benchmark.py '
              f'--source-iters {args.source_iters} first to profile from '
              'the checkpoint)', flush=True)
    if args.variant:
        compare(args)
    else:
        profile_once(args)


if __name__ == '__main__':
    main()
