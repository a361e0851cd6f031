# The 14-keypoint Animal-Pose subset used for SynAnimal -> AnimalPose (UDAPE
# lib/datasets/animal_pose.py, pts_index [0,1,13,14,15,16,9,10,11,12,5,6,7,8]
# of the ORIGINAL order): eyes, paws, knees, elbows. Names follow the
# original release; flip pairs (0,1) (2,3) ... (12,13) are the peers'
# matchedParts for 'animal_pose' (UDAPE lib/datasets/util.py). PCK groups:
# Eye (0,1), Hoof (2..5), Knee (6..9), Elbow (10..13).
# joint_weights / sigmas: those of MMPose's animalpose.py for the same joints.
dataset_info = dict(
    dataset_name='animalpose14',
    paper_info=dict(
        author='Cao, Jinkun and Tang, Hongyang and Fang, Hao-Shu and '
        'Shen, Xiaoyong and Lu, Cewu and Tai, Yu-Wing',
        title='Cross-Domain Adaptation for Animal Pose Estimation',
        container='The IEEE International Conference on '
        'Computer Vision (ICCV)',
        year='2019',
        homepage='https://sites.google.com/view/animal-pose/',
    ),
    keypoint_info={
        0:
        dict(name='L_Eye', id=0, color=[0, 255, 0], type='upper',
             swap='R_Eye'),
        1:
        dict(name='R_Eye', id=1, color=[255, 128, 0], type='upper',
             swap='L_Eye'),
        2:
        dict(name='L_F_Paw', id=2, color=[0, 255, 0], type='upper',
             swap='R_F_Paw'),
        3:
        dict(name='R_F_Paw', id=3, color=[255, 128, 0], type='upper',
             swap='L_F_Paw'),
        4:
        dict(name='L_B_Paw', id=4, color=[0, 255, 0], type='lower',
             swap='R_B_Paw'),
        5:
        dict(name='R_B_Paw', id=5, color=[255, 128, 0], type='lower',
             swap='L_B_Paw'),
        6:
        dict(name='L_F_Knee', id=6, color=[0, 255, 0], type='upper',
             swap='R_F_Knee'),
        7:
        dict(name='R_F_Knee', id=7, color=[255, 128, 0], type='upper',
             swap='L_F_Knee'),
        8:
        dict(name='L_B_Knee', id=8, color=[0, 255, 0], type='lower',
             swap='R_B_Knee'),
        9:
        dict(name='R_B_Knee', id=9, color=[255, 128, 0], type='lower',
             swap='L_B_Knee'),
        10:
        dict(name='L_F_Elbow', id=10, color=[0, 255, 0], type='upper',
             swap='R_F_Elbow'),
        11:
        dict(name='R_F_Elbow', id=11, color=[255, 128, 0], type='upper',
             swap='L_F_Elbow'),
        12:
        dict(name='L_B_Elbow', id=12, color=[0, 255, 0], type='lower',
             swap='R_B_Elbow'),
        13:
        dict(name='R_B_Elbow', id=13, color=[255, 128, 0], type='lower',
             swap='L_B_Elbow'),
    },
    skeleton_info={
        0: dict(link=('L_Eye', 'R_Eye'), id=0, color=[51, 153, 255]),
        1: dict(link=('L_F_Elbow', 'L_F_Knee'), id=1, color=[0, 255, 0]),
        2: dict(link=('L_F_Knee', 'L_F_Paw'), id=2, color=[0, 255, 0]),
        3: dict(link=('R_F_Elbow', 'R_F_Knee'), id=3, color=[255, 128, 0]),
        4: dict(link=('R_F_Knee', 'R_F_Paw'), id=4, color=[255, 128, 0]),
        5: dict(link=('L_B_Elbow', 'L_B_Knee'), id=5, color=[0, 255, 0]),
        6: dict(link=('L_B_Knee', 'L_B_Paw'), id=6, color=[0, 255, 0]),
        7: dict(link=('R_B_Elbow', 'R_B_Knee'), id=7, color=[255, 128, 0]),
        8: dict(link=('R_B_Knee', 'R_B_Paw'), id=8, color=[255, 128, 0]),
    },
    joint_weights=[
        1., 1., 1.5, 1.5, 1.5, 1.5, 1.2, 1.2, 1.2, 1.2, 1., 1., 1., 1.
    ],
    sigmas=[
        0.025, 0.025, 0.089, 0.089, 0.089, 0.089, 0.087, 0.087, 0.087, 0.087,
        0.107, 0.107, 0.107, 0.107
    ])
