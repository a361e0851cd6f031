"""The cheaper paths of the benchmark give what the plain paths give (their
speed is measured by tools/profile_iteration.py, never here)."""
import glob
import re

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


def test_fast_bbox_transform_draws_what_mmpose_draws():
    """``FastRandomBBoxTransform`` evaluates SciPy's truncated-normal
    sampler itself: with the same seed it returns the values SciPy
    returns (exactly, over many draws, including the tails near the bounds)
    and the boxes MMPose's transform returns."""
    from mmpose.datasets.transforms import RandomBBoxTransform
    from scipy.stats import truncnorm

    from mmpose_mlda.datasets.transforms import FastRandomBBoxTransform
    from mmpose_mlda.datasets.transforms.fast_random_bbox_transform import \
        truncated_normal
    for low, high, seed in ((-1.0, 1.0, 0), (-2.5, 0.5, 1), (0.5, 2.0, 2)):
        np.random.seed(seed)
        expected = truncnorm.rvs(low, high, size=(50000, 4))
        np.random.seed(seed)
        got = truncated_normal(low, high, (50000, 4))
        np.testing.assert_array_equal(got, expected)  # float64, exactly
        assert got.min() < low + 1e-3 and got.max() > high - 1e-3

    options = dict(shift_factor=0.1, scale_factor=(0.6, 1.3),
                   rotate_factor=60, rotate_prob=0.5)
    boxes = []
    for transform in (RandomBBoxTransform(**options),
                      FastRandomBBoxTransform(**options)):
        np.random.seed(3)
        boxes.append([
            transform(dict(bbox_center=np.array([[60., 70.]]),
                           bbox_scale=np.array([[80., 120.]])))
            for _ in range(200)])
    for mmpose, fast in zip(*boxes):
        for key in ('bbox_center', 'bbox_scale', 'bbox_rotation'):
            np.testing.assert_array_equal(fast[key], mmpose[key])


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


def test_multi_branch_copies_share_the_dataset_handle():
    """MMPose's datasets put themselves into each sample's results
    (``results['dataset']``): the branch copy shares that handle (a copy
    would duplicate the dataset and any image cache in its pipeline) and
    still copies the per-sample fields."""
    from mmcv.transforms import BaseTransform
    from mmpose.registry import TRANSFORMS
    seen = []

    @TRANSFORMS.register_module(force=True)
    class _RecordDataset(BaseTransform):

        def transform(self, results):
            seen.append((results['dataset'], results['keypoints']))
            return dict(inputs=None, data_samples=None)  # as packed

    dataset = dict(annotations=[np.zeros(3)] * 4)  # stands for a dataset
    keypoints = np.ones((1, 2, 2), np.float32)
    cfg = dict(type='PoseMultiBranch', branch_field=['a', 'b'],
               a=[dict(type='_RecordDataset')],
               b=[dict(type='_RecordDataset')])
    from mmcv.transforms import Compose
    Compose([cfg])(dict(dataset=dataset, keypoints=keypoints))
    (first_dataset, first_kpts), (last_dataset, last_kpts) = seen
    assert first_dataset is dataset and last_dataset is dataset
    assert first_kpts is not keypoints  # the first branch got a copy
    np.testing.assert_array_equal(first_kpts, keypoints)
    assert last_kpts is keypoints  # the last takes the results themselves


