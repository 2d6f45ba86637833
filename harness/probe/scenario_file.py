"""A project's own scenarios: behaviours the project declares in a file of its own, run by the
probe after (or, with `--style none`, instead of) a style's table.

The file (by convention `tests/conformance_scenarios.py`, or `check --scenarios FILE`) defines
`SCENARIOS`, a sequence of rows in the form the style tables use: a `Scenario` (importable as
`from scenario import Scenario` while the probe runs), or a plain tuple `(id, behaviour, run)`,
where `run(pkg, work_dir)` returns what to record or lets an exception escape:

    SCENARIOS = (
        ("loads.table", "loads('a = 1') returns a dict", lambda pkg, _: pkg.loads("a = 1")),
        ("loads.bad", "loads('a =') raises TomlParsingError", lambda pkg, _: pkg.loads("a =")),
    )
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from scenario import Scenario

# A row written as a plain tuple: (id, behaviour, run).
TUPLE_ROW = 3


class ScenarioFileError(Exception):
    """A scenarios file that cannot be used: the message names the file and what to change."""


def load(path: Path) -> list[Scenario]:
    """The rows of the file's `SCENARIOS`, as `Scenario`s."""
    spec = importlib.util.spec_from_file_location("conformance_scenarios", path)
    if spec is None or spec.loader is None:
        raise ScenarioFileError(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:
        # Whatever importing the file raised (a SyntaxError, the package's own exceptions).
        raise ScenarioFileError(f"{path} does not import: {type(exc).__name__}: {exc}") from exc
    rows = getattr(module, "SCENARIOS", None)
    if not isinstance(rows, (list, tuple)):
        raise ScenarioFileError(
            f"{path} defines no SCENARIOS list or tuple: add "
            "`SCENARIOS = ((id, behaviour, run), ...)`, `run` taking (pkg, work_dir)"
        )
    scenarios = [_row(path, index, row) for index, row in enumerate(rows)]
    seen: set[str] = set()
    for scenario in scenarios:
        if scenario.id in seen:
            raise ScenarioFileError(f"{path}: the id {scenario.id!r} is used twice")
        seen.add(scenario.id)
    return scenarios


def _row(path: Path, index: int, row: object) -> Scenario:
    if isinstance(row, Scenario):
        return row
    if isinstance(row, (tuple, list)) and len(row) == TUPLE_ROW:
        scenario_id, behaviour, run = row
        if isinstance(scenario_id, str) and isinstance(behaviour, str) and callable(run):
            if " " in scenario_id or not scenario_id:
                raise ScenarioFileError(f"{path}: row {index}: the id {scenario_id!r} has a space")
            return Scenario(scenario_id, behaviour, run, exercises=(), hint="")
    raise ScenarioFileError(
        f"{path}: row {index} is not (id: str, behaviour: str, run: callable) nor a Scenario"
    )


def code_of(run: Callable[[ModuleType, Path], object], package: str) -> str | None:
    """What a scenario runs, as a few lines of Python a reader can paste: `import PKG as pkg`,
    then the expression a one-line function or lambda returns, or else the function and a call
    of it. None when its source cannot be read."""
    try:
        source = textwrap.dedent(inspect.getsource(run))
    except (OSError, TypeError):
        return None
    node = _function_node(source, run)
    if node is None:
        return None
    names = [arg.arg for arg in node.args.args]
    alias = names[0] if names else "pkg"
    header = f"import {package} as {alias}" if alias != package else f"import {package}"
    if isinstance(node, ast.Lambda):
        return f"{header}\n{ast.unparse(node.body)}"
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
        return f"{header}\n{ast.unparse(body[0].value)}"
    call = ", ".join([alias, *("Path('.')" for _ in names[1:])])
    return f"{header}\nfrom pathlib import Path\n{ast.unparse(node)}\n{node.name}({call})"


def _function_node(
    source: str, run: Callable[[ModuleType, Path], object]
) -> ast.FunctionDef | ast.Lambda | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        # A lambda's source is the whole line it sits on, which may be part of a bigger
        # expression: read it as one when it is the line of a table row.
        try:
            tree = ast.parse(f"({source.strip().rstrip(',')})")
        except SyntaxError:
            return None
    name = getattr(run, "__name__", "")
    functions = [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == name
    ]
    if functions:
        return functions[0]
    lambdas = [node for node in ast.walk(tree) if isinstance(node, ast.Lambda)]
    # With several lambdas on one line the source cannot tell which one ran.
    return lambdas[0] if name == "<lambda>" and len(lambdas) == 1 else None


def codes_of(scenarios: Sequence[Scenario], package: str) -> dict[str, str | None]:
    return {scenario.id: code_of(scenario.run, package) for scenario in scenarios}
