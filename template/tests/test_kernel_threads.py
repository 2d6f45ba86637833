"""The kernels from several Python threads at once, and the interpreter released while they work.

On a free-threaded CPython these threads run in parallel; with a GIL they overlap while the
kernels run with the interpreter released.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

import numpy as np

from {{crate_name}} import (
    column_stats,
    rolling_mean,
    summarize,
)

THREADS = 8


def run_together(work: Callable[[int], object]) -> list[object]:
    """Run `work(index)` on THREADS threads released at the same moment; return the results."""
    start = threading.Barrier(THREADS)
    results: list[object] = [None] * THREADS

    def thread(index: int) -> None:
        start.wait()
        try:
            results[index] = work(index)
        except BaseException as exc:  # recorded, so that the test shows it
            results[index] = exc

    threads = [threading.Thread(target=thread, args=(index,)) for index in range(THREADS)]
    for each in threads:
        each.start()
    for each in threads:
        each.join()
    return results


def test_threads_sharing_one_array_each_get_the_whole_answer() -> None:
    values = np.random.default_rng(11).random(300_000)
    matrix = values.reshape(-1, 6)
    expected = summarize(values, threads=1)
    expected_rolling = rolling_mean(values, 100)
    expected_columns = column_stats(matrix)

    def work(index: int) -> bool:
        summary = summarize(values, threads=1 + index % 3)
        rolling = rolling_mean(values, 100)
        columns = column_stats(matrix)
        return (
            (summary.mean, summary.std, summary.min, summary.max)
            == (expected.mean, expected.std, expected.min, expected.max)
            and np.array_equal(rolling, expected_rolling)
            and all(np.array_equal(a, b) for a, b in zip(columns, expected_columns, strict=True))
        )

    assert run_together(work) == [True] * THREADS


def test_threads_writing_into_outputs_of_their_own_do_not_mix() -> None:
    values = [np.full(10_000, float(index)) for index in range(THREADS)]
    outs = [np.empty(9_991) for _ in range(THREADS)]

    def work(index: int) -> bool:
        for _ in range(20):
            rolling_mean(values[index], 10, out=outs[index])
        return bool((outs[index] == index).all())

    assert run_together(work) == [True] * THREADS


def test_summarize_lets_other_python_threads_run_meanwhile() -> None:
    # With a switch interval of minutes, a thread waiting for the GIL gets it only when the
    # holder lets go of it by itself: while `summarize` runs, the ticker below can count only if
    # `summarize` released the interpreter. (Without a GIL, it always can.)
    values = np.random.default_rng(2).random(4_000_000)
    ticks = 0
    stop = threading.Event()

    def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            time.sleep(0.0002)  # sleeping lets go of the GIL, so this thread never holds it up
            ticks += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(300.0)
    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        during = []
        for _ in range(20):
            before = ticks
            summarize(values, threads=1)
            during.append(ticks - before)
            if during[-1] > 0:
                break
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(interval)

    assert during[-1] > 0, f"no other thread ran during {len(during)} calls"
