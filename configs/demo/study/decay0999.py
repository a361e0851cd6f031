# Study: teacher decay 0.999 (the paper's).
_base_ = ['../mlda.py']
model = dict(teacher_decay=0.999)
