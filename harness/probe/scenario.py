"""The row type of the scenario tables, shared by both tables and the probe that runs them.

It lives in a module of its own (not in scaffold_probe.py, which runs as `__main__`) so that
each table can be imported on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import NamedTuple


# ANCHOR: scenario
class Scenario(NamedTuple):
    id: str
    behaviour: str
    run: Callable[[ModuleType, Path], object]
    # The workshop exercises (docs/src/workshop/) whose code this behaviour runs through: the
    # exercise version fails it until every one of them is done. Empty when no exercise touches
    # it, so the untouched exercise version passes it.
    exercises: tuple[int, ...]
    # For a learner whose project fails this behaviour: where to look and what matters. It names
    # the project as the template does, {{project-name}} and {{crate_name}}, and the checklist
    # puts the learner's names in; `behaviour` calls the package `pkg` (it is also a heading of
    # the committed snapshots, which no project's name may enter). No other placeholder.
    hint: str
    # ANCHOR_END: scenario
