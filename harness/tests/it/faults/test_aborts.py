"""A test that aborts the interpreter (SIGABRT), as a Rust `std::process::abort` would."""

import os


def test_aborts() -> None:
    os.abort()
