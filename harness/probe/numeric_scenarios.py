"""Scenarios for the numeric style: one row per behaviour the style promises.

Scenarios return what a learner should look at, or let the exception escape; they do not assert
(see text_processor_scenarios.py). NumPy, the project's own dependency, is imported when a
scenario runs, not with the table: `--list-scenarios` and the probe's linter read the table
without it. Arrays are returned as lists and floats: NumPy's reprs change between versions.
"""

from __future__ import annotations

import array
import importlib
import struct
import sys
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from scenario import Scenario


def numpy() -> ModuleType:
    return importlib.import_module("numpy")


def native(pkg: ModuleType) -> ModuleType:
    """The package's native module, `<pkg>._<pkg>`: it holds the functions it does not export."""
    return importlib.import_module(f"{pkg.__name__}._{pkg.__name__}")


def example(pkg: ModuleType) -> Any:  # a Summary: a class of the package, unknown here
    return pkg.summarize(numpy().array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]))


def address_of(values: object) -> int:
    """Where NumPy says an array's first value lies."""
    address: int = numpy().asarray(values).__array_interface__["data"][0]
    return address


# --------------------------------------------------------------------------------------------
# summarize


def summarize_example(pkg: ModuleType, _work_dir: Path) -> object:
    return example(pkg)


def summarize_matches_numpy(pkg: ModuleType, _work_dir: Path) -> object:
    np = numpy()
    values = np.random.default_rng(7).normal(loc=3.0, scale=2.0, size=100_003)
    summary = pkg.summarize(values)
    mean, std = float(values.mean()), float(values.std())
    return {
        "count": summary.count,
        "mean_within_1e-12": abs(summary.mean - mean) <= 1e-12 * abs(mean),
        "std_within_1e-12": abs(summary.std - std) <= 1e-12 * std,
        "min_and_max_equal": (summary.min, summary.max) == (values.min(), values.max()),
    }


def same_bits_on_any_threads(pkg: ModuleType, _work_dir: Path) -> object:
    values = numpy().random.default_rng(1).random(1_000_001)
    counts = (1, 2, 3, 8)
    results = set()
    for count in counts:
        summary = pkg.summarize(values, threads=count)
        results.add((summary.mean, summary.std, summary.min, summary.max))
    return {"threads": counts, "different_results": len(results)}


def summarize_nan(pkg: ModuleType, _work_dir: Path) -> object:
    np = numpy()
    return pkg.summarize(np.array([1.0, 2.0, np.nan, 4.0, 5.0]))


