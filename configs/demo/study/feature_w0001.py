# Study: the paper's feature level with a 100x smaller weight (0.001).
_base_ = ['../mt_feature.py']
model = dict(adversarial_loss=dict(loss_weight=0.001))
