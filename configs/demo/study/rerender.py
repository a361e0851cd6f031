# Study: teacher heatmaps re-rendered as Gaussians at their argmax.
_base_ = ['../mean_teacher.py']
model = dict(pseudo_labeler=dict(type='HeatmapPseudoLabeler', rerender=True))
