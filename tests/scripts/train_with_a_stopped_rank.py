"""Worker for tests/test_reliability.py (run under torchrun): two ranks
train the toy adaptation config with a 5-second collective timeout; rank 1
stops answering after its first iteration (it sleeps instead of joining the
next collective), so rank 0 must end the job with the timeout message
instead of waiting for ever. (A rank stopped with SIGSTOP tests the same on
rank 0 but then holds torchrun for its 30-second SIGTERM grace period.)"""
import os
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS.parent), str(TESTS)]

import torch  # noqa: E402
from conftest import toy_mlda_cfg  # noqa: E402
from mmengine.hooks import Hook  # noqa: E402
from mmengine.runner import Runner  # noqa: E402
from mmpose_mlda.utils import cpu_distributed, run_naming_rank  # noqa: E402


class StopRankOne(Hook):

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if int(os.environ['RANK']) == 1:
            time.sleep(600)


data_root, work_dir = sys.argv[1], sys.argv[2]
cfg = toy_mlda_cfg(data_root, work_dir, max_iters=4)
cfg.launcher = 'pytorch'
cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
cfg.env_cfg.dist_cfg.timeout = 5
if not torch.cuda.is_available():
    cpu_distributed(cfg)
runner = Runner.from_cfg(cfg)
runner.register_hook(StopRankOne())
run_naming_rank(runner.train)