def test_channels_last_computes_what_the_contiguous_layout_computes(
        toy_data_root, tmp_path):
    """Same weights, same batch, same random draws: the losses of one
    training step, and the teacher's predictions after the optimizer
    step and EMA update, agree to float rounding."""
    import torch
    _, plain_logs, plain_maps, _ = _one_step_and_teacher_maps(
        toy_data_root, tmp_path)
    fast, fast_logs, fast_maps, _ = _one_step_and_teacher_maps(
        toy_data_root, tmp_path, channels_last=True)
    conv = fast.student.backbone.conv1.weight
    assert conv.is_contiguous(memory_format=torch.channels_last)
    assert not conv.is_contiguous()
    for key in ('source.loss_kpt', 'target.loss_consistency'):
        assert fast_logs[key].item() == pytest.approx(
            plain_logs[key].item(), rel=1e-4), key
    # oneDNN may pick other kernels for the two layouts (depending on what
    # ran before in the process): 9 of 32768 values 1.7e-5 apart was seen
    torch.testing.assert_close(fast_maps, plain_maps, rtol=1e-3, atol=5e-5)


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
    # nothing is cached in tmp_path: the run says so before it trains
    assert 0 <= out.find('no cached source-only stage of 1000 iterations') \
        < out.index('one iteration (median'), out[:600]
    for part in ('data loading', 'train_step and EMA update', 'source',
                 'teacher', 'student_target', 'consistency',
                 'backward_and_update', 'optimizer step', 'ema',
                 'val_teacher', 'val_student', 'source pipeline',
                 'target_strong: PhotometricDistortion',
                 'target_weak: FastRandomBBoxTransform'):  # as benchmarked
        assert f'  {part}' in out, part
    # the floor counts each source and target sample of the batch: the
    # student sees source and strong view, the teacher the weak view
    floor = re.search(r"compute floor: [\d.]+ GFLOP an iteration \(forward "
                      r'passes of (\d+) student and (\d+) teacher samples at '
                      r'64x64', out)
    assert floor and int(floor[1]) == 2 * int(floor[2]) > 0, out[-2000:]
    for dtype in ('float32', 'bfloat16'):
        assert f"at this machine's {dtype} matrix-multiply rate" in out
    profile_iteration.main(common + ['--rounds=1', '--variant', 'fused',
                                     'optim_wrapper.optimizer.fused=True'])
    out = capsys.readouterr().out
    for path in ('plain', 'fused'):  # iteration, data loading, validations
        assert out.count(f'  {path} ') == 4, (path, out[-1500:])


def _one_step_and_teacher_maps(toy_data_root, tmp_path,
                               wrapper_type='OptimWrapper',
                               channels_last=False):
    """One training step of configs/demo/ours.py on a fixed batch (fixed
    weights and random draws) with the given optimizer wrapper and memory
    layout; returns the model, its logged losses, the teacher's heatmaps
    of the weak views after the step and EMA update (contiguous), and the
    dtype of the first convolution's output during the step."""
    import copy
    import random

    import torch
    from mmengine.dataset import pseudo_collate
    from mmpose.registry import DATASETS, MODELS, OPTIM_WRAPPERS

    from conftest import toy_mlda_cfg
    from mmpose_mlda.engine.hooks import MeanTeacherHook

    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), config='ours.py')
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    random.seed(0)
    np.random.seed(0)
    batch = pseudo_collate(
        [dataset[i] for i in (0, 1, dataset.source_size,
                              dataset.source_size + 1)])
    torch.manual_seed(0)
    model = MODELS.build(dict(cfg.model, channels_last=channels_last))
    model.train()
    dtypes = []
    model.student.backbone.conv1.register_forward_hook(
        lambda m, i, o: dtypes.append(o.dtype))
    optim = torch.optim.Adam(model.parameters(), lr=1e-3)
    wrapper = OPTIM_WRAPPERS.build(dict(type=wrapper_type, optimizer=optim))
    torch.manual_seed(1)
    np.random.seed(1)
    random.seed(1)
    log_vars = model.train_step(copy.deepcopy(batch), wrapper)
    MeanTeacherHook().after_train_iter(
        type('Runner', (), dict(model=model))(), 0)
    model.eval()
    with torch.no_grad():
        data = model.data_preprocessor(copy.deepcopy(batch), True)
        heatmaps = model.teacher.module.head(
            model.teacher.module.extract_feat(data['inputs']['target_weak']))
    return model, log_vars, heatmaps.contiguous(), dtypes[0]


@pytest.mark.filterwarnings('ignore:CpuBf16OptimWrapper')  # no native bf16
def test_cpu_bf16_step_computes_what_the_fp32_step_computes(toy_data_root,
                                                            tmp_path):
    """``CpuBf16OptimWrapper`` (``--amp`` on CPU) really runs the forward
    passes in bf16, and one training step's losses and the teacher's
    heatmaps after it stay within bf16 rounding of the fp32 step's."""
    import torch
    _, fp32_logs, fp32_maps, fp32_dtype = _one_step_and_teacher_maps(
        toy_data_root, tmp_path)
    _, bf16_logs, bf16_maps, bf16_dtype = _one_step_and_teacher_maps(
        toy_data_root, tmp_path, 'CpuBf16OptimWrapper')
    assert (fp32_dtype, bf16_dtype) == (torch.float32, torch.bfloat16)
    assert bf16_maps.dtype == torch.float32  # outside autocast
    assert bf16_logs['source.loss_kpt'].item() == pytest.approx(
        fp32_logs['source.loss_kpt'].item(), rel=2e-2)
    # the consistency loss passes through discrete choices (the teacher's
    # argmax, its confidence against the threshold): a rounding can move
    # a pseudo label by a pixel or a keypoint across the threshold (5%
    # measured on this batch)
    assert bf16_logs['target.loss_consistency'].item() == pytest.approx(
        fp32_logs['target.loss_consistency'].item(), rel=0.1)
    # heatmap values peak near 1: bf16 keeps 8 bits of mantissa
    torch.testing.assert_close(bf16_maps, fp32_maps, rtol=0, atol=2e-2)


