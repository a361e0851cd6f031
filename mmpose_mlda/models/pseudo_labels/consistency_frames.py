"""Where student and teacher heatmaps are compared (strategy objects).

The teacher sees one or more weak views of a target image, the student a
strong view; their heatmaps live in different frames. A consistency frame
brings both into one frame:

- :class:`WeakViewFrame` (ours, the default): the teacher's (first) weak
  view. Teacher heatmaps stay as they are; student heatmaps are warped from
  the strong view with one bilinear resampling, and a mask marks the
  pixels the strong view actually covers.
- :class:`ReferenceFrame` (the MLDA authors'): the unaugmented crop both
  views were cut from (``RandomViewAffine`` after a shared
  ``TopdownAffine``). Teacher and student heatmaps are both warped into it;
  ``warp='authors'`` replays the authors' three nearest-neighbour
  ``tF.affine`` calls per view, ``warp='affine'`` does one resampling with
  the recorded matrices. No mask (zero padding is compared, as theirs).

Shapes: B batch, K keypoints, (h, w) heatmaps, (H, W) model input. Sample
lists are the ``PoseDataSample`` lists of one branch.
"""
from typing import List, Optional, Tuple

import numpy as np
import torch
from mmpose.registry import TASK_UTILS
from mmpose.utils.typing import SampleList
from torch import Tensor

from ..utils import (batched_affine, heatmap_view_transform,
                     joint_order_index, permute_channels, warp_heatmaps)


def view_metainfo(samples: SampleList, key: str) -> np.ndarray:
    """Stack ``metainfo[key]`` of a branch, with a message naming the
    pipeline step that records it when it is missing."""
    try:
        return np.stack([s.metainfo[key] for s in samples])
    except KeyError:
        producer = ('RandomViewAffine' if key in ('reference_affine',
                                                  'view_affine_params') else
                    'RecordViewGeometry')
        raise KeyError(
            f'Target view has no {key!r} in its metainfo: add {producer} to '
            f"each target branch and {key!r} to PackPoseInputs meta_keys."
        ) from None


def _as_tensor(array: np.ndarray, like: Tensor) -> Tensor:
    return torch.as_tensor(array, dtype=like.dtype, device=like.device)


@TASK_UTILS.register_module()
class WeakViewFrame:
    """Compare in the frame of the teacher's first weak view.

    Args:
        interpolation (str): of the student warp, 'bilinear' (default) or
            'nearest'.
    """

    def __init__(self, interpolation: str = 'bilinear') -> None:
        self.interpolation = interpolation

    def _view_to_frame(self, heatmaps: Tensor, samples: SampleList,
                       frame_samples: SampleList,
                       input_hw: Tuple[int, int]) -> Tuple[Tensor, Tensor]:
        h, w = heatmaps.shape[-2:]
        src = _as_tensor(view_metainfo(samples, 'view_affine'), heatmaps)
        dst = _as_tensor(view_metainfo(frame_samples, 'view_affine'),
                         heatmaps)
        transform = heatmap_view_transform(src, dst, (input_hw[1],
                                                      input_hw[0]), (w, h))
        warped, inside = warp_heatmaps(heatmaps, transform,
                                       self.interpolation)
        index = joint_order_index(
            view_metainfo(samples, 'view_joint_order'),
            view_metainfo(frame_samples, 'view_joint_order'))
        return permute_channels(warped, index), inside

    def teacher_heatmaps(self, heatmaps: List[Tensor],
                         samples: List[SampleList],
                         input_hw: Tuple[int, int]) -> Tensor:
        """Mean of the teacher's views (each (B, K, h, w)) in the frame of
        the first."""
        views = [heatmaps[0]] + [
            self._view_to_frame(hm, s, samples[0], input_hw)[0]
            for hm, s in zip(heatmaps[1:], samples[1:])
        ]
        return views[0] if len(views) == 1 else torch.stack(views).mean(0)

    def student_heatmaps(self, heatmaps: Tensor, samples: SampleList,
                         teacher_samples: List[SampleList],
                         input_hw: Tuple[int, int]
                         ) -> Tuple[Tensor, Optional[Tensor]]:
        """Strong-view heatmaps in the frame, and the (B, 1, h, w) mask of
        frame pixels the strong view covers."""
        return self._view_to_frame(heatmaps, samples, teacher_samples[0],
                                   input_hw)

    def frame_to_input(self, samples: SampleList,
                       teacher_samples: List[SampleList],
                       like: Tensor) -> Tensor:
        """(B, 3, 3) map frame input pixels -> input pixels of the view
        ``samples`` (e.g. to place occlusions in the strong view)."""
        frame = _as_tensor(view_metainfo(teacher_samples[0], 'view_affine'),
                           like)
        view = _as_tensor(view_metainfo(samples, 'view_affine'), like)
        return view @ torch.linalg.inv(frame)


