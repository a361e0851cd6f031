"""The README's practitioner paths, run as written on the samples of
``../shared/data``: a folder of real LSPet photos under
``data/my_images/``, the 4-image COCO sample under ``data/coco/`` in COCO's
layout, and a randomly initialised RTMPose-m standing in for the model-zoo
checkpoint (no network here). The commands are read from the README;
each training command gets extra ``--cfg-options`` for the sample's scale
(one iteration, two images a batch) and the export reads that iteration's
checkpoint instead of ``iter_10000.pth``. The inference snippet runs in a
fresh interpreter, as written."""
import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import REPO_ROOT, SHARED_DATA

COCO = SHARED_DATA / 'coco' / 'open-mmlab+mmpose' / 'tests' / 'data' / 'coco'
LSPET = SHARED_DATA / 'lsp' / 'MiraiLouis+lsp_cpm' / 'images'
SECTIONS = {
    'coco_to_folder': '## Adapt your own model to your own images',
    'source_free': '## Adapt a model-zoo checkpoint to your images without '
                   'its training data',
}
SAMPLE_SCALE = [
    'train_cfg.max_iters=1', 'train_dataloader.batch_size=2',
    'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'monitor_dataloader.batch_size=2', 'monitor_dataloader.num_workers=0',
    'default_hooks.checkpoint.interval=1', 'log_level=WARNING'
]


def readme_blocks(section: str):
    """The first bash block of the README section, as commands (continued
    lines joined, comments dropped), and the first python block."""
    text = (REPO_ROOT / 'README.md').read_text()
    body = text.split(SECTIONS[section] + '\n', 1)[1].split('\n## ', 1)[0]
    bash = re.search(r'```bash\n(.*?)```', body, re.S).group(1)
    commands = [line for line in bash.replace('\\\n', ' ').splitlines()
                if line.strip() and not line.lstrip().startswith('#')]
    python = re.search(r'```python\n(.*?)```', body, re.S)
    return commands, python.group(1) if python else None


@pytest.fixture(scope='module')
def stand_in_checkpoint(tmp_path_factory):
    """A randomly initialised RTMPose-m saved as the model zoo's file
    (built once for both paths)."""
    folder = tmp_path_factory.mktemp('zoo')
    name = re.search(r'checkpoints/(\S+\.pth)',
                     readme_blocks('coco_to_folder')[0][1]).group(1)
    code = (
        'import mmpose_mlda, torch\n'
        'from mmengine.config import Config\n'
        'from mmpose.registry import MODELS\n'
        'from mmengine.registry import init_default_scope\n'
        "init_default_scope('mmpose')\n"
        f"cfg = Config.fromfile('{REPO_ROOT}/configs/custom/"
        "rtmpose-m_coco_to_folder.py')\n"
        'model = MODELS.build(cfg.model.pose_model)\n'
        "torch.save(dict(state_dict=model.state_dict(), meta=dict()), "
        f"'{folder / name}')\n")
    _run([sys.executable, '-c', code], REPO_ROOT)
    return folder / name


def _workspace(tmp_path, checkpoint):
    """cwd of a user: the checkout's configs and tools, data in the
    layouts the configs expect, the stand-in checkpoint."""
    for name in ('configs', 'tools'):
        os.symlink(REPO_ROOT / name, tmp_path / name)
    images = tmp_path / 'data' / 'coco' / 'train2017'
    images.mkdir(parents=True)
    for jpg in COCO.glob('*.jpg'):
        os.symlink(jpg, images / jpg.name)
    (tmp_path / 'data' / 'coco' / 'annotations').mkdir()
    (tmp_path / 'data' / 'coco' / 'annotations' /
     'person_keypoints_train2017.json').write_bytes(
         (COCO / 'test_coco.json').read_bytes())
    os.symlink(LSPET, tmp_path / 'data' / 'my_images')
    (tmp_path / 'checkpoints').mkdir()
    os.symlink(checkpoint, tmp_path / 'checkpoints' / checkpoint.name)


def _run(argv, cwd):
    out = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, (' '.join(argv)[:300] + '\n' +
                                 out.stdout[-1500:] + out.stderr[-3000:])
    return out.stdout


@pytest.mark.skipif(not COCO.is_dir() or not LSPET.is_dir(),
                    reason='the COCO or LSPet sample is absent')
@pytest.mark.parametrize('section', list(SECTIONS))
def test_readme_path_runs_as_written_on_the_samples(section, tmp_path,
                                                    stand_in_checkpoint):
    commands, snippet = readme_blocks(section)
    _, inference = readme_blocks('coco_to_folder')
    _workspace(tmp_path, stand_in_checkpoint)
    ran = []
    for command in commands:
        argv = shlex.split(command)
        if argv[0] == 'wget':  # the checkpoint is the stand-in
            continue
        assert argv[0] == 'python', command
        argv[0] = sys.executable
        if argv[1] == 'tools/train.py':
            argv += ['--cfg-options'] + SAMPLE_SCALE
            if section == 'coco_to_folder':
                argv.append('train_dataloader.sampler.batch_size=2')
        argv = [re.sub(r'iter_10000\.pth$', 'iter_1.pth', a) for a in argv]
        _run(argv, tmp_path)
        ran.append(argv[1])
    assert ran == ['tools/train.py', 'tools/extract_teacher.py']
    exported = re.search(r'work_dirs/exported/(\S+)_teacher\.py',
                         inference).group(1)
    stem = re.search(r'configs/custom/(\S+)\.py', commands[-1]).group(1)
    snippet = (inference if snippet is None else snippet).replace(
        exported, stem).replace('data/my_images/some_image.jpg',
                                'data/my_images/im00001.jpg')
    snippet += ('\nimport numpy as np\n'
                "keypoints = np.asarray(result['predictions'][0][0]"
                "['keypoints'])\n"
                'assert keypoints.shape == (17, 2), keypoints.shape\n'
                "print('keypoints', keypoints.shape)\n")
    assert 'keypoints (17, 2)' in _run([sys.executable, '-c', snippet],
                                       tmp_path)
    assert (tmp_path / 'work_dirs' / stem / 'pseudo_labels' /
            'iter_1.png').is_file()
