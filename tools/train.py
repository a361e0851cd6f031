"""Train a pose model; MMPose's tools/train.py command line for mmpose-mlda.

    python tools/train.py CONFIG [--work-dir DIR] [--resume [CHECKPOINT]]
        [--amp] [--auto-scale-lr] [--cfg-options KEY=VALUE ...]
        [--launcher {none,pytorch,slurm,mpi}]

``mmpose_mlda`` is imported first, so its environment fixes and registered
components are available to every config. For distributed runs on a machine
without CUDA the tool switches the config to the gloo backend and a
CPU-compatible DDP wrapper (``mmpose_mlda.utils.cpu_distributed``).
"""
import argparse
import os
import os.path as osp
import sys

# run from a checkout without installing: make the repository importable
sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), '..'))

import mmpose_mlda  # noqa: E402,F401  (first: compatibility fixes)
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.registry import RUNNERS  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

from mmpose_mlda.utils import (apply_launcher, enable_visualization,  # noqa: E402
                               resolve_work_dir, run_naming_rank, use_amp,
                               use_safe_checkpoints)


def parse_args():
    parser = argparse.ArgumentParser(description='Train a pose model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint; without a value, resume from '
        'the latest checkpoint in the work directory')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='mixed precision: MMEngine\'s AmpOptimWrapper on a GPU, bf16 '
        'autocast (CpuBf16OptimWrapper) on CPU')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rate by the actual / base batch size')
    parser.add_argument(
        '--show-dir',
        help='directory where visualised validation images are saved')
    parser.add_argument(
        '--show',
        action='store_true',
        help='display the validation predictions in a window')
    parser.add_argument(
        '--interval', type=int, default=1, help='visualise every N samples')
    parser.add_argument(
        '--wait-time',
        type=float,
        default=1,
        help='display time of every window (seconds)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, as key=value pairs, e.g. '
        '--cfg-options train_cfg.max_iters=10 model.backbone.depth=18')
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
    """Merge command-line arguments into the config: ``--cfg-options``
    first, so that ``--resume`` (and ``--work-dir``) win over a
    ``load_from`` (``work_dir``) given there: re-running a training command
    with ``--resume`` added continues that run, not the initialisation."""
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)

    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None

    resolve_work_dir(cfg, args.work_dir, args.config)

    if args.amp:
        use_amp(cfg)

    if args.resume == 'auto':
        if cfg.get('load_from'):
            print(f'--resume: continuing the run in {cfg.work_dir} from its '
                  f'latest checkpoint; load_from={cfg.load_from} (the '
                  'initialisation of a new run) is not used.')
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume

    if args.auto_scale_lr:
        assert 'auto_scale_lr' in cfg, '--auto-scale-lr needs ' \
            '`auto_scale_lr = dict(base_batch_size=...)` in the config'
        cfg.auto_scale_lr.enable = True

    enable_visualization(cfg, args.show, args.show_dir, args.interval,
                         args.wait_time)

    apply_launcher(cfg, args.launcher)
    use_safe_checkpoints(cfg)
    return cfg


def main():
    args = parse_args()
    cfg = merge_args(Config.fromfile(args.config), args)
    if 'preprocess_cfg' in cfg:
        cfg.model.setdefault('data_preprocessor', cfg.get('preprocess_cfg'))

    if 'runner_type' in cfg:
        runner = RUNNERS.build(cfg)
    else:
        runner = Runner.from_cfg(cfg)
    run_naming_rank(runner.train)


if __name__ == '__main__':
    main()
