# Control: source-only training continued for the adaptation schedule (same
# iterations, learning rate and source batch as the adaptation rows).
_base_ = ['./_adapt_.py']
