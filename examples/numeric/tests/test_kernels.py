"""The numeric style's kernels: their results, and the errors each refuses bad input with.

The inputs here are small enough to check by hand or against NumPy; benches/bench.py times the
kernels on large ones.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import numeric
from numeric import (
    _numeric,
    column_stats,
    rolling_mean,
    summarize,
)

# In the native module only: a demonstration, not part of the package's API.
panic_with = _numeric.panic_with

EXAMPLE = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])


def test_summarize_a_small_example() -> None:
    summary = summarize(EXAMPLE)

    assert (summary.count, summary.mean, summary.std) == (8, 5.0, 2.0)
    assert (summary.min, summary.max) == (2.0, 9.0)
    assert repr(summary) == "Summary(count=8, mean=5.0, std=2.0, min=2.0, max=9.0)"


def test_summarize_agrees_with_numpy() -> None:
    values = np.random.default_rng(7).normal(loc=3.0, scale=2.0, size=100_003)

    summary = summarize(values)

    assert summary.count == values.size
    assert summary.mean == pytest.approx(values.mean(), rel=1e-12)
    assert summary.std == pytest.approx(values.std(), rel=1e-12)
    assert (summary.min, summary.max) == (values.min(), values.max())


def test_summarize_gives_the_same_bits_on_any_number_of_threads() -> None:
    values = np.random.default_rng(1).random(1_000_001)

    results = {
        (s.count, s.mean, s.std, s.min, s.max)
        for s in (summarize(values, threads=n) for n in (1, 2, 3, 8))
    }

    assert len(results) == 1


def test_a_nan_makes_every_statistic_nan() -> None:
    values = np.ones(10_000)
    values[1234] = np.nan

    summary = summarize(values)

    assert summary.count == 10_000
    assert all(math.isnan(x) for x in (summary.mean, summary.std, summary.min, summary.max))
    assert repr(summary) == "Summary(count=10000, mean=nan, std=nan, min=nan, max=nan)"


def test_summarize_refuses_no_values() -> None:
    with pytest.raises(ValueError, match=r"^there are no values: pass at least one$"):
        summarize(np.array([], dtype=np.float64))


@pytest.mark.parametrize("threads", [0, -2])
def test_summarize_refuses_fewer_than_one_thread(threads: int) -> None:
    with pytest.raises(ValueError, match=rf"^threads must be at least 1, not {threads}$"):
        summarize(EXAMPLE, threads=threads)


def test_a_summary_is_frozen() -> None:
    summary = summarize(EXAMPLE)

    with pytest.raises(AttributeError):
        summary.mean = 0.0  # type: ignore[misc]


def test_rolling_mean_returns_a_new_array_holding_rusts_buffer() -> None:
    means = rolling_mean(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 2)

    assert means.dtype == np.float64
    assert means.tolist() == [1.5, 2.5, 3.5, 4.5]
    # The array's memory is the Rust vector the means were computed into, handed over as is:
    # its base is rust-numpy's container for that vector, not a copy NumPy owns.
    assert not means.flags.owndata
    assert type(means.base).__name__ == "PySliceContainer"


def test_a_nan_spoils_only_the_windows_that_hold_it() -> None:
    means = rolling_mean(np.array([1.0, np.nan, 3.0, 4.0, 5.0]), 2)

    assert np.isnan(means[:2]).all()
    assert means[2:].tolist() == [3.5, 4.5]


def test_rolling_mean_agrees_with_summing_each_window() -> None:
    values = np.random.default_rng(3).random(5_000)
    window = 50

    expected = np.lib.stride_tricks.sliding_window_view(values, window).mean(axis=1)

    np.testing.assert_allclose(rolling_mean(values, window), expected, rtol=1e-12)


def test_rolling_mean_refuses_a_window_of_less_than_one() -> None:
    with pytest.raises(ValueError, match=r"^window must be at least 1, not 0$"):
        rolling_mean(np.arange(5.0), 0)


def test_rolling_mean_refuses_a_window_longer_than_the_values() -> None:
    with pytest.raises(
        ValueError,
        match=r"^the window of 6 is longer than the 5 values: pass a window of at most 5$",
    ):
        rolling_mean(np.arange(5.0), 6)


def test_rolling_mean_writes_into_out_and_returns_it() -> None:
    out = np.full(4, -1.0)

    result = rolling_mean(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), 2, out=out)

    assert result is out
    assert out.tolist() == [1.5, 2.5, 3.5, 4.5]


def test_out_of_the_wrong_length_is_refused() -> None:
    with pytest.raises(
        ValueError,
        match=r"^out has 5 elements, and the result needs 4: pass an array of length 4$",
    ):
        rolling_mean(np.arange(5.0), 2, out=np.empty(5))


def test_out_that_overlaps_the_values_is_refused() -> None:
    values = np.arange(6.0)

    with pytest.raises(ValueError, match=r"^out shares memory with the values being read"):
        rolling_mean(values, 1, out=values)
    with pytest.raises(ValueError, match=r"^out shares memory with the values being read"):
        rolling_mean(values[:5], 2, out=values[2:6])
    assert values.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_read_only_out_is_refused() -> None:
    out = np.empty(4)
    out.flags.writeable = False

    with pytest.raises(ValueError, match=r"^out is read-only: pass a writeable array"):
        rolling_mean(np.arange(5.0), 2, out=out)


def test_out_with_a_step_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^out is not contiguous: the result is written"):
        rolling_mean(np.arange(5.0), 2, out=np.empty(8)[::2])


def test_out_of_another_dtype_is_refused() -> None:
    with pytest.raises(TypeError, match=r"^out has dtype float32, and this function works in"):
        rolling_mean(np.arange(5.0), 2, out=np.empty(4, dtype=np.float32))


def test_out_that_is_not_an_array_is_refused() -> None:
    with pytest.raises(TypeError, match=r"^out must be a NumPy array of float64, not list"):
        rolling_mean(np.arange(5.0), 2, out=[0.0] * 4)  # type: ignore[arg-type]


def test_column_stats_agree_with_numpy() -> None:
    matrix = np.random.default_rng(5).normal(size=(1_000, 7))

    mean, std = column_stats(matrix)

    np.testing.assert_allclose(mean, matrix.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(std, matrix.std(axis=0), rtol=1e-12)


def test_a_fortran_ordered_matrix_is_read_by_rows_all_the_same() -> None:
    matrix = np.arange(12.0).reshape(3, 4) ** 2

    by_rows = column_stats(matrix)
    by_columns = column_stats(np.asfortranarray(matrix))

    assert [a.tolist() for a in by_columns] == [a.tolist() for a in by_rows]
    assert by_rows[0].tolist() == matrix.mean(axis=0).tolist()


def test_a_nan_spoils_only_its_column() -> None:
    mean, std = column_stats(np.array([[1.0, np.nan], [3.0, 4.0]]))

    assert (mean[0], std[0]) == (2.0, 1.0)
    assert np.isnan(mean[1])
    assert np.isnan(std[1])


def test_a_matrix_without_rows_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^there are no values"):
        column_stats(np.empty((0, 3)))


def test_a_matrix_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^matrix must be 2-D, and it has shape \(6,\)$"):
        column_stats(np.arange(6.0))


def test_a_rust_panic_is_a_base_exception_and_the_interpreter_survives() -> None:
    with pytest.raises(BaseException, match=r"^deliberate panic$") as caught:
        panic_with("deliberate panic")

    # `pyo3_runtime` cannot be imported, so the type is matched by name.
    assert type(caught.value).__name__ == "PanicException"
    assert not isinstance(caught.value, Exception)
    # The module still answers (with an error raised before any array is read).
    with pytest.raises(ValueError, match="threads must be at least 1"):
        summarize(EXAMPLE, threads=0)


def test_the_package_exports_what_it_documents() -> None:
    exported = sorted(numeric.__all__)

    assert exported == ["Summary", "column_stats", "rolling_mean", "summarize"]
