"""A processor's shared state holds up when threads use it at once, with or without a GIL.

On a free-threaded CPython these threads really run in parallel; with a GIL they still
interleave wherever a plugin lets another thread run (`time.sleep`, I/O).
"""

from __future__ import annotations

import subprocess
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


def test_one_processor_shared_by_threads_gives_each_call_the_same_result() -> None:
    # Every call trims into the processor's one scratch buffer, or into a fresh one when another
    # thread is using it: no call may see another's half-written buffer.
    processor = TextProcessor("  first line  \n\t second line \n" * 200)
    expected = processor.process()

    results = run_together(lambda _: {processor.process() for _ in range(50)})

    assert results == [{expected}] * THREADS


def test_processors_made_at_once_each_load_their_plugins(tmp_path: Path) -> None:
    # While a plugin first runs, its module is in `sys.modules` (dataclasses looks it up there),
    # under a name no other load uses; the sleep lets the other threads' loads run in the middle
    # of this one, and none may take another's module away or leave its own behind.
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


def test_a_plugin_waiting_for_a_processor_made_on_another_thread_loads(tmp_path: Path) -> None:
    # The plugin's import-time code makes a processor on a second thread, which loads plugins of
    # its own, and waits for it. Nothing the two loads share may make one wait for the other.
    # A child interpreter runs it: were they to wait for each other, the timeout ends the child
    # and fails the test, instead of hanging the whole run.
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "shout.py").write_text(
        "def process(text: str) -> str:\n    return text.upper()\n", encoding="utf-8"
    )
    outer = tmp_path / "outer"
    outer.mkdir()
    (outer / "waits.py").write_text(
        "import threading\n"
        "from text_processor import TextProcessor\n"
        "made = []\n"
        "def make() -> None:\n"
        f"    made.append(TextProcessor('inner', {str(inner)!r}))\n"
        "worker = threading.Thread(target=make)\n"
        "worker.start()\n"
        "worker.join()\n"
        "def process(text: str) -> str:\n"
        "    return text + ' ' + made[0].process()\n",
        encoding="utf-8",
    )
    script = "\n".join(
        [
            "from text_processor import TextProcessor",
            f"print(TextProcessor('outer', {str(outer)!r}).process())",
        ]
    )

    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the plugin's load and the other thread's waited for each other for 60 s")

    assert (done.returncode, done.stdout, done.stderr) == (0, "outer INNER\n", "")
