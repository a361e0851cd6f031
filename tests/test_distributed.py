"""Two CPU ranks through torchrun: the teacher must agree across ranks."""
import os
import subprocess
import sys
from pathlib import Path

import torch

WORKER = Path(__file__).resolve().parent / 'scripts' / \
    'train_and_dump_teacher.py'


def test_two_rank_training_keeps_one_teacher(toy_data_root, tmp_path):
    env = dict(os.environ, OMP_NUM_THREADS='1')
    command = [
        sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node',
        '2', '--master_port', '29517', str(WORKER), toy_data_root,
        str(tmp_path)
    ]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    states = [
        torch.load(tmp_path / f'teacher_rank{r}.pth', weights_only=True)
        for r in range(2)
    ]
    assert states[0]['world_size'] == states[1]['world_size'] == 2
    teacher0, teacher1 = states[0]['teacher'], states[1]['teacher']
    assert teacher0.keys() == teacher1.keys()
    for key in teacher0:
        torch.testing.assert_close(teacher0[key], teacher1[key], msg=key)
    # the run really adapted: two EMA steps after a one-iteration burn-in
    assert int(teacher0['steps']) == 3
    student = states[0]['student']
    assert not torch.equal(teacher0['module.backbone.conv1.weight'],
                           student['backbone.conv1.weight'])
