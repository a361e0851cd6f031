# Study: teacher decay 0.95 (the default 0.99).
_base_ = ['../mean_teacher.py']
model = dict(teacher_decay=0.95)