@TASK_UTILS.register_module()
class ReferenceFrame:
    """Compare in the unaugmented reference crop (the authors' frame).

    Needs views made by ``RandomViewAffine`` (``reference_affine``,
    ``view_affine_params`` in the metainfo).

    Args:
        warp (str): 'authors' replays, per view, the authors' three
            ``tF.affine`` calls with the negated parameters (translation
            divided by the heatmap stride, then rotation and scale, then
            shear; ``interpolation`` each time); 'affine' resamples once
            with the recorded matrices.
        interpolation (str): 'nearest' (the authors', torchvision's
            default) or 'bilinear'.
    """

    def __init__(self, warp: str = 'authors',
                 interpolation: str = 'nearest') -> None:
        if warp not in ('authors', 'affine'):
            raise ValueError("ReferenceFrame: warp must be 'authors' or "
                             f"'affine', got {warp!r}.")
        self.warp = warp
        self.interpolation = interpolation

    def to_frame(self, heatmaps: Tensor, samples: SampleList,
                 input_hw: Tuple[int, int]) -> Tensor:
        """(B, K, h, w) heatmaps of one view -> the reference frame, in the
        original joint order."""
        if self.warp == 'authors':
            ratio = input_hw[1] / heatmaps.shape[-1]
            params = torch.as_tensor(
                view_metainfo(samples, 'view_affine_params'),
                dtype=torch.float64)
            angle, translate = params[:, 0], params[:, 1:3]
            shear, scale = params[:, 3:5], params[:, 5]
            zero, one = torch.zeros_like(angle), torch.ones_like(angle)
            out = batched_affine(heatmaps, zero, -translate / ratio, one,
                                 torch.zeros_like(shear), self.interpolation)
            out = batched_affine(out, -angle, torch.zeros_like(translate),
                                 1. / scale, torch.zeros_like(shear),
                                 self.interpolation)
            out = batched_affine(out, zero, torch.zeros_like(translate), one,
                                 -shear, self.interpolation)
        else:
            h, w = heatmaps.shape[-2:]
            src = _as_tensor(view_metainfo(samples, 'view_affine'), heatmaps)
            dst = _as_tensor(view_metainfo(samples, 'reference_affine'),
                             heatmaps)
            transform = heatmap_view_transform(src, dst, (input_hw[1],
                                                          input_hw[0]), (w, h))
            out, _ = warp_heatmaps(heatmaps, transform, self.interpolation)
        order = view_metainfo(samples, 'view_joint_order')
        index = joint_order_index(order, np.broadcast_to(
            np.arange(order.shape[1]), order.shape))
        return permute_channels(out, index)

    def teacher_heatmaps(self, heatmaps: List[Tensor],
                         samples: List[SampleList],
                         input_hw: Tuple[int, int]) -> Tensor:
        """Mean over the teacher's views (the authors' ``--k``), each
        warped into the reference frame."""
        views = [self.to_frame(hm, s, input_hw)
                 for hm, s in zip(heatmaps, samples)]
        return views[0] if len(views) == 1 else torch.stack(views).mean(0)

    def student_heatmaps(self, heatmaps: Tensor, samples: SampleList,
                         teacher_samples: List[SampleList],
                         input_hw: Tuple[int, int]
                         ) -> Tuple[Tensor, Optional[Tensor]]:
        return self.to_frame(heatmaps, samples, input_hw), None

    def frame_to_input(self, samples: SampleList,
                       teacher_samples: List[SampleList],
                       like: Tensor) -> Tensor:
        frame = _as_tensor(view_metainfo(samples, 'reference_affine'), like)
        view = _as_tensor(view_metainfo(samples, 'view_affine'), like)
        return view @ torch.linalg.inv(frame)
