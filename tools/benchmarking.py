"""What the benchmark drivers share (``tools/benchmark.py``, ``tools/demo.py``
through it, and ``tools/demo_lifting.py``): training a config with
MMEngine's Runner, stages cached by config hash, the results file (resume,
the setting guard, atomic saves), progress lines and table cells.

Every table states its convention: mean +- sample standard deviation over
seeds (ddof 1) and the paired 95% t-interval of a row against the baseline
on the same seeds (``mmpose_mlda.evaluation.seed_statistics``).
"""
import copy
import hashlib
import json
import multiprocessing
import os
import os.path as osp
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmpose_mlda.utils import atomic_write_text, keep_freed_cpu_memory

#: what every table says about its statistics
STD_CONVENTION = ('mean +- sample std over seeds (ddof 1); the interval is '
                  'the paired 95% t-interval against the baseline row on '
                  'the same seeds')


# ------------------------------------------------------------- progress
def clock(seconds: float) -> str:
    """``1h05m`` or ``4m09s``."""
    seconds = int(seconds)
    return (f'{seconds // 3600}h{seconds % 3600 // 60:02d}m'
            if seconds >= 3600 else f'{seconds // 60}m{seconds % 60:02d}s')


class ProgressHook(Hook):
    """One line every ``interval`` iterations: run, iteration, ETA of this
    run and of all runs (``runs_left`` more of the same length)."""

    priority = 'VERY_LOW'

    def __init__(self, label: str, interval: int, runs_left: int) -> None:
        self.label, self.interval = label, max(interval, 1)
        self.runs_left = runs_left
        self.start = None

    def before_train(self, runner) -> None:
        self.start = time.time()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        done, total = runner.iter + 1, runner.max_iters
        if done % self.interval and done != total:
            return
        per_iter = (time.time() - self.start) / done
        left = per_iter * (total - done)
        print(f'[benchmark] {self.label}: iteration {done}/{total}, '
              f'ETA this run {clock(left)}, all runs '
              f'{clock(left + self.runs_left * per_iter * total)}',
              flush=True)


class CurveHook(Hook):
    """Records ``(iteration, metrics)`` after every validation."""

    priority = 'VERY_LOW'

    def __init__(self) -> None:
        self.curve = []

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.curve.append((runner.iter, dict(metrics or {})))


# ----------------------------------------------------------- trainings
def config_hash(cfg: Config, extra: str = '') -> str:
    """Hash of what decides a training's result (not where it logs)."""
    settings = copy.deepcopy(cfg)
    settings.work_dir = None
    settings.load_from = None
    text = settings.pretty_text + extra
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def train(cfg: Config, hooks: Sequence[Hook] = (),
          test: bool = False) -> Tuple[dict, list]:
    """Train ``cfg`` with the Runner (what ``tools/train.py`` does).

    Returns:
        tuple: the final metrics (the last validation's; with ``test`` the
        test set's, what ``tools/test.py`` reports) and the curve of
        ``(iteration, metrics)`` over the validations during training.
    """
    # MMPose's runtime names its visualiser 'visualizer', and a second
    # runner in this process would get the first one's (writing into the
    # first run's vis_data); one name per work dir keeps them apart
    cfg = copy.deepcopy(cfg)  # hashed by the caller: leave it untouched
    cfg.visualizer.name = f'visualizer:{cfg.work_dir}'
    keep_data_in_memory(cfg)
    draw_bbox_transforms_fast(cfg)
    keep_freed_cpu_memory()  # every stage too (the adaptation configs' hook)
    runner = Runner.from_cfg(cfg)
    curve = CurveHook()
    for hook in (curve, ) + tuple(hooks):
        runner.register_hook(hook)
    runner.train()
    if test:
        return runner.test(), curve.curve
    if not curve.curve:  # no validation during training
        curve.curve.append((runner.iter, runner.val_loop.run()))
    return curve.curve[-1][1], curve.curve


def keep_data_in_memory(cfg: Config) -> None:
    """The benchmark's splits held in memory: the training pipelines'
    ``LoadImage`` becomes ``CachedLoadImage`` (each figure decoded once,
    the same pixels) and the validation set is wrapped in
    ``CachedDataset`` (its deterministic pipeline run once per sample).
    The same data either way: a way of running, not a setting, so it is
    applied after hashing."""
    for dataset in training_datasets(cfg):
        if dataset.pipeline and dataset.pipeline[0].type == 'LoadImage':
            dataset.pipeline[0].type = 'CachedLoadImage'
    cfg.val_dataloader.dataset = dict(type='CachedDataset',
                                      dataset=cfg.val_dataloader.dataset)


