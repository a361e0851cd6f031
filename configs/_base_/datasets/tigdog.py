# TigDog (behaviorDiscovery2.0) horse / tiger: the 18 keypoints in the HORSE
# annotation order, shared by SynAnimal (tiger frames are reordered into it).
#
# Sources of the names and sides:
# - Joint groups (PCK): Eye [0,1], Chin [2], Hoof [3..6], Hip [7],
#   Knee [8..11], Shoulder [12,13], Elbow [14..17] (docs/formats.md; the
#   keypoints_group of UDAPE lib/datasets/real_animal_all.py).
# - Left/right pairs: the peers' flip pairs (0,1) (3,4) (5,6) (8,9) (10,11)
#   (12,13) (14,15) (16,17) with 2 and 7 on the mid-line (matchedParts for
#   'real_animal' in UDA-Animal pose/utils/transforms.py and UDAPE
#   lib/datasets/util.py).
# - Which member of a pair is left: the TigDog landmark list as re-used by a
#   public AP-10K/Animal-Pose/TigDog union definition (tigdog_2_union): even
#   = left, odd = right (3 = front-left hoof, 4 = front-right hoof, ...).
#   NB: UDAPE's drawing skeleton calls (3, 8, 14) "right_front_leg"; the peers
#   disagree on the side names only. The swap pairs and PCK groups, which are
#   all that training and scoring use, are the same either way.
# - "Hip" (7) is the start of the tail; "Elbow" 14..17 are the upper leg
#   joints (front: elbow, back: stifle region), as in the peers' group names.
# joint_weights / sigmas: no published values exist for TigDog (the
# benchmarks score PCK, which uses neither); these follow MMPose's
# animalpose.py for the matching body parts.
dataset_info = dict(
    dataset_name='tigdog',
    paper_info=dict(
        author='Del Pero, Luca and Ricco, Susanna and Sukthankar, Rahul and '
        'Ferrari, Vittorio',
        title='Articulated Motion Discovery using Pairs of Trajectories',
        container='IEEE Conference on Computer Vision and Pattern '
        'Recognition (CVPR)',
        year='2015',
        homepage='http://calvin-vision.net/datasets/tigdog/',
    ),
    keypoint_info={
        0:
        dict(name='L_Eye', id=0, color=[0, 255, 0], type='upper',
             swap='R_Eye'),
        1:
        dict(name='R_Eye', id=1, color=[255, 128, 0], type='upper',
             swap='L_Eye'),
        2:
        dict(name='Chin', id=2, color=[51, 153, 255], type='upper', swap=''),
        3:
        dict(name='L_F_Hoof', id=3, color=[0, 255, 0], type='upper',
             swap='R_F_Hoof'),
        4:
        dict(name='R_F_Hoof', id=4, color=[255, 128, 0], type='upper',
             swap='L_F_Hoof'),
        5:
        dict(name='L_B_Hoof', id=5, color=[0, 255, 0], type='lower',
             swap='R_B_Hoof'),
        6:
        dict(name='R_B_Hoof', id=6, color=[255, 128, 0], type='lower',
             swap='L_B_Hoof'),
        7:
        dict(name='Hip', id=7, color=[51, 153, 255], type='lower', swap=''),
        8:
        dict(name='L_F_Knee', id=8, color=[0, 255, 0], type='upper',
             swap='R_F_Knee'),
        9:
        dict(name='R_F_Knee', id=9, color=[255, 128, 0], type='upper',
             swap='L_F_Knee'),
        10:
        dict(name='L_B_Knee', id=10, color=[0, 255, 0], type='lower',
             swap='R_B_Knee'),
        11:
        dict(name='R_B_Knee', id=11, color=[255, 128, 0], type='lower',
             swap='L_B_Knee'),
        12:
        dict(name='L_Shoulder', id=12, color=[0, 255, 0], type='upper',
             swap='R_Shoulder'),
        13:
        dict(name='R_Shoulder', id=13, color=[255, 128, 0], type='upper',
             swap='L_Shoulder'),
        14:
        dict(name='L_F_Elbow', id=14, color=[0, 255, 0], type='upper',
             swap='R_F_Elbow'),
        15:
        dict(name='R_F_Elbow', id=15, color=[255, 128, 0], type='upper',
             swap='L_F_Elbow'),
        16:
        dict(name='L_B_Elbow', id=16, color=[0, 255, 0], type='lower',
             swap='R_B_Elbow'),
        17:
        dict(name='R_B_Elbow', id=17, color=[255, 128, 0], type='lower',
             swap='L_B_Elbow'),
    },
    # legs and torso of the peers' drawing skeleton: hoof-knee-elbow per leg,
    # shoulder-hip per side, eye-chin per side
    skeleton_info={
        0: dict(link=('L_F_Hoof', 'L_F_Knee'), id=0, color=[0, 255, 0]),
        1: dict(link=('L_F_Knee', 'L_F_Elbow'), id=1, color=[0, 255, 0]),
        2: dict(link=('R_F_Hoof', 'R_F_Knee'), id=2, color=[255, 128, 0]),
        3: dict(link=('R_F_Knee', 'R_F_Elbow'), id=3, color=[255, 128, 0]),
        4: dict(link=('L_B_Hoof', 'L_B_Knee'), id=4, color=[0, 255, 0]),
        5: dict(link=('L_B_Knee', 'L_B_Elbow'), id=5, color=[0, 255, 0]),
        6: dict(link=('R_B_Hoof', 'R_B_Knee'), id=6, color=[255, 128, 0]),
        7: dict(link=('R_B_Knee', 'R_B_Elbow'), id=7, color=[255, 128, 0]),
        8: dict(link=('L_Shoulder', 'Hip'), id=8, color=[0, 255, 0]),
        9: dict(link=('R_Shoulder', 'Hip'), id=9, color=[255, 128, 0]),
        10: dict(link=('L_Eye', 'Chin'), id=10, color=[0, 255, 0]),
        11: dict(link=('R_Eye', 'Chin'), id=11, color=[255, 128, 0]),
    },
    joint_weights=[
        1., 1., 1., 1.5, 1.5, 1.5, 1.5, 1., 1.2, 1.2, 1.2, 1.2, 1., 1., 1.,
        1., 1., 1.
    ],
    sigmas=[
        0.025, 0.025, 0.026, 0.089, 0.089, 0.089, 0.089, 0.10, 0.087, 0.087,
        0.087, 0.087, 0.107, 0.107, 0.107, 0.107, 0.107, 0.107
    ])
