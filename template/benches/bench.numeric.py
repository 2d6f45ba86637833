"""The fused kernel against NumPy and plain Python, and what a second thread buys.

    just bench                                # the full run (10 million values; under a minute)
    uv run python benches/bench.py --quick    # small inputs, one repeat: checks it still works

`just bench` rebuilds the extension in release mode first: a full run refuses a debug build
(from `maturin develop`). Each side of each comparison runs in a fresh interpreter; see
`_measure.py`. The work is measured in MB of float64 values (8 bytes each: 80 MB is 10 million
values), so that each side's peak memory reads as a multiple of the input.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from _measure import MB, Comparison, Side, best_of, inputs_ready, main
from {{crate_name}} import (
    _{{crate_name}},
    summarize,
)

FLOAT64_BYTES = 8
Stats = tuple[float, float, float, float]


def make_values(megabytes: int) -> npt.NDArray[np.float64]:
    """`megabytes` MB of normally distributed float64 values, the same on every run."""
    return np.random.default_rng(2024).normal(5.0, 2.0, megabytes * MB // FLOAT64_BYTES)


def check(stats: Stats) -> str:
    """The four statistics to 9 significant digits: the sides sum in different orders."""
    return " ".join(f"{value:.9g}" for value in stats)


def with_numpy(megabytes: int, repeat: int) -> tuple[float, str]:
    values = make_values(megabytes)
    inputs_ready()

    def expression() -> Stats:
        # What a NumPy user writes: four reductions, and `std` makes a temporary array of the
        # deviations as large as the input.
        return (float(values.mean()), float(values.std()), values.min(), values.max())

    seconds, stats = best_of(repeat, expression)
    return seconds / megabytes, check(stats)


def with_python(megabytes: int, repeat: int) -> tuple[float, str]:
    values: list[float] = make_values(megabytes).tolist()
    inputs_ready()

    def plain() -> Stats:
        mean = sum(values) / len(values)
        variance = sum((value - mean) ** 2 for value in values) / len(values)
        return (mean, math.sqrt(variance), min(values), max(values))

    seconds, stats = best_of(repeat, plain)
    return seconds / megabytes, check(stats)


def with_rust(
    threads: int | None, *, runs_per_repeat: int = 1
) -> Callable[[int, int], tuple[float, str]]:
    """`summarize` on `threads` threads (None: its own choice, one per CPU for this size), the
    fastest of `runs_per_repeat` times as many runs as the other sides get."""

    def run(megabytes: int, repeat: int) -> tuple[float, str]:
        values = make_values(megabytes)
        inputs_ready()

        def fused() -> Stats:
            summary = summarize(values, threads=threads)
            return (summary.mean, summary.std, summary.min, summary.max)

        seconds, stats = best_of(repeat * runs_per_repeat, fused)
        return seconds / megabytes, check(stats)

    return run


COMPARISONS = [
    Comparison(
        name="mean, std, min, max",
        unit="MB",
        baseline=Side("NumPy expression", with_numpy),
        contender=Side("summarize", with_rust(None)),
        target=2.0,
        target_text="≥ 2x, peak ≤ 0.1x input",
        memory_target=0.1,
        size=80,
        quick_size=1,
    ),
    Comparison(
        name="mean, std, min, max vs Python",
        unit="MB",
        baseline=Side("plain Python", with_python),
        contender=Side("summarize", with_rust(None)),
        target=50.0,
        target_text="≥ 50x, peak ≤ 0.1x input",
        memory_target=0.1,
        size=80,
        quick_size=1,
    ),
    # A run of two threads is only as fast as the slower one, and on a machine shared with other
    # work one of them is often paused for a while: both sides get the fastest of 40 runs (a run
    # takes milliseconds), so that the comparison finds moments when both CPUs were free.
    Comparison(
        name="summarize, 2 threads",
        unit="MB",
        baseline=Side("1 thread", with_rust(1, runs_per_repeat=8)),
        contender=Side("2 threads", with_rust(2, runs_per_repeat=8)),
        target=1.6,
        target_text="≥ 1.6x",
        memory_target=None,
        size=80,
        quick_size=1,
    ),
]

if __name__ == "__main__":
    sys.exit(
        main(
            COMPARISONS,
            __file__,
            sys.argv[1:],
            debug_build=_{{crate_name}}.DEBUG_BUILD,
            distribution="{{project-name}}",
        )
    )
