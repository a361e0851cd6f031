"""Named steps of a training or validation iteration, for profiling."""
from collections import OrderedDict

import torch


def named_step(name: str) -> torch.profiler.record_function:
    """A range ``mlda::<name>`` that ``torch.profiler`` records (and that
    costs about a microsecond when no profiler runs).

    The estimator's ``loss()`` and ``train_step()``, the style transfer,
    the EMA update and the validation loop mark their steps with it;
    ``tools/benchmark_step.py`` and ``tools/profile_iteration.py`` read
    the cost breakdown from these ranges of the real iteration, so the
    breakdown cannot drift from what training runs.
    """
    return torch.profiler.record_function(f'mlda::{name}')


def named_step_seconds(prof, count: int) -> 'OrderedDict[str, float]':
    """Seconds per iteration of each named step, exclusive of the named
    steps nested in it (the style transfer inside ``preprocess``; the
    optimizer's own ``Optimizer.step#...`` range, listed as ``optimizer
    step``, inside ``backward_and_update``, which is then the backward
    pass and ``zero_grad``), from a finished ``torch.profiler.profile``
    over ``count`` iterations, in the order the steps first ran. Host
    times: on CUDA launch-side unless ``CUDA_LAUNCH_BLOCKING=1``."""
    ranges = []
    for event in prof.events():
        if event.name.startswith('mlda::'):
            name = event.name[len('mlda::'):]
        elif event.name.startswith('Optimizer.step#'):
            name = 'optimizer step'
        else:
            continue
        ranges.append((event.time_range.start, event.time_range.end, name))
    ranges.sort(key=lambda r: (r[0], -r[1]))
    out, open_ranges = OrderedDict(), []
    for start, end, name in ranges:
        while open_ranges and open_ranges[-1][0] <= start:
            open_ranges.pop()
        seconds = (end - start) / 1e6 / count
        out[name] = out.get(name, 0.0) + seconds
        if open_ranges:  # nested: not part of the enclosing step's own time
            out[open_ranges[-1][1]] -= seconds
        open_ranges.append((end, name))
    return out
