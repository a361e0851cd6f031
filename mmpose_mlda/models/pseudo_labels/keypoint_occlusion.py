"""Occlusion of keypoints the teacher is sure of in the student's view
(strategy objects).

The student must infer covered keypoints from context. Positions come from
the teacher's pseudo labels (never from target labels), given in the
consistency frame; the frame maps them into the student's view.

- :class:`ConfidentKeypointOcclusion` (the default): every keypoint above
  ``min_confidence`` is covered with probability ``prob`` by a square
  filled with the same image's content from elsewhere.
- :class:`SingleKeypointOcclusion` (the MLDA authors' ``--occlude-rate``,
  ``--occlude-thresh``, ``--occlude-size``): each sample is selected with
  probability ``prob``; one of its keypoints with confidence >= the
  threshold is picked at random and covered, in the unaugmented frame, by a
  square copied from a random place of the same image.
"""

import numpy as np
import torch
from mmpose.registry import TASK_UTILS
from mmpose.utils.typing import SampleList
from torch import Tensor

from mmpose_mlda.utils import check_number
from ..utils import batched_affine, occlude_points
from .consistency_frames import ReferenceFrame, view_metainfo
from .labels import PseudoLabels


class KeypointOcclusion:
    """The contract of an occlusion strategy: called with the student's
    inputs ``images`` (B, 3, H, W), the teacher's ``pseudo`` labels and the
    student view's ``samples``, it returns an occluded copy of ``images``
    (same shape; the inputs are left untouched). ``prob`` and
    ``min_confidence`` are checked when it is built."""

    def __init__(self, prob: float, min_confidence: float) -> None:
        owner = type(self).__name__
        self.prob = check_number(owner, 'prob', prob, 0, 1)
        self.min_confidence = check_number(owner, 'min_confidence',
                                           min_confidence, 0, 1)

    def __call__(self, images: Tensor, pseudo: PseudoLabels,
                 samples: SampleList) -> Tensor:
        raise NotImplementedError


