"""Measuring helpers shared by `bench.py`: fresh interpreters, best-of timings, peak memory.

Every side of every comparison runs in a fresh interpreter (`python bench.py --side ...`), so
one side's allocations and caches never flatter or burden the other, and the peak memory of a
side is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TypeVar

MB = 1_000_000
T = TypeVar("T")
# What one page fault brings in (page faults are counted where `os.sysconf` exists too).
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Side:
    """One way of doing the work.

    `run(size, repeat)` returns the seconds one unit of work takes and a short check value of
    the result, which must be the same for both sides of a comparison.
    """

    label: str
    run: Callable[[int, int], tuple[float, str]]


@dataclass(frozen=True)
class Comparison:
    """Two ways of doing the same work, timed side by side."""

    name: str
    unit: str  # what one unit of work is: "MB", "call", ...
    baseline: Side
    contender: Side
    target: float | None  # the contender's speed-up this project aims for, if any
    target_text: str
    # For work measured in MB: the most extra memory the contender may use, in input sizes.
    memory_target: float | None
    size: int  # units of work in a full run
    quick_size: int  # units of work with --quick
    # True when the timed runs should take no fresh memory from the operating system: each run
    # reuses what the one before freed. A side whose runs page-fault memory in anyway is named
    # under the table, as its time is then partly the kernel's (see `fresh_memory_note`).
    reuses_memory: bool = False


@dataclass(frozen=True)
class SideResult:
    seconds: float  # per unit of work
    check: str
    peak_extra_bytes: int | None  # peak memory above what the process held before
    # Memory the fastest timed run page-faulted in fresh from the operating system, in bytes,
    # or None where the OS does not count page faults.
    fresh_bytes: int | None = None


@dataclass(frozen=True)
class Row:
    name: str
    unit: str
    size: int
    baseline: str
    contender: str
    baseline_result: SideResult
    contender_result: SideResult
    target: str
    target_value: float | None
    memory_target: float | None
    reuses_memory: bool = False

    @property
    def speed_up(self) -> float:
        return self.baseline_result.seconds / self.contender_result.seconds

    @property
    def contender_memory_ratio(self) -> float | None:
        """The contender's peak extra memory in input sizes, for work measured in MB."""
        extra = self.contender_result.peak_extra_bytes
        return None if extra is None or self.unit != "MB" else extra / (self.size * MB)

    @property
    def target_met(self) -> bool | None:
        if self.target_value is None:
            return None
        met = self.speed_up >= self.target_value
        ratio = self.contender_memory_ratio
        if self.memory_target is not None and ratio is not None:
            met = met and ratio <= self.memory_target
        return met

    def as_json(self, machine_busy: bool | None) -> dict[str, object]:
        """The row as JSON; a quick run (`machine_busy` None) judges no target."""
        return {
            **asdict(self),
            "speed_up": self.speed_up,
            "contender_memory_ratio": self.contender_memory_ratio,
            "target_met": None if machine_busy is None else self.target_met,
            "machine_busy": machine_busy,
            "fresh_memory_note": None if machine_busy is None else fresh_memory_note(self),
        }


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    """The fastest of `repeat` runs of `work`, in seconds, and the last run's result.

    The fastest run is the one least disturbed by the rest of the machine. Each result is freed
    before the next run starts, outside the timed region, so runs neither pay for freeing the
    previous result nor keep several results alive at once. The memory the fastest run faulted
    in fresh is kept for `run_side`.
    """
    fastest = float("inf")
    result: T | None = None
    for _ in range(repeat):
        result = None
        faults_before = page_faults()
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
        faults_after = page_faults()
        if seconds < fastest:
            fastest = seconds
            _fastest_run_faults[:] = (
                []
                if faults_before is None or faults_after is None
                else [faults_after - faults_before]
            )
    assert result is not None
    return fastest, result


def page_faults() -> int | None:
    """The minor page faults of this process so far (each one a page of memory touched for the
    first time, which the kernel zeroes first), or None where the OS does not count them."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


# The page faults of the fastest run `best_of` timed last.
_fastest_run_faults: list[int] = []


def peak_memory_bytes() -> int | None:
    """This process's peak resident memory so far, or None where the OS does not say."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak if sys.platform == "darwin" else peak * 1024


# The peak memory when the running side's inputs were ready: what the work itself adds is
# measured from there, so building the input never counts against the work.
_peak_before_work: list[int | None] = []


