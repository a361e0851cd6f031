# Study: lr 1e-3, re-rendered pseudo heatmaps, FDA (image level) and the
# head-feature discriminator (feature level, authors' form).
_base_ = ['../mt_feature_head.py']
optim_wrapper = dict(optimizer=dict(lr=1e-3))
model = dict(
    pseudo_labeler=dict(type='HeatmapPseudoLabeler', rerender=True),
    data_preprocessor=dict(
        style_transfer=dict(type='FourierStyleTransfer', beta=0.03,
                            prob=0.5)))
