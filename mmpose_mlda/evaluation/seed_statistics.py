"""Statistics over training seeds, as every benchmark table reports them:
mean and sample standard deviation (ddof 1), and the mean paired
difference from a baseline row with its 95% Student-t interval; and the
benchmarks' ``--seeds`` option."""
import math
from typing import Dict, List, Sequence

#: two-sided 95% Student-t quantiles by degrees of freedom
_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447,
        7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}


def t_quantile_95(dof: int) -> float:
    """Two-sided 95% quantile of Student's t (normal beyond 30 dof)."""
    if dof < 1:
        return float('nan')
    if dof in _T95:
        return _T95[dof]
    return 1.96 + 2.4 / dof  # within 0.01 of the table for 11..30+


def mean_std(values: Sequence[float]) -> Dict[str, float]:
    """Mean and sample standard deviation (ddof 1; 0 for one value)."""
    n = len(values)
    mean = sum(values) / n
    std = math.sqrt(sum((v - mean)**2 for v in values) /
                    (n - 1)) if n > 1 else 0.0
    return dict(mean=mean, std=std, n=n)


def paired_interval(values: Sequence[float],
                    baseline: Sequence[float]) -> Dict[str, float]:
    """Mean paired difference ``values - baseline`` (same seeds) with its
    95% t-interval ``mean +- t * sd / sqrt(n)``."""
    if len(values) != len(baseline):
        raise ValueError('paired values need the same seeds')
    diffs = [v - b for v, b in zip(values, baseline)]
    stats = mean_std(diffs)
    n = stats['n']
    half = t_quantile_95(n - 1) * stats['std'] / math.sqrt(n) \
        if n > 1 else float('nan')
    return dict(mean=stats['mean'], low=stats['mean'] - half,
                high=stats['mean'] + half, n=n)


def parse_seeds(text: str) -> List[int]:
    """``--seeds 0,1,2`` -> ``[0, 1, 2]``: distinct integers that NumPy and
    torch accept; anything else stops with a message naming the option."""
    try:
        seeds = [int(s) for s in text.split(',') if s.strip()]
    except ValueError:
        raise SystemExit(f'--seeds must be comma-separated integers, got '
                         f'{text!r}') from None
    if not seeds or len(set(seeds)) != len(seeds):
        raise SystemExit(f'--seeds needs distinct integers, got {text!r}')
    out_of_range = [s for s in seeds if not 0 <= s < 2**32]
    if out_of_range:
        raise SystemExit(f'--seeds {out_of_range}: a seed must be in [0, '
                         f'2**32 - 1] (NumPy and torch take no other).')
    return seeds