def inputs_ready() -> None:
    """Called by a side once its inputs are built, just before the timed work."""
    _peak_before_work.append(peak_memory_bytes())


def run_side(side: Side, size: int, repeat: int) -> SideResult:
    """Run one side in this process."""
    _peak_before_work.clear()
    _peak_before_work.append(peak_memory_bytes())
    _fastest_run_faults.clear()
    seconds, check = side.run(size, repeat)
    before, after = _peak_before_work[-1], peak_memory_bytes()
    extra = None if before is None or after is None else max(after - before, 0)
    fresh = _fastest_run_faults[0] * PAGE_SIZE if _fastest_run_faults else None
    return SideResult(seconds=seconds, check=check, peak_extra_bytes=extra, fresh_bytes=fresh)


def measure(script: str, comparison: Comparison, which: str, quick: bool) -> SideResult:
    """Run one side of `comparison` in a fresh interpreter and return what it reported."""
    command = [sys.executable, script, "--side", comparison.name, which]
    if quick:
        command.append("--quick")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{comparison.name} ({which}) failed:\n{done.stderr}")
    return SideResult(**json.loads(done.stdout))


def compare(script: str, comparison: Comparison, quick: bool) -> Row:
    baseline = measure(script, comparison, "baseline", quick)
    contender = measure(script, comparison, "contender", quick)
    if baseline.check != contender.check:
        sys.exit(f"{comparison.name}: the two sides disagree on the result")
    return Row(
        name=comparison.name,
        unit=comparison.unit,
        size=comparison.quick_size if quick else comparison.size,
        baseline=comparison.baseline.label,
        contender=comparison.contender.label,
        baseline_result=baseline,
        contender_result=contender,
        target=comparison.target_text,
        target_value=comparison.target,
        memory_target=comparison.memory_target,
        reuses_memory=comparison.reuses_memory,
    )


def format_time(seconds: float, unit: str) -> str:
    for scale, suffix in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale:
            return f"{seconds / scale:.2f} {suffix}/{unit}"
    return f"{seconds / 1e-9:.0f} ns/{unit}"


def format_memory(extra: int | None, size: int, unit: str) -> str:
    if extra is None:
        return "n/a"
    text = f"{extra / MB:.0f} MB"
    if unit == "MB":
        text += f" ({extra / (size * MB):.1f}x input)"
    return text


def verdict(row: Row, busy: bool) -> str:
    """` (met)`, ` (missed)`, or nothing for a comparison without a target."""
    met = row.target_met
    if met is None:
        return ""
    word = "met" if met else "missed"
    return f" ({word}; machine busy)" if busy else f" ({word})"


