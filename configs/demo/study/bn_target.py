# Study: the mean teacher with BatchNorm running statistics of the target
# only (the source pass does not move them).
_base_ = ['../mean_teacher.py']
model = dict(norm_statistics='target')
