# Types of the native module built from `crates/python`; `mypy.stubtest` checks them against it.

from typing import NoReturn, TypeAlias, final

import numpy as np
import numpy.typing as npt
from typing_extensions import Buffer

__all__ = [
    "DEBUG_BUILD",
    "Summary",
    "column_stats",
    "data_address",
    "panic_with",
    "rolling_mean",
    "summarize",
]

# What the kernels read: a float64 NumPy array, or any object with the buffer protocol holding
# float64 values (array.array("d"), memoryview, bytes of packed float64 values).
_Float64Values: TypeAlias = npt.NDArray[np.float64] | Buffer

# True in a debug build (`maturin develop`), false in a release build.
DEBUG_BUILD: bool

@final
class Summary:
    @property
    def count(self) -> int: ...
    @property
    def mean(self) -> float: ...
    @property
    def std(self) -> float: ...
    @property
    def min(self) -> float: ...
    @property
    def max(self) -> float: ...

def summarize(values: _Float64Values, *, threads: int | None = None) -> Summary: ...
def rolling_mean(
    values: _Float64Values, window: int, *, out: npt.NDArray[np.float64] | None = None
) -> npt.NDArray[np.float64]: ...
def column_stats(
    matrix: _Float64Values,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...

# The address of the first value the kernels read for `values` (is it the caller's memory?).
def data_address(values: _Float64Values) -> int: ...

# Panics in a Rust worker thread: Python sees `pyo3_runtime.PanicException`, a `BaseException`.
def panic_with(message: str) -> NoReturn: ...
