"""pytest settings for the workshop version of this project (it is not in the complete one).

It sits at the project's root, not in `tests/`: the files in `tests/` are the same in both
versions, the contract every exercise is checked against.
"""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Every unfinished exercise is a `todo!()`, which panics, and pytest shows Rust's report of
    # each panic under the failing test. With RUST_BACKTRACE=1 set in the shell, every report
    # grows a backtrace of dozens of lines that buries the one line that matters: `not yet
    # implemented: exercise N: ...`. Rust reads the variable once, at the first panic in the
    # process, which comes after this hook: setting it here keeps every report to its message.
    # To see backtraces anyway, run `uv run pytest --noconftest`.
    os.environ["RUST_BACKTRACE"] = "0"
