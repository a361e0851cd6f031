"""Batch each branch (source, target weak, target strong) separately."""
from typing import Dict

from mmpose.models.data_preprocessors import PoseDataPreprocessor
from mmpose.registry import MODELS


@MODELS.register_module()
class DomainAdaptationDataPreprocessor(PoseDataPreprocessor):
    """``PoseDataPreprocessor`` for batches built by ``PoseMultiBranch``.

    A training batch arrives as ``{'inputs': {branch: [Tensor | None, ...]},
    'data_samples': {branch: [PoseDataSample | None, ...]}}`` (one entry per
    sample; ``None`` where a sample has no such branch: a source sample has
    no target views and vice versa). Each branch is normalised and stacked
    on its own by the parent class. Validation / test batches are ordinary
    MMPose batches and go straight to the parent.

    Returns (training):
        dict: ``{'inputs': {branch: Tensor (N_branch, 3, H, W)},
        'data_samples': {branch: list[PoseDataSample]}}``; a branch that no
        sample in the batch has is left out.
    """

    def forward(self, data: Dict, training: bool = False) -> Dict:
        if not isinstance(data['inputs'], dict):
            return super().forward(data, training)
        inputs, data_samples = {}, {}
        for branch, branch_inputs in data['inputs'].items():
            branch_samples = data['data_samples'][branch]
            present = [i for i, x in enumerate(branch_inputs) if x is not None]
            if not present:
                continue
            packed = super().forward(
                dict(
                    inputs=[branch_inputs[i] for i in present],
                    data_samples=[branch_samples[i] for i in present]),
                training)
            inputs[branch] = packed['inputs']
            data_samples[branch] = packed['data_samples']
        return dict(inputs=inputs, data_samples=data_samples)
