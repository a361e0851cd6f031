# Study: the frozen (never-trained) generator of lpa_frozen_generator.py
# without the global rotation: bone directions and lengths only, the
# viewpoint left as the source camera saw it.
_base_ = ['./lpa_frozen_generator.py']
model = dict(generator=dict(use_global_rotation=False))
