"""One optimizer wrapper per part of a model (``OptimWrapperDict``).

MMEngine builds an ``OptimWrapperDict`` only through a custom constructor
(its GAN examples name one, none ships with MMEngine); this is that small
constructor. The model says what its parts are (``optim_parts()``: name ->
modules); each configured key is built with MMEngine's
``DefaultOptimWrapperConstructor`` over that part's parameters, so each part
can have its own optimizer, learning rate and ``param_scheduler``
(``param_scheduler=dict(<part>=[...])``).
"""
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict
from mmpose.registry import OPTIM_WRAPPER_CONSTRUCTORS
from torch import nn


class _ParamsOf(nn.Module):
    """A module view over a list of sub-modules (for the default builder)."""

    def __init__(self, modules):
        super().__init__()
        self.parts = nn.ModuleList(modules)


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class PartsOptimWrapperConstructor:
    """Build ``OptimWrapperDict(<part>=OptimWrapper, ...)``.

    Config example (the MLDA authors' two Adams)::

        optim_wrapper = dict(
            constructor='PartsOptimWrapperConstructor',
            student=dict(optimizer=dict(type='Adam', lr=1e-4)),
            discriminator=dict(optimizer=dict(type='Adam', lr=1e-4)))

    Every part the model names needs a config; a part may be ``None`` in
    the model (e.g. PoseDA without LPA has no generator) only if it is not
    configured.
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None):
        self.cfgs = {k: dict(v) for k, v in optim_wrapper_cfg.items()}

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        if hasattr(model, 'module'):  # DDP wrapper
            model = model.module
        if not hasattr(model, 'optim_parts'):
            raise TypeError(
                f'PartsOptimWrapperConstructor: {type(model).__name__} does '
                'not name its parts (no optim_parts()); use a plain '
                'optim_wrapper for it.')
        parts = model.optim_parts()
        missing = [k for k, m in parts.items() if m and k not in self.cfgs]
        unknown = [k for k in self.cfgs if k not in parts]
        if missing or unknown:
            raise KeyError(
                'PartsOptimWrapperConstructor: optim_wrapper needs one '
                f'config per part {sorted(parts)}; missing {missing}, '
                f'unknown {unknown}.')
        wrappers = {}
        for key, cfg in self.cfgs.items():
            modules = parts[key]
            if not modules:
                raise ValueError(f'PartsOptimWrapperConstructor: the model '
                                 f'has no {key} to optimise; remove '
                                 f'optim_wrapper.{key}.')
            cfg.setdefault('type', 'OptimWrapper')
            paramwise = cfg.pop('paramwise_cfg', None)
            wrappers[key] = DefaultOptimWrapperConstructor(
                cfg, paramwise)(_ParamsOf(modules))
        return OptimWrapperDict(**wrappers)
