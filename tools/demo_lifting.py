"""The built-in 2D-to-3D lifting benchmark of PoseDA (``make demo-lifting``).

    python tools/demo_lifting.py [--family 3dhp|local]
        [--work-dir work_dirs/demo_lifting[_local]] [--results PATH]
        [--data-root data_cache/toy_lifting[_local]/] [--data-seed 0]
        [--seeds 0]
        [--pretrain-iters N] [--adapt-iters M]
        [--rows source_only_ft,gpa,gpa_lpa,gpa_lpa_adversarial,oracle]

1. generates the procedural motion benchmark (seeded; skipped when present):
   source 3D poses seen by H36M-like cameras, target 2D poses of another
   pose distribution (``mmpose_mlda/datasets/toy_motion.py``). Two target
   families: ``3dhp`` (the default: 3DHP-like cameras and poses, a mostly
   global gap) and ``local`` (the source's cameras, poses and proportions
   the source never shows: the local gap LPA is for);
2. for every training seed, pre-trains the lifter on the source
   (``configs/demo_lifting/source_only.py``), then trains every other row
   from that checkpoint (``load_from``) for the same number of iterations:
   source_only_ft (source-only training continued: the control), gpa
   (global position alignment), gpa_lpa (+ local pose augmentation with
   random bounded transformations), gpa_lpa_adversarial (+ LPA with the
   adversarial generator and target-anchored discriminator), oracle
   (fine-tuned with target 3D labels: an upper bound). Every row is built by
   MMEngine's Runner from its config (what ``tools/train.py`` does) and
   tested on the target test set TS1-TS6 (what ``tools/test.py`` does);
3. prints target MPJPE / PA-MPJPE (mm), 3DPCK@150 mm and AUC (%) per row
   (mean +- sample std over seeds when several, and each row's MPJPE minus
   GPA's on the same seeds with its paired 95% interval, the 2D
   benchmark's statistics, ``tools/benchmarking.py``), and writes them to
   ``<work-dir>/results.{json,md}``.

``results.json`` is saved after every training; a second call with the same
setting skips what it holds (resume), and a file of another setting (data,
schedule or a row's config that already has results) is never overwritten:
the call stops and names it.

The lifter is tiny, so torch runs on one thread unless ``--threads`` says
otherwise (on a shared CPU, more threads are much slower).
"""
import argparse
import os
import os.path as osp
import sys
import time

sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
from mmengine.config import Config  # noqa: E402

from mmpose_mlda.datasets.toy_motion import (  # noqa: E402
    TARGET_FAMILIES, ensure_generated)
from mmpose_mlda.evaluation.seed_statistics import (  # noqa: E402
    mean_std, paired_interval, parse_seeds)
from mmpose_mlda.utils import atomic_write_text  # noqa: E402

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from benchmarking import (  # noqa: E402
    STD_CONVENTION, changed_with_results, config_hash, last_checkpoint,
    load_results, paired_cell, save_results, setting_hash, stats_cell, train,
    training_datasets)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
PRETRAIN = 'source_only'
BASELINE = 'gpa'  # the paired intervals: what LPA adds to GPA
ROWS = dict(
    source_only='source only (pre-trained)',
    source_only_ft='source only, continued',
    gpa='GPA',
    gpa_lpa='GPA + LPA (random transformations)',
    gpa_lpa_adversarial='GPA + adversarial LPA (target-anchored)',
    gpa_lpa_hard='GPA + adversarial LPA with hardness feedback',
    oracle='oracle (target 3D)')
