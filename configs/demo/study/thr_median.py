# Study: UDAPE's batch-median threshold instead of U(0, 1).
_base_ = ['../mean_teacher.py']
model = dict(consistency_threshold=dict(_delete_=True, type='QuantileConfidenceThreshold', q=0.5))
