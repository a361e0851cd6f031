# Study: lr 1e-3 and the batch-median threshold (teacher decay 0.99 and the
# default strong view kept).
_base_ = ['./lr1e3.py']
model = dict(consistency_threshold=dict(
    _delete_=True, type='QuantileConfidenceThreshold', q=0.5))
