"""Shared test helpers: paths and tiny generated data sets."""
import os.path as osp
from pathlib import Path

import logging

import pytest

import mmpose_mlda  # noqa: F401  (compat fixes before mmpose is imported)
import mmengine.config.config as mmengine_config
from mmengine.registry import init_default_scope

# transforms and models built outside a Runner resolve in MMPose's registries
init_default_scope('mmpose')


def _unformatted(text, style_config=None, verify=False):
    return text, False


# Every Runner logs and dumps its config through yapf, about 0.6 s each time
# (twice per Runner, a hundred Runners in this suite): the tests keep the
# text MMEngine builds, valid Python either way, and skip only its layout.
mmengine_config.FormatCode = _unformatted

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / 'shared' / 'data'


def write_toy_splits(root, sizes=(24, 24, 8), seeds=(1, 2, 3)) -> str:
    """Source-train, target-train and target-test toy figures of the
    given sizes under ``root``, in the layout configs/demo expects."""
    from mmpose_mlda.datasets.toy_figures import write_coco_split
    splits = (('source_train', 'source'), ('target_train', 'target'),
              ('target_test', 'target'))
    for (split, domain), num, seed in zip(splits, sizes, seeds):
        write_coco_split(osp.join(root, split), num, domain, seed)
    return str(root) + '/'


@pytest.fixture(scope='session')
def toy_data_root(tmp_path_factory) -> str:
    """A few toy figures per split."""
    return write_toy_splits(tmp_path_factory.mktemp('toy_figures'))


def toy_mlda_cfg(data_root: str, work_dir: str, max_iters: int = 4,
                 burn_in_iters: int = 0, batch_size: int = 4,
                 config: str = 'mean_teacher.py'):
    """configs/demo/<config> shrunk to a few iterations on ``data_root``."""
    from mmengine.config import Config
    cfg = Config.fromfile(str(REPO_ROOT / 'configs' / 'demo' / config))
    cfg.work_dir = work_dir
    dataset = cfg.train_dataloader.dataset
    dataset.source.data_root = data_root + 'source_train/'
    dataset.target.data_root = data_root + 'target_train/'
    cfg.val_dataloader.dataset.data_root = data_root + 'target_test/'
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_dataloader.batch_size = batch_size
    cfg.train_dataloader.sampler.batch_size = batch_size
    cfg.train_cfg.update(
        max_iters=max_iters, burn_in_iters=burn_in_iters,
        val_interval=max_iters)
    cfg.default_hooks.checkpoint.interval = 2
    cfg.default_hooks.logger.interval = 1
    cfg.log_level = 'WARNING'
    return cfg


@pytest.fixture
def logged(monkeypatch):
    """Every message sent to MMEngine's current logger during the test
    (print_log(..., logger='current'))."""
    from mmengine.logging import MMLogger
    messages = []
    original = MMLogger.get_current_instance

    class Capture(logging.Handler):

        def emit(self, record):
            messages.append(record.getMessage())

    handler = Capture(level=logging.DEBUG)

    def current():
        logger = original()
        if handler not in logger.handlers:
            logger.addHandler(handler)
        return logger

    monkeypatch.setattr(MMLogger, 'get_current_instance',
                        staticmethod(current))
    yield messages
