"""Keep freed CPU memory for reuse during a CPU training."""
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmpose.registry import HOOKS

from mmpose_mlda.utils import keep_freed_cpu_memory


@HOOKS.register_module()
class KeepFreedMemoryHook(Hook):
    """Before a run whose model is on the CPU, make the process keep freed
    memory for reuse (``mmpose_mlda.utils.keep_freed_cpu_memory``: no page
    faults for the activations of each step; results bit-identical). A
    no-op for a model on a GPU and off glibc."""

    priority = 'VERY_HIGH'

    def before_run(self, runner) -> None:
        parameter = next(runner.model.parameters(), None)
        if parameter is None or parameter.device.type != 'cpu':
            return
        if keep_freed_cpu_memory():
            print_log('KeepFreedMemoryHook: glibc malloc keeps freed memory '
                      'for reuse (no mmap per block, no trimming).',
                      logger='current')
