# AdaBN (Li et al. 2016): the source-only weights unchanged, the BatchNorm
# statistics re-estimated on target images. Run as the source-free mean
# teacher at learning rate 0: only the target passes move the running
# statistics, and the teacher averages them (decay 0.99, 400 iterations).
_base_ = ['./source_free.py']
optim_wrapper = dict(optimizer=dict(lr=0.0))
