# Study: the authors' teacher normalisation alone (teacher in train mode,
# batch statistics of the weak target views).
_base_ = ['../mean_teacher.py']
model = dict(teacher_norm='batch')
