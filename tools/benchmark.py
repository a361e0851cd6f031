"""The built-in benchmark, with seeds, paired intervals and figures.

    python tools/benchmark.py [--rows mean_teacher,ours,paper,authors]
        [--configs path/to/extra.py ...] [--seeds 0,1,2]
        [--target target|thermal] [--work-dir work_dirs/benchmark]
        [--results work_dirs/benchmark/<target>/results.json]
        [--jobs N] [--amp] [--channels-last]

What it does:

1. generates the toy figure splits (seeded; reused when present): labelled
   source renders, and for the chosen target family unlabelled training
   figures and ``--num-test`` test figures;
2. trains the source-only model and the oracle (labelled target) once per
   setting and caches each under the hash of its resolved config
   (``data_cache/benchmark/``): every adaptation row and every seed starts
   from the same source-only checkpoint, so rows differ only in what they
   test;
3. adapts with each row's config for every seed (the row configs live in
   ``configs/demo/``: by default the presets users choose between, the mean
   teacher, ours, the paper's and the authors' full combinations; the
   one-level ablations are ``--rows image,feature,pose,feature_head``, the
   source-free ones ``--rows source_free,adabn``; ``--configs`` adds any
   other adaptation config), and records the
   teacher's target PCK at every validation;
4. prints and writes (``results.json``, ``results.md``, ``pck_by_row.png``,
   ``pck_over_iterations.png``) mean +- std per joint group and each row's
   paired difference from the mean teacher (same seed, same source
   checkpoint) with a 95% t-interval.

``results.json`` is written after every run; a second call with the same
setting skips the runs it already holds (resume). A results file of another
setting (different configs, data or schedule) is never overwritten: the
call stops and names the file. A progress line per run reports row, seed,
iteration and ETA.
"""
import argparse
import json
import os
import os.path as osp
import sys
import time
from collections import OrderedDict
from typing import Callable, List, Optional, Sequence, Tuple

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
from mmengine.config import Config  # noqa: E402

from mmpose_mlda.datasets.toy_figures import write_coco_split  # noqa: E402
from mmpose_mlda.evaluation.seed_statistics import (  # noqa: E402
    mean_std, paired_interval, parse_seeds)
from mmpose_mlda.utils import atomic_write_text, use_amp  # noqa: E402

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
import benchmarking  # noqa: E402
from benchmarking import (  # noqa: E402
    STD_CONVENTION, ProgressHook, adaptation_run, cached_stage,
    Task, changed_with_results, clock, config_hash, paired_cell, run_tasks,
    save_results, setting_hash, stats_cell)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: the rows: name -> adaptation config (relative to the repository)
ROWS = OrderedDict(
    mean_teacher='configs/demo/mean_teacher.py',
    ours='configs/demo/ours.py',
    paper='configs/demo/mlda_all.py',
    authors='configs/demo/authors_all.py',
    image='configs/demo/mt_style.py',
    feature='configs/demo/mt_feature.py',
    pose='configs/demo/mt_pose.py',
    feature_head='configs/demo/mt_feature_head.py',
    source_free='configs/demo/source_free.py',
    source_free_ours='configs/demo/source_free_ours.py',
    adabn='configs/demo/adabn.py')
ROW_TITLES = dict(
    source_only='source only',
    mean_teacher='mean teacher',
    ours='ours (configs/demo/ours.py)',
    paper='paper: all three levels (MLDA as written)',
    authors='authors: their released recipe',
    image='+ image level (FDA)',
    feature='+ feature level (backbone, DANN ramp)',
    pose='+ pose level (IM)',
    feature_head='+ feature level (head features, authors)',
    source_free='source-free mean teacher (no source images)',
    source_free_ours='source-free, ours (configs/demo/source_free_ours.py)',
    adabn='AdaBN (target BatchNorm statistics only)',
    oracle='oracle (target labels)')
