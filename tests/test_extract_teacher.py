"""tools/extract_teacher.py: the adapted teacher as a plain MMPose model."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.runner import Runner

from conftest import REPO_ROOT, SHARED_DATA, toy_mlda_cfg

sys.path.insert(0, str(REPO_ROOT / 'tools'))
import extract_teacher  # noqa: E402

LSPET_IMAGE = (SHARED_DATA / 'lsp' / 'MiraiLouis+lsp_cpm' / 'images' /
               'im00001.jpg')


@pytest.fixture(scope='module')
def adapted(toy_data_root, tmp_path_factory):
    """A 2-iteration adaptation run whose teacher differs from its student,
    saved with the runner's own checkpoint format."""
    work_dir = str(tmp_path_factory.mktemp('adapted'))
    cfg = toy_mlda_cfg(toy_data_root, work_dir, max_iters=2)
    cfg.default_hooks.checkpoint.interval = 2
    runner = Runner.from_cfg(cfg)
    runner.train()
    model = runner.model
    with torch.no_grad():  # make the two networks clearly different
        for p in model.teacher.module.parameters():
            p.add_(0.01 * torch.randn_like(p))
    ckpt = osp.join(work_dir, 'adapted.pth')
    runner.save_checkpoint(work_dir, 'adapted.pth')
    cfg_path = osp.join(work_dir, 'adapted_config.py')
    cfg.dump(cfg_path)
    return model, cfg_path, ckpt


def test_teacher_round_trips_through_init_model(adapted, tmp_path):
    from mmpose.apis import init_model
    model, cfg_path, ckpt = adapted
    pth, py = extract_teacher.extract(cfg_path, ckpt, str(tmp_path))
    plain = init_model(py, pth, device='cpu')
    assert type(plain).__name__ == 'TopdownPoseEstimator'
    assert plain.dataset_meta['num_keypoints'] == 16

    inputs = torch.rand(2, 3, 96, 96)
    teacher = model.teacher.module.eval()
    with torch.no_grad():
        expected = teacher.head.forward(teacher.extract_feat(inputs))
        got = plain.head.forward(plain.extract_feat(inputs))
        student = model.student.eval()
        student_out = student.head.forward(student.extract_feat(inputs))
    torch.testing.assert_close(got, expected, rtol=0, atol=0)
    assert not torch.allclose(got, student_out)  # the teacher, not student

    # --which student exports the other network
    spth, _ = extract_teacher.extract(cfg_path, ckpt, str(tmp_path),
                                      which='student')
    plain_student = init_model(py, spth, device='cpu')
    with torch.no_grad():
        out = plain_student.head.forward(plain_student.extract_feat(inputs))
    torch.testing.assert_close(out, student_out, rtol=0, atol=0)


@pytest.mark.skipif(not LSPET_IMAGE.exists(), reason='shared data absent')
def test_inference_topdown_on_a_real_image(adapted, tmp_path):
    from mmpose.apis import inference_topdown, init_model
    _, cfg_path, ckpt = adapted
    pth, py = extract_teacher.extract(cfg_path, ckpt, str(tmp_path))
    plain = init_model(py, pth, device='cpu')
    results = inference_topdown(plain, str(LSPET_IMAGE))
    keypoints = results[0].pred_instances.keypoints
    assert keypoints.shape == (1, 16, 2)
    assert (results[0].pred_instances.keypoint_scores.shape == (1, 16))

    # MMPose's high-level inferencer takes the pair too
    from mmpose.apis import MMPoseInferencer
    inferencer = MMPoseInferencer(
        pose2d=py, pose2d_weights=pth, device='cpu', det_model='whole_image')
    result = next(inferencer(str(LSPET_IMAGE)))
    assert len(result['predictions'][0][0]['keypoints']) == 16


def test_tools_test_scores_the_plain_checkpoint(adapted, tmp_path,
                                                toy_data_root):
    """tools/test.py with the adaptation config loads a plain checkpoint
    and reports the published heatmap PCK."""
    _, cfg_path, ckpt = adapted
    pth, _ = extract_teacher.extract(cfg_path, ckpt, str(tmp_path))
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}

    def test_metrics(checkpoint, name):
        out = tmp_path / f'{name}.json'
        subprocess.run([
            sys.executable,
            str(REPO_ROOT / 'tools' / 'test.py'), cfg_path, checkpoint,
            '--work-dir', str(tmp_path / name), '--out', str(out)
        ], check=True, env=env, cwd=str(REPO_ROOT), capture_output=True)
        return json.loads(out.read_text())

    # the plain teacher scores exactly what the adaptation checkpoint's
    # teacher scores
    plain = test_metrics(pth, 'plain')
    assert plain == test_metrics(ckpt, 'adapted')
    assert 'hm_pck/All' in plain


def test_bad_inputs_are_named(adapted, tmp_path):
    _, cfg_path, ckpt = adapted
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        extract_teacher.extract(cfg_path, str(tmp_path / 'nope.pth'),
                                str(tmp_path))
    pth, py = extract_teacher.extract(cfg_path, ckpt, str(tmp_path))
    # an already plain checkpoint has no teacher weights
    with pytest.raises(KeyError, match='teacher.module'):
        extract_teacher.extract(cfg_path, pth, str(tmp_path / 'again'))
    # a plain config is not an adaptation config
    with pytest.raises(ValueError, match='MeanTeacherPoseEstimator'):
        extract_teacher.extract(py, ckpt, str(tmp_path / 'again'))
