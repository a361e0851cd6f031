"""A random square crop that always stays inside the box's square crop (the
MLDA authors' ``RandomResizedCrop`` after ``ResizePad``)."""
from typing import Tuple

import numpy as np
from mmcv.transforms import BaseTransform
from mmpose.registry import TRANSFORMS


@TRANSFORMS.register_module()
class RandomSquareCropInBox(BaseTransform):
    """Replace each box by a random square inside the square crop that
    ``TopdownAffine`` would take of it.

    The authors' human views first resize and pad the whole image to a
    ``canvas`` x ``canvas`` square (``ResizePad``), then take a square crop
    whose area is a fraction ``U(area)`` of the canvas, at a position drawn
    uniformly over the free room (integer pixels of the canvas), retrying up
    to ``max_attempts`` times while the side exceeds the canvas and falling
    back to the whole canvas. The crop therefore never leaves the canvas.
    MMPose's ``RandomBBoxTransform`` draws shift and scale from truncated
    normals and may extend past the box; this transform is the authors' rule
    on MMPose's boxes: the canvas is the square of side ``max(w, h)`` of
    ``bbox_scale`` centred on ``bbox_center`` (what ``TopdownAffine`` crops
    for a square input), and the chosen square becomes the new
    ``bbox_center`` / ``bbox_scale``. Put it after ``GetBBoxCenterScale`` and
    before ``TopdownAffine``.

    Args:
        area (tuple[float, float]): range of the crop's area over the
            canvas's; the authors' ``--resize-scale`` default (0.6, 1.3),
            of which only draws <= 1 fit.
        canvas (int): the side, in pixels, of the canvas the positions are
            drawn on (the authors' image size, 256).
        max_attempts (int): draws before falling back to the whole canvas.

    Results keys: reads and writes ``bbox_center`` (N, 2) and ``bbox_scale``
    (N, 2).
    """

    def __init__(self,
                 area: Tuple[float, float] = (0.6, 1.3),
                 canvas: int = 256,
                 max_attempts: int = 10) -> None:
        if len(area) != 2 or not 0 < area[0] <= area[1]:
            raise ValueError('RandomSquareCropInBox: area must be (low, high) '
                             f'with 0 < low <= high, got {area}.')
        if int(canvas) < 1 or int(max_attempts) < 1:
            raise ValueError('RandomSquareCropInBox: canvas and max_attempts '
                             f'must be >= 1, got {canvas}, {max_attempts}.')
        self.area = (float(area[0]), float(area[1]))
        self.canvas = int(canvas)
        self.max_attempts = int(max_attempts)

    def draw(self) -> Tuple[int, int, int]:
        """(left, top, side) of one crop in canvas pixels."""
        for _ in range(self.max_attempts):
            side = int(round(np.sqrt(np.random.uniform(*self.area)) *
                             self.canvas))
            if 0 < side <= self.canvas:
                top = np.random.randint(0, self.canvas - side + 1)
                left = np.random.randint(0, self.canvas - side + 1)
                return left, top, side
        return 0, 0, self.canvas

    def transform(self, results: dict) -> dict:
        centers = np.array(results['bbox_center'], dtype=np.float32)
        scales = np.array(results['bbox_scale'], dtype=np.float32)
        for i in range(len(centers)):
            box_side = float(scales[i].max())
            pixel = box_side / self.canvas
            left, top, side = self.draw()
            corner = centers[i] - box_side / 2
            centers[i] = corner + (np.array([left, top]) + side / 2) * pixel
            scales[i] = side * pixel
        results['bbox_center'] = centers
        results['bbox_scale'] = scales
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(area={self.area}, '
                f'canvas={self.canvas}, max_attempts={self.max_attempts})')
