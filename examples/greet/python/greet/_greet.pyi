# Types of the native module built from `crates/python`; `mypy.stubtest` checks them against it.

from collections.abc import Sequence
from typing import NoReturn, final

__all__ = ["DEBUG_BUILD", "EmptyTextError", "PyMessage", "panic_with"]

# True in a debug build (`maturin develop`), false in a release build.
DEBUG_BUILD: bool

# The Rust half of `Message` (see api.py).
@final
class PyMessage:
    def __new__(cls, text: str) -> PyMessage: ...
    @property
    def text(self) -> str: ...
    @staticmethod
    def greet(name: str) -> str: ...
    @staticmethod
    def greet_many(names: Sequence[str]) -> list[str]: ...
    def fail_if_empty(self, text: str) -> str: ...

class EmptyTextError(ValueError): ...

# Panics in Rust: Python sees `pyo3_runtime.PanicException`, a `BaseException`.
def panic_with(message: str) -> NoReturn: ...
