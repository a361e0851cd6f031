"""Mixed precision (bfloat16) for training on CPU."""
import contextlib
import warnings

import torch
from mmengine.optim import OptimWrapper
from mmpose.registry import OPTIM_WRAPPERS

from mmpose_mlda.models.utils import fp32_head_outputs


def cpu_bf16_is_fast() -> bool:
    """Whether oneDNN runs bfloat16 natively on this CPU (AVX512-BF16 or
    AMX); without it PyTorch emulates bf16 and autocast is slower."""
    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


@OPTIM_WRAPPERS.register_module()
class CpuBf16OptimWrapper(OptimWrapper):
    """``OptimWrapper`` whose forward context autocasts to bfloat16 on CPU.

    MMEngine's ``AmpOptimWrapper`` is CUDA/NPU/MLU only; this is its CPU
    counterpart for ``tools/train.py --amp`` and ``tools/benchmark.py
    --amp`` on a CPU machine. Inside :meth:`optim_context` (the forward
    passes of student, teacher and style network) convolutions and matrix
    products run in bf16 through oneDNN; weights, gradients, optimizer
    state and the ops autocast keeps in fp32 stay fp32, and so do the
    MMPose heads' outputs (``fp32_head_outputs``: their losses, and the
    training accuracy and decoding MMPose computes in numpy, which has no
    bf16). bf16 has fp32's exponent range, so no loss scaling is needed:
    backward and step are the plain wrapper's.

    It changes what is computed (about 3 significant digits in the
    convolutions), so it is a switch, off by default. Where the CPU lacks
    native bf16 (``cpu_bf16_is_fast()`` is False) it still works but is
    slower than fp32, and a warning says so when it is built.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not cpu_bf16_is_fast():
            warnings.warn(
                'CpuBf16OptimWrapper: this CPU has no native bfloat16 '
                '(AVX512-BF16 / AMX), so bf16 autocast is emulated and '
                'slower than fp32; drop --amp (the optimizer wrapper type) '
                'on this machine.')

    @contextlib.contextmanager
    def optim_context(self, model: torch.nn.Module):
        parameter = next(model.parameters(), None)
        if parameter is not None and parameter.device.type != 'cpu':
            raise RuntimeError(
                'CpuBf16OptimWrapper autocasts CPU operations only, but the '
                f'model is on {parameter.device}: use MMEngine\'s '
                "AmpOptimWrapper there (optim_wrapper.type='AmpOptimWrapper',"
                " or tools/train.py --amp, which picks it on CUDA).")
        with super().optim_context(model), torch.autocast(
                device_type='cpu', dtype=torch.bfloat16), \
                fp32_head_outputs(model):
            yield
