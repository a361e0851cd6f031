"""An actual adaptation effect on a tiny setting: after a short source-only
stage on rendered toy figures, our recipe (configs/demo/ours.py) adapted on
unlabelled target figures scores a higher target PCK, on held-out target
figures that no stage saw, than the source-only model trained for as many
more iterations (so the gain is not just more source training).

Not a falling loss on a fixed batch: the pseudo labels come from the
teacher, new images arrive every iteration, and the score is the benchmark's
metric on a separate test split."""
import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from conftest import REPO_ROOT, write_toy_splits

SOURCE_ITERS = 150
ADAPT_ITERS = 50  # SOURCE_ITERS is a multiple: a checkpoint lands there
MARGIN = 0.03


@pytest.fixture(scope='module')
def small_benchmark(tmp_path_factory) -> str:
    """A few hundred figures per split (the benchmark's generator)."""
    return write_toy_splits(tmp_path_factory.mktemp('small_benchmark'),
                            sizes=(256, 256, 96), seeds=(11, 12, 13))


def _on(cfg: Config, data_root: str, work_dir: str, max_iters: int):
    cfg.work_dir = work_dir
    cfg.log_level = 'WARNING'
    cfg.val_dataloader.dataset.data_root = data_root + 'target_test/'
    cfg.test_dataloader = cfg.val_dataloader
    cfg.train_cfg.update(max_iters=max_iters, val_interval=max_iters)
    cfg.default_hooks.checkpoint.update(interval=ADAPT_ITERS, save_best=None)
    cfg.param_scheduler = []
    return cfg


def _final_score(cfg: Config, key: str) -> float:
    """Train; the target PCK of the validation after the last
    iteration."""
    runner = Runner.from_cfg(cfg)
    runner.train()
    return float(runner.message_hub.get_scalar(key).current())


@pytest.fixture(scope='module')
def source_stage(small_benchmark, tmp_path_factory) -> dict:
    """The source-only model: its checkpoint at SOURCE_ITERS with its
    target PCK there, and its PCK after ADAPT_ITERS more iterations."""
    work_dir = tmp_path_factory.mktemp('source')
    source = Config.fromfile(str(REPO_ROOT / 'configs/demo/source_only.py'))
    _on(source, small_benchmark, str(work_dir), SOURCE_ITERS + ADAPT_ITERS)
    source.train_cfg.val_interval = ADAPT_ITERS
    source.train_dataloader.dataset.data_root = \
        small_benchmark + 'source_train/'
    runner = Runner.from_cfg(source)
    runner.train()
    history, _ = runner.message_hub.get_scalar('val/hm_pck/All').data
    return dict(checkpoint=str(work_dir / f'iter_{SOURCE_ITERS}.pth'),
                pck_at_checkpoint=float(history[-2]),
                pck_continued=float(history[-1]))


def test_ours_raises_target_pck_above_source_only(small_benchmark,
                                                  source_stage, tmp_path):
    ours = Config.fromfile(str(REPO_ROOT / 'configs/demo/ours.py'))
    _on(ours, small_benchmark, str(tmp_path / 'ours'), ADAPT_ITERS)
    dataset = ours.train_dataloader.dataset
    dataset.source.data_root = small_benchmark + 'source_train/'
    dataset.target.data_root = small_benchmark + 'target_train/'
    ours.load_from = source_stage['checkpoint']
    adapted_pck = _final_score(ours, 'val/teacher/hm_pck/All')
    # the adapted teacher, from the checkpoint at SOURCE_ITERS, against the
    # source-only model that trained on for the same ADAPT_ITERS (measured
    # here: 22.2 -> 28.2 PCK, seeded)
    source_pck = source_stage['pck_continued']
    assert adapted_pck > source_pck + MARGIN, (source_pck, adapted_pck)


def test_source_free_raises_target_pck_above_its_checkpoint(
        small_benchmark, source_stage, tmp_path):
    """Target images only, from the source-only checkpoint, with our
    recipe's source-free switches at its fast pace (few iterations): the
    teacher scores above that checkpoint on the held-out target figures."""
    free = Config.fromfile(
        str(REPO_ROOT / 'configs/demo/study/source_free_fast.py'))
    _on(free, small_benchmark, str(tmp_path / 'free'), ADAPT_ITERS)
    free.train_dataloader.dataset.data_root = \
        small_benchmark + 'target_train/'
    free.load_from = source_stage['checkpoint']
    adapted_pck = _final_score(free, 'val/teacher/hm_pck/All')
    start_pck = source_stage['pck_at_checkpoint']
    # measured: 18.1 -> 23.3 PCK on one machine, 19.0 -> 21.9 on another
    # (seeded; the CPU's float rounding moves the trajectory), so the margin
    # here is 2 points, 31 of the 1536 test keypoints (configs/demo/
    # source_free.py, the mean teacher's switches, reached 19.6 from 18.1).
    # Over the benchmark's 400 iterations the fast switches peak early and
    # drift (docs/adaptation_study.md, 6b): this test checks the early effect.
    assert adapted_pck > start_pck + 0.02, (start_pck, adapted_pck)
