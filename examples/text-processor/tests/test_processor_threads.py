"""A processor's shared state holds up when threads use it at once, with or without a GIL.

On a free-threaded CPython these threads really run in parallel; with a GIL they still
interleave wherever a plugin lets another thread run (`time.sleep`, I/O). Each test is marked
with the last workshop exercise it needs (see conftest.py).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from text_processor import TextProcessor

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


@pytest.mark.exercise8
def test_one_processor_shared_by_threads_gives_each_call_the_same_result() -> None:
    # Every call trims into the processor's one scratch buffer, or into a fresh one when another
    # thread is using it: no call may see another's half-written buffer.
    processor = TextProcessor("  first line  \n\t second line \n" * 200)
    expected = processor.process()

    results = run_together(lambda _: {processor.process() for _ in range(50)})

    assert results == [{expected}] * THREADS


@pytest.mark.exercise8
def test_processors_made_at_once_each_load_their_plugins(tmp_path: Path) -> None:
    # While a plugin first runs, its module is in `sys.modules` (dataclasses looks it up there);
    # the sleep lets the other threads' loads run in the middle of this one.
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "slow.py").write_text(
        "from __future__ import annotations\n"
        "import time\n"
        "from dataclasses import dataclass\n"
        "time.sleep(0.02)\n"
        "@dataclass\n"
        "class Suffix:\n"
        "    text: str\n"
        "def process(text: str) -> str:\n"
        "    return text + Suffix('!').text\n",
        encoding="utf-8",
    )
    modules_before = set(sys.modules)

    results = run_together(lambda index: TextProcessor(f"text {index}", folder).process())

    assert results == [f"text {index}!" for index in range(THREADS)]
    assert set(sys.modules) - modules_before == set()
