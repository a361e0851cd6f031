"""Batch each branch (source, target weak, target strong) separately."""
import json
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.structures import BaseDataElement
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
        target_mean (list | str, optional): a per-domain normalisation (the
            authors' AnimalPose target subtracts its own real-image mean):
            the target images (the ``target*`` branches, and validation and
            test batches, which are target images) are normalised with this
            mean, 1 or 3 values in the channel order of ``mean``, or the path
            of a file holding it: the JSON that ``tools/dataset_mean_std.py
            --out`` writes, or the peers' cached ``mean.pth.tar`` (RGB in
            [0, 1], scaled to 0-255 here). The source keeps
            ``mean`` / ``std``. ``None`` (default): one normalisation for
            both domains.
        target_std (list, optional): the target's std; defaults to ``std``.
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
                 target_mean: Union[Sequence[float], str, None] = None,
                 target_std: Optional[Sequence[float]] = None,
                 **kwargs) -> None:
        if isinstance(target_mean, str):
            target_mean = _mean_from_file(target_mean)
        for key, value in (('mean', kwargs.get('mean')),
                           ('std', kwargs.get('std')),
                           ('target_mean', target_mean),
                           ('target_std', target_std)):
            if value is not None and len(value) not in (1, 3):
                raise ValueError(
                    f'DomainAdaptationDataPreprocessor: {key} must have 1 or '
                    f'3 values (one per channel), got {len(value)}: '
                    f'{list(value)} (model.data_preprocessor.{key}, or the '
                    f'pose model\'s data_preprocessor.{key}; '
                    'tools/dataset_mean_std.py computes them).')
        super().__init__(**kwargs)
        self.per_domain = target_mean is not None or target_std is not None
        if self.per_domain:
            if not self._enable_normalize:
                raise ValueError('DomainAdaptationDataPreprocessor: '
                                 'target_mean / target_std need mean and '
                                 'std for the source.')
            self.register_buffer(
                'target_mean', self._channels(target_mean, self.mean), False)
            self.register_buffer(
                'target_std', self._channels(target_std, self.std), False)
            # (x - mean) / std -> (x - target_mean) / target_std, one affine
            self.register_buffer('target_scale',
                                 self.std / self.target_std, False)
            self.register_buffer(
                'target_shift',
                (self.mean - self.target_mean) / self.target_std, False)
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

    @staticmethod
    def _channels(values: Optional[Sequence[float]],
                  default: Tensor) -> Tensor:
        if values is None:
            return default.clone()
        return torch.tensor(values, dtype=torch.float32).view(-1, 1, 1)

    def cast_data(self, data):
        """MMEngine's cast to the model's device, except that on the CPU a
        data sample is passed on as it is: ``BaseDataElement.to`` builds a
        new sample and deep-copies its metainfo to move tensors that are
        already there (about 0.1 ms a sample: 5 ms of a benchmark iteration,
        0.15 s of a validation). The values are the same; the sample is the
        batch's own object rather than a copy."""
        if isinstance(data, BaseDataElement) and self.device.type == 'cpu':
            return data
        return super().cast_data(data)

    def _as_target(self, inputs: Tensor) -> Tensor:
        """Images normalised with (mean, std) renormalised with the
        target's (target_mean, target_std), in one fused pass."""
        return torch.addcmul(self.target_shift, inputs, self.target_scale)

    def forward(self, data: Dict, training: bool = False) -> Dict:
        if not isinstance(data['inputs'], dict):
            packed = super().forward(data, training)
            if self.per_domain:
                packed['inputs'] = self._as_target(packed['inputs'])
            return packed
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
                        images[branch], source, content_is_target=True,
                        **self.target_to_source)
        inputs, data_samples = {}, {}
        for branch, branch_images in images.items():
            branch_samples = data['data_samples'][branch]
            packed = super().forward(
                dict(
                    inputs=branch_images,
                    data_samples=[branch_samples[i]
                                  for i in present[branch]]),
                training)
            inputs[branch] = self._as_target(packed['inputs']) if (
                self.per_domain and branch.startswith('target')) else \
                packed['inputs']
            data_samples[branch] = packed['data_samples']
        return dict(inputs=inputs, data_samples=data_samples)

    @torch.no_grad()
    def _stylise(self, content: List[Tensor], style: List[Tensor],
                 content_is_target: bool = False,
                 **overrides) -> List[Tensor]:
        """Content images (uint8, the pipeline's channel order) in the style
        of the style images (the other domain's); returned as float 0-255 in
        the same order. ``overrides`` (``prob``, ``alpha``) go to the style
        network."""
        def prepare(images, mean, std):
            batch = torch.stack(images).to(self.device).float()
            batch = batch.flip(1) if self._channel_conversion else batch
            if self.style_space == 'rgb01':
                return batch / 255
            return (batch - mean) / std

        # with per-domain statistics each side is normalised as its domain
        content_stats = style_stats = (self.mean, self.std)
        if self.per_domain:
            target_stats = (self.target_mean, self.target_std)
            if content_is_target:
                content_stats = target_stats
            else:
                style_stats = target_stats

        mean, std = content_stats
        if self.style_space == 'rgb01':
            value_range = (0.0, 1.0)
        else:
            value_range = (-mean / std, (255 - mean) / std)
        with named_step('style_transfer'):
            out = self.style_transfer(
                prepare(content, *content_stats),
                prepare(style, *style_stats),
                value_range=value_range,
                **overrides)
        out = out * 255 if self.style_space == 'rgb01' else out * std + mean
        out = out.flip(1) if self._channel_conversion else out
        return list(out)


def _mean_from_file(path: str) -> List[float]:
    """The RGB mean (0-255) of a statistics file: the JSON that
    ``tools/dataset_mean_std.py --out`` writes, or one of the peers' cached
    ``mean.pth.tar`` files (``{'mean', 'std'}`` tensors, RGB in [0, 1])."""
    torch_file = path.endswith(('.pth', '.pth.tar'))
    try:
        if torch_file:
            mean = torch.load(path, map_location='cpu',
                              weights_only=True)['mean']
            return [255.0 * float(v) for v in mean]
        with open(path) as f:
            return [float(v) for v in json.load(f)['mean']]
    except FileNotFoundError:
        raise FileNotFoundError(
            f'DomainAdaptationDataPreprocessor: target_mean file {path} does '
            'not exist; write it with `python tools/dataset_mean_std.py '
            'CONFIG --dataset train_dataloader.dataset.target --per-image '
            f'--out {path}` (or give target_mean as a list).') from None
    except Exception as error:  # unreadable, not a dict, no 'mean'
        kind = 'torch file' if torch_file else 'JSON object'
        raise ValueError(
            f'DomainAdaptationDataPreprocessor: target_mean file {path} is '
            f'not a {kind} with a "mean" list (tools/dataset_mean_std.py '
            f'--out writes one): {error!r}') from None
