"""What a call into Rust costs, and what releasing the interpreter buys.

    just bench                                # the full run (a few seconds)
    uv run python benches/bench.py --quick    # small inputs, one repeat: checks it still works

`just bench` rebuilds the extension in release mode first: a full run refuses a debug build
(from `maturin develop`). Each side of each comparison runs in a fresh interpreter; see
`_measure.py`.
"""

from __future__ import annotations

import sys
import threading
import timeit
from collections.abc import Callable

from _measure import Comparison, Side, best_of, inputs_ready, main
from {{crate_name}} import (
    Message,
    _{{crate_name}},
)


def python_greet(name: str) -> str:
    """The pure-Python twin of `Message.greet`."""
    return f"Hello, {name} !"


def per_call(greet: Callable[[str], str]) -> Callable[[int, int], tuple[float, str]]:
    def run(calls: int, repeat: int) -> tuple[float, str]:
        timer = timeit.Timer("greet(name)", globals={"greet": greet, "name": "eunsang"})
        return min(timer.repeat(repeat, calls)) / calls, greet("eunsang")

    return run


def batches(thread_count: int) -> Callable[[int, int], tuple[float, str]]:
    """Greet `names` names with `greet_many`, in two batches shared by `thread_count` threads."""

    def run(names: int, repeat: int) -> tuple[float, str]:
        batch = [f"name{i}" for i in range(names // 2)]
        inputs_ready()
        shares = [2 // thread_count] * thread_count

        def both_batches() -> list[list[str]]:
            results: list[list[str]] = []

            def work(count: int) -> None:
                results.extend(Message.greet_many(batch) for _ in range(count))

            workers = [threading.Thread(target=work, args=(share,)) for share in shares]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            return results

        seconds, results = best_of(repeat, both_batches)
        return seconds / names, f"{len(results)} batches, last: {results[-1][-1]}"

    return run


def python_batch(names: int, repeat: int) -> tuple[float, str]:
    batch = [f"name{i}" for i in range(names)]
    inputs_ready()
    seconds, result = best_of(repeat, lambda: [python_greet(name) for name in batch])
    return seconds / names, f"{len(result)}: {result[-1]}"


def rust_batch(names: int, repeat: int) -> tuple[float, str]:
    batch = [f"name{i}" for i in range(names)]
    inputs_ready()
    seconds, result = best_of(repeat, lambda: Message.greet_many(batch))
    return seconds / names, f"{len(result)}: {result[-1]}"


COMPARISONS = [
    Comparison(
        name="greet, per call",
        unit="call",
        baseline=Side("Python function", per_call(python_greet)),
        contender=Side("Message.greet", per_call(Message.greet)),
        target=0.5,
        target_text="≥ 0.5x (within 2x of Python)",
        memory_target=None,
        size=1_000_000,
        quick_size=1_000,
    ),
    Comparison(
        name="greet_many, per name",
        unit="name",
        baseline=Side("list comprehension", python_batch),
        contender=Side("greet_many", rust_batch),
        target=None,
        target_text="none: shows the cost of converting lists",
        memory_target=None,
        size=1_000_000,
        quick_size=1_000,
    ),
    Comparison(
        name="greet_many, 2 threads",
        unit="name",
        baseline=Side("1 thread", batches(1)),
        contender=Side("2 threads", batches(2)),
        target=None,
        target_text="none: conversions hold the interpreter",
        memory_target=None,
        size=1_000_000,
        quick_size=1_000,
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
