"""Joint-set conversions used by the adaptation tasks, in one place.

Each mapping is a list of ``(source_index, target_index)`` pairs in MMPose's
:class:`~mmpose.datasets.transforms.KeypointConverter` format; target joints
that no pair fills come out as zero and invisible. The orders are listed in
``docs/formats.md``.
"""
from typing import Dict, List, Tuple

import numpy as np

from mmpose.datasets.transforms import KeypointConverter

Mapping = List[Tuple[int, int]]


def _from_gather(index: Tuple[int, ...]) -> Mapping:
    """``target[i] = source[index[i]]`` written as converter pairs."""
    return [(src, dst) for dst, src in enumerate(index)]


JOINT_SET_MAPPINGS: Dict[Tuple[str, str], Mapping] = {
    # LSP-14 -> Body16 (MPII order). The peers' gather index is
    # (0,1,2,3,4,5,13,13,12,13,6,7,8,9,10,11) with pelvis (6) and thorax (7)
    # forced invisible, i.e. those two slots are simply not filled.
    ('lsp', 'body16'): [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5),
                        (12, 8), (13, 9), (6, 10), (7, 11), (8, 12),
                        (9, 13), (10, 14), (11, 15)],
    # SMPL-24 -> Body16, the peers' convention (SMPL left joints land in
    # Body16's right slots; shoulders from the collar joints 13/14).
    ('smpl24', 'body16'): _from_gather(
        (7, 4, 1, 2, 5, 8, 0, 9, 12, 15, 20, 18, 13, 14, 19, 21)),
    # original Animal-Pose order (20) -> the 14-keypoint subset
    # (eyes, paws, knees, elbows) of SynAnimal -> AnimalPose.
    ('animalpose', 'animalpose14'): _from_gather(
        (0, 1, 13, 14, 15, 16, 9, 10, 11, 12, 5, 6, 7, 8)),
    # MMPose's COCO-format Animal-Pose order (20) -> the original order.
    # mmpose index i holds original index ORIG[i].
    ('mmpose_animalpose', 'animalpose'): [
        (i, orig) for i, orig in enumerate(
            (0, 1, 3, 4, 2, 17, 19, 18, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
             15, 16))
    ],
    # TigDog tiger annotation order -> the horse order shared by
    # SynAnimal and TigDog (1-based [1..8,15,16,17,18,13,14,9,10,11,12]).
    ('tigdog_tiger', 'tigdog'): _from_gather(
        (0, 1, 2, 3, 4, 5, 6, 7, 14, 15, 16, 17, 12, 13, 8, 9, 10, 11)),
    # TigDog/SynAnimal 18 -> the AnimalPose 14 subset: eyes, hooves, knees,
    # elbows; drops chin (2), hip (7) and shoulders (12, 13), as UDAPE's
    # 14-vertex hound/sheep lists do (synthetic_animal_sp_all_other.py).
    ('tigdog', 'animalpose14'): _from_gather(
        (0, 1, 3, 4, 5, 6, 8, 9, 10, 11, 14, 15, 16, 17)),
    # 2D-to-3D lifting (PoseDA). MPI-INF-3DHP-17 (MMPose's order: head_top,
    # neck, r_sho, r_elb, r_wri, l_sho, l_elb, l_wri, r_hip, r_knee, r_ank,
    # l_hip, l_knee, l_ank, root, spine, head) -> Human3.6M-17 (root, r_hip,
    # r_knee, r_foot, l_hip, l_knee, l_foot, spine, thorax, neck_base, head,
    # l_sho, l_elb, l_wri, r_sho, r_elb, r_wri): the usual cross-dataset
    # correspondence (3DHP neck -> H36M thorax, head -> neck_base, head_top
    # -> head).
    ('mpi_inf_3dhp', 'h36m'): _from_gather(
        (14, 8, 9, 10, 11, 12, 13, 15, 1, 16, 0, 5, 6, 7, 2, 3, 4)),
    ('h36m', 'mpi_inf_3dhp'): [
        (dst, src) for src, dst in _from_gather(
            (14, 8, 9, 10, 11, 12, 13, 15, 1, 16, 0, 5, 6, 7, 2, 3, 4))],
    # 3DPW / SMPL-24 -> Human3.6M-17 where SMPL has a counterpart (pelvis,
    # hips, knees, ankles, spine3 -> spine, neck -> thorax, head -> head,
    # shoulders, elbows, wrists); neck_base (9) has none and stays empty.
    ('smpl24', 'h36m'): [(0, 0), (2, 1), (5, 2), (8, 3), (1, 4), (4, 5),
                         (7, 6), (6, 7), (12, 8), (15, 10), (16, 11),
                         (18, 12), (20, 13), (17, 14), (19, 15), (21, 16)],
}


def get_mapping(source: str, target: str) -> Mapping:
    """The ``(source_index, target_index)`` pairs from ``source`` to
    ``target``; composes through one intermediate set if needed."""
    if (source, target) in JOINT_SET_MAPPINGS:
        return list(JOINT_SET_MAPPINGS[(source, target)])
    for (a, mid), first in JOINT_SET_MAPPINGS.items():
        if a == source and (mid, target) in JOINT_SET_MAPPINGS:
            second = dict(JOINT_SET_MAPPINGS[(mid, target)])
            return [(s, second[m]) for s, m in first if m in second]
    known = ', '.join(f'{a}->{b}' for a, b in JOINT_SET_MAPPINGS)
    raise KeyError(f'no joint-set mapping {source}->{target}; known: {known}')


def convert_keypoints(keypoints: np.ndarray, visible: np.ndarray,
                      source: str, target: str,
                      num_target_keypoints: int) -> Tuple[np.ndarray,
                                                          np.ndarray]:
    """Convert instances between joint sets with MMPose's KeypointConverter.

    Args:
        keypoints (np.ndarray): (N, K_src, 2) or (N, K_src, 3) coordinates.
        visible (np.ndarray): (N, K_src) visibility.
        source, target (str): joint-set names, keys of JOINT_SET_MAPPINGS.
        num_target_keypoints (int): K_tgt.

    Returns:
        tuple: (N, K_tgt, D) keypoints and (N, K_tgt) visibility; unmapped
        target joints are zero and invisible.
    """
    keypoints = np.asarray(keypoints, dtype=np.float32)
    converter = KeypointConverter(num_target_keypoints,
                                  get_mapping(source, target))
    key = 'keypoints_3d' if keypoints.shape[-1] == 3 else 'keypoints'
    results = {key: keypoints,
               'keypoints_visible': np.asarray(visible, dtype=np.float32)}
    if key == 'keypoints_3d':
        results['keypoints'] = keypoints[..., :2]
        results['target_idx'] = []
    results = converter(results)
    out = results['keypoints_3d'] if key == 'keypoints_3d' else results[
        'keypoints']
    return out.astype(np.float32), results['keypoints_visible'][..., 0]