@TASK_UTILS.register_module()
class ConfidentKeypointOcclusion(KeypointOcclusion):
    """Cover each confident keypoint with probability ``prob``.

    Args:
        prob (float): probability per confident keypoint.
        min_confidence (float): confidence a keypoint needs (strictly
            above).
        patch_ratio (float): side of the square as a fraction of the
            shorter input side.
    """

    def __init__(self, prob: float = 0.5, min_confidence: float = 0.9,
                 patch_ratio: float = 0.12) -> None:
        super().__init__(prob, min_confidence)
        self.patch_ratio = check_number(type(self).__name__, 'patch_ratio',
                                        patch_ratio, 0, 1, low_open=True)

    def __call__(self, images: Tensor, pseudo: PseudoLabels,
                 samples: SampleList) -> Tensor:
        """Occluded copy of the student's inputs ``images`` (B, 3, H, W)
        of the view ``samples``, at the confident ``pseudo`` keypoints."""
        input_h, input_w = images.shape[-2:]
        to_input = pseudo.frame.frame_to_input(samples,
                                               pseudo.teacher_samples, images)
        xy = pseudo.keypoints.to(images.dtype)
        view_xy = (torch.cat([xy, torch.ones_like(xy[..., :1])], -1)
                   @ to_input.transpose(1, 2))[..., :2]
        confidence = pseudo.confidence
        selected = (confidence > self.min_confidence) & (
            torch.rand_like(confidence) < self.prob)
        shift = tuple(
            int(torch.randint(size // 4, 3 * size // 4 + 1, ()).item())
            for size in (input_h, input_w))
        return occlude_points(images, view_xy, selected,
                              self.patch_ratio * min(input_h, input_w) / 2,
                              shift)


@TASK_UTILS.register_module()
class SingleKeypointOcclusion(KeypointOcclusion):
    """The authors' occlusion: one random confident keypoint per selected
    sample, pasted over in the unaugmented frame.

    For a selected sample the student image is warped into the reference
    frame with its own view parameters, the square ``[y - s, y + s) x
    [x - s, x + s)`` (clipped) around the keypoint (frame heatmap position
    times the stride, truncated to int) is overwritten by a square of the
    same size from a uniformly drawn place, and the image is warped back.
    As in their code, both warps are nearest-neighbour ``tF.affine`` calls
    and the translation is divided by the heatmap stride in both (they pass
    heatmap-space translations on images); unselected samples are left
    untouched. Needs ``ReferenceFrame`` (views from ``RandomViewAffine``).

    Args:
        prob (float): probability per sample (``--occlude-rate``, 0.5).
        min_confidence (float): confidence a keypoint needs, ``>=``
            (``--occlude-thresh``, 0.9).
        half_size (int): half the square's side in input pixels
            (``--occlude-size``, 10).
    """

    def __init__(self, prob: float = 0.5, min_confidence: float = 0.9,
                 half_size: int = 10) -> None:
        super().__init__(prob, min_confidence)
        self.half_size = check_number(type(self).__name__, 'half_size',
                                      half_size, 1, 1e4, integer=True)

    def __call__(self, images: Tensor, pseudo: PseudoLabels,
                 samples: SampleList) -> Tensor:
        if not isinstance(pseudo.frame, ReferenceFrame) or \
                pseudo.heatmaps is None:
            raise TypeError(
                'SingleKeypointOcclusion works in the unaugmented frame: set '
                'model.pseudo_labeler.frame='
                "dict(type='ReferenceFrame') (views made by "
                'RandomViewAffine).')
        size = images.shape[-1]
        ratio = size / pseudo.heatmaps.shape[-1]
        candidates = (pseudo.confidence >=
                      self.min_confidence).cpu().numpy()
        xy = pseudo.keypoints.detach().cpu().numpy()
        rows, positions, sources = [], [], []
        # the authors' draw order: per sample, rand, choice, two randints
        for b in range(images.shape[0]):
            if not (candidates[b].any() and np.random.rand() <= self.prob):
                continue
            keypoint = np.random.choice(np.flatnonzero(candidates[b]))
            x, y = xy[b, keypoint].astype(int)
            rows_covered = min(y + self.half_size, size) - max(
                y - self.half_size, 0)
            cols_covered = min(x + self.half_size, size) - max(
                x - self.half_size, 0)
            rows.append(b)
            positions.append((x, y))
            sources.append((np.random.randint(size - rows_covered + 1),
                            np.random.randint(size - cols_covered + 1)))
        if not rows:
            return images
        params = torch.as_tensor(
            view_metainfo([samples[b] for b in rows], 'view_affine_params'),
            dtype=torch.float64)
        out = images.clone()
        out[rows] = occlude_in_reference_frame(
            images[rows], params, torch.as_tensor(positions), self.half_size,
            torch.as_tensor(sources), ratio)
        return out


def occlude_in_reference_frame(images: Tensor, params: Tensor,
                               positions: Tensor, half_size: int,
                               sources: Tensor, ratio: float) -> Tensor:
    """The authors' paste, batched (see :class:`SingleKeypointOcclusion`).

    Args:
        images (Tensor): (N, C, S, S) student inputs (square).
        params (Tensor): (N, 6) ``view_affine_params``: angle, tx, ty,
            shear_x, shear_y, scale.
        positions (Tensor): (N, 2) int (x, y) of the covered keypoint in
            reference-frame input pixels.
        half_size (int): half the square's side.
        sources (Tensor): (N, 2) int top-left corners (row, column offsets
            along the two image axes) of the copied squares.
        ratio (float): input size / heatmap size; the translations are
            divided by it, as in the authors' code.
    """
    angle, translate = params[:, 0], params[:, 1:3]
    shear, scale = params[:, 3:5], params[:, 5]
    zero, one = torch.zeros_like(angle), torch.ones_like(angle)
    no_shift, no_shear = torch.zeros_like(translate), torch.zeros_like(shear)
    frame = batched_affine(images, zero, -translate / ratio, one, no_shear)
    frame = batched_affine(frame, -angle, no_shift, 1. / scale, no_shear)
    frame = batched_affine(frame, zero, no_shift, one, -shear)
    size = images.shape[-1]
    for n, ((x, y), (src_a, src_b)) in enumerate(zip(positions.tolist(),
                                                      sources.tolist())):
        # their first image axis (rows) is bounded by the keypoint's y
        left, right = max(y - half_size, 0), min(y + half_size, size)
        upper, bottom = max(x - half_size, 0), min(x + half_size, size)
        frame[n, :, left:right, upper:bottom] = frame[
            n, :, src_a:src_a + right - left, src_b:src_b + bottom - upper]
    return batched_affine(frame, angle, translate / ratio, scale, shear)
