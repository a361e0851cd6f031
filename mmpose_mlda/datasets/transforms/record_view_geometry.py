"""Record how a top-down view was cut out of the original image."""
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform
from mmpose.registry import TRANSFORMS
from mmpose.structures.bbox import get_warp_matrix


@TRANSFORMS.register_module()
class RecordViewGeometry(BaseTransform):
    """Store the image->input affine and the joint order of this view.

    Two views of one target image (weak for the teacher, strong for the
    student) are cut with different flips, shifts, scales and rotations. To
    compare their heatmaps the model needs the geometry of each view; this
    transform records it from what ``RandomFlip``, ``RandomBBoxTransform``
    and ``TopdownAffine`` left in ``results``. Place it right after
    ``TopdownAffine`` and add both keys to ``PackPoseInputs(meta_keys=...)``.

    Added keys:
        view_affine (np.ndarray): (3, 3) float64, maps original-image pixel
            coordinates (x, y, 1) to model-input pixel coordinates.
        view_joint_order (np.ndarray): (K,) int64; channel ``c`` of this
            view shows original joint ``view_joint_order[c]`` (a horizontal
            flip swaps left and right: ``flip_indices``).

    Only horizontal flips are supported; the flip convention is MMPose's
    ``x' = w - 1 - x`` (``flip_keypoints`` / ``flip_bbox``).
    """

    def transform(self, results: Dict) -> Dict:
        if 'input_center' not in results:
            raise KeyError('RecordViewGeometry must come after TopdownAffine '
                           '(no "input_center" in results).')
        num_keypoints = len(results['flip_indices'])
        flip = np.eye(3)
        joint_order = np.arange(num_keypoints, dtype=np.int64)
        if results.get('flip', False):
            if results.get('flip_direction') != 'horizontal':
                raise ValueError(
                    'RecordViewGeometry supports horizontal flips only, got '
                    f'flip_direction={results.get("flip_direction")!r}; set '
                    "RandomFlip(direction='horizontal').")
            width = results['img_shape'][1]
            flip = np.array([[-1., 0., width - 1.], [0., 1., 0.], [0., 0.,
                                                                    1.]])
            joint_order = np.asarray(results['flip_indices'], dtype=np.int64)

        rotation = results['bbox_rotation'][0] if 'bbox_rotation' in results \
            else 0.
        crop = np.eye(3)
        crop[:2] = get_warp_matrix(
            results['input_center'], results['input_scale'], rotation,
            output_size=tuple(results['input_size']))
        results['view_affine'] = crop @ flip
        results['view_joint_order'] = joint_order
        return results
