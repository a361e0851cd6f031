"""DomainAdaptationDataPreprocessor: per-branch batching."""
import pytest
import torch
from mmpose.structures import PoseDataSample

from conftest import SHARED_DATA
from mmpose_mlda.models import DomainAdaptationDataPreprocessor


def _image(value):
    return torch.full((3, 8, 8), value, dtype=torch.uint8)


def test_branches_are_batched_separately_and_normalised():
    preprocessor = DomainAdaptationDataPreprocessor(
        mean=[10., 10., 10.], std=[2., 2., 2.])
    batch = dict(
        inputs=dict(
            source=[_image(20), None, None],
            target_weak=[None, _image(30), _image(40)],
            target_strong=[None, _image(50), _image(60)]),
        data_samples=dict(
            source=[PoseDataSample(), None, None],
            target_weak=[None, PoseDataSample(), PoseDataSample()],
            target_strong=[None, PoseDataSample(), PoseDataSample()]))
    out = preprocessor(batch, training=True)
    assert out['inputs']['source'].shape == (1, 3, 8, 8)
    assert out['inputs']['target_weak'].shape == (2, 3, 8, 8)
    assert len(out['data_samples']['target_strong']) == 2
    torch.testing.assert_close(out['inputs']['source'],
                               torch.full((1, 3, 8, 8), 5.0))
    torch.testing.assert_close(out['inputs']['target_strong'][1],
                               torch.full((3, 8, 8), 25.0))


def test_branch_missing_from_a_batch_is_left_out():
    preprocessor = DomainAdaptationDataPreprocessor()
    batch = dict(
        inputs=dict(source=[_image(1)], target_weak=[None]),
        data_samples=dict(source=[PoseDataSample()], target_weak=[None]))
    out = preprocessor(batch, training=True)
    assert set(out['inputs']) == {'source'}


def test_plain_batches_pass_through():
    preprocessor = DomainAdaptationDataPreprocessor(
        mean=[0., 0., 0.], std=[1., 1., 1.])
    out = preprocessor(
        dict(inputs=[_image(7), _image(9)],
             data_samples=[PoseDataSample(), PoseDataSample()]))
    assert out['inputs'].shape == (2, 3, 8, 8)
    assert float(out['inputs'][1].mean()) == 9.0


def _rgb_image(rgb):
    """A (3, 8, 8) uint8 image in BGR channel order from an RGB triple."""
    return torch.tensor(rgb[::-1], dtype=torch.uint8).view(3, 1, 1).expand(
        3, 8, 8).clone()


def test_per_domain_normalisation_of_target_branches_and_validation():
    """The authors' AnimalPose setting: the source minus its mean, the target
    (training views and the validation images) minus its own; std 255."""
    preprocessor = DomainAdaptationDataPreprocessor(
        mean=[100., 90., 80.], std=[255.] * 3, bgr_to_rgb=True,
        target_mean=[120., 110., 60.])
    source, target = (200, 100, 50), (30, 60, 90)
    batch = dict(
        inputs=dict(source=[_rgb_image(source), None],
                    target_weak=[None, _rgb_image(target)],
                    target_strong=[None, _rgb_image(target)]),
        data_samples=dict(source=[PoseDataSample(), None],
                          target_weak=[None, PoseDataSample()],
                          target_strong=[None, PoseDataSample()]))
    out = preprocessor(batch, training=True)['inputs']

    def expected(rgb, mean):
        values = [(v - m) / 255 for v, m in zip(rgb, mean)]
        return torch.tensor(values).view(3, 1, 1).expand(3, 8, 8)

    torch.testing.assert_close(out['source'][0],
                               expected(source, (100, 90, 80)))
    for branch in ('target_weak', 'target_strong'):
        torch.testing.assert_close(out[branch][0],
                                   expected(target, (120, 110, 60)))
    val = preprocessor(dict(inputs=[_rgb_image(target)],
                            data_samples=[PoseDataSample()]))['inputs']
    torch.testing.assert_close(val[0], expected(target, (120, 110, 60)))


def test_target_mean_from_the_mean_std_tool_file(tmp_path):
    stats = tmp_path / 'animalpose_mean.json'
    stats.write_text('{"mean": [120.0, 110.0, 60.0], "std": [50, 50, 50]}')
    preprocessor = DomainAdaptationDataPreprocessor(
        mean=[100., 90., 80.], std=[255.] * 3, target_mean=str(stats))
    assert preprocessor.target_mean.flatten().tolist() == [120., 110., 60.]
    assert preprocessor.target_std.flatten().tolist() == [255.] * 3


def test_target_mean_from_the_peers_cached_mean_file():
    """UDAPE's cached_data/real_animal_pose/<category>/mean.pth.tar (a real
    file from their release: RGB in [0, 1])."""
    path = (SHARED_DATA / 'animalpose' /
            'VisionLearningGroup+UDA_PoseEstimation' / 'cached_data' /
            'real_animal_pose' / 'horse' / 'mean.pth.tar')
    if not path.exists():
        pytest.skip(f'{path} absent')
    preprocessor = DomainAdaptationDataPreprocessor(
        mean=[0.] * 3, std=[255.] * 3, target_mean=str(path))
    expected = 255 * torch.load(str(path), weights_only=True)['mean']
    torch.testing.assert_close(preprocessor.target_mean.flatten(), expected)


