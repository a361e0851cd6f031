"""Optimizer wrappers for PoseDA's three players (lifter, generator,
discriminator).

MMEngine builds an ``OptimWrapperDict`` only through a custom constructor
(its GAN examples name one, none ships with MMEngine); this is that small
constructor: each key is built with MMEngine's
``DefaultOptimWrapperConstructor`` over its own parameters.
"""
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict
from torch import nn

from mmpose.registry import OPTIM_WRAPPER_CONSTRUCTORS


class _ParamsOf(nn.Module):
    """A module view over a list of sub-modules (for the default builder)."""

    def __init__(self, modules):
        super().__init__()
        self.parts = nn.ModuleList(modules)


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class PoseDAOptimWrapperConstructor:
    """Build ``OptimWrapperDict(lifter=, generator=, discriminator=)``.

    Config example::

        optim_wrapper = dict(
            constructor='PoseDAOptimWrapperConstructor',
            lifter=dict(type='OptimWrapper', optimizer=dict(type='Adam',
                                                            lr=1e-3)),
            generator=dict(type='OptimWrapper', optimizer=dict(type='Adam',
                                                               lr=1e-4)),
            discriminator=dict(type='OptimWrapper',
                               optimizer=dict(type='Adam', lr=1e-4)))

    The model must be a :class:`PoseDAPoseLifter` (``lifter_modules()``,
    ``generator``, ``discriminator``); each key needs its own config.
    """

    KEYS = ('lifter', 'generator', 'discriminator')

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None):
        missing = [k for k in self.KEYS if k not in optim_wrapper_cfg]
        if missing:
            raise KeyError('PoseDAOptimWrapperConstructor: optim_wrapper '
                           f'lacks {missing} (needs {list(self.KEYS)})')
        self.cfgs = {k: dict(optim_wrapper_cfg[k]) for k in self.KEYS}

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        if hasattr(model, 'module'):  # DDP wrapper
            model = model.module
        parts = dict(
            lifter=_ParamsOf(model.lifter_modules()),
            generator=model.generator,
            discriminator=model.discriminator)
        wrappers = {}
        for key, cfg in self.cfgs.items():
            if parts[key] is None:
                raise ValueError(f'PoseDAOptimWrapperConstructor: the model '
                                 f'has no {key}')
            paramwise = cfg.pop('paramwise_cfg', None)
            wrappers[key] = DefaultOptimWrapperConstructor(
                cfg, paramwise)(parts[key])
        return OptimWrapperDict(**wrappers)
