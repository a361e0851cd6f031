# Study: target-only running statistics, copied into the teacher every step
# (parameters EMA'd, statistics without lag).
_base_ = ['../mean_teacher.py']
model = dict(norm_statistics='target', teacher_norm='student')
