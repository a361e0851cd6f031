"""tools/benchmark.py on a tiny setting: outputs, resume, guards, stats."""
import json
import math
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / 'tools'))
import benchmark  # noqa: E402

from mmpose_mlda.datasets.toy_figures import render_figure  # noqa: E402


def _args(tmp_path, **overrides):
    options = dict(rows='mean_teacher,pose', seeds='0,1', num_images=8,
                   num_test=8, source_iters=2, adapt_iters=2, val_points=1)
    options.update(overrides)
    argv = [f'--work-dir={tmp_path / "work"}',
            f'--data-root={tmp_path / "data"}/',
            f'--cache-dir={tmp_path / "cache"}/']
    for key, value in options.items():
        argv.append(f'--{key.replace("_", "-")}={value}')
    return argv


@pytest.fixture(scope='module')
def tiny_run(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('benchmark')
    results = benchmark.main(_args(tmp_path))
    return tmp_path, results


def test_writes_json_table_and_figures(tiny_run):
    tmp_path, results = tiny_run
    out = tmp_path / 'work' / 'target'
    saved = json.loads((out / 'results.json').read_text())
    assert set(saved['runs']) == {'mean_teacher/0', 'mean_teacher/1',
                                  'pose/0', 'pose/1'}
    run = saved['runs']['pose/1']
    assert set(benchmark.GROUPS) <= set(run['metrics'])
    assert run['curve'] and run['curve'][-1][0] == 2
    assert set(saved['stages']) == {'source_only', 'oracle'}
    summary = saved['summary']
    assert list(summary) == ['source_only', 'mean_teacher', 'pose', 'oracle']
    assert summary['pose']['All']['n'] == 2
    assert 'paired' in summary['pose'] and 'paired' not in \
        summary['mean_teacher']
    # the authors' protocol beside the last validation: the best of each
    # run's validations, averaged over seeds
    best = [max(v for _, v in saved['runs'][f'pose/{s}']['curve'])
            for s in (0, 1)]
    assert summary['pose']['best_over_validations']['mean'] == \
        pytest.approx(sum(best) / 2)
    table = (out / 'results.md').read_text()
    assert '| + pose level (IM) |' in table and 'seeds [0, 1]' in table
    assert 'All, best over validations |' in table and \
        "the authors' protocol" in table
    for name in ('pck_by_row.png', 'pck_over_iterations.png'):
        assert (out / name).read_bytes()[:4] == b'\x89PNG'


def test_resume_skips_finished_runs(tiny_run, monkeypatch):
    tmp_path, _ = tiny_run
    results_file = tmp_path / 'work' / 'target' / 'results.json'
    saved = json.loads(results_file.read_text())
    del saved['runs']['pose/1']  # a half-finished run
    results_file.write_text(json.dumps(saved))
    trained = []
    real_train = benchmark.benchmarking.train

    def spy(cfg, hooks=()):
        trained.append(cfg.work_dir)
        return real_train(cfg, hooks)

    monkeypatch.setattr(benchmark.benchmarking, 'train', spy)
    results = benchmark.main(_args(tmp_path))
    assert len(trained) == 1 and trained[0].endswith(osp.join('pose',
                                                              'seed1'))
    assert set(results['runs']) == {'mean_teacher/0', 'mean_teacher/1',
                                    'pose/0', 'pose/1'}


def test_runs_side_by_side_give_the_same_results(tiny_run, tmp_path,
                                                monkeypatch):
    """``--jobs 2``: the same trainings in two spawned processes. At the
    thread count of the in-process path their results are identical; the
    stages are reused from the cache."""
    first_dir, first = tiny_run
    threads = torch.get_num_threads()
    monkeypatch.setattr(benchmark.benchmarking, 'threads_per_job',
                        lambda jobs: threads)
    argv = _args(first_dir, jobs=2)
    argv[0] = f'--work-dir={tmp_path / "work"}'
    results = benchmark.main(argv)
    assert set(results['runs']) == set(first['runs'])
    for key, run in results['runs'].items():
        assert run['threads'] == threads
        assert run['metrics'] == first['runs'][key]['metrics'], key
        assert run['curve'] == first['runs'][key]['curve'], key
    assert results['stages']['source_only']['checkpoint'] == \
        first['stages']['source_only']['checkpoint']


def test_a_failing_parallel_run_stops_the_rest_and_keeps_the_finished():
    done = {}
    tasks = [('a', dict, dict(x=1)), ('broken', int, dict(base=3)),
             ('c', dict, dict(y=2))]
    with pytest.raises(TypeError):
        benchmark.run_tasks(tasks, 2, done.__setitem__)
    assert done['a'] == dict(x=1) and 'broken' not in done


def test_each_parallel_run_is_recorded_as_it_ends(tmp_path):
    """The caller saves after every training, not once all have ended."""
    marker = tmp_path / 'slow_run_ended'
    slow_ended_before = {}
    tasks = [('slow', subprocess.run,
              dict(args=['sh', '-c', f'sleep 5; touch {marker}'])),
             ('fast', dict, dict(x=1))]
    benchmark.run_tasks(tasks, 2, lambda key, result: slow_ended_before.
                        setdefault(key, marker.exists()))
    assert slow_ended_before == dict(fast=False, slow=True)


def test_jobs_must_be_positive(tmp_path):
    with pytest.raises(SystemExit, match='--jobs=0: must be at least 1'):
        benchmark.main(_args(tmp_path, jobs=0))


def test_results_of_another_setting_are_never_overwritten(tiny_run):
    tmp_path, _ = tiny_run
    results_file = tmp_path / 'work' / 'target' / 'results.json'
    before = results_file.read_bytes()
    with pytest.raises(SystemExit, match='another setting'):
        benchmark.main(_args(tmp_path, adapt_iters=3))
    assert results_file.read_bytes() == before


def test_a_changed_row_is_refused_only_once_it_has_results(tmp_path):
    setting = dict(target='target', rows=dict(a='1', b='2'), families={},
                   hash='x')
    path = tmp_path / 'results.json'
    path.write_text(json.dumps(dict(setting=setting, stages={},
                                    runs={'a/0': {}})))
    # row b has no runs yet: its new config is taken
    new_b = dict(setting, rows=dict(a='1', b='3'), hash='y')
    assert benchmark.load_results(str(path), new_b)['setting']['rows'] == \
        dict(a='1', b='3')
    # row a has a run: a new config for it is another setting
    new_a = dict(setting, rows=dict(a='9', b='2'), hash='z')
    with pytest.raises(SystemExit, match=r"rows changed: \['a'\]"):
        benchmark.load_results(str(path), new_a)


@pytest.mark.parametrize('content,message', [
    ('{"setting": {"target": "tar', r'results\.json is not valid JSON '
                                    r'\(.* line 1, column \d+\).*untouched'),
    ('{"setting": {}, "stages": {}}', r"not a benchmark results file "
                                      r"\(\['runs'\] missing"),
    ('[1, 2]', r"not a benchmark results file \(\['setting', 'stages', "
               r"'runs'\]"),
])
def test_a_broken_results_file_is_named_and_kept(tmp_path, content,
                                                 message):
    path = tmp_path / 'results.json'
    path.write_text(content)
    with pytest.raises(SystemExit, match=message):
        benchmark.load_results(str(path), dict(target='target', rows={},
                                               families={}, hash='x'))
    assert path.read_text() == content


@pytest.mark.parametrize('overrides,message', [
    (dict(rows='mean_teacher,warp_drive'), "unknown row 'warp_drive'"),
    (dict(seeds='0,one'), 'comma-separated integers'),
    (dict(seeds='1,1'), 'distinct integers'),
    (dict(adapt_iters=0), '--adapt-iters=0: must be at least 1'),
    (dict(source_iters=-5), '--source-iters=-5: must be at least 1'),
    (dict(val_points=3), '--val-points=3: at most --adapt-iters=2'),
    (dict(configs='configs/demo/no_such_recipe.py'), 'does not exist'),
    (dict(val_points=0), '--val-points=0: must be at least 1'),
    (dict(cache_dir='FILE'), r'--cache-dir=.*FILE is a file, not a folder'),
    (dict(results='DIR'), r'--results=.*DIR is a folder: give the path of a '
                          r'\.json file'),
    (dict(seeds='-1'), r'--seeds \[-1\]: a seed must be in \[0, 2\*\*32'),
    (dict(seeds='0,4294967296'), r'--seeds \[4294967296\]'),
])
def test_bad_arguments(tmp_path, overrides, message):
    (tmp_path / 'FILE').write_text('not a folder')
    (tmp_path / 'DIR').mkdir()
    overrides = {k: str(tmp_path / v) if v in ('FILE', 'DIR') else v
                 for k, v in overrides.items()}
    with pytest.raises(SystemExit, match=message):
        benchmark.main(_args(tmp_path, **overrides))


def test_channels_last_switch_sets_the_adaptation_model_only(tmp_path):
    """``--channels-last`` puts the adaptation model in that layout (a
    setting of its own: another hash, so its results never mix with the
    contiguous runs') and refuses a config whose model lacks the switch."""
    def load(config, **switches):
        return benchmark.load_config(config, '', f'{tmp_path}/', 'target', 10,
                                     **switches)
    plain, switched = (load('configs/demo/ours.py', channels_last=value)
                       for value in (False, True))
    assert switched.model.channels_last is True
    assert plain.model.get('channels_last', False) is False
    assert benchmark.config_hash(plain) != benchmark.config_hash(switched)
    with pytest.raises(SystemExit, match=r'--channels-last: .*source_only\.py '
                       'builds a TopdownPoseEstimator'):
        load(benchmark.SOURCE_CONFIG, channels_last=True)


def test_data_root_spellings_hash_alike(tmp_path, monkeypatch):
    """However the data root is written (relative, absolute, with or
    without the trailing slash), the configs name the same split folders
    and hash alike, so cached stages are found; the default spelling keeps
    the folders (and hashes) it always had."""
    monkeypatch.chdir(tmp_path)
    configs = [benchmark.load_config(benchmark.SOURCE_CONFIG, '', root,
                                     'target', 10)
               for root in ('data/', 'data', './data/', f'{tmp_path}/data/')]
    assert configs[0].train_dataloader.dataset.data_root == \
        'data/source_train/'
    assert len({benchmark.config_hash(cfg) for cfg in configs}) == 1
    elsewhere = benchmark.load_config(benchmark.SOURCE_CONFIG, '',
                                      '/elsewhere/data', 'target', 10)
    assert elsewhere.train_dataloader.dataset.data_root == \
        '/elsewhere/data/source_train/'


def test_paired_interval_hand_computed():
    """The seed statistics every benchmark table uses (2D and lifting)."""
    from mmpose_mlda.evaluation import seed_statistics as stats_module
    stats = stats_module.paired_interval([0.5, 0.6, 0.7], [0.4, 0.5, 0.5])
    sd = math.sqrt(((0.1 - 2 / 15)**2 * 2 + (0.2 - 2 / 15)**2) / 2)
    half = 4.303 * sd / math.sqrt(3)
    assert stats['mean'] == pytest.approx(2 / 15)
    assert stats['low'] == pytest.approx(2 / 15 - half)
    assert stats['high'] == pytest.approx(2 / 15 + half)
    assert stats_module.mean_std([1.0, 3.0]) == dict(mean=2.0,
                                                    std=math.sqrt(2), n=2)
    assert stats_module.t_quantile_95(2) == 4.303


def test_thermal_family_is_deterministic_per_seed():
    def draw(seed):
        rng = np.random.default_rng(seed)
        return [render_figure(rng, 64, 'thermal')[:2] for _ in range(3)]

    first, again, other = draw(4), draw(4), draw(5)
    for (a, ka), (b, kb) in zip(first, again):
        assert np.array_equal(a, b) and np.array_equal(ka, kb)
    assert not all(np.array_equal(a, b) for (a, _), (b, _) in zip(first,
                                                                 other))
    image = first[0][0]
    assert image.shape == (64, 64, 3) and image.dtype == np.uint8


def test_head_families_alone_skip_the_heatmap_stages(tiny_run):
    tmp_path, _ = tiny_run
    argv = _args(tmp_path, rows='', seeds='0', families='regression',
                 family_rows='mean_teacher') + [
                     f'--work-dir={tmp_path / "families_only"}',
                     '--no-baseline', '--no-plots']
    results = benchmark.main(argv)
    assert set(results['stages']) == {'regression/source_only',
                                      'regression/oracle', 'regression/bound'}
    assert set(results['runs']) == {'regression/mean_teacher/0'}
    assert results['summary'] == {}
    with pytest.raises(SystemExit, match='nothing to run'):
        benchmark.main(_args(tmp_path, rows='') + ['--no-baseline'])


def test_head_family_rows(tiny_run):
    tmp_path, _ = tiny_run
    results = benchmark.main(_args(tmp_path, rows='mean_teacher', seeds='0,1',
                                   families='simcc', family_rows='ours'))
    assert {'simcc/source_only', 'simcc/oracle', 'simcc/bound'} <= set(
        results['stages'])
    family = results['family_summary']['simcc']
    assert list(family['rows']) == ['mean_teacher', 'ours']
    # the summary and the table carry the runs' and the stages' scores
    pck = {row: [results['runs'][f'simcc/{row}/{s}']['metrics']['PCK']
                 for s in (0, 1)] for row in ('mean_teacher', 'ours')}
    assert family['rows']['ours']['pck']['mean'] == pytest.approx(
        np.mean(pck['ours']))
    assert family['rows']['ours']['paired']['mean'] == pytest.approx(
        np.mean(pck['ours']) - np.mean(pck['mean_teacher']))
    assert 'paired' not in family['rows']['mean_teacher']
    assert family['source_only'] == \
        results['stages']['simcc/source_only']['metrics']['PCK']
    # the gap closed is measured to the bound (the source-only checkpoint
    # fine-tuned on target labels for the adaptation's iterations)
    bound = results['stages']['simcc/bound']['metrics']['PCK']
    assert family['bound'] == bound
    closed = family['rows']['ours'].get('gap_closed')
    if bound > family['source_only']:
        assert closed['mean'] == pytest.approx(np.mean(
            [(p - family['source_only']) / (bound - family['source_only'])
             for p in pck['ours']]))
    else:  # no gap to close: no share is printed
        assert closed is None
    table = (tmp_path / 'work' / 'target' / 'results.md').read_text()
    title = '| RTMPose-style (CSPNeXt + RTMCCHead, SimCC) |'
    lines = [line for line in table.splitlines() if line.startswith(title)]
    assert [line.split(' | ')[1] for line in lines] == [
        'source only', 'mean teacher (simcc_mean_teacher.py)',
        'ours (simcc_ours.py)', 'oracle (target labels)',
        'bound (source only fine-tuned on target labels)']
    assert lines[0].split(' | ')[2] == f'{100 * family["source_only"]:.1f}'
    assert lines[2].split(' | ')[3].startswith(
        f'{100 * family["rows"]["ours"]["paired"]["mean"]:+.1f} (')
    with pytest.raises(SystemExit, match="unknown \\['transformer'\\]"):
        benchmark.main(_args(tmp_path, families='transformer'))
    with pytest.raises(SystemExit, match="--family-rows: unknown \\['paper'"):
        benchmark.main(_args(tmp_path, families='simcc', family_rows='paper'))
