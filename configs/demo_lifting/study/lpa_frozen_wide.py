# Study: the frozen (never-trained) generator of lpa_frozen_generator.py
# with the wide bounds of lpa_wide_bounds.py: larger random articulations.
_base_ = ['./lpa_wide_bounds.py']
optim_wrapper = dict(generator=dict(optimizer=dict(lr=0.0)))
