# Table 6 ablation: mean teacher + pose-level alignment (information
# maximisation on H/W heatmap projections of confident keypoints; paper
# weight 0.3). The loss is at the authors' scale (mean projections, entropies
# divided by h*w; the paper gives none): the literal reading (row sums,
# entropies in nats) inflates the heatmaps and collapses the model at 0.3.
_base_ = ['./mean_teacher.py']
model = dict(
    im_loss=dict(
        type='InformationMaximizationLoss',
        temperature=1.0,
        confidence_threshold=0.3,
        loss_weight=0.3))