COLUMNS = ('MPJPE', 'PA-MPJPE', '3DPCK', 'AUC')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--family', default='3dhp',
                        choices=sorted(TARGET_FAMILIES),
                        help='target family: 3dhp (cameras and poses '
                        'differ) or local (poses and proportions the '
                        'source lacks, seen by the source cameras)')
    parser.add_argument('--work-dir',
                        help='default: work_dirs/demo_lifting, with '
                        '_local for the local family')
    parser.add_argument('--results', help='results JSON (default: '
                        '<work-dir>/results.json; a second call with the '
                        'same setting resumes it)')
    parser.add_argument('--data-root',
                        help='default: data_cache/toy_lifting/, with '
                        '_local for the local family')
    parser.add_argument('--data-seed', type=int, default=0,
                        help='seed of the generated data')
    parser.add_argument('--seeds', default='0',
                        help='comma-separated training seeds')
    parser.add_argument('--pretrain-iters', type=int, default=None,
                        help='source pre-training iterations (config '
                        'default if omitted)')
    parser.add_argument('--adapt-iters', type=int, default=None,
                        help='iterations of every row after pre-training '
                        '(config default if omitted)')
    parser.add_argument('--rows',
                        default='source_only_ft,gpa,gpa_lpa,'
                        'gpa_lpa_adversarial,oracle',
                        help='rows trained from the pre-trained checkpoint')
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args(argv)
    suffix = '' if args.family == '3dhp' else f'_{args.family}'
    args.work_dir = args.work_dir or f'work_dirs/demo_lifting{suffix}'
    args.data_root = args.data_root or f'data_cache/toy_lifting{suffix}/'
    return args


def _set_iters(cfg, iters):
    cfg.train_cfg.max_iters = iters
    cfg.default_hooks.checkpoint.interval = iters
    scheds = cfg.param_scheduler
    for sched in (sum(scheds.values(), []) if isinstance(scheds, dict) else
                  scheds):
        if 'T_max' in sched:
            sched.T_max = iters


def row_config(name: str) -> str:
    """A row's config: a built-in row name, or the path of a config (a
    variant under study), named by its file name in the table."""
    if name.endswith('.py'):
        if not osp.isfile(name):
            raise SystemExit(f'--rows: config {name} does not exist')
        return osp.abspath(name)
    if name not in ROWS:
        raise SystemExit(f'--rows: unknown row {name!r}; rows: '
                         f'{[x for x in ROWS if x != PRETRAIN]} or config '
                         'paths')
    return osp.join(REPO, 'configs', 'demo_lifting', f'{name}.py')


def row_name(name: str) -> str:
    return osp.splitext(osp.basename(name))[0]


def row_setup(name, work_dir, data_root, seed, iters=None, load_from=None):
    """One row's config on this setting's data, seed and schedule, without
    validation during training (no model selection on the target: the test
    after training is the only evaluation)."""
    cfg = Config.fromfile(row_config(name))
    cfg.work_dir = osp.join(work_dir, row_name(name))
    cfg.log_level = 'WARNING'
    cfg.randomness = dict(seed=seed)
    for ds in training_datasets(cfg):
        ds.data_root = data_root
    cfg.val_dataloader.dataset.data_root = data_root
    cfg.test_dataloader = cfg.val_dataloader
    if iters:
        _set_iters(cfg, iters)
    cfg.train_cfg.val_interval = cfg.train_cfg.max_iters + 1
    cfg.load_from = load_from
    return cfg


def run_row(cfg) -> dict:
    """Train one row with the Runner, then test it on the target (what
    ``tools/train.py`` and ``tools/test.py`` do); the metrics and the
    training seconds."""
    start = time.time()
    metrics, _ = train(cfg, test=True)
    return dict({k: float(v) for k, v in metrics.items()},
                train_seconds=time.time() - start)


