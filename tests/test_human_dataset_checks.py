"""``tools/dataset_checks/check_lsp.py`` and ``check_surreal.py``.

The checkers run in-process through their ``main`` (importing the OpenMMLab
stack once); one subprocess run shows the script works as a command.
"""
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from conftest import REPO_ROOT, SHARED_DATA
from test_human_datasets import random_joints, write_lsp, write_surreal

TOOLS = REPO_ROOT / 'tools' / 'dataset_checks'
LSPET_REAL = SHARED_DATA / 'lsp' / 'MiraiLouis+lsp_cpm'
LSP_DERIVED = SHARED_DATA / 'lsp' / 'DERIVED' / 'lsp_format_from_lspet'
SURREAL_FIXTURE = SHARED_DATA / '_format_fixtures' / 'surreal_processed'


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name, TOOLS / f'{name}.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_lsp = load_tool('check_lsp')
check_surreal = load_tool('check_surreal')


def need(path):
    if not path.exists():
        pytest.skip(f'shared sample {path} not available')
    return str(path)


def run(tool, capsys, *args):
    code = tool.main([str(a) for a in args])
    return code, capsys.readouterr().out


def test_check_lsp_on_real_lspet(capsys):
    code, out = run(check_lsp, capsys, need(LSPET_REAL))
    # joints.mat holds 400 records but only 40 images are there
    assert code == 1
    assert 'layout: lspet' in out and 'records: 400' in out
    assert 'im00041.jpg .. im00400.jpg (360 files)' in out
    assert 'num_images=40' in out

    code, out = run(check_lsp, capsys, LSPET_REAL, '--num-images', 40)
    assert code == 0, out
    assert 'images_readable: 40' in out
    assert 'width_range: (126, 776)' in out
    assert 'height_range: (105, 515)' in out
    # the real head top at y = -1.2 is within the margin, not a problem
    assert 'visible_within_margin_outside: 1' in out
    assert 'OK: no problems found' in out


def test_check_lsp_on_lsp_layout_and_forced_layout(capsys):
    code, out = run(check_lsp, capsys, need(LSP_DERIVED))
    assert code == 0 and 'layout: lsp' in out and 'checked: 10' in out
    code, out = run(check_lsp, capsys, LSP_DERIVED, '--layout', 'lspet')
    assert code == 1 and 'use LSPDataset' in out


def test_check_lsp_lists_every_problem(tmp_path, capsys):
    xyv = random_joints(5)
    xyv[..., 2] = 1
    xyv[2, 4, :2] = (500, 20)  # visible knee far right of the 60x40 image
    root = write_lsp(tmp_path, xyv)
    (root / 'images' / 'im0002.jpg').write_bytes(b'not a jpeg')
    os.remove(root / 'images' / 'im0004.jpg')
    code, out = run(check_lsp, capsys, root)
    assert code == 1
    assert '3 problem(s)' in out
    assert 'im0002.jpg: cannot be decoded' in out
    assert 'im0003.jpg: visible joints more than 5.0 px outside' in out
    assert '4 (500.0, 20.0)' in out
    assert 'missing image(s)' in out and 'im0004.jpg' in out
    assert 'images_found: 4' in out and 'images_readable: 3' in out


def test_check_lsp_without_annotations(tmp_path, capsys):
    code, out = run(check_lsp, capsys, tmp_path)
    assert code == 1
    assert 'joints.mat not found' in out and 'image folder' in out


def test_check_surreal_on_fixture(capsys):
    code, out = run(check_surreal, capsys, need(SURREAL_FIXTURE))
    assert code == 0, out
    assert "samples_per_run: {'run0': 2, 'run1': 2, 'run2': 2}" in out
    assert 'peers_test_subset: 1' in out and 'peers_train_subset: 5' in out
    assert 'width_range: (128, 128)' in out


def test_check_surreal_lists_every_problem(tmp_path, capsys):
    root = write_surreal(tmp_path, n_per_run=3, splits=('val', ))
    records = json.loads((root / 'val' / 'run0.json').read_text())
    records[0]['keypoint2d'] = [[0, 0]] * 10
    del records[2]['intrinsic_matrix']
    (root / 'val' / 'run0.json').write_text(json.dumps(records))
    os.remove(root / 'val' / 'run1.json')
    (root / 'val' / 'run2' / 'seq2' / 'frame_1.jpg').write_bytes(b'x')
    os.remove(root / 'val' / 'run2' / 'seq2' / 'frame_2.jpg')
    code, out = run(check_surreal, capsys, root, '--splits', 'val')
    assert code == 1
    assert '4 problem(s)' in out
    assert 'run0.json: 2 bad record(s)' in out
    assert 'record 0 "keypoint2d" has shape (10, 2)' in out
    assert 'record 2 lacks keypoint3d' in out
    assert 'run1.json not found' in out
    assert 'frame_1.jpg: cannot be decoded' in out
    assert 'missing image' in out and 'frame_2.jpg' in out


def test_check_lsp_runs_as_a_command():
    proc = subprocess.run(
        [sys.executable, str(TOOLS / 'check_lsp.py'), need(LSP_DERIVED)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
        env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'OK: no problems found' in proc.stdout
