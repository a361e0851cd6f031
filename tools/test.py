"""Test (and evaluate) a pose model; MMPose's tools/test.py for mmpose-mlda.

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out FILE]
        [--dump FILE.pkl] [--show-dir DIR] [--show] [--interval N]
        [--wait-time S] [--cfg-options KEY=VALUE ...]
        [--launcher {none,pytorch,slurm,mpi}]

``mmpose_mlda`` is imported first (compatibility fixes, registered
components). The metrics are logged; ``--out`` also writes them to a file.
Distributed runs without CUDA use gloo, as in ``tools/train.py``.
"""
import argparse
import os
import os.path as osp
import sys

# run from a checkout without installing: make the repository importable
sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
import mmengine  # noqa: E402
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.dist import is_main_process  # noqa: E402
from mmengine.hooks import Hook  # noqa: E402
from mmengine.registry import RUNNERS  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

from mmpose_mlda.utils import (apply_launcher, enable_visualization,  # noqa: E402
                               resolve_work_dir, run_naming_rank,
                               use_safe_checkpoints)


def parse_args():
    parser = argparse.ArgumentParser(
        description='MMPose test (and eval) model')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir', help='the directory to save evaluation results')
    parser.add_argument('--out', help='the file to save metric results')
    parser.add_argument(
        '--dump',
        type=str,
        help='dump predictions to a pickle file for offline evaluation')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='override settings in the config, as key=value pairs, e.g. '
        '--cfg-options test_dataloader.batch_size=8')
    parser.add_argument(
        '--show-dir', help='directory where visualised images are saved')
    parser.add_argument(
        '--show',
        action='store_true',
        help='display the predictions in a window')
    parser.add_argument(
        '--interval', type=int, default=1, help='visualise every N samples')
    parser.add_argument(
        '--wait-time',
        type=float,
        default=1,
        help='display time of every window (seconds)')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local-rank (torch >= 2.0)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def merge_args(cfg, args):
    """Merge command-line arguments into the config."""
    cfg.load_from = args.checkpoint
    resolve_work_dir(cfg, args.work_dir, args.config)
    enable_visualization(cfg, args.show, args.show_dir, args.interval,
                         args.wait_time)

    if args.dump is not None:
        assert args.dump.endswith(('.pkl', '.pickle')), \
            'The dump file must be a pkl file.'
        dump_metric = dict(type='DumpResults', out_file_path=args.dump)
        evaluators = cfg.test_evaluator
        if not isinstance(evaluators, (list, tuple)):
            evaluators = [evaluators]
        cfg.test_evaluator = [*evaluators, dump_metric]

    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)

    require_test_set(cfg, args.config)
    apply_launcher(cfg, args.launcher)
    use_safe_checkpoints(cfg)
    return cfg


def require_test_set(cfg, config: str) -> None:
    """A config without a labelled test set (a folder target) cannot be
    scored: say so, and what to do instead, before a runner is built."""
    if cfg.get('test_dataloader') and cfg.get('test_cfg') is not None:
        return
    raise SystemExit(
        f'{config} has no test set (test_dataloader / test_cfg are None): its '
        'target is a folder of unlabelled images, which has no labels to '
        'score. Watch such a run through LabelFreeMonitorHook (monitor/... in '
        'the log) and <work_dir>/pseudo_labels/; to score the adapted model '
        'on a labelled set, export it (tools/extract_teacher.py) and give '
        'tools/test.py a config with a test_dataloader and test_evaluator.')


class SaveMetricHook(Hook):
    """Write the test metrics to ``out_file`` (any format mmengine dumps)."""

    def __init__(self, out_file):
        self.out_file = out_file

    def after_test_epoch(self, runner, metrics=None):
        if metrics is not None and is_main_process():
            mmengine.dump(metrics, self.out_file)


def main():
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)

    if 'runner_type' in cfg:
        runner = RUNNERS.build(cfg)
    else:
        runner = Runner.from_cfg(cfg)
    if args.out:
        runner.register_hook(SaveMetricHook(args.out), 'LOWEST')
    metrics = run_naming_rank(runner.test)
    if is_main_process():
        print('metrics:', metrics)


if __name__ == '__main__':
    main()
