"""The cheaper paths of the benchmark give what the plain paths give (their
speed is measured by tools/profile_iteration.py, never here)."""
import glob

import numpy as np
import pytest
from mmpose.datasets.transforms import LoadImage

from mmpose_mlda.datasets.transforms import CachedLoadImage


@pytest.fixture()
def toy_images(toy_data_root):
    return sorted(glob.glob(toy_data_root + 'target_test/images/*'))[:4]


@pytest.mark.parametrize('options', [dict(), dict(to_float32=True)])
def test_cached_load_image_returns_what_load_image_reads(toy_images,
                                                         options):
    plain, cached = LoadImage(**options), CachedLoadImage(**options)
    for _ in range(2):  # decoded, then from memory
        for path in toy_images:
            expected = plain(dict(img_path=path))
            got = cached(dict(img_path=path))
            assert got['img'].dtype == expected['img'].dtype
            np.testing.assert_array_equal(got['img'], expected['img'])
            assert got['img_shape'] == expected['img_shape']
            assert got['ori_shape'] == expected['ori_shape']
    assert cached.cached_bytes == sum(
        plain(dict(img_path=p))['img'].nbytes for p in toy_images)


def test_cached_images_are_copies_and_the_budget_holds(toy_images):
    cached = CachedLoadImage()
    first = cached(dict(img_path=toy_images[0]))['img']
    first[:] = 0  # a later transform writing in place
    again = cached(dict(img_path=toy_images[0]))['img']
    np.testing.assert_array_equal(
        again, LoadImage()(dict(img_path=toy_images[0]))['img'])
    assert again.any()

    budget = CachedLoadImage(max_megabytes=first.nbytes * 1.5 / 2**20)
    for path in toy_images:
        budget(dict(img_path=path))
    assert budget.cached_bytes == first.nbytes  # only one fits
    with pytest.raises(ValueError, match='max_megabytes'):
        CachedLoadImage(max_megabytes=-1)


def _branch_images(transform_cfg, results):
    from mmcv.transforms import Compose
    return Compose([transform_cfg])(results)['inputs']


def test_multi_branch_branches_stay_independent_without_the_last_copy():
    """The first branch writes into its image in place; the last branch
    (which takes the incoming results themselves) still sees the original
    pixels, and the caller's image is only ever read by that last one."""
    from mmcv.transforms import BaseTransform
    from mmpose.registry import TRANSFORMS

    @TRANSFORMS.register_module(force=True)
    class _BlankInPlace(BaseTransform):

        def transform(self, results):
            results['img'][:] = 0
            return results

    image = np.random.default_rng(0).integers(1, 255, (8, 8, 3), np.uint8)
    pack = dict(type='PackPoseInputs', meta_keys=())
    cfg = dict(type='PoseMultiBranch', branch_field=['a', 'b'],
               a=[dict(type='_BlankInPlace'), pack], b=[pack])
    inputs = _branch_images(cfg, dict(img=image.copy()))
    assert not inputs['a'].any()
    np.testing.assert_array_equal(inputs['b'].permute(1, 2, 0).numpy(),
                                  image)


def test_channels_last_computes_what_the_contiguous_layout_computes(
        toy_data_root, tmp_path):
    """Same weights, same batch, same random draws: the losses of one
    training step, and the teacher's predictions after the optimizer
    step and EMA update, agree to float rounding."""
    import copy

    import torch
    from mmengine.dataset import pseudo_collate
    from mmengine.optim import OptimWrapper
    from mmpose.registry import DATASETS, MODELS

    from conftest import toy_mlda_cfg
    from mmpose_mlda.engine.hooks import MeanTeacherHook

    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), config='ours.py')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    batch = pseudo_collate(
        [dataset[i] for i in (0, 1, dataset.source_size,
                              dataset.source_size + 1)])
    models = []
    for channels_last in (False, True):
        torch.manual_seed(0)
        models.append(MODELS.build(dict(cfg.model,
                                        channels_last=channels_last)))
    plain, fast = models
    fast.load_state_dict(plain.state_dict())
    conv = fast.student.backbone.conv1.weight
    assert conv.is_contiguous(memory_format=torch.channels_last)
    assert not conv.is_contiguous()

    outputs = []
    for model in models:
        model.train()
        optim = torch.optim.Adam(model.parameters(), lr=1e-3)
        torch.manual_seed(1)
        np.random.seed(1)
        log_vars = model.train_step(copy.deepcopy(batch),
                                    OptimWrapper(optim))
        MeanTeacherHook().after_train_iter(
            type('Runner', (), dict(model=model))(), 0)
        model.eval()
        with torch.no_grad():
            data = model.data_preprocessor(copy.deepcopy(batch), True)
            weak = data['inputs']['target_weak']
            heatmaps = model.teacher.module.head(
                model.teacher.module.extract_feat(weak))
        outputs.append((log_vars, heatmaps))
    (plain_logs, plain_maps), (fast_logs, fast_maps) = outputs
    for key in ('source.loss_kpt', 'target.loss_consistency'):
        assert fast_logs[key].item() == pytest.approx(
            plain_logs[key].item(), rel=1e-4), key
    torch.testing.assert_close(fast_maps.contiguous(), plain_maps,
                               rtol=1e-4, atol=1e-5)


def test_profile_iteration_reports_its_parts_and_compares(tmp_path, capsys):
    """tools/profile_iteration.py on a tiny setting: the profile lists the
    timer's parts, the named steps of the real step and the validation's,
    and a comparison reports each path (its figures are not asserted)."""
    import sys

    from conftest import REPO_ROOT
    sys.path.insert(0, str(REPO_ROOT / 'tools'))
    import profile_iteration
    common = [f'--data-root={tmp_path}/data/', f'--cache-dir={tmp_path}/c/',
              '--num-images=8', '--num-test=8', '--warmup=1', '--iters=2']
    profile_iteration.main(common + ['--profiled-iters=1',
                                     '--pipeline-samples=2'])
    out = capsys.readouterr().out
    for part in ('data loading', 'train_step and EMA update', 'source',
                 'teacher', 'student_target', 'consistency',
                 'backward_and_update', 'optimizer step', 'ema',
                 'val_teacher', 'val_student', 'source pipeline',
                 'target_strong: PhotometricDistortion'):
        assert f'  {part}' in out, part
    profile_iteration.main(common + ['--rounds=1', '--variant', 'fused',
                                     'optim_wrapper.optimizer.fused=True'])
    out = capsys.readouterr().out
    for path in ('plain', 'fused'):
        assert out.count(f'  {path} ') == 3, (path, out[-1500:])