def draw_bbox_transforms_fast(cfg: Config) -> None:
    """Every ``RandomBBoxTransform`` of the training pipelines (branches
    included) becomes ``FastRandomBBoxTransform``: the same draws from the
    same seed without SciPy's dispatch (a quarter of the benchmark's data
    loading). The same data either way, so applied after hashing."""
    for dataset in training_datasets(cfg):
        for transform in _nested_transforms(dataset.pipeline or []):
            if transform.type == 'RandomBBoxTransform':
                transform.type = 'FastRandomBBoxTransform'


def training_datasets(cfg: Config) -> list:
    """The training set's configs: an adaptation set's source and target,
    or the one set."""
    train = cfg.train_dataloader.dataset
    return [train.source, train.target] if 'source' in train else [train]


def _nested_transforms(pipeline: list):
    """The transform configs of ``pipeline`` and of the pipelines nested in
    them (``PoseMultiBranch``'s branches)."""
    for transform in pipeline:
        yield transform
        for value in transform.values():
            if isinstance(value, list) and all(
                    isinstance(t, dict) and 'type' in t for t in value):
                yield from _nested_transforms(value)


def last_checkpoint(cfg: Config) -> str:
    return osp.join(cfg.work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')


def strip(metrics: dict, prefix: str) -> Dict[str, float]:
    """The metrics under ``prefix``, without it, as floats."""
    return {k[len(prefix):]: float(v) for k, v in metrics.items()
            if k.startswith(prefix)}


def adaptation_run(cfg: Config, hooks: Sequence[Hook] = (),
                   teacher: str = 'teacher/hm_pck/',
                   student: str = 'student/hm_pck/',
                   curve_key: str = 'All') -> dict:
    """Train one adaptation run; its record: the teacher's and the
    student's final metrics (under the ``teacher`` / ``student`` prefixes),
    the teacher's ``curve_key`` over the validations, the seconds it took
    and the torch threads it ran on."""
    start = time.time()
    metrics, curve = train(cfg, hooks)
    return dict(metrics=strip(metrics, teacher),
                student=strip(metrics, student),
                curve=[(i, strip(m, teacher)[curve_key]) for i, m in curve],
                seconds=round(time.time() - start),
                threads=torch.get_num_threads())


def cached_stage(name: str, cfg: Config, cache_dir: str,
                 hooks: Sequence[Hook] = (), prefix: str = 'hm_pck/',
                 curve_key: str = 'All', extra: str = '',
                 key: Optional[str] = None) -> dict:
    """Train a stage (source only, oracle, bound) unless this exact config
    (and ``extra``: e.g. the key of the stage it starts from) was trained
    before; returns its metrics, curve and checkpoint. ``key``: the
    config's hash when the caller computed it (in another process the
    config's text may be formatted differently)."""
    key = key or config_hash(cfg, extra)
    stage_dir = osp.join(cache_dir, f'{name.replace("/", "_")}_{key}')
    record = osp.join(stage_dir, 'stage.json')
    if osp.exists(record):
        with open(record) as f:
            stage = json.load(f)
        if osp.exists(stage['checkpoint']):
            print(f'{name}: reusing {stage_dir}')
            return stage
    cfg.work_dir = stage_dir
    start = time.time()
    metrics, curve = train(cfg, hooks)
    stage = dict(
        key=key,
        metrics=strip(metrics, prefix),
        curve=[(i, strip(m, prefix)[curve_key]) for i, m in curve],
        checkpoint=last_checkpoint(cfg),
        seconds=round(time.time() - start),
        threads=torch.get_num_threads())
    atomic_write_text(record, json.dumps(stage, indent=1))
    return stage


# ------------------------------------------------------ parallel runs
#: one training: (key, function, keyword arguments); the function and its
#: arguments must pickle (module-level functions, configs, hooks)
Task = Tuple[str, Callable[..., Any], dict]


def threads_per_job(jobs: int) -> int:
    """Torch threads for each of ``jobs`` concurrent trainings: the cores
    shared out, at least one."""
    return max((os.cpu_count() or 1) // jobs, 1)


def run_tasks(tasks: Sequence[Task], jobs: int,
              on_done: Callable[[str, Any], None]) -> None:
    """Run independent trainings, ``jobs`` at a time.

    ``jobs=1`` (or a single training) runs them one after another in this
    process with its torch threads (what the benchmark always did).
    ``jobs>1`` runs them in ``min(jobs, len(tasks))`` spawned processes of
    :func:`threads_per_job` threads each: on a small CPU two one-thread
    trainings side by side get through more iterations per second than one
    two-thread training (the demo model's iteration gains 1.5x from its
    second thread), and never oversubscribe the cores the way two
    full-width jobs do. A training's result depends on its thread count
    only through float summation order.

    ``on_done(key, result)`` runs in this process as each training ends
    (in completion order), so a caller saves after every one. A failing
    training cancels the ones not started, lets the running ones finish
    (their ``on_done`` still runs) and re-raises its error.
    """
    jobs = min(jobs, len(tasks))
    if jobs <= 1:
        for key, function, kwargs in tasks:
            on_done(key, function(**kwargs))
        return
    context = multiprocessing.get_context('spawn')
    with ProcessPoolExecutor(jobs, mp_context=context,
                             initializer=torch.set_num_threads,
                             initargs=(threads_per_job(jobs), )) as pool:
        pending = {pool.submit(function, **kwargs): key
                   for key, function, kwargs in tasks}
        failed = None
        while pending and failed is None:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                key = pending.pop(future)
                if future.exception() is not None:
                    failed = failed or future.exception()
                else:
                    on_done(key, future.result())
        if failed is not None:
            for future in pending:
                future.cancel()
            for future in wait(pending).done:
                if not future.cancelled() and future.exception() is None:
                    on_done(pending[future], future.result())
            raise failed


# ------------------------------------------------------- results file
def setting_hash(setting: dict) -> str:
    """Hash of a setting (everything that decides the numbers)."""
    body = {k: v for k, v in setting.items() if k != 'hash'}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()
                          ).hexdigest()[:16]


def changed_with_results(old: Dict[str, str], new: Dict[str, str],
                         measured: Callable[[str], bool]) -> List[str]:
    """Names whose config hash changed although they already have results
    (a name without results may change: it is simply run with the new
    one)."""
    return [name for name, key in new.items()
            if name in old and old[name] != key and measured(name)]


def load_results(path: str, setting: dict, growing: Sequence[str] = (),
                 changed: Callable[[dict, set], List[str]] = None,
                 kind: str = 'benchmark') -> dict:
    """Open a results file to resume it: a new one when absent.

    A file that is not JSON, lacks ``setting`` / ``stages`` / ``runs``, or
    holds another setting stops the call with a message naming it; it is
    never overwritten. The settings must agree on every key but the
    ``growing`` ones (e.g. the rows, which may be added); ``changed(old
    setting, measured run groups)`` names what changed in a growing part
    although it already has results, which is another setting too. The
    run groups of ``'row/seed'`` and ``'family/row/seed'`` are ``'row'``
    and ``'family/row'``.
    """
    if not osp.exists(path):
        return dict(setting=setting, stages={}, runs={})
    with open(path) as f:
        try:
            results = json.load(f)
        except json.JSONDecodeError as error:
            raise SystemExit(
                f'{path} is not valid JSON ({error.msg} at line '
                f'{error.lineno}, column {error.colno}): truncated or edited '
                'by hand. It is left untouched; move it away (its runs are '
                'rerun) or pass --results <new file>.') from None
    missing = [key for key in ('setting', 'stages', 'runs')
               if not isinstance(results, dict)
               or not isinstance(results.get(key), dict)]
    if missing:
        raise SystemExit(
            f'{path} is not a {kind} results file ({missing} missing or '
            'not objects). It is left untouched; move it away or pass '
            '--results <new file>.')
    old = results['setting']
    fixed = tuple(growing) + ('hash', )
    same = {k: v for k, v in old.items() if k not in fixed} == {
        k: v for k, v in setting.items() if k not in fixed}
    measured = {key.rsplit('/', 1)[0] for key in results['runs']}
    changes = changed(old, measured) if changed else []
    if not same or changes:
        raise SystemExit(
            f'{path} holds results of another setting (hash '
            f'{old.get("hash")} vs {setting["hash"]}'
            + (f'; rows changed: {changes}' if changes else '') +
            '); it is left untouched. Pass --results <new file> or '
            'another --work-dir.')
    return results


def save_results(path: str, results: dict) -> None:
    """Written whole or not at all (a stopped run leaves the last save)."""
    atomic_write_text(path, json.dumps(results, indent=1))


# -------------------------------------------------------------- tables
def stats_cell(stats: dict, scale: float = 100.,
               fmt: str = '{:.1f}') -> str:
    """``mean +- std`` of ``mean_std`` (times ``scale``: 100 for
    fractions shown in percent); the mean alone for one seed."""
    mean = fmt.format(scale * stats['mean'])
    if stats['n'] == 1:
        return mean
    return f'{mean} +- {fmt.format(scale * stats["std"])}'


def paired_cell(paired: Optional[dict], scale: float = 100.) -> str:
    """``+d (low, high)`` of ``paired_interval``; one seed has no
    interval."""
    if not paired:
        return ''
    if paired['n'] < 2:
        return f'{scale * paired["mean"]:+.1f} (1 seed, no interval)'
    return (f'{scale * paired["mean"]:+.1f} ({scale * paired["low"]:+.1f}, '
            f'{scale * paired["high"]:+.1f})')