BASELINE = 'mean_teacher'
#: what ``make benchmark`` runs: the presets users choose between (the
#: one-level ablations are ``--rows image,feature,pose,feature_head``)
DEFAULT_ROWS = ('mean_teacher', 'ours', 'paper', 'authors')
#: head families adapted with coordinate pseudo labels: name -> its
#: source-only and oracle configs and its rows (``--family-rows``); scored
#: with MMPose's image-space PCKAccuracy@0.05 against their own source-only
#: and oracle
FAMILIES = OrderedDict(
    (family, dict(
        source_only=f'configs/demo/{family}_source_only.py',
        oracle=f'configs/demo/{family}_oracle.py',
        rows=OrderedDict(
            (row, f'configs/demo/{family}_{row}.py')
            for row in ('mean_teacher', 'ours', 'source_free'))))
    for family in ('simcc', 'regression'))
FAMILY_TITLES = dict(simcc='RTMPose-style (CSPNeXt + RTMCCHead, SimCC)',
                     regression='regression (ResNet-18/2 + RLEHead)')
GROUPS = ('Shoulder', 'Elbow', 'Wrist', 'Hip', 'Knee', 'Ankle', 'All')
TARGETS = ('target', 'thermal')
SOURCE_CONFIG = 'configs/demo/source_only.py'
ORACLE_CONFIG = 'configs/demo/oracle.py'
def summarise(results: dict, rows: Sequence[str],
              seeds: Sequence[int]) -> dict:
    """Per row: mean/std per group over seeds, the paired difference of
    All from the baseline, and the gap the row closes (in points, % of
    source-only -> oracle)."""
    summary = OrderedDict()
    source = results['stages']['source_only']['metrics']
    oracle = results['stages']['oracle']['metrics']
    summary['source_only'] = {g: mean_std([source[g]]) for g in GROUPS}
    base = [results['runs'][f'{BASELINE}/{s}']['metrics']['All']
            for s in seeds if f'{BASELINE}/{s}' in results['runs']]
    gap = oracle['All'] - source['All']
    for row in rows:
        runs = [results['runs'][f'{row}/{s}'] for s in seeds
                if f'{row}/{s}' in results['runs']]
        if not runs:
            continue
        entry = {g: mean_std([r['metrics'][g] for r in runs]) for g in GROUPS}
        alls = [r['metrics']['All'] for r in runs]
        if row != BASELINE and len(alls) == len(base) and base:
            entry['paired'] = paired_interval(alls, base)
        if gap > 0:
            entry['gap_closed'] = mean_std(
                [(a - source['All']) / gap for a in alls])
        curves = [r.get('curve') for r in runs]
        if all(curves):  # the authors' protocol: best over validations
            entry['best_over_validations'] = mean_std(
                [max(v for _, v in c) for c in curves])
        summary[row] = entry
    summary['oracle'] = {g: mean_std([oracle[g]]) for g in GROUPS}
    return summary


def summarise_families(results: dict, families: Sequence[str],
                       rows: Sequence[str], seeds: Sequence[int]) -> dict:
    """Per head family: its source-only, oracle and bound, and every row
    over seeds (image-space PCK) with the gap closed (to the bound when it
    was trained, else to the oracle) and, beside the mean teacher, its
    paired interval."""
    summary = OrderedDict()
    for family in families:
        stages = results['stages']
        if f'{family}/source_only' not in stages:
            continue
        source = stages[f'{family}/source_only']['metrics']['PCK']
        oracle = stages[f'{family}/oracle']['metrics']['PCK']
        bound = stages.get(f'{family}/bound', {}).get('metrics', {}).get(
            'PCK')
        top = oracle if bound is None else bound

        def scores(row):
            return [results['runs'][f'{family}/{row}/{s}']['metrics']['PCK']
                    for s in seeds
                    if f'{family}/{row}/{s}' in results['runs']]

        base = scores(BASELINE)
        entry = OrderedDict(source_only=source, oracle=oracle, bound=bound,
                            rows=OrderedDict())
        for row in rows:
            runs = scores(row)
            if not runs:
                continue
            stats = dict(pck=mean_std(runs))
            if top > source:
                stats['gap_closed'] = mean_std(
                    [(r - source) / (top - source) for r in runs])
            if row != BASELINE and len(runs) == len(base):
                stats['paired'] = paired_interval(runs, base)
            entry['rows'][row] = stats
        summary[family] = entry
    return summary


