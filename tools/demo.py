"""The built-in benchmark, short (what ``make demo`` runs, under 15 minutes
on a 2-core CPU from an empty cache).

    python tools/demo.py [--work-dir work_dirs/demo] [--seed 0]
        [--target target|thermal] [--source-iters 1000] [--adapt-iters 400]

``tools/benchmark.py`` with one row (our recipe, configs/demo/ours.py),
one seed and a shorter schedule: it generates the toy figures, trains (or
reuses, cached by config hash) the source-only model and the oracle, adapts
the source-only model without target labels, and prints target PCK@0.05
per joint group and the share of the source-only-to-oracle gap that
adaptation closed. ``make benchmark`` runs the mean teacher, ours, the
paper's and the authors' recipes for 3 seeds; docs/adaptation_study.md has
the 3-seed figures of this schedule.
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))

import benchmark  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--target', default='target',
                        choices=benchmark.TARGETS)
    parser.add_argument('--source-iters', type=int, default=1000)
    parser.add_argument('--adapt-iters', type=int, default=400)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    results = benchmark.main([
        '--rows', 'ours', '--no-baseline', '--seeds', str(args.seed),
        '--target',
        args.target, '--work-dir', args.work_dir, '--source-iters',
        str(args.source_iters), '--adapt-iters', str(args.adapt_iters)
    ])
    closed = results['summary']['ours'].get('gap_closed')
    if closed:
        print(f'\nadaptation (ours) closed '
              f'{100 * closed["mean"]:.0f}% of the source-only-to-oracle gap '
              f'(All), {closed["n"]} seed, demo schedule ({args.source_iters} '
              f'source-only and oracle iterations, {args.adapt_iters} '
              'adaptation iterations); make benchmark: every row, 3 seeds, '
              'the full schedule')
    return results


if __name__ == '__main__':
    main()
