"""Where Rust pays and where it does not: the trim stage, the plugin chain, and threads.

    just bench                                # the full run (50 MB of text; about a minute)
    uv run python benches/bench.py --quick    # small inputs, one repeat: checks it still works

`just bench` rebuilds the extension in release mode first: a full run refuses a debug build
(from `maturin develop`). Each side of each comparison runs in a fresh interpreter; see
`_measure.py`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import {{crate_name}}
from _measure import MB, Comparison, Side, best_of, inputs_ready, main
from {{crate_name}} import (
    TextProcessor,
    _{{crate_name}},
)

PACKAGE_DIR = Path({{crate_name}}.__file__).parent
BUNDLED_PLUGINS = PACKAGE_DIR / "plugins"
LINE = "    the quick brown fox jumps over the lazy dog, 0123456789    \n"


def make_text(megabytes: float) -> str:
    """About `megabytes` MB of indented ASCII lines, built without a large temporary."""
    return LINE * int(megabytes * MB / len(LINE))


def digest(text: str) -> str:
    """A short fingerprint of `text`, hashed a slice at a time so it adds no copy of its own."""
    hasher = hashlib.sha256()
    for start in range(0, len(text), MB):
        hasher.update(text[start : start + MB].encode())
    return hasher.hexdigest()[:16]


def python_trim(text: str) -> str:
    """The pure-Python twin of the Rust stage (the same result for this ASCII text)."""
    return "\n".join([line.strip() for line in text.splitlines()])


def python_plugins() -> list[Callable[[str], str]]:
    """The bundled plugins' `process` functions, loaded in Python the way Rust loads them."""
    functions = []
    for path in sorted(BUNDLED_PLUGINS.glob("[!_]*.py")):
        spec = importlib.util.spec_from_file_location(f"bench_plugin_{path.stem}", path)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        functions.append(module.process)
    return functions


def trim_in_python(megabytes: int, repeat: int) -> tuple[float, str]:
    text = make_text(megabytes)
    inputs_ready()
    seconds, result = best_of(repeat, lambda: python_trim(text))
    return seconds / megabytes, digest(result)


def trim_in_rust(megabytes: int, repeat: int) -> tuple[float, str]:
    text = make_text(megabytes)
    inputs_ready()  # the processor's own memory counts: it is part of the Rust path
    with tempfile.TemporaryDirectory() as no_plugins:
        processor = TextProcessor(text, no_plugins)
        seconds, result = best_of(repeat, processor.process)
    return seconds / megabytes, digest(result)


def chain_from_python(megabytes: int, repeat: int) -> tuple[float, str]:
    trimmed = python_trim(make_text(megabytes))
    plugins = python_plugins()
    inputs_ready()

    def chain() -> str:
        text = trimmed
        for process in plugins:
            text = process(text)
        return text

    seconds, result = best_of(repeat, chain)
    return seconds / megabytes, digest(result)


def chain_from_rust(megabytes: int, repeat: int) -> tuple[float, str]:
    # The chain's own cost: processing with the bundled plugins, less processing without any.
    text = make_text(megabytes)
    inputs_ready()
    with tempfile.TemporaryDirectory() as no_plugins:
        trim_only, _ = best_of(repeat, TextProcessor(text, no_plugins).process)
    full, result = best_of(repeat, TextProcessor(text).process)
    return (full - trim_only) / megabytes, digest(result)


def threads(thread_count: int) -> Callable[[int, int], tuple[float, str]]:
    """Trim a pile of separate texts, `megabytes` in all, on a pool of `thread_count` threads.

    Ten texts rather than one per thread: with several items each, one thread's trimming (the
    interpreter released) overlaps another's turning its result into a Python `str` (which
    needs the interpreter), as in any real pool of work. The pool is made before the clock
    starts, so thread start-up and each thread's first allocations are not timed.

    Each task hands its result on and lets it go, as a pipeline does: the next result then
    reuses the memory, warm. Were a run to keep all ten results and free them together after
    it, the allocator could give those 50 MB back to the operating system, and every run would
    page-fault them in again while making each `str` (see `reuses_memory`). The check values
    come from one more, untimed, run.
    """

    def run(megabytes: int, repeat: int) -> tuple[float, str]:
        texts = 10
        with tempfile.TemporaryDirectory() as no_plugins, ThreadPoolExecutor(thread_count) as pool:
            processors = [
                TextProcessor(make_text(megabytes / texts), no_plugins) for _ in range(texts)
            ]
            inputs_ready()

            def lengths() -> list[int]:
                return list(pool.map(lambda processor: len(processor.process()), processors))

            lengths()  # warm every thread up once
            seconds, _ = best_of(repeat, lengths)
            checks = pool.map(lambda processor: digest(processor.process()), processors)
            check = " ".join(sorted(checks))
        return seconds / megabytes, check

    return run


COMPARISONS = [
    Comparison(
        name="trim every line",
        unit="MB",
        baseline=Side("Python", trim_in_python),
        contender=Side("Rust", trim_in_rust),
        target=5.0,
        target_text="≥ 5x, Rust peak ≤ 3x input",
        memory_target=3.0,
        size=50,
        quick_size=1,
    ),
    Comparison(
        name="plugin chain",
        unit="MB",
        baseline=Side("Python loop", chain_from_python),
        contender=Side("run from Rust", chain_from_rust),
        target=1 / 1.1,
        target_text="≥ 0.91x (at most 10% slower)",
        memory_target=None,
        size=20,
        quick_size=1,
    ),
    Comparison(
        name="trim, 2 threads",
        unit="MB",
        baseline=Side("1 thread", threads(1)),
        contender=Side("2 threads", threads(2)),
        target=1.7,
        target_text="≥ 1.7x",
        memory_target=None,
        size=50,
        quick_size=2,
        reuses_memory=True,
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
