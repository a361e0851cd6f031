# Table 6: mean teacher + image-, feature- and pose-level alignment (the
# settings of mt_style.py and mt_pose.py on top of mt_feature.py).
_base_ = ['./mt_feature.py']
model = dict(
    data_preprocessor=dict(
        style_transfer=dict(type='FourierStyleTransfer', beta=0.03,
                            prob=0.5)),
    im_loss=dict(
        type='InformationMaximizationLoss',
        temperature=1.0,
        confidence_threshold=0.3,
        loss_weight=0.3))
