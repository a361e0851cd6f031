from .cpu_bf16_optim_wrapper import CpuBf16OptimWrapper, cpu_bf16_is_fast
from .parts_optim_wrapper_constructor import PartsOptimWrapperConstructor

__all__ = [
    'CpuBf16OptimWrapper', 'PartsOptimWrapperConstructor', 'cpu_bf16_is_fast'
]
