# SynAnimal (synthetic horse, tiger, sheep, hound, elephant; CC-SSL, Mu et
# al. CVPR 2020). The 18 keypoints are mesh vertices chosen to match the
# TigDog annotations, so the keypoint order, names, flip pairs and skeleton
# are those of tigdog.py (see the sources listed there); only the dataset
# name and paper differ.
_base_ = ['./tigdog.py']

dataset_info = dict(
    dataset_name='synanimal',
    paper_info=dict(
        author='Mu, Jiteng and Qiu, Weichao and Hager, Gregory D. and '
        'Yuille, Alan L.',
        title='Learning from Synthetic Animals',
        container='IEEE Conference on Computer Vision and Pattern '
        'Recognition (CVPR)',
        year='2020',
        homepage='https://github.com/JitengMu/Learning-from-Synthetic-Animals',
    ))
