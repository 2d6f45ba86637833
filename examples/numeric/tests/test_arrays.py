"""What the kernels accept as input, and how they read it: in place, without a copy.

`data_address(values)` is the address of the first value the kernels read; comparing it with the
address of the caller's own memory shows whether anything was copied.
"""

from __future__ import annotations

import array
import struct

import numpy as np
import numpy.typing as npt
import pytest

from numeric import (
    _numeric,
    summarize,
)

# In the native module only: it shows how the package works rather than being part of it.
data_address = _numeric.data_address


def address_of(values: npt.NDArray[np.float64]) -> int:
    """Where NumPy says the array's first value lies."""
    address: int = values.__array_interface__["data"][0]
    return address


def test_a_contiguous_array_is_read_in_place() -> None:
    values = np.arange(1_000.0)

    assert data_address(values) == address_of(values)
    assert data_address(values[10:20]) == address_of(values) + 10 * 8


def test_an_array_with_a_step_is_copied_once_and_read_all_the_same() -> None:
    values = np.arange(1_000.0)
    every_other = values[::2]

    assert data_address(every_other) != address_of(values)
    assert summarize(every_other).mean == summarize(every_other.copy()).mean == 499.0
    assert summarize(values[::-1]).max == 999.0


def test_an_array_array_of_doubles_is_read_in_place() -> None:
    values = array.array("d", [1.0, 2.0, 3.0, 6.0])

    assert data_address(values) == values.buffer_info()[0]
    assert summarize(values).mean == 3.0


def test_a_memoryview_is_read_in_place() -> None:
    values = np.arange(10.0)
    view = values.data  # a memoryview of the array's memory

    assert isinstance(view, memoryview)
    assert data_address(view) == address_of(values)
    assert summarize(view[2:]).min == 2.0


def test_bytes_are_read_in_place_as_packed_float64_values() -> None:
    packed = struct.pack("=3d", 1.5, -2.0, 4.0)

    # np.frombuffer views the same bytes object's memory, so the addresses can be compared.
    assert data_address(packed) == address_of(np.frombuffer(packed, dtype=np.float64))
    summary = summarize(packed)
    assert (summary.count, summary.min, summary.max) == (3, -2.0, 4.0)
    assert summarize(bytearray(packed)).mean == 3.5 / 3


def test_bytes_that_are_not_whole_float64_values_are_refused() -> None:
    with pytest.raises(
        ValueError,
        match=r"^values holds 12 bytes, which is not a whole number of float64 values",
    ):
        summarize(b"\x00" * 12)


def test_a_list_is_refused_with_the_conversion_that_fixes_it() -> None:
    with pytest.raises(TypeError) as caught:
        summarize([1.0, 2.0])  # type: ignore[arg-type]

    assert str(caught.value) == (
        "values must be a NumPy array or an object with the buffer protocol (array.array, "
        "memoryview, bytes), not list: convert it once with np.asarray(values, dtype=np.float64)"
    )


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        (np.arange(4), "int64"),
        (np.arange(4, dtype=np.float32), "float32"),
        (np.arange(4.0).astype(">f8"), ">f8"),
        (array.array("i", [1, 2]), "int32"),
    ],
    ids=["int64", "float32", "big-endian", "array-of-int"],
)
def test_another_dtype_is_a_type_error_naming_it(values: object, dtype: str) -> None:
    with pytest.raises(TypeError) as caught:
        summarize(values)  # type: ignore[arg-type]

    assert str(caught.value) == (
        f"values has dtype {dtype}, and this function works in float64: convert it once with "
        "np.asarray(values, dtype=np.float64)"
    )


def test_a_matrix_is_not_a_vector() -> None:
    with pytest.raises(ValueError, match=r"^values must be 1-D, and it has shape \(2, 3\)$"):
        summarize(np.zeros((2, 3)))


def test_reading_leaves_the_values_as_they_were() -> None:
    values = np.array([3.0, 1.0, 2.0])

    summarize(values)

    assert values.tolist() == [3.0, 1.0, 2.0]
    assert values.flags.writeable