def table(rows: Sequence[Row], verdicts: bool, busy: bool = False) -> str:
    """The results, one line per comparison; with `verdicts`, each target says met or missed."""
    header = ("comparison", "baseline", "contender", "speed-up", "peak memory (b / c)", "target")
    lines = [header]
    for row in rows:
        met = verdict(row, busy) if verdicts else ""
        base, cont = row.baseline_result, row.contender_result
        lines.append(
            (
                f"{row.name} [{row.size} {row.unit}]",
                f"{row.baseline}: {format_time(base.seconds, row.unit)}",
                f"{row.contender}: {format_time(cont.seconds, row.unit)}",
                f"{row.speed_up:.2f}x",
                f"{format_memory(base.peak_extra_bytes, row.size, row.unit)} / "
                f"{format_memory(cont.peak_extra_bytes, row.size, row.unit)}",
                f"{row.target}{met}",
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


# A machine counts as busy when other work took at least this much of a CPU on average...
BUSY_LOAD = 0.5
# ...and left fewer CPUs than this for the benchmark, whose threaded comparisons use two.
CPUS_NEEDED = 2


@dataclass(frozen=True)
class MachineLoad:
    """The 1-minute load average just before and just after the measurements, and the CPUs."""

    before: float | None
    after: float | None
    cpus: int

    @classmethod
    def now(cls, before: MachineLoad | None = None) -> MachineLoad:
        """A reading before the run, or (given the one before) after it."""
        try:
            load: float | None = os.getloadavg()[0]
        except (AttributeError, OSError):  # Windows has no load average
            load = None
        cpus = os.cpu_count() or 1
        if before is None:
            return cls(before=load, after=None, cpus=cpus)
        return cls(before=before.before, after=load, cpus=cpus)

    @property
    def others(self) -> float | None:
        """About how many CPUs other work kept busy: the load before the run, or the load after
        it less the one CPU the benchmark itself kept busy, whichever is higher."""
        if self.before is None or self.after is None:
            return None
        return max(self.before, self.after - 1.0)

    @property
    def busy(self) -> bool:
        others = self.others
        return others is not None and others >= BUSY_LOAD and self.cpus - others < CPUS_NEEDED

    def describe(self) -> str:
        if self.before is None or self.after is None:
            return (
                "machine load: unknown (no load average on this system); a missed target may "
                "only mean the machine was busy"
            )
        reading = (
            f"load average {self.before:.1f} before the run and {self.after:.1f} after it, on "
            f"{self.cpus} CPUs"
        )
        if self.busy:
            return (
                f"machine busy: {reading}, so other work competed for the CPUs. The timings are "
                "slower than on an idle machine, and a missed target may say more about the "
                "machine than about the code: run again when it is idle."
            )
        return f"machine idle: {reading} (the benchmark itself adds about 1)."


# Even a run that reuses memory faults a little in (a bigger list, a thread's first arena): up
# to this share of the work's size is not counted as fresh memory.
FRESH_MEMORY_SHARE = 0.05


def fresh_memory_note(row: Row) -> str | None:
    """For a comparison whose timed runs should reuse memory (work measured in MB), the sides
    whose fastest run page-faulted fresh memory in anyway, or None."""
    if not row.reuses_memory or row.unit != "MB":
        return None
    work = row.size * MB
    sides = [
        f"{label}: {result.fresh_bytes / work:.2f} MB"
        for label, result in (
            (row.baseline, row.baseline_result),
            (row.contender, row.contender_result),
        )
        if result.fresh_bytes is not None and result.fresh_bytes > FRESH_MEMORY_SHARE * work
    ]
    if not sides:
        return None
    return (
        f"{row.name}: the timed runs took fresh memory from the operating system "
        f"({', '.join(sides)} per MB of work) where each should reuse what the run before freed, "
        "so part of each time is the kernel zeroing pages: has the way the results are made or "
        "freed changed?"
    )


DEBUG_BUILD_REFUSED = """\
refusing to time a debug build: the extension in this environment was built without
optimisations (by `just test`, `just develop` or `maturin develop`), and its timings would say
nothing about Rust. Rebuild it in release mode and run the benchmark in one go:
    uv run --reinstall-package {distribution} python benches/bench.py
or `just bench`, which does the same. (`--quick` runs on a debug build: it measures nothing.)"""


def main(
    comparisons: Sequence[Comparison],
    script: str,
    argv: Sequence[str],
    *,
    debug_build: bool,
    distribution: str,
) -> int:
    """Runs the comparisons and prints the table, or one side when called with `--side`.

    A full run refuses a debug build of the extension (`debug_build`) with exit code 2, saying
    how to rebuild `distribution` in release mode; a `--quick` run judges no target.
    """
    parser = argparse.ArgumentParser(description="Rust against pure Python, side by side.")
    parser.add_argument(
        "--quick", action="store_true", help="small inputs, one repeat; judges no target"
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--side", nargs=2, metavar=("NAME", "WHICH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else 5

    if args.side:
        name, which = args.side
        comparison = next(each for each in comparisons if each.name == name)
        size = comparison.quick_size if args.quick else comparison.size
        side = comparison.baseline if which == "baseline" else comparison.contender
        print(json.dumps(asdict(run_side(side, size, repeat))))
        return 0

    if debug_build and not args.quick:
        print(DEBUG_BUILD_REFUSED.format(distribution=distribution), file=sys.stderr)
        return 2

    before = MachineLoad.now()
    rows = [compare(script, comparison, args.quick) for comparison in comparisons]
    busy: bool | None = None
    if args.quick:
        print(table(rows, verdicts=False))
        build = "a debug build, " if debug_build else ""
        print(
            f"\n--quick: small inputs, one repeat, {build}so the figures only show that every "
            "side runs; no target is judged."
        )
    else:
        load = MachineLoad.now(before)
        busy = load.busy
        print(table(rows, verdicts=True, busy=busy))
        notes = [note for note in map(fresh_memory_note, rows) if note is not None]
        for note in notes:
            print(f"\n{note}")
        print(f"\n{load.describe()}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump([row.as_json(busy) for row in rows], file, indent=2)
    return 0