def test_cpu_bf16_wrapper_refuses_a_model_off_the_cpu():
    import torch
    from mmpose.registry import OPTIM_WRAPPERS
    model = torch.nn.Linear(2, 2, device='meta')
    wrapper = OPTIM_WRAPPERS.build(dict(
        type='CpuBf16OptimWrapper',
        optimizer=torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), 0.1)))
    with pytest.raises(RuntimeError, match='AmpOptimWrapper'):
        with wrapper.optim_context(model):
            pass


def _val_dataset_cfg(toy_data_root, **changes):
    from conftest import toy_mlda_cfg
    cfg = toy_mlda_cfg(toy_data_root, '/tmp/unused')
    return dict(cfg.val_dataloader.dataset, **changes)


def test_cached_dataset_returns_the_wrapped_samples_as_copies(toy_data_root):
    import torch
    from mmpose.registry import DATASETS
    plain = DATASETS.build(_val_dataset_cfg(toy_data_root))
    cached = DATASETS.build(dict(type='CachedDataset',
                                 dataset=_val_dataset_cfg(toy_data_root)))
    assert len(cached) == len(plain) == 8
    for key in ('dataset_name', 'num_keypoints'):  # the wrapped set's
        assert cached.metainfo[key] == plain.metainfo[key]
    assert cached.get_data_info(3)['img_path'] == \
        plain.get_data_info(3)['img_path']
    for _ in range(2):  # the pipeline, then memory
        for index in range(len(plain)):
            expected, got = plain[index], cached[index]
            torch.testing.assert_close(got['inputs'], expected['inputs'],
                                       rtol=0, atol=0)
            for field in ('heatmaps', ):
                torch.testing.assert_close(
                    got['data_samples'].gt_fields.get(field),
                    expected['data_samples'].gt_fields.get(field),
                    rtol=0, atol=0)
            np.testing.assert_array_equal(
                got['data_samples'].gt_instances.keypoints,
                expected['data_samples'].gt_instances.keypoints)
            assert got['data_samples'].metainfo['img_path'] == \
                expected['data_samples'].metainfo['img_path']
    # a consumer writing into what it got never reaches the cache
    first = cached[0]
    first['inputs'].zero_()
    first['data_samples'].set_field('changed', 'written_by_a_hook')
    again = cached[0]
    torch.testing.assert_close(again['inputs'], plain[0]['inputs'],
                               rtol=0, atol=0)
    assert 'written_by_a_hook' not in again['data_samples']


def test_cached_dataset_refuses_training_sets_and_random_pipelines(
        toy_data_root):
    from mmpose.registry import DATASETS
    with pytest.raises(ValueError, match='not in test_mode'):
        DATASETS.build(dict(type='CachedDataset', dataset=_val_dataset_cfg(
            toy_data_root, test_mode=False)))
    random_pipeline = [dict(type='LoadImage'),
                       dict(type='GetBBoxCenterScale'),
                       dict(type='RandomFlip'),
                       dict(type='TopdownAffine', input_size=(64, 64)),
                       dict(type='PhotometricDistortion'),
                       dict(type='PackPoseInputs')]
    with pytest.raises(ValueError, match=r"\['RandomFlip', "
                       r"'PhotometricDistortion'\]"):
        DATASETS.build(dict(type='CachedDataset', dataset=_val_dataset_cfg(
            toy_data_root, pipeline=random_pipeline)))


