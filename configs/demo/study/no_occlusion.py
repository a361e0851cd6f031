# Study: no keypoint occlusion.
_base_ = ['../mlda.py']
model = dict(occlusion=None)