def format_table(results):
    """``results[seed][row] = metrics`` -> markdown table: mean +- sample
    std over seeds (as the 2D benchmark), per-seed MPJPE and, with several
    seeds, each row's MPJPE minus the GPA row's on the same seeds with its
    paired 95% interval."""
    seeds = list(results)
    rows = list(results[seeds[0]])
    multi = len(seeds) > 1
    paired = multi and BASELINE in rows
    head = '| row | ' + ' | '.join(COLUMNS)
    if multi:
        head += ' | MPJPE per seed (' + ', '.join(map(str, seeds)) + ')'
    if paired:
        head += f' | MPJPE - {ROWS[BASELINE]} (95% CI)'
    head += ' | TS1-6 MPJPE | train s |'
    lines = [head, '|' + '---|' * (head.count('|') - 1)]
    base = [results[s][BASELINE]['MPJPE'] for s in seeds] if paired else []
    for r in rows:
        ms = [results[s][r] for s in seeds]
        cells = [stats_cell(mean_std([m[c] for m in ms]), scale=1)
                 for c in COLUMNS]
        if multi:
            cells.append(' / '.join(f'{m["MPJPE"]:.1f}' for m in ms))
        if paired:
            cells.append('' if r == BASELINE else paired_cell(
                paired_interval([m['MPJPE'] for m in ms], base), scale=1))
        cells.append(' / '.join(
            f'{np.mean([m[f"TS{i}/MPJPE"] for m in ms]):.0f}'
            for i in range(1, 7) if f'TS{i}/MPJPE' in ms[0]))
        cells.append(f'{np.mean([m["train_seconds"] for m in ms]):.0f}')
        lines.append(f'| {ROWS.get(r, r)} | ' + ' | '.join(cells) + ' |')
    if multi:
        lines += ['', f'Seeds {seeds}: {STD_CONVENTION} ({ROWS[BASELINE]}).']
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    os.makedirs(args.work_dir, exist_ok=True)
    t0 = time.time()
    root = args.data_root.rstrip('/') + '/'
    summary = ensure_generated(root, seed=args.data_seed,
                               family=args.family)
    print(f'data: {summary}', flush=True)
    rows = [r for r in args.rows.split(',') if r]
    for r in rows:
        if r == PRETRAIN:
            raise SystemExit(f'--rows: {PRETRAIN} is the pre-training every '
                             'row starts from; it is always run')
        row_config(r)
    seeds = parse_seeds(args.seeds)

    def setup(name, seed, **kwargs):
        return row_setup(name, osp.join(args.work_dir, f'seed{seed}'), root,
                         seed, **kwargs)

    # what decides the numbers (seed 0's configs: the seed is not hashed)
    setting = dict(
        family=args.family, data=summary, data_seed=args.data_seed,
        pretrain=config_hash(setup(PRETRAIN, 0, iters=args.pretrain_iters)),
        rows={row_name(r): config_hash(setup(r, 0, iters=args.adapt_iters))
              for r in rows})
    setting['hash'] = setting_hash(setting)
    results_path = args.results or osp.join(args.work_dir, 'results.json')
    store = load_results(
        results_path, setting, growing=('rows', ),
        changed=lambda old, measured: changed_with_results(
            old.get('rows', {}), setting['rows'], measured.__contains__),
        kind='lifting benchmark')
    store['setting']['rows'].update(setting['rows'])

    for seed in seeds:
        pretrain = setup(PRETRAIN, seed, iters=args.pretrain_iters)
        stage = store['stages'].get(f'{PRETRAIN}/{seed}')
        if stage is None or not osp.exists(stage['checkpoint']):
            print(f'== seed {seed}: {ROWS[PRETRAIN]} ...', flush=True)
            stage = store['stages'][f'{PRETRAIN}/{seed}'] = dict(
                metrics=run_row(pretrain),
                checkpoint=last_checkpoint(pretrain))
            save_results(results_path, store)
        ckpt = stage['checkpoint']
        print(f'   {ROWS[PRETRAIN]}, seed {seed}: MPJPE '
              f'{stage["metrics"]["MPJPE"]:.1f} mm', flush=True)
        for r in rows:
            key = f'{row_name(r)}/{seed}'
            if key not in store['runs']:
                print(f'== seed {seed}: {ROWS.get(r, r)} (from {ckpt}) ...',
                      flush=True)
                store['runs'][key] = run_row(
                    setup(r, seed, iters=args.adapt_iters, load_from=ckpt))
                save_results(results_path, store)
            metrics = store['runs'][key]
            print(f'   MPJPE {metrics["MPJPE"]:.1f} mm '
                  f'({metrics["train_seconds"]:.0f} s)', flush=True)
    results = {seed: dict(
        {PRETRAIN: store['stages'][f'{PRETRAIN}/{seed}']['metrics']},
        **{row_name(r): store['runs'][f'{row_name(r)}/{seed}'] for r in rows})
        for seed in seeds}
    table = format_table(results)
    atomic_write_text(osp.join(args.work_dir, 'results.md'), table + '\n')
    print('\nTarget test set (MPJPE / PA-MPJPE in mm, 3DPCK@150mm and AUC '
          'in %):\n' + table)
    print(f'total wall time {time.time() - t0:.0f} s; results in '
          f'{osp.abspath(results_path)}')


if __name__ == '__main__':
    main()
