from .tool_config import (apply_launcher, cpu_distributed, enable_visualization,
                          resolve_work_dir)

__all__ = [
    'apply_launcher', 'cpu_distributed', 'enable_visualization',
    'resolve_work_dir'
]
