# Study: combo_a with re-rendered (hard) pseudo heatmaps.
_base_ = ['./combo_a.py']
model = dict(pseudo_labeler=dict(type='HeatmapPseudoLabeler', rerender=True))