def family_table(summary: dict, seeds: Sequence[int]) -> str:
    """The head families as a markdown table (percent)."""
    lines = ['| head family | row | PCK | PCK - mean teacher (95% CI) | '
             'gap closed |', '|---|---|---|---|---|']
    for family, entry in summary.items():
        title = FAMILY_TITLES.get(family, family)
        lines.append(f'| {title} | source only | '
                     f'{100 * entry["source_only"]:.1f} |  |  |')
        for row, stats in entry['rows'].items():
            closed = stats.get('gap_closed')
            name = ROW_TITLES.get(row, row).split(' (')[0]
            config = osp.basename(FAMILIES[family]['rows'][row])
            lines.append(
                f'| {title} | {name} ({config}) | '
                f'{stats_cell(stats["pck"])} | '
                f'{paired_cell(stats.get("paired"))} | '
                + (f'{100 * closed["mean"]:.0f}%' if closed else '') + ' |')
        lines.append(f'| {title} | oracle (target labels) | '
                     f'{100 * entry["oracle"]:.1f} |  |  |')
        if entry.get('bound') is not None:
            lines.append(f'| {title} | bound (source only fine-tuned on '
                         'target labels) | '
                         f'{100 * entry["bound"]:.1f} |  |  |')
    lines.append('')
    lines.append('Target test PCK@0.05 in image space (MMPose PCKAccuracy, '
                 f'bbox-normalised), seeds {list(seeds)}: {STD_CONVENTION} '
                 '(the family\'s mean teacher); coordinate pseudo labels. '
                 'The oracle trains from scratch on the labelled '
                 'target for the source-only stage\'s iterations; the bound '
                 'fine-tunes the source-only checkpoint on them for the '
                 'adaptation\'s iterations (the adapted rows\' budget); the '
                 'gap closed is measured to the bound.')
    return '\n'.join(lines) + '\n'


def markdown_table(summary: dict, seeds: Sequence[int]) -> str:
    """The summary as a markdown table (percent)."""
    head = ('| row | ' + ' | '.join(GROUPS) +
            ' | All - mean teacher (95% CI) | gap closed | All, best over '
            'validations |')
    lines = [head, '|' + '---|' * (len(GROUPS) + 4)]
    for row, entry in summary.items():
        cells = [stats_cell(entry[g]) for g in GROUPS]
        cells.append(paired_cell(entry.get('paired')))
        closed = entry.get('gap_closed')
        cells.append(f'{100 * closed["mean"]:.0f}%' if closed else '')
        best = entry.get('best_over_validations')
        cells.append(stats_cell(best) if best else '')
        lines.append(f'| {ROW_TITLES.get(row, row)} | ' + ' | '.join(cells) +
                     ' |')
    lines.append('')
    lines.append(f'Target test PCK@0.05 (heatmap space, udape protocol) '
                 f'at the last validation, seeds {list(seeds)}: '
                 f'{STD_CONVENTION} (the mean teacher); "best over '
                 'validations" is the highest All of each run\'s'
                 " validations (the authors' protocol: model "
                 'selection on the target test set, an optimistic figure); '
                 'source only and oracle are one cached training each.')
    return '\n'.join(lines) + '\n'


