from .parts_optim_wrapper_constructor import PartsOptimWrapperConstructor

__all__ = ['PartsOptimWrapperConstructor']
