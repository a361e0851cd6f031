"""A test-mode dataset whose pipeline outputs are kept in memory."""
import copy
from typing import Iterator, Union

from mmengine.dataset import BaseDataset
from mmpose.registry import DATASETS

#: transforms that draw random numbers (besides every ``Random*`` one): a
#: pipeline holding any of them gives another output at each read
RANDOM_TRANSFORMS = ('PhotometricDistortion', 'Albumentation',
                     'TorchvisionColorJitter', 'SyntheticAnimalAugmentation',
                     'PoseMultiBranch', 'YOLOXHSVRandomAug')


def random_transforms(pipeline) -> list:
    """Type names in ``pipeline`` (a ``Compose`` or a list of transforms or
    transform configs) that draw random numbers."""
    transforms = getattr(pipeline, 'transforms', pipeline) or []
    names = [t['type'] if isinstance(t, dict) else type(t).__name__
             for t in transforms]
    return [n for n in names
            if n.startswith('Random') or n in RANDOM_TRANSFORMS]


@DATASETS.register_module()
class CachedDataset:
    """Wrap a test-mode dataset so that each sample runs the pipeline once.

    A validation pipeline is deterministic (load, crop to the box, encode
    the target, pack), yet the validation loop runs it over the whole test
    split at every validation: on the built-in benchmark that is a quarter
    of a validation. This wrapper keeps each packed sample
    (``dict(inputs=..., data_samples=...)``) after its first read and hands
    out a deep copy afterwards, so later in-place changes never reach the
    cache. The outputs are those of the wrapped dataset.

    Memory: one packed sample per index (the benchmark's 64x64 crops with
    16 heatmaps of 32x32: about 80 kB, 80 MB for its 1000 test figures),
    per process (each data-loader worker holds its own).

    Every other attribute (``metainfo``, ``get_data_info``, ``data_list``,
    ...) is the wrapped dataset's.

    Args:
        dataset (dict | BaseDataset): the dataset or its config; it must be
            in ``test_mode`` and its pipeline must not draw random numbers
            (checked when built: a transform named ``Random*`` or in
            ``RANDOM_TRANSFORMS`` is refused).
    """

    def __init__(self, dataset: Union[dict, BaseDataset]) -> None:
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        if not getattr(dataset, 'test_mode', False):
            raise ValueError(
                f'CachedDataset: the wrapped {type(dataset).__name__} is not '
                'in test_mode; cache only validation/test sets (set '
                'test_mode=True), never a training set, whose augmentations '
                'must differ at every read.')
        drawn = random_transforms(getattr(dataset, 'pipeline', None))
        if drawn:
            raise ValueError(
                f'CachedDataset: the pipeline of {type(dataset).__name__} has '
                f'random transforms {drawn}; a cached sample would repeat '
                'one draw. Remove them from this pipeline or do not wrap it.')
        self.dataset = dataset
        self._samples = {}

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, idx: int) -> dict:
        sample = self._samples.get(idx)
        if sample is None:
            sample = self.dataset[idx]
            self._samples[idx] = sample
        return copy.deepcopy(sample)

    def __iter__(self) -> Iterator[dict]:
        return (self[i] for i in range(len(self)))

    def __getattr__(self, name: str):
        if name == 'dataset':  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.dataset, name)
