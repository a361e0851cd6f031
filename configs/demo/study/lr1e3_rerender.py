# Study: learning rate 1e-3 and re-rendered (hard) pseudo heatmaps.
_base_ = ['./lr1e3.py']
model = dict(pseudo_labeler=dict(type='HeatmapPseudoLabeler', rerender=True))
