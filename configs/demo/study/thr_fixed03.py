# Study: a fixed confidence threshold 0.3 instead of U(0, 1).
_base_ = ['../mean_teacher.py']
model = dict(consistency_threshold=dict(_delete_=True, type='FixedConfidenceThreshold', value=0.3))
