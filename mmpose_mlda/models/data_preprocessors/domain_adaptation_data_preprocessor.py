"""Batch each branch (source, target weak, target strong) separately."""
from typing import Dict, List, Optional

import torch
from mmpose.models.data_preprocessors import PoseDataPreprocessor
from mmpose.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class DomainAdaptationDataPreprocessor(PoseDataPreprocessor):
    """``PoseDataPreprocessor`` for batches built by ``PoseMultiBranch``.

    A training batch arrives as ``{'inputs': {branch: [Tensor | None, ...]},
    'data_samples': {branch: [PoseDataSample | None, ...]}}`` (one entry per
    sample; ``None`` where a sample has no such branch: a source sample has
    no target views and vice versa). Each branch is normalised and stacked
    on its own by the parent class. Validation / test batches are ordinary
    MMPose batches and go straight to the parent.

    Image-level alignment: with ``style_transfer`` (e.g.
    ``AdaINStyleTransfer`` or ``FourierStyleTransfer``), the source images
    are re-rendered in the style of this batch's target (weak-view) images,
    batched, before normalisation, on RGB in [0, 1], without gradients.

    Args:
        style_transfer (dict, optional): the style-transfer module config.
        **kwargs: ``PoseDataPreprocessor`` arguments.

    Returns (training):
        dict: ``{'inputs': {branch: Tensor (N_branch, 3, H, W)},
        'data_samples': {branch: list[PoseDataSample]}}``; a branch that no
        sample in the batch has is left out.
    """

    def __init__(self,
                 style_transfer: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.style_transfer = MODELS.build(
            style_transfer) if style_transfer else None

    def forward(self, data: Dict, training: bool = False) -> Dict:
        if not isinstance(data['inputs'], dict):
            return super().forward(data, training)
        present = {
            branch: [i for i, x in enumerate(branch_inputs) if x is not None]
            for branch, branch_inputs in data['inputs'].items()
        }
        images = {
            branch: [data['inputs'][branch][i] for i in indices]
            for branch, indices in present.items() if indices
        }
        if self.style_transfer is not None and training and \
                'source' in images and 'target_weak' in images:
            images['source'] = self._stylise(images['source'],
                                             images['target_weak'])
        inputs, data_samples = {}, {}
        for branch, branch_images in images.items():
            branch_samples = data['data_samples'][branch]
            packed = super().forward(
                dict(
                    inputs=branch_images,
                    data_samples=[branch_samples[i]
                                  for i in present[branch]]),
                training)
            inputs[branch] = packed['inputs']
            data_samples[branch] = packed['data_samples']
        return dict(inputs=inputs, data_samples=data_samples)

    @torch.no_grad()
    def _stylise(self, content: List[Tensor],
                 style: List[Tensor]) -> List[Tensor]:
        """Source images (uint8, the pipeline's channel order) in the style
        of the target images; returned as float 0-255 in the same order."""
        def to_rgb01(images):
            batch = torch.stack(images).to(self.device).float() / 255
            return batch.flip(1) if self._channel_conversion else batch

        out = self.style_transfer(to_rgb01(content), to_rgb01(style))
        out = out.flip(1) if self._channel_conversion else out
        return list(out * 255)
