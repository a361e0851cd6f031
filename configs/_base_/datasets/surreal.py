# SURREAL, native 24 SMPL joints in SMPL order, as stored in the processed
# ``keypoint2d`` / ``keypoint3d`` arrays of the keypoint-detection DA release.
# Converted to Body16 with ``convert_to='body16'`` (the peers' index map, with
# SMPL's left joints landing in Body16's right slots, see docs/formats.md).
_L, _R, _C = [0, 255, 0], [255, 128, 0], [51, 153, 255]
_NAMES = [
    # (name, swap, type, color)
    ('pelvis', '', 'lower', _C),
    ('left_hip', 'right_hip', 'lower', _L),
    ('right_hip', 'left_hip', 'lower', _R),
    ('spine1', '', 'upper', _C),
    ('left_knee', 'right_knee', 'lower', _L),
    ('right_knee', 'left_knee', 'lower', _R),
    ('spine2', '', 'upper', _C),
    ('left_ankle', 'right_ankle', 'lower', _L),
    ('right_ankle', 'left_ankle', 'lower', _R),
    ('spine3', '', 'upper', _C),
    ('left_foot', 'right_foot', 'lower', _L),
    ('right_foot', 'left_foot', 'lower', _R),
    ('neck', '', 'upper', _C),
    ('left_collar', 'right_collar', 'upper', _L),
    ('right_collar', 'left_collar', 'upper', _R),
    ('head', '', 'upper', _C),
    ('left_shoulder', 'right_shoulder', 'upper', _L),
    ('right_shoulder', 'left_shoulder', 'upper', _R),
    ('left_elbow', 'right_elbow', 'upper', _L),
    ('right_elbow', 'left_elbow', 'upper', _R),
    ('left_wrist', 'right_wrist', 'upper', _L),
    ('right_wrist', 'left_wrist', 'upper', _R),
    ('left_hand', 'right_hand', 'upper', _L),
    ('right_hand', 'left_hand', 'upper', _R),
]
# SMPL kinematic tree: parent of each joint (the root has none)
_PARENTS = [
    -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19,
    20, 21
]

dataset_info = dict(
    dataset_name='surreal',
    paper_info=dict(
        author='Gul Varol and Javier Romero and Xavier Martin and Naureen '
        'Mahmood and Michael J. Black and Ivan Laptev and Cordelia Schmid',
        title='Learning from Synthetic Humans',
        container='IEEE Conference on Computer Vision and Pattern '
        'Recognition (CVPR)',
        year='2017',
        homepage='https://www.di.ens.fr/willow/research/surreal/',
    ),
    keypoint_info={
        i: dict(name=name, id=i, color=color, type=kind, swap=swap)
        for i, (name, swap, kind, color) in enumerate(_NAMES)
    },
    skeleton_info={
        i - 1: dict(
            link=(_NAMES[_PARENTS[i]][0], _NAMES[i][0]),
            id=i - 1,
            color=_NAMES[i][3])
        for i in range(1, 24)
    },
    # Body16 / MPII weights for the joints Body16 uses (ankles, wrists 1.5;
    # knees, elbows 1.2), 1.0 elsewhere.
    joint_weights=[
        1., 1., 1., 1., 1.2, 1.2, 1., 1.5, 1.5, 1., 1., 1., 1., 1., 1., 1.,
        1., 1., 1.2, 1.2, 1.5, 1.5, 1., 1.
    ],
    # MPII-style values (MMPose's mpii.py, adapted from COCO): hips 0.107,
    # knees 0.083, ankles and feet 0.089, wrists and hands 0.062, elbows
    # 0.072, shoulders 0.079 (COCO), collars 0.179 (Body16 takes its
    # shoulders from the collars, so they match Body16's shoulder value);
    # joints on the body axis (pelvis, spine, neck, head) 0.026 as in mpii.py.
    sigmas=[
        0.026, 0.107, 0.107, 0.026, 0.083, 0.083, 0.026, 0.089, 0.089, 0.026,
        0.089, 0.089, 0.026, 0.179, 0.179, 0.026, 0.079, 0.079, 0.072, 0.072,
        0.062, 0.062, 0.062, 0.062
    ])
