# Table 6 ablation: mean teacher + pose-level alignment (information
# maximisation on H/W heatmap projections of confident keypoints; paper
# weight 0.3).
_base_ = ['./mlda.py']
model = dict(
    im_loss=dict(
        type='InformationMaximizationLoss',
        temperature=1.0,
        confidence_threshold=0.3,
        loss_weight=0.3))
