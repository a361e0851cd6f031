from .atomic_io import atomic_torch_save, atomic_write_text
from .checkpoint_files import checkpoint_file_problem
from .cpu_memory import keep_freed_cpu_memory
from .option_checks import check_number
from .tool_config import (apply_launcher, cpu_distributed, enable_visualization,
                          resolve_work_dir, run_naming_rank, use_amp,
                          use_safe_checkpoints)

__all__ = [
    'apply_launcher', 'atomic_torch_save', 'atomic_write_text',
    'check_number', 'checkpoint_file_problem', 'cpu_distributed',
    'enable_visualization', 'keep_freed_cpu_memory', 'resolve_work_dir',
    'run_naming_rank', 'use_amp', 'use_safe_checkpoints'
]
