"""Writes bytes that are not UTF-8 straight to pytest's stdout and stderr, past its capture, then
ends pytest without a report, so that the harness shows both streams."""

import os

import pytest

LATIN_1 = "café, naïve, déjà vu\n".encode("latin-1")
BROKEN = b"\xff\xfe truncated \xe2\x82 and lone \x80\n"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for fd in (1, 2):
        os.write(fd, LATIN_1 + BROKEN)
    os._exit(3)
