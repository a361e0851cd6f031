# Source only: the lifter pre-trained on source 2D/3D pairs (from scratch),
# tested on the target. Its last checkpoint initialises every other row.
_base_ = ['./_base_.py']
