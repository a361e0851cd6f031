"""Run several pipelines on one sample and keep each result as a branch."""
import copy
from typing import Dict, List, Optional, Sequence

from mmcv.transforms import BaseTransform, Compose
from mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PoseMultiBranch(BaseTransform):
    """Turn one sample into several packed views ("branches").

    The pose counterpart of MMDetection's ``MultiBranch``: each branch
    pipeline runs on its own deep copy of the incoming results (the last
    one on the results themselves) and must end with ``PackPoseInputs``.
    Every sample gets the same set of branch keys (``branch_field``);
    branches a sample does not produce are ``None``, so
    source and target samples can share one batch and be collated by
    ``pseudo_collate``. ``DomainAdaptationDataPreprocessor`` later drops the
    ``None`` entries and batches each branch.

    Typical use (see ``configs/_base_/mlda_runtime.py``): the source pipeline
    ends with ``PoseMultiBranch(branch_field=BRANCHES, source=[...])`` and the
    target pipeline with ``PoseMultiBranch(branch_field=BRANCHES,
    target_weak=[...], target_strong=[...])``.

    Args:
        branch_field (Sequence[str]): all branch names, in a fixed order.
        **branch_pipelines (list[dict]): one pipeline per branch this
            sample produces; keys must be in ``branch_field``.

    Returns (from ``transform``):
        dict: ``{'inputs': {branch: Tensor (3, H, W) | None},
        'data_samples': {branch: PoseDataSample | None}}``.
    """

    def __init__(self, branch_field: Sequence[str],
                 **branch_pipelines: List[dict]) -> None:
        unknown = set(branch_pipelines) - set(branch_field)
        if unknown:
            raise ValueError(
                f'PoseMultiBranch: pipelines {sorted(unknown)} are not in '
                f'branch_field={list(branch_field)}; add them there.')
        if not branch_pipelines:
            raise ValueError('PoseMultiBranch needs at least one pipeline.')
        self.branch_field = list(branch_field)
        self.branch_pipelines = {
            name: Compose(pipeline)
            for name, pipeline in branch_pipelines.items()
        }

    def transform(self, results: Dict) -> Optional[Dict]:
        packed = dict(
            inputs={name: None for name in self.branch_field},
            data_samples={name: None for name in self.branch_field})
        last = len(self.branch_pipelines) - 1
        for index, (name, pipeline) in enumerate(
                self.branch_pipelines.items()):
            # the last branch takes the incoming results themselves: nobody
            # reads them afterwards (a deep copy costs ~0.35 ms a sample)
            branch = pipeline(
                results if index == last else _copy_sample(results))
            if branch is None:  # a transform rejected the sample
                return None
            packed['inputs'][name] = branch['inputs']
            packed['data_samples'][name] = branch['data_samples']
        return packed

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(branch_field={self.branch_field}, '
                f'branches={list(self.branch_pipelines)})')


def _copy_sample(results: Dict) -> Dict:
    """A deep copy of one sample's results that shares ``results['dataset']``
    (MMPose's datasets put themselves there for mixing transforms): a
    dataset is not per-sample data, and copying it copies its whole
    annotation list and pipeline, any in-memory image cache included
    (``CachedLoadImage``: 100 MB on the benchmark, 11 ms a sample)."""
    dataset = results.get('dataset')
    memo = {} if dataset is None else {id(dataset): dataset}
    return copy.deepcopy(results, memo)
