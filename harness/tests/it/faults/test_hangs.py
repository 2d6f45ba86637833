"""A test that never ends, with a child in its process group and one that left it."""

import subprocess
import time


def test_hangs() -> None:
    subprocess.Popen(["sleep", "3600"])
    # A new session: out of the process group the harness kills on timeout.
    subprocess.Popen(["sleep", "3601"], start_new_session=True)
    time.sleep(3600)