def test_benchmark_data_paths_train_and_score_as_the_files(
        toy_data_root, tmp_path):
    """``benchmarking.train`` keeps the splits in memory
    (``keep_data_in_memory``) and draws the box transforms without SciPy's
    dispatch (``draw_bbox_transforms_fast``): a short adaptation run reads
    the same pixels, draws the same views (the same trained weights) and
    packs the same test samples, so its validations score exactly what the
    plain run scores."""
    import sys

    import torch
    from conftest import REPO_ROOT, toy_mlda_cfg
    from mmengine.runner import Runner
    sys.path.insert(0, str(REPO_ROOT / 'tools'))
    import benchmarking

    scores, weights = [], []
    for fast in (False, True):
        cfg = toy_mlda_cfg(toy_data_root, str(tmp_path / str(fast)),
                           max_iters=2)
        cfg.randomness = dict(seed=0)
        cfg.experiment_name = f'benchmark_data_paths_{fast}'
        if fast:
            benchmarking.keep_data_in_memory(cfg)
            benchmarking.draw_bbox_transforms_fast(cfg)
            assert cfg.val_dataloader.dataset.type == 'CachedDataset'
            train = cfg.train_dataloader.dataset
            assert train.source.pipeline[0].type == 'CachedLoadImage'
            assert train.source.pipeline[3].type == 'FastRandomBBoxTransform'
            branches = train.target.pipeline[2]  # PoseMultiBranch
            assert branches.target_weak[0].type == \
                branches.target_strong[1].type == 'FastRandomBBoxTransform'
        runner = Runner.from_cfg(cfg)
        runner.train()
        weights.append(runner.model.student.state_dict())
        scores.append((runner.val_loop.run(), runner.val_loop.run()))
    for name, plain in weights[0].items():
        assert torch.equal(weights[1][name], plain), name
    (plain_first, plain_again), (memory_first, memory_again) = scores
    assert plain_first == plain_again
    assert memory_first == plain_first
    assert memory_again == plain_first  # the second one from memory


def test_bf16_validation_runs_on_cpu_and_scores_near_fp32(toy_data_root,
                                                          tmp_path):
    """``val_cfg.fp16`` on CPU (``use_amp(cfg, validation=True)``): both
    networks predict under bf16 autocast and MMPose's numpy decoding gets
    fp32 heatmaps (it cannot hold bf16); the predicted heatmaps stay within
    bf16 rounding of the fp32 ones."""
    import torch
    from mmengine.runner import Runner

    from conftest import toy_mlda_cfg
    from mmpose_mlda.models.utils import fp32_head_outputs
    cfg = toy_mlda_cfg(toy_data_root, str(tmp_path), max_iters=1)
    cfg.val_cfg.fp16 = True
    runner = Runner.from_cfg(cfg)
    runner.train()  # validates once, under bf16
    metrics = runner.val_loop.run()
    assert {'teacher/hm_pck/All', 'student/hm_pck/All'} <= set(metrics)

    model = runner.model
    data = model.data_preprocessor(
        next(iter(runner.val_dataloader)), False)
    teacher = model.predictor('teacher')
    maps = {}
    for fp16 in (False, True):
        samples = [s.clone() for s in data['data_samples']]
        with torch.no_grad(), torch.autocast('cpu', enabled=fp16), \
                fp32_head_outputs(teacher, fp16):
            out = teacher.predict(data['inputs'], samples)
        maps[fp16] = torch.stack([s.pred_fields.heatmaps for s in out])
    assert 'forward' not in vars(teacher.head)  # restored
    torch.testing.assert_close(maps[True], maps[False], rtol=0, atol=2e-2)


_ALLOCATION_CYCLES = '''
import resource, sys, torch
from mmpose_mlda.utils import keep_freed_cpu_memory
if sys.argv[1] == 'keep':
    assert keep_freed_cpu_memory()
def cycle():  # a 64 MB block, written, freed
    block = torch.empty(16 << 20)
    block.fill_(1.0)
    del block
for _ in range(3):  # until the heap holds a freed block that fits
    cycle()
start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    cycle()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start)
'''


def test_freed_cpu_memory_serves_the_next_allocation():
    """keep_freed_cpu_memory: a freed 64 MB block is reused without page
    faults; by default glibc unmaps it and every reuse faults each of its
    16384 pages again (each setting in its own process: the setting is
    process-wide)."""
    import ctypes.util
    import subprocess
    import sys
    if 'libc.so' not in (ctypes.util.find_library('c') or ''):
        pytest.skip('glibc only')
    faults = {
        mode: int(subprocess.run(
            [sys.executable, '-c', _ALLOCATION_CYCLES, mode],
            check=True, capture_output=True, text=True).stdout.split()[-1])
        for mode in ('default', 'keep')
    }
    if faults['default'] < 5 * 16384 // 2:
        # transparent huge pages ('always') or a preloaded allocator: the
        # default path does not fault page by page here
        pytest.skip(f'no per-page faults to remove here: {faults}')
    assert faults['keep'] < faults['default'] // 50, faults
