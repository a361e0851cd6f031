"""DomainAdaptationDataPreprocessor: per-branch batching."""
import torch
from mmpose.structures import PoseDataSample

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
