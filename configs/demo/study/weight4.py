# Study: consistency loss x4.
_base_ = ['../mean_teacher.py']
model = dict(pseudo_labeler=dict(type='HeatmapPseudoLabeler', loss=dict(type='KeypointMSELoss', use_target_weight=True, loss_weight=4.0)))
