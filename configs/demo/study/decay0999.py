# Study: teacher decay 0.999 (the paper's).
_base_ = ['../mean_teacher.py']
model = dict(teacher_decay=0.999)
