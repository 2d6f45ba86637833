"""A test that reads address 0: the interpreter dies of SIGSEGV."""

import ctypes


def test_segfaults() -> None:
    ctypes.string_at(0)
