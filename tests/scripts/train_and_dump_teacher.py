"""Worker for tests/test_distributed.py (run under torchrun).

Trains the toy adaptation config for a few iterations with the PyTorch
launcher, then writes this rank's teacher state to
``WORK_DIR/teacher_rank<RANK>.pth``.
"""
import os
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS.parent), str(TESTS)]

import torch  # noqa: E402
from conftest import toy_mlda_cfg  # noqa: E402
from mmengine.runner import Runner  # noqa: E402
from mmpose_mlda.utils import cpu_distributed  # noqa: E402

data_root, work_dir = sys.argv[1], sys.argv[2]
cfg = toy_mlda_cfg(data_root, work_dir, max_iters=3, burn_in_iters=1)
cfg.launcher = 'pytorch'
cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
if not torch.cuda.is_available():
    cpu_distributed(cfg)
runner = Runner.from_cfg(cfg)
runner.train()
rank = int(os.environ['RANK'])
torch.save({
    'teacher': runner.model.module.teacher.state_dict(),
    'student': runner.model.module.student.state_dict(),
    'world_size': torch.distributed.get_world_size(),
}, os.path.join(work_dir, f'teacher_rank{rank}.pth'))
