# Study: combo_b with FDA (image level, beta 0.03, p 0.5).
_base_ = ['./combo_b.py']
model = dict(data_preprocessor=dict(
    style_transfer=dict(type='FourierStyleTransfer', beta=0.03, prob=0.5)))
