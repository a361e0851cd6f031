"""tools/benchmark_step.py runs and reports (its figures are not asserted:
speed is measured by running the benchmark, never by tests)."""
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_benchmark_step_reports_both_steps_and_ratio():
    result = subprocess.run(
        [sys.executable, 'tools/benchmark_step.py', '--batch-size', '2',
         '--warmup', '0', '--iters', '1'],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert re.search(r'supervised step \(B=2\):\s+[\d.]+ s', out)
    assert re.search(r'adaptation step \(B=2\+2, EMA\):\s+[\d.]+ s', out)
    ratio = float(re.search(r'ratio adaptation / supervised:\s+([\d.]+)',
                            out).group(1))
    assert ratio > 0
