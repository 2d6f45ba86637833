"""The code under test sees none of the caller's credentials, and runs in a copy of the project
that it cannot change for good."""

import os
from pathlib import Path

# Filled in by the Rust test: the names it set in the harness's environment.
CREDENTIALS: list[str] = {credentials}
ROOT = Path(__file__).resolve().parents[1]


def test_no_credential_reaches_the_tests() -> None:
    assert [name for name in CREDENTIALS if name in os.environ] == []
    # The caller's environment does reach the tests: the credentials are removed by name.
    assert os.environ.get("SCAFFOLD_FAULT_MARKER", "").startswith("contain-")


def test_a_change_to_the_copy_does_not_outlive_the_run() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    # Written by this test in the previous run: it must not be seen again.
    assert "tainted by a test" not in text
    readme.write_text(text + "\ntainted by a test\n", encoding="utf-8")
    (ROOT / "tainted.txt").write_text("a test was here\n", encoding="utf-8")