# -------------------------------------------------------------- figures
def plot(results: dict, summary: dict, out_dir: str) -> List[str]:
    """Bar chart of All with std error bars, and the teacher's target PCK
    over iterations per row (matplotlib, Agg backend)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rows = list(summary)
    fig, ax = plt.subplots(figsize=(9, 4))
    means = [100 * summary[r]['All']['mean'] for r in rows]
    stds = [100 * summary[r]['All']['std'] for r in rows]
    ax.bar(range(len(rows)), means, yerr=stds, capsize=4,
           color=['#999999'] + ['#4878a8'] * (len(rows) - 2) + ['#999999'])
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([ROW_TITLES.get(r, r) for r in rows], rotation=25,
                       ha='right', fontsize=8)
    ax.set_ylabel('target PCK@0.05, All (%)')
    low = min(m - s for m, s in zip(means, stds))
    ax.set_ylim(max(0, low - 5), min(100, max(means) + 5))
    ax.set_title('Built-in benchmark: mean +- std over seeds')
    fig.tight_layout()
    bar = osp.join(out_dir, 'pck_by_row.png')
    fig.savefig(bar, dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 4))
    for row in rows:
        curves = [run['curve'] for key, run in results['runs'].items()
                  if key.split('/')[0] == row]
        if not curves:
            continue
        iters = [c[0] for c in curves[0]]
        mean = [100 * sum(c[i][1] for c in curves) / len(curves)
                for i in range(len(iters))]
        ax.plot(iters, mean, marker='o', label=ROW_TITLES.get(row, row))
    source = 100 * results['stages']['source_only']['metrics']['All']
    oracle = 100 * results['stages']['oracle']['metrics']['All']
    ax.axhline(source, color='#999999', linestyle='--', label='source only')
    ax.axhline(oracle, color='#333333', linestyle=':', label='oracle')
    ax.set_xlabel('adaptation iteration')
    ax.set_ylabel('teacher target PCK@0.05, All (%)')
    ax.legend(fontsize=7)
    ax.set_title('Teacher on the target test set (mean over seeds)')
    fig.tight_layout()
    curve = osp.join(out_dir, 'pck_over_iterations.png')
    fig.savefig(curve, dpi=120)
    plt.close(fig)
    return [bar, curve]


# ----------------------------------------------------------------- runs
def make_data(root: str, num_images: int, num_test: int,
              target: str) -> None:
    """Seeded splits; each is written once and reused."""
    seeds = dict(target=(2, 3), thermal=(4, 5))[target]
    splits = (('source_train', 'source', num_images, 1),
              (f'{target}_train', target, num_images, seeds[0]),
              (f'{target}_test', target, num_test, seeds[1]))
    for split, domain, num, seed in splits:
        ann = osp.join(root, split, 'annotations.json')
        if osp.exists(ann):
            with open(ann) as f:
                if len(json.load(f)['images']) == num:
                    continue
        print(f'generating {num} {domain} figures into {root}{split}/')
        write_coco_split(osp.join(root, split), num, domain, seed,
                         progress=True)
        print()


def data_root_as_hashed(root: str) -> str:
    """The data root spelled one way (relative to the working directory
    when it lies under it, else absolute), so that ``data_cache/x/`` and
    ``$PWD/data_cache/x`` give the same configs, hashes and cached stages
    (an absolute spelling used to miss the cache and train them again)."""
    absolute = osp.abspath(root)
    relative = osp.relpath(absolute)
    return absolute if relative.startswith('..') else relative


def load_config(config: str, work_dir: str, root: str, target: str,
                iters: int, val_points: int = 4, amp: bool = False,
                channels_last: bool = False, **options) -> Config:
    """A demo config on this setting's splits and schedule; ``amp``: its
    training and validation in mixed precision (``use_amp``);
    ``channels_last``: the adaptation model's weights and activations in
    that memory layout (``MeanTeacherPoseEstimator(channels_last=True)``)."""
    cfg = Config.fromfile(config if osp.isabs(config) else osp.join(
        REPO, config))
    cfg.work_dir = work_dir
    root = data_root_as_hashed(root)
    split_of = dict(source_train='source_train',
                    target_train=f'{target}_train',
                    target_test=f'{target}_test')
    datasets = [cfg.val_dataloader.dataset, cfg.test_dataloader.dataset]
    datasets += benchmarking.training_datasets(cfg)
    for dataset in datasets:
        split = osp.basename(osp.normpath(dataset.data_root))
        dataset.data_root = osp.join(root, split_of.get(split, split)) + '/'
    scale = iters / cfg.train_cfg.max_iters
    cfg.train_cfg.max_iters = iters
    cfg.train_cfg.val_interval = max(iters // val_points, 1)
    cfg.default_hooks.checkpoint.interval = cfg.train_cfg.val_interval
    schedulers = cfg.param_scheduler  # a list, or part name -> list
    if isinstance(schedulers, dict):
        schedulers = [s for part in schedulers.values() for s in part]
    for scheduler in schedulers:  # keep drops at the same share
        if 'milestones' in scheduler:
            scheduler.milestones = [
                max(int(round(m * scale)), 1) for m in scheduler.milestones
            ]
    cfg.log_level = 'WARNING'
    if cfg.val_cfg.get('type') == 'TeacherStudentValLoop':
        # the benchmark records the teacher's curve and both final scores
        cfg.val_cfg.score_student = 'last'
    if amp:
        use_amp(cfg, validation=True)
    if channels_last:
        if cfg.model.get('type') != 'MeanTeacherPoseEstimator':
            raise SystemExit(f'--channels-last: {config} builds a '
                             f'{cfg.model.get("type")}, not a '
                             'MeanTeacherPoseEstimator (the adaptation model '
                             'that has the switch).')
        cfg.model.channels_last = True
    cfg.merge_from_dict(options)
    return cfg


def adaptation_switches(args) -> dict:
    """``load_config``'s speed switches for the adaptation runs."""
    return dict(amp=args.amp, channels_last=args.channels_last)


