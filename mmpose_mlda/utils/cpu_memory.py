"""Keep freed CPU memory in the process for the next allocation."""
import ctypes
import ctypes.util

# glibc's mallopt() parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_MAX = -4

_applied = False


def keep_freed_cpu_memory() -> bool:
    """Make glibc's ``malloc`` serve every allocation from its heap and keep
    freed memory there, instead of giving it back to the OS.

    By default glibc gives each large block (above a threshold of at most
    32 MB) its own ``mmap`` and unmaps it when freed, and trims the top of
    its heap: a training step on the CPU then gets its activations from
    the OS anew each iteration, every new 4 kB page a page fault and a
    zeroed page (3.6 million faults in one paper-scale
    ``tools/benchmark_step.py`` run against 1.2 million with these settings,
    the mean-teacher step 2.6-2.7 -> 2.3 supervised steps; docs/benchmark.md).
    With them the memory freed by one step serves the next. What is computed
    does not change (results are bit-identical); the process keeps its peak
    memory until it exits. Applied once per process; a no-op elsewhere than
    on glibc (macOS, Windows, musl).

    Returns:
        bool: whether the settings are in force.
    """
    global _applied
    if _applied:
        return True
    name = ctypes.util.find_library('c')
    try:
        libc = ctypes.CDLL(name)
        libc.gnu_get_libc_version  # glibc only
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    _applied = all(
        mallopt(parameter, value) == 1
        for parameter, value in ((_M_MMAP_MAX, 0),
                                 (_M_TRIM_THRESHOLD, 2**31 - 1),
                                 (_M_TOP_PAD, 64 << 20)))
    return _applied
