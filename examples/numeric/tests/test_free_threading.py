"""On a free-threaded CPython (3.14t, 3.15t) the extension runs without the GIL.

An extension that does not declare itself safe without the GIL makes CPython turn the GIL back
on when it is imported, with a warning that is easy to miss; PyO3 declares it by default.
"""

from __future__ import annotations

import sys
import sysconfig

import pytest

# Importing the package imports the extension: what the test looks at is its effect.
import numeric  # noqa: F401

FREE_THREADED_BUILD = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


@pytest.mark.skipif(not FREE_THREADED_BUILD, reason="a build with a GIL always has it on")
def test_importing_the_extension_leaves_the_gil_off() -> None:
    # `sys._is_gil_enabled` exists from 3.13, on every build; the type checker may run on an
    # older Python, hence `getattr`.
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)

    assert is_gil_enabled is not None
    assert is_gil_enabled() is False