def bound_config(family: str, args, load_from: Optional[str] = None):
    """A head family's bound at the adaptation's budget: its oracle config
    (labelled target images) fine-tuned from the source-only checkpoint for
    the adaptation iterations."""
    return load_config(FAMILIES[family]['oracle'], '', args.data_root,
                       args.target, args.adapt_iters, load_from=load_from)


def run_family(family: str, rows: Sequence[str], args,
               seeds: Sequence[int], out_dir: str, results: dict,
               record: Callable[[dict], Callable]) -> None:
    """A head family's cached source-only, oracle and bound stages, then
    each of its ``rows`` for every seed from its own source-only
    checkpoint (``record(group)``: what stores a finished training's
    result in ``group`` and saves)."""
    spec = FAMILIES[family]
    run_tasks([
        stage_task(f'{family}/{stage}',
                   load_config(spec[stage], '', args.data_root, args.target,
                               args.source_iters), args,
                   prefix='image/', curve_key='PCK')
        for stage in ('source_only', 'oracle')
    ], args.jobs, record(results['stages']))
    source = results['stages'][f'{family}/source_only']
    record(results['stages'])(f'{family}/bound', cached_stage(
        f'{family}/bound', bound_config(family, args, source['checkpoint']),
        args.cache_dir,
        [ProgressHook(f'{family} bound', args.adapt_iters // 6, 0)],
        prefix='image/', curve_key='PCK', extra=source['key']))
    todo = [(f'{family}/{row}', spec['rows'][row], seed) for row in rows
            for seed in seeds
            if f'{family}/{row}/{seed}' not in results['runs']]
    run_tasks(row_tasks(todo, args, out_dir, source['checkpoint'],
                        teacher='teacher/image/', student='student/image/',
                        curve_key='PCK'),
              args.jobs, record(results['runs']))


def stage_task(name: str, cfg: Config, args, **options) -> Task:
    """A cached stage (``cached_stage``) as a task for ``run_tasks``; its
    key hashed here, in the process that hashed the setting."""
    return (name, cached_stage, dict(
        name=name, cfg=cfg, cache_dir=args.cache_dir, key=config_hash(cfg),
        hooks=[ProgressHook(name, args.source_iters // 10, 0)], **options))


def row_tasks(todo: Sequence[Tuple[str, str, int]], args, out_dir: str,
              load_from: str, **options) -> List[Task]:
    """Adaptation runs (``adaptation_run``) as tasks for ``run_tasks``:
    ``todo`` holds (row name, config, seed); each run's work dir is
    ``<out_dir>/<row name>/seed<seed>``, its key ``<row name>/<seed>``."""
    tasks = []
    for index, (name, config, seed) in enumerate(todo):
        cfg = load_config(config, osp.join(out_dir, name, f'seed{seed}'),
                          args.data_root, args.target, args.adapt_iters,
                          args.val_points, **adaptation_switches(args),
                          load_from=load_from,
                          randomness=dict(seed=seed))
        hook = ProgressHook(f'run {index + 1}/{len(todo)} {name} seed {seed}',
                            args.adapt_iters // 6,
                            (len(todo) - index - 1) // args.jobs)
        tasks.append((f'{name}/{seed}', adaptation_run,
                      dict(cfg=cfg, hooks=[hook], **options)))
    return tasks


# ----------------------------------------------------------------- main
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rows', default=','.join(DEFAULT_ROWS),
                        help=f'comma-separated rows from {list(ROWS)}')
    parser.add_argument('--configs', nargs='*', default=[],
                        help='extra adaptation configs, one row each')
    parser.add_argument('--families', default='',
                        help='head families adapted with coordinate pseudo '
                        f'labels, comma-separated from {list(FAMILIES)} '
                        '(each: its own source only and oracle, and '
                        'the --family-rows for every seed)')
    parser.add_argument('--family-rows', default='mean_teacher,ours',
                        help='rows of each head family, comma-separated '
                        f'from {list(FAMILIES["simcc"]["rows"])} (the mean '
                        'teacher is always run: the paired intervals)')
    parser.add_argument('--seeds', default='0,1,2',
                        help='comma-separated integer seeds')
    parser.add_argument('--target', default='target', choices=TARGETS,
                        help='target family: the photographed figures or '
                        'the thermal camera')
    parser.add_argument('--work-dir', default='work_dirs/benchmark')
    parser.add_argument('--results', help='results JSON (default: '
                        '<work-dir>/<target>/results.json)')
    parser.add_argument('--data-root', default='data_cache/toy_figures/')
    parser.add_argument('--cache-dir', default='data_cache/benchmark/')
    parser.add_argument('--num-images', type=int, default=1000,
                        help='figures per training split')
    parser.add_argument('--num-test', type=int, default=1000,
                        help='target test figures')
    parser.add_argument('--source-iters', type=int,
                        help='source-only and oracle iterations (default: '
                        'configs/demo/source_only.py)')
    parser.add_argument('--adapt-iters', type=int,
                        help='adaptation iterations (default: '
                        'configs/demo/mean_teacher.py)')
    parser.add_argument('--val-points', type=int, default=4,
                        help='validations per adaptation run (the curves)')
    parser.add_argument('--jobs', type=int, default=1,
                        help='trainings run side by side, each in its own '
                        'process with the cores shared out (2 on a 2-core '
                        'machine: one thread each, about 1.25x the '
                        'throughput of one two-thread training; see '
                        'docs/benchmark.md, "Cost of one benchmark '
                        'iteration")')
    parser.add_argument('--amp', action='store_true',
                        help='the adaptation runs (training and validation) '
                        'in mixed precision (bf16 autocast on CPU: faster '
                        'only where the CPU has native bf16; see '
                        'docs/benchmark.md, "Cost of one benchmark '
                        'iteration"); the cached fp32 stages are shared, so '
                        'each row pairs with its fp32 run')
    parser.add_argument('--channels-last', action='store_true',
                        help='the adaptation runs with the model in the '
                        'channels-last memory layout (the same computation '
                        'in another summation order; on CPU in fp32 a '
                        'validation 1.4x cheaper, with --amp the iteration '
                        '1.2x: see docs/benchmark.md); the cached stages are '
                        'shared, as with --amp')
    parser.add_argument('--no-plots', action='store_true')
    parser.add_argument('--no-baseline', action='store_true',
                        help=f'do not add the {BASELINE} row (no paired '
                        'differences; make demo runs our recipe alone)')
    return parser.parse_args(argv)


def check_schedule(args) -> None:
    """Sizes and schedule options must be positive; validations must fit
    in the adaptation run."""
    for option in ('num_images', 'num_test', 'source_iters', 'adapt_iters',
                   'val_points', 'jobs'):
        value = getattr(args, option)
        if value < 1:
            raise SystemExit(f'--{option.replace("_", "-")}={value}: must '
                             'be at least 1')
    if args.val_points > args.adapt_iters:
        raise SystemExit(f'--val-points={args.val_points}: at most '
                         f'--adapt-iters={args.adapt_iters} validations')


def check_paths(args, results_path: str) -> None:
    """Folders must not be files and the results file not a folder, before
    anything is generated or trained."""
    for option in ('work_dir', 'data_root', 'cache_dir'):
        path = getattr(args, option)
        if osp.exists(path) and not osp.isdir(path):
            raise SystemExit(f'--{option.replace("_", "-")}={path} is a file, '
                             'not a folder: pass another path (nothing was '
                             'written).')
    if osp.isdir(results_path):
        raise SystemExit(f'--results={results_path} is a folder: give the '
                         'path of a .json file (nothing was written).')


def resolve_rows(args) -> 'OrderedDict[str, str]':
    rows = OrderedDict()
    for name in filter(None, args.rows.split(',')):
        if name not in ROWS:
            raise SystemExit(f'--rows: unknown row {name!r}; choose from '
                             f'{list(ROWS)} or pass configs with --configs')
        rows[name] = ROWS[name]
    for path in args.configs:
        if not osp.isfile(path):
            raise SystemExit(f'--configs: {path} does not exist')
        rows[osp.splitext(osp.basename(path))[0]] = osp.abspath(path)
    if BASELINE not in rows and not args.no_baseline:  # paired differences
        rows = OrderedDict([(BASELINE, ROWS[BASELINE])] + list(rows.items()))
    return rows


def resolve_families(args) -> Tuple[List[str], List[str]]:
    """The head families and their rows (the mean teacher first)."""
    families = [f for f in args.families.split(',') if f]
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        raise SystemExit(f'--families: unknown {unknown}; choose from '
                         f'{list(FAMILIES)}')
    known = list(FAMILIES['simcc']['rows'])
    rows = [r for r in args.family_rows.split(',') if r]
    unknown = [r for r in rows if r not in known]
    if unknown:
        raise SystemExit(f'--family-rows: unknown {unknown}; choose from '
                         f'{known}')
    rows = [BASELINE] + [r for r in rows if r != BASELINE]
    return families, rows


def setting_of(args, rows, families, family_rows, source_key,
               oracle_key) -> dict:
    """Everything that decides the numbers; its hash guards the JSON."""
    row_hashes = {
        name: config_hash(
            load_config(path, '', args.data_root, args.target,
                        args.adapt_iters, args.val_points,
                        **adaptation_switches(args)))
        for name, path in rows.items()
    }
    def family_hash(family):
        spec = FAMILIES[family]
        return dict(
            {stage: config_hash(load_config(spec[stage], '', args.data_root,
                                            args.target, args.source_iters))
             for stage in ('source_only', 'oracle')},
            bound=config_hash(bound_config(family, args), 'bound'),
            **{row: config_hash(load_config(
                spec['rows'][row], '', args.data_root, args.target,
                args.adapt_iters, args.val_points,
                **adaptation_switches(args)))
               for row in family_rows})

    family_hashes = {family: family_hash(family) for family in families}
    setting = dict(target=args.target, num_images=args.num_images,
                   num_test=args.num_test, source_iters=args.source_iters,
                   adapt_iters=args.adapt_iters, source_only=source_key,
                   oracle=oracle_key, rows=row_hashes,
                   families=family_hashes)
    setting['hash'] = setting_hash(setting)
    return setting


def load_results(path: str, setting: dict) -> dict:
    """The results file of this setting (resumed), or a new one. Rows and
    head families may be added, and a row without results yet may change;
    anything else is another setting (``benchmarking.load_results``)."""

    def changed(old: dict, measured: set) -> list:
        names = changed_with_results(old.get('rows', {}), setting['rows'],
                                     measured.__contains__)
        for family, hashes in setting['families'].items():
            ran = any(m.startswith(f'{family}/') for m in measured)
            names += [
                f'{family}/{k}' for k in changed_with_results(
                    old.get('families', {}).get(family, {}), hashes,
                    lambda k: f'{family}/{k}' in measured or (
                        k in ('source_only', 'oracle') and ran))]
        return names

    results = benchmarking.load_results(path, setting,
                                        growing=('rows', 'families'),
                                        changed=changed)
    results['setting'].setdefault('rows', {}).update(setting['rows'])
    families = results['setting'].setdefault('families', {})
    for family, hashes in setting['families'].items():
        families.setdefault(family, {}).update(hashes)
    return results


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.source_iters is None:
        args.source_iters = Config.fromfile(
            osp.join(REPO, SOURCE_CONFIG)).train_cfg.max_iters
    if args.adapt_iters is None:
        args.adapt_iters = Config.fromfile(
            osp.join(REPO, ROWS[BASELINE])).train_cfg.max_iters
    check_schedule(args)
    rows = resolve_rows(args)
    families, family_rows = resolve_families(args)
    if not rows and not families:
        raise SystemExit('nothing to run: --rows is empty (with '
                         '--no-baseline) and no --families')
    seeds = parse_seeds(args.seeds)
    out_dir = osp.join(args.work_dir, args.target)
    results_path = args.results or osp.join(out_dir, 'results.json')
    check_paths(args, results_path)
    os.makedirs(osp.dirname(osp.abspath(results_path)), exist_ok=True)
    start = time.time()
    make_data(args.data_root, args.num_images, args.num_test, args.target)

    source_cfg = load_config(SOURCE_CONFIG, '', args.data_root, args.target,
                             args.source_iters)
    oracle_cfg = load_config(ORACLE_CONFIG, '', args.data_root, args.target,
                             args.source_iters)
    setting = setting_of(args, rows, families, family_rows,
                         config_hash(source_cfg),
                         config_hash(oracle_cfg))
    results = load_results(results_path, setting)

    def save():
        save_results(results_path, results)

    def record(group: dict):
        def on_done(key, result):
            group[key] = result
            save()
        return on_done

    if rows:  # the heatmap rows (a run of head families alone has none)
        run_tasks([stage_task('source_only', source_cfg, args),
                   stage_task('oracle', oracle_cfg, args)],
                  args.jobs, record(results['stages']))
        todo = [(row, rows[row], seed) for row in rows for seed in seeds
                if f'{row}/{seed}' not in results['runs']]
        run_tasks(row_tasks(todo, args, out_dir,
                            results['stages']['source_only']['checkpoint']),
                  args.jobs, record(results['runs']))

    for family in families:
        run_family(family, family_rows, args, seeds, out_dir, results,
                   record)

    summary = summarise(results, list(rows), seeds) if rows else {}
    results['summary'] = summary
    table = markdown_table(summary, seeds) if rows else ''
    if families:
        results['family_summary'] = summarise_families(
            results, families, family_rows, seeds)
        table += '\n' + family_table(results['family_summary'], seeds)
    save()
    atomic_write_text(osp.join(out_dir, 'results.md'), table)
    print('\n' + table)
    if rows and not args.no_plots:
        for path in plot(results, summary, out_dir):
            print(f'wrote {path}')
    print(f'wall time {clock(time.time() - start)}; results in '
          f'{osp.abspath(results_path)}')
    return results


if __name__ == '__main__':
    main()
