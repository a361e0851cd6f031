"""The lifting benchmark's two target families (toy_motion) and the rows of
tools/demo_lifting.py."""
import json
import pickle
import sys

import numpy as np
import pytest
from conftest import REPO_ROOT

from mmpose_mlda.datasets.toy_motion import (MOTION_STATS, ensure_generated,
                                             generate, simulate_sequence,
                                             _subject_offsets)

sys.path.insert(0, str(REPO_ROOT / 'tools'))
import demo_lifting  # noqa: E402

# H36M-17 joints: left shoulder, elbow, wrist
SHOULDER, ELBOW, WRIST = 11, 12, 13


def _elbow_flexion(world):
    """(F, 17, 3) -> (F,) angle between upper arm and forearm, radians."""
    upper = world[:, ELBOW] - world[:, SHOULDER]
    fore = world[:, WRIST] - world[:, ELBOW]
    cos = (upper * fore).sum(-1) / (np.linalg.norm(upper, axis=-1) *
                                    np.linalg.norm(fore, axis=-1))
    return np.arccos(np.clip(cos, -1, 1))


def _flexions(stats_key, sequences=20):
    rng = np.random.default_rng(0)
    stats = MOTION_STATS[stats_key]
    return np.concatenate([
        _elbow_flexion(
            simulate_sequence(rng, stats, _subject_offsets(rng, stats), 100))
        for _ in range(sequences)
    ])


def test_local_family_articulates_beyond_the_source():
    source, local = _flexions('source'), _flexions('local')
    # a quarter of the local target's frames bend the elbow further than
    # any source frame does
    assert np.quantile(local, 0.75) > source.max()


@pytest.mark.parametrize('family,focal,width', [('3dhp', 2100., 2048),
                                                ('local', 1145., 1000)])
def test_family_cameras(tmp_path, family, focal, width):
    summary = generate(str(tmp_path), seed=0, frames=8, family=family)
    assert summary['family'] == family
    for split in ('train', 'test'):
        with open(tmp_path / 'target' / f'cameras_{split}.pkl', 'rb') as f:
            cams = pickle.load(f)
        widths = {c['w'] for c in cams.values()}
        focals = np.array([c['f'].mean() for c in cams.values()])
        # the 3dhp family's TS5/TS6 are the 1920x1080 outdoor cameras
        assert width in widths
        assert np.abs(focals - focal).min() < 15


def test_ensure_generated_regenerates_for_another_family(tmp_path):
    root = str(tmp_path)
    ensure_generated(root, seed=0, frames=8)
    summary = ensure_generated(root, seed=0, family='local', frames=8)
    assert summary['family'] == 'local'
    with open(tmp_path / 'summary.json') as f:
        assert json.load(f)['family'] == 'local'
    with pytest.raises(ValueError, match="unknown target family 'hdp'"):
        generate(root, family='hdp')


def test_rows_are_names_or_config_paths(tmp_path):
    assert demo_lifting.row_config('gpa').endswith(
        'configs/demo_lifting/gpa.py')
    study = str(REPO_ROOT / 'configs/demo_lifting/study/lpa_fast_game.py')
    assert demo_lifting.row_config(study) == study
    assert demo_lifting.row_name(study) == 'lpa_fast_game'
    with pytest.raises(SystemExit, match="unknown row 'gpa_lap'"):
        demo_lifting.row_config('gpa_lap')
    with pytest.raises(SystemExit, match='does not exist'):
        demo_lifting.row_config(str(tmp_path / 'missing.py'))


def test_table_names_config_rows_and_pairs_with_gpa():
    def metrics(mpjpe):
        return dict(MPJPE=mpjpe, **{'PA-MPJPE': 1., '3DPCK': 1., 'AUC': 1.},
                    train_seconds=1.)

    results = {
        seed: dict(gpa=metrics(100. + seed),
                   lpa_fast_game=metrics(90. + 2 * seed))
        for seed in (0, 1, 2)
    }
    table = demo_lifting.format_table(results)
    line = next(x for x in table.splitlines() if 'lpa_fast_game' in x)
    # differences to GPA per seed: -10, -9, -8 -> mean -9.0
    assert '-9.0 (' in line
    assert '| GPA |' in table


def test_demo_lifting_resumes_and_guards_its_results(tmp_path, monkeypatch):
    """A second call trains only what the file lacks; a call of another
    schedule stops, naming the file, and leaves it as it was."""
    argv = [f'--work-dir={tmp_path / "work"}',
            f'--data-root={tmp_path / "data"}/', '--seeds=0',
            '--pretrain-iters=1', '--adapt-iters=1']
    demo_lifting.main(argv + ['--rows=gpa'])
    results_file = tmp_path / 'work' / 'results.json'
    saved = json.loads(results_file.read_text())
    assert set(saved['runs']) == {'gpa/0'}
    assert set(saved['stages']) == {'source_only/0'}

    trained = []
    real_run_row = demo_lifting.run_row

    def spy(cfg):
        trained.append(cfg.work_dir)
        return real_run_row(cfg)

    monkeypatch.setattr(demo_lifting, 'run_row', spy)
    demo_lifting.main(argv + ['--rows=gpa,source_only_ft'])
    assert [p.split('/')[-1] for p in trained] == ['source_only_ft']
    table = (tmp_path / 'work' / 'results.md').read_text()
    assert '| source only, continued |' in table and '| GPA |' in table

    before = results_file.read_bytes()
    with pytest.raises(SystemExit, match='another setting'):
        demo_lifting.main(argv[:-1] + ['--adapt-iters=2', '--rows=gpa'])
    assert results_file.read_bytes() == before