def test_per_domain_normalisation_bad_input_is_named(tmp_path):
    missing = tmp_path / 'absent.json'
    with pytest.raises(FileNotFoundError,
                       match=r'target_mean file .*absent\.json does not '
                       r'exist; write it with `python '
                       r'tools/dataset_mean_std\.py'):
        DomainAdaptationDataPreprocessor(
            mean=[1.] * 3, std=[1.] * 3, target_mean=str(missing))
    broken = tmp_path / 'broken.json'
    broken.write_text('[1, 2, 3]')
    with pytest.raises(ValueError, match=r'broken\.json is not a JSON '
                       r'object with a "mean" list'):
        DomainAdaptationDataPreprocessor(
            mean=[1.] * 3, std=[1.] * 3, target_mean=str(broken))
    with pytest.raises(ValueError, match=r'target_mean must have 1 or 3 '
                       r'values \(one per channel\), got 2'):
        DomainAdaptationDataPreprocessor(
            mean=[1.] * 3, std=[1.] * 3, target_mean=[1., 2.])
    with pytest.raises(ValueError, match='need mean and std for the source'):
        DomainAdaptationDataPreprocessor(target_std=[2.] * 3)


def test_the_style_network_sees_each_domain_normalised_as_its_own():
    """style_space='normalized' with per-domain statistics: the source
    content minus the source mean, the target style minus the target's, and
    the result clamped to the source's range."""
    from mmpose.registry import MODELS
    seen = {}

    @MODELS.register_module(name='RecordingStyleTransfer', force=True)
    class RecordingStyleTransfer(torch.nn.Module):

        def forward(self, content, style, value_range, **overrides):
            seen.update(content=content, style=style, low=value_range[0])
            return content

    preprocessor = DomainAdaptationDataPreprocessor(
        mean=[100., 90., 80.], std=[255.] * 3, bgr_to_rgb=True,
        target_mean=[120., 110., 60.],
        style_transfer=dict(type='RecordingStyleTransfer'),
        style_space='normalized')
    source, target = (200, 100, 50), (30, 60, 90)
    preprocessor(dict(
        inputs=dict(source=[_rgb_image(source), None],
                    target_weak=[None, _rgb_image(target)]),
        data_samples=dict(source=[PoseDataSample(), None],
                          target_weak=[None, PoseDataSample()])),
        training=True)
    torch.testing.assert_close(
        seen['content'][0, :, 0, 0],
        torch.tensor([(v - m) / 255 for v, m in zip(source, (100, 90, 80))]))
    torch.testing.assert_close(
        seen['style'][0, :, 0, 0],
        torch.tensor([(v - m) / 255 for v, m in zip(target, (120, 110, 60))]))
    torch.testing.assert_close(seen['low'].flatten(),
                               torch.tensor([-100., -90., -80.]) / 255)


def _same(a, b) -> bool:
    """Equal values, recursively (dicts of tensors, arrays, lists...)."""
    import numpy as np
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and torch.equal(a, b)
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b)
    return a == b


def test_cpu_batches_are_not_copied_but_give_the_same_values(toy_data_root):
    """On the CPU the data samples skip MMEngine's ``.to()`` copy: a
    training and a validation batch of the benchmark's pipelines come out
    as with MMEngine's cast, value for value."""
    import copy
    import random
    import types

    import numpy as np
    from mmengine.dataset import pseudo_collate
    from mmengine.model import BaseDataPreprocessor
    from mmpose.registry import DATASETS, MODELS

    from conftest import toy_mlda_cfg
    cfg = toy_mlda_cfg(toy_data_root, '/tmp/unused', config='ours.py')
    model = MODELS.build(cfg.model)
    ours = model.data_preprocessor
    ours.style_transfer = None  # random; not what is compared here
    reference = copy.deepcopy(ours)
    reference.cast_data = types.MethodType(BaseDataPreprocessor.cast_data,
                                           reference)
    train = DATASETS.build(cfg.train_dataloader.dataset)
    val = DATASETS.build(cfg.val_dataloader.dataset)
    random.seed(0)
    np.random.seed(0)
    batches = [
        (pseudo_collate([train[i] for i in (0, 1, train.source_size,
                                             train.source_size + 1)]), True),
        (pseudo_collate([val[i] for i in range(3)]), False)]
    for batch, training in batches:
        expected = reference(copy.deepcopy(batch), training)
        got = ours(batch, training)
        assert _same(got['inputs'], expected['inputs'])
        got_samples, expected_samples = (
            [s.to_dict() for s in (v if isinstance(v, list) else sum(
                v.values(), []))]
            for v in (got['data_samples'], expected['data_samples']))
        assert got_samples and _same(got_samples, expected_samples)
    kept = batch['data_samples'][0]
    assert got['data_samples'][0] is kept  # the batch's own sample
