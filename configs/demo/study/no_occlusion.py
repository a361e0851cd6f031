# Study: no keypoint occlusion.
_base_ = ['../mean_teacher.py']
model = dict(occlusion=None)
