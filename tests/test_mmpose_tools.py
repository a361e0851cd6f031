"""MMPose's own tools/train.py and tools/test.py run our configs."""
import subprocess
import sys
from pathlib import Path

import mmpose

MMPOSE_TOOLS = Path(mmpose.__file__).parent / '.mim' / 'tools'
REPO_ROOT = Path(__file__).resolve().parents[1]


def _data_options(root):
    return [
        f'train_dataloader.dataset.source.data_root={root}source_train/',
        f'train_dataloader.dataset.target.data_root={root}target_train/',
        f'val_dataloader.dataset.data_root={root}target_test/',
        f'test_dataloader.dataset.data_root={root}target_test/',
    ]


def test_mmpose_train_and_test_scripts_run_our_config(toy_data_root,
                                                      tmp_path):
    """Only ``custom_imports`` in the config brings the plugin in."""
    options = _data_options(toy_data_root) + [
        'train_dataloader.batch_size=4',
        'train_dataloader.sampler.batch_size=4', 'train_cfg.max_iters=2',
        'train_cfg.val_interval=2', 'default_hooks.checkpoint.interval=2'
    ]
    train = subprocess.run(
        [sys.executable, str(MMPOSE_TOOLS / 'train.py'),
         'configs/demo/mean_teacher.py', '--work-dir', str(tmp_path),
         '--cfg-options', *options],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert train.returncode == 0, train.stderr[-3000:]
    assert 'teacher/hm_pck/All' in train.stdout + train.stderr
    checkpoint = tmp_path / 'iter_2.pth'
    assert checkpoint.exists()

    test = subprocess.run(
        [sys.executable, str(MMPOSE_TOOLS / 'test.py'),
         'configs/demo/mean_teacher.py', str(checkpoint), '--work-dir',
         str(tmp_path / 'test'), '--cfg-options',
         *_data_options(toy_data_root)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert test.returncode == 0, test.stderr[-3000:]
    assert 'hm_pck/All' in test.stdout + test.stderr
