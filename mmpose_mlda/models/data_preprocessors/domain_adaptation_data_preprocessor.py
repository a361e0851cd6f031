"""Batch each branch (source, target weak, target strong) separately."""
from typing import Dict, List, Optional

import torch
from mmpose.models.data_preprocessors import PoseDataPreprocessor
from mmpose.registry import MODELS
from torch import Tensor

from ..utils import named_step


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
    batched, without gradients.

    Args:
        style_transfer (dict, optional): the style-transfer module config.
        style_space (str): what the style network sees: ``'rgb01'`` (RGB
            in [0, 1], what pytorch-AdaIN's decoder was trained on) or
            ``'normalized'`` (the MLDA authors': images normalised with this
            preprocessor's mean/std, the result clamped to the normalised
            range of [0, 1] pixels; UDAPE's and DAML's released decoders
            were trained this way).
        target_to_source (dict, optional): the authors' second direction
            (``--t2s-freq``, ``--t2s-alpha``; used by their AnimalPose
            script): every teacher view is re-rendered in the style of the
            (un-stylised) source images with the same network, e.g.
            ``dict(prob=0.5, alpha=(0., 1.))``. ``None`` (default) skips it.
        **kwargs: ``PoseDataPreprocessor`` arguments.

    Returns (training):
        dict: ``{'inputs': {branch: Tensor (N_branch, 3, H, W)},
        'data_samples': {branch: list[PoseDataSample]}}``; a branch that no
        sample in the batch has is left out.
    """

    SPACES = ('rgb01', 'normalized')

    def __init__(self,
                 style_transfer: Optional[dict] = None,
                 style_space: str = 'rgb01',
                 target_to_source: Optional[dict] = None,
                 **kwargs) -> None:
        for key in ('mean', 'std'):
            value = kwargs.get(key)
            if value is not None and len(value) not in (1, 3):
                raise ValueError(
                    f'DomainAdaptationDataPreprocessor: {key} must have 1 or '
                    f'3 values (one per channel), got {len(value)}: '
                    f'{list(value)} (model.data_preprocessor.{key}, or the '
                    f'pose model\'s data_preprocessor.{key}; '
                    'tools/dataset_mean_std.py computes them).')
        super().__init__(**kwargs)
        self.style_transfer = MODELS.build(
            style_transfer) if style_transfer else None
        if style_space not in self.SPACES:
            raise ValueError('DomainAdaptationDataPreprocessor: style_space '
                             f'must be one of {self.SPACES}, got '
                             f'{style_space!r}.')
        if target_to_source is not None and self.style_transfer is None:
            raise ValueError('DomainAdaptationDataPreprocessor: '
                             'target_to_source needs style_transfer.')
        if style_space == 'normalized' and not self._enable_normalize:
            raise ValueError("DomainAdaptationDataPreprocessor: style_space="
                             "'normalized' needs mean and std.")
        self.style_space = style_space
        self.target_to_source = target_to_source

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
            source = images['source']
            images['source'] = self._stylise(source, images['target_weak'])
            if self.target_to_source is not None:
                for branch in [b for b in images
                               if b.startswith('target_weak')]:
                    images[branch] = self._stylise(
                        images[branch], source, **self.target_to_source)
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
    def _stylise(self, content: List[Tensor], style: List[Tensor],
                 **overrides) -> List[Tensor]:
        """Content images (uint8, the pipeline's channel order) in the style
        of the style images; returned as float 0-255 in the same order.
        ``overrides`` (``prob``, ``alpha``) go to the style network."""
        def prepare(images):
            batch = torch.stack(images).to(self.device).float()
            batch = batch.flip(1) if self._channel_conversion else batch
            if self.style_space == 'rgb01':
                return batch / 255
            return (batch - self.mean) / self.std

        if self.style_space == 'rgb01':
            value_range = (0.0, 1.0)
        else:
            value_range = (-self.mean / self.std, (255 - self.mean) / self.std)
        with named_step('style_transfer'):
            out = self.style_transfer(prepare(content), prepare(style),
                                      value_range=value_range, **overrides)
        out = out * 255 if self.style_space == 'rgb01' else \
            out * self.std + self.mean
        out = out.flip(1) if self._channel_conversion else out
        return list(out)
