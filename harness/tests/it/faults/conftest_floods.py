"""Writes 256 MiB to pytest's stdout and 32 MiB to its stderr, past its capture, as pytest ends."""

import os

import pytest

MIB = b"flood\n" * (1024 * 1024 // 6)  # just under 1 MiB


def pytest_unconfigure(config: pytest.Config) -> None:
    for _ in range(256):
        os.write(1, MIB)
    for _ in range(32):
        os.write(2, MIB)