def summarize_empty(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.summarize(numpy().array([], dtype=numpy().float64))


def threads_zero(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.summarize(numpy().arange(4.0), threads=0)


def summary_frozen(pkg: ModuleType, _work_dir: Path) -> object:
    summary = example(pkg)
    try:
        summary.mean = 0.0
    except Exception as exc:
        # The message differs between Python versions; the type and the kept value do not.
        return {"raised": type(exc).__name__, "mean": summary.mean}
    return {"raised": None, "mean": summary.mean}


# --------------------------------------------------------------------------------------------
# Reading the input in place


def contiguous_in_place(pkg: ModuleType, _work_dir: Path) -> object:
    values = numpy().arange(1000.0)
    return {
        "read_in_place": native(pkg).data_address(values) == address_of(values),
        "slice_read_in_place": native(pkg).data_address(values[10:20])
        == address_of(values) + 10 * 8,
    }


def strided_copied_once(pkg: ModuleType, _work_dir: Path) -> object:
    values = numpy().arange(1000.0)
    every_other = values[::2]
    return {
        "read_in_place": native(pkg).data_address(every_other) == address_of(values),
        "mean": pkg.summarize(every_other).mean,
        "max_of_reversed": pkg.summarize(values[::-1]).max,
    }


def buffers_in_place(pkg: ModuleType, _work_dir: Path) -> object:
    doubles = array.array("d", [1.0, 2.0, 3.0, 6.0])
    values = numpy().arange(10.0)
    view = memoryview(values.data)
    return {
        "array_read_in_place": native(pkg).data_address(doubles) == doubles.buffer_info()[0],
        "array_mean": pkg.summarize(doubles).mean,
        "memoryview_read_in_place": native(pkg).data_address(view) == address_of(values),
        "memoryview_2_on_min": pkg.summarize(view[2:]).min,
    }


def bytes_in_place(pkg: ModuleType, _work_dir: Path) -> object:
    packed = struct.pack("=3d", 1.5, -2.0, 4.0)
    viewed = numpy().frombuffer(packed, dtype=numpy().float64)
    return {
        "read_in_place": native(pkg).data_address(packed) == address_of(viewed),
        "summary": pkg.summarize(packed),
        "bytearray_max": pkg.summarize(bytearray(packed)).max,
    }


def list_refused(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.summarize([1.0, 2.0])


def int_dtype_refused(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.summarize(numpy().arange(4, dtype=numpy().int64))


def matrix_as_vector(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.summarize(numpy().zeros((2, 3)))


# --------------------------------------------------------------------------------------------
# rolling_mean, new arrays and out=


def rolling_new_array(pkg: ModuleType, _work_dir: Path) -> object:
    means = pkg.rolling_mean(numpy().array([1.0, 2.0, 3.0, 4.0, 5.0]), 2)
    return {
        "means": means.tolist(),
        "dtype": str(means.dtype),
        "owns_its_data": bool(means.flags.owndata),
        "base": type(means.base).__name__,
    }


def rolling_nan(pkg: ModuleType, _work_dir: Path) -> object:
    np = numpy()
    return pkg.rolling_mean(np.array([1.0, np.nan, 3.0, 4.0, 5.0]), 2).tolist()


def rolling_window_too_long(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.rolling_mean(numpy().arange(5.0), 6)


def rolling_into_out(pkg: ModuleType, _work_dir: Path) -> object:
    out = numpy().full(4, -1.0)
    result = pkg.rolling_mean(numpy().array([1.0, 2.0, 3.0, 4.0, 5.0]), 2, out=out)
    return {"returned_out_itself": result is out, "out": out.tolist()}


def out_overlapping(pkg: ModuleType, _work_dir: Path) -> object:
    values = numpy().arange(6.0)
    return pkg.rolling_mean(values[:5], 2, out=values[2:6])


def out_read_only(pkg: ModuleType, _work_dir: Path) -> object:
    out = numpy().empty(4)
    out.flags.writeable = False
    return pkg.rolling_mean(numpy().arange(5.0), 2, out=out)


def out_wrong_length(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.rolling_mean(numpy().arange(5.0), 2, out=numpy().empty(5))


def out_wrong_dtype(pkg: ModuleType, _work_dir: Path) -> object:
    out = numpy().empty(4, dtype=numpy().float32)
    return pkg.rolling_mean(numpy().arange(5.0), 2, out=out)


# --------------------------------------------------------------------------------------------
# column_stats: a 2-D array


MATRIX = [[1.0, 10.0, 0.0], [3.0, 10.0, 0.5], [5.0, 40.0, 1.0]]


def column_stats_c_order(pkg: ModuleType, _work_dir: Path) -> object:
    mean, std = pkg.column_stats(numpy().array(MATRIX))
    return {"mean": mean.tolist(), "std": std.tolist()}


def column_stats_fortran_order(pkg: ModuleType, _work_dir: Path) -> object:
    np = numpy()
    by_rows = pkg.column_stats(np.array(MATRIX))
    by_columns = pkg.column_stats(np.asfortranarray(np.array(MATRIX)))
    return {
        "same_as_c_order": [a.tolist() for a in by_columns] == [a.tolist() for a in by_rows],
        "mean": by_columns[0].tolist(),
    }


# --------------------------------------------------------------------------------------------
# Threads, the interpreter, panics


def interpreter_released(pkg: ModuleType, _work_dir: Path) -> object:
    # With a switch interval of minutes, a thread waiting for the GIL gets it only when the
    # holder lets go of it by itself: the ticker counts during a call only if the call released
    # the interpreter. (Without a GIL it always can.)
    values = numpy().random.default_rng(2).random(4_000_000)
    ticks = 0
    stop = threading.Event()

    def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            time.sleep(0.0002)
            ticks += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(300.0)
    thread = threading.Thread(target=ticker)
    thread.start()
    ran = False
    try:
        for _ in range(20):
            before = ticks
            pkg.summarize(values, threads=1)
            ran = ticks > before
            if ran:
                break
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(interval)
    return {"another_thread_ran_during_summarize": ran}


def threads_at_once(pkg: ModuleType, _work_dir: Path) -> object:
    np = numpy()
    values = np.random.default_rng(11).random(300_000)
    expected = pkg.summarize(values, threads=1)
    expected_means = pkg.rolling_mean(values, 100)
    count = 8
    start = threading.Barrier(count)
    results: list[object] = [None] * count

    def work(index: int) -> None:
        start.wait()
        try:
            summary = pkg.summarize(values, threads=1 + index % 3)
            means = pkg.rolling_mean(values, 100)
            results[index] = (summary.mean, summary.std) == (
                expected.mean,
                expected.std,
            ) and bool(np.array_equal(means, expected_means))
        except BaseException as exc:  # shown in the outcome rather than lost in a thread
            results[index] = f"{type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"threads": count, "results": results}


def panic(pkg: ModuleType, _work_dir: Path) -> object:
    return native(pkg).panic_with("deliberate panic in a worker thread")


def works_after_panic(pkg: ModuleType, _work_dir: Path) -> object:
    return example(pkg)


SCENARIOS = (
    Scenario(
        "numeric.summarize_example",
        "summarize([2, 4, 4, 4, 5, 5, 7, 9.]) is count 8, mean 5, std 2, min 2, max 9",
        summarize_example,
        exercises=(10, 12),
        hint="summarize needs borrow (exercise 10) and summarize_detached (exercise 12).",
    ),
    Scenario(
        "numeric.summarize_matches_numpy",
        "summarize agrees with NumPy's mean and std to 1e-12, and exactly on min and max",
        summarize_matches_numpy,
        exercises=(10, 12),
        hint="The boundary must hand the core the array's own values, all of them, in order.",
    ),
    Scenario(
        "numeric.same_bits_on_any_threads",
        "summarize gives the same bits with threads=1, 2, 3 and 8",
        same_bits_on_any_threads,
        exercises=(10, 12),
        hint="Pass `threads` on to the core's summarize unchanged: it splits the work itself.",
    ),
    Scenario(
        "numeric.summarize_nan",
        "a NaN among the values makes every statistic NaN, as in NumPy",
        summarize_nan,
        exercises=(10, 12),
        hint="The core decides this; the boundary passes the values on as they are.",
    ),
    Scenario(
        "numeric.summarize_empty",
        "summarize of an empty array raises ValueError",
        summarize_empty,
        exercises=(10, 12),
        hint="The core's KernelError::Empty becomes errors.rs's ValueError through the `?`.",
    ),
    Scenario(
        "numeric.threads_zero",
        "summarize(values, threads=0) raises ValueError naming the argument",
        threads_zero,
        exercises=(),
        hint="No exercise touches this: at_least_one checks `threads` before the array is read.",
    ),
    Scenario(
        "numeric.summary_frozen",
        "a Summary cannot be changed: setting .mean raises AttributeError",
        summary_frozen,
        exercises=(10, 12),
        hint="Summary is a frozen #[pyclass] with getters only; summarize must return one.",
    ),
    Scenario(
        "numeric.contiguous_in_place",
        "a C-contiguous float64 array, or a slice of one, is read in place (no copy)",
        contiguous_in_place,
        exercises=(10,),
        hint="borrow: a C-contiguous, aligned array is borrowed in place (try_readonly).",
    ),
    Scenario(
        "numeric.strided_copied_once",
        "an array with a step (x[::2], x[::-1]) is copied once and read correctly",
        strided_copied_once,
        exercises=(10, 12),
        hint="borrow: any other array goes through np.ascontiguousarray, then is borrowed.",
    ),
    Scenario(
        "numeric.buffers_in_place",
        "an array.array('d') and a memoryview of float64 values are read in place",
        buffers_in_place,
        exercises=(10, 12),
        hint="as_ndarray has NumPy view the buffer (np.asarray of a memoryview): no copy.",
    ),
    Scenario(
        "numeric.bytes_in_place",
        "bytes and bytearray are read in place as packed float64 values",
        bytes_in_place,
        exercises=(10, 12),
        hint="as_ndarray reads bytes with np.frombuffer(values, 'float64'): a view, not a copy.",
    ),
    Scenario(
        "numeric.list_refused",
        "a list raises TypeError with the conversion that fixes it (no hidden copy)",
        list_refused,
        exercises=(),
        hint="No exercise touches this: as_ndarray refuses an object without the buffer protocol.",
    ),
    Scenario(
        "numeric.int_dtype_refused",
        "an int64 array raises TypeError naming its dtype and the conversion",
        int_dtype_refused,
        exercises=(13,),
        hint="dtype_error: a PyTypeError naming the argument, its dtype() and the conversion.",
    ),
    Scenario(
        "numeric.matrix_as_vector",
        "a 2-D array where a 1-D one is expected raises ValueError naming its shape",
        matrix_as_vector,
        exercises=(),
        hint="No exercise touches this: check_dimensions runs before the dtype and the borrow.",
    ),
    Scenario(
        "numeric.rolling_new_array",
        "rolling_mean returns a new float64 array holding Rust's buffer (base PySliceContainer)",
        rolling_new_array,
        exercises=(10, 11),
        hint="to_numpy: PyArray1::from_vec(py, values) hands the Vec to NumPy, no copy.",
    ),
    Scenario(
        "numeric.rolling_nan",
        "a NaN spoils only the windows of rolling_mean that hold it",
        rolling_nan,
        exercises=(10, 11),
        hint="The core decides this; the boundary returns its vector as a new array.",
    ),
    Scenario(
        "numeric.rolling_window_too_long",
        "a window longer than the values raises ValueError with the longest that fits",
        rolling_window_too_long,
        exercises=(10,),
        hint="The core returns KernelError::WindowTooLong once the values are borrowed.",
    ),
    Scenario(
        "numeric.rolling_into_out",
        "rolling_mean(..., out=out) writes into out and returns out itself",
        rolling_into_out,
        exercises=(10,),
        hint="With out=, the values are borrowed read-only and out read-write; see read_out.",
    ),
    Scenario(
        "numeric.out_overlapping",
        "an out sharing memory with the values raises ValueError, and neither is changed",
        out_overlapping,
        exercises=(10,),
        hint="Borrow the values (exercise 10) first: rust-numpy then refuses an overlapping out.",
    ),
    Scenario(
        "numeric.out_read_only",
        "a read-only out raises ValueError",
        out_read_only,
        exercises=(10,),
        hint="read_out maps rust-numpy's BorrowError::NotWriteable to a ValueError.",
    ),
    Scenario(
        "numeric.out_wrong_length",
        "an out of the wrong length raises ValueError with the length needed",
        out_wrong_length,
        exercises=(10,),
        hint="The core's rolling_mean_into checks the length: KernelError::OutputLength.",
    ),
    Scenario(
        "numeric.out_wrong_dtype",
        "an out of dtype float32 raises TypeError naming the dtype",
        out_wrong_dtype,
        exercises=(10, 13),
        hint="read_out calls dtype_error (exercise 13) for an out that is not float64.",
    ),
    Scenario(
        "numeric.column_stats_c_order",
        "column_stats of a 3x3 matrix returns each column's mean and std as new arrays",
        column_stats_c_order,
        exercises=(10, 11),
        hint="column_stats needs borrow (exercise 10) and to_numpy (exercise 11).",
    ),
    Scenario(
        "numeric.column_stats_fortran_order",
        "a Fortran-ordered matrix gives the same column statistics as a C-ordered one",
        column_stats_fortran_order,
        exercises=(10, 11),
        hint="borrow: a Fortran-ordered matrix's slice runs by columns; copy it to C order.",
    ),
    Scenario(
        "numeric.interpreter_released",
        "another Python thread runs while summarize works (the interpreter is released)",
        interpreter_released,
        exercises=(10, 12),
        hint="summarize_detached runs the core in py.detach(|| ...), on the &[f64] alone.",
    ),
    Scenario(
        "numeric.threads_at_once",
        "8 threads running summarize and rolling_mean at once each get the one-thread answer",
        threads_at_once,
        exercises=(10, 11, 12),
        hint="Read-only borrows of one array may overlap; each call has buffers of its own.",
    ),
    Scenario(
        "numeric.panic",
        "a Rust panic in a worker thread raises pyo3_runtime.PanicException, a BaseException",
        panic,
        exercises=(),
        hint="No exercise: panic_with resumes its worker's panic on the calling thread.",
    ),
    Scenario(
        "numeric.works_after_panic",
        "after the panic, summarize still gives the same result",
        works_after_panic,
        exercises=(10, 12),
        hint="The example again, after the panic: the interpreter and the module live on.",
    ),
)
