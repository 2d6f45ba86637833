"""Probe a built PyO3 project from inside its virtualenv and print what it does, as JSON.

The pyo3-scaffold harness embeds this file, its modules (describe.py, api.py, stub_check.py,
distribution.py, scenario_file.py, witness.py, scenario.py) and one scenario table per
style (`<style>_scenarios.py`, `-` written `_`: greet_scenarios.py) with include_str!, writes
them into one folder and runs, with the project's virtualenv interpreter:

    python scaffold_probe.py --package my_ext --style greet --work-dir DIR [--scenarios FILE]
    python scaffold_probe.py --list-scenarios --style greet
    python scaffold_probe.py --witnesses FILE --work-dir DIR

The first form imports the package, records its public API (api.py), its stubs' disagreements
with the runtime (stub_check.py), the wheel's tags and entry points (distribution.py), runs the
style's scenarios and the project's own (scenario_file.py), and prints the document
described in the book's contributing chapter ("The probe's JSON"), which
harness/src/stages/probe.rs reads with serde. The second prints each scenario's id, behaviour
sentence, workshop exercises and hint without importing anything, for the harness's checklist
(which must list every behaviour even when the project does not build). The third runs the
witnesses of breaking differences (witness.py) against this build.

Stdlib only, and runnable on every CPython the projects support (3.11 and later, the
free-threaded builds among them).
"""

from __future__ import annotations

import argparse
import faulthandler
import importlib
import importlib.util
import json
import os
import platform
import sys
import sysconfig
import types
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import api
import distribution
import scenario_file
import stub_check
import witness
from describe import Json, describe_exception, safe_repr
from scenario import Scenario

PROBE_VERSION = 3

# A style's scenario table is the module `<style>_scenarios` next to this file; `none` has none.
TABLE_SUFFIX = "_scenarios"
NO_STYLE = "none"


def styles() -> list[str]:
    """The styles whose scenario tables the harness wrote next to this file, and `none`."""
    here = Path(__file__).resolve().parent
    tables = [path.stem[: -len(TABLE_SUFFIX)] for path in here.glob(f"*{TABLE_SUFFIX}.py")]
    return [*sorted(table.replace("_", "-") for table in tables), NO_STYLE]


def scenario_table(style: str) -> Sequence[Scenario]:
    """The scenarios for a style; `none` means API only."""
    if style == NO_STYLE:
        return ()
    module = importlib.import_module(style.replace("-", "_") + TABLE_SUFFIX)
    table: Sequence[Scenario] = module.SCENARIOS
    return table


# --------------------------------------------------------------------------------------------
# Running scenarios


def run_scenarios(
    scenarios: Sequence[Scenario], package: types.ModuleType, work_dir: Path
) -> list[Json]:
    """Run each scenario in order; an exception is an outcome, never the end of the probe.

    The one exception is KeyboardInterrupt: it is recorded like any other, but the remaining
    scenarios are not run, because the probe cannot tell a scenario that raises it from someone
    pressing Ctrl-C, and the second must be able to stop the run. SystemExit (say, a plugin that
    calls sys.exit) is behaviour to report and does not stop the run.
    """
    records: list[Json] = []
    for scenario in scenarios:
        # Scenarios create their files relative to the work dir; a scenario that changed the
        # current directory must not move the next one.
        os.chdir(work_dir)
        progress(f"probe: running {scenario.id}")
        try:
            value = scenario.run(package, work_dir)
        except BaseException as exc:
            outcome: Json = {"kind": "raised", "exception": describe_exception(exc)}
            interrupted = isinstance(exc, KeyboardInterrupt)
        else:
            outcome = {"kind": "returned", "repr": safe_repr(value)}
            interrupted = False
        source = scenario_file.code_of(scenario.run, package.__name__)
        records.append({**describe_scenario(scenario), "source": source, "outcome": outcome})
        if interrupted:
            break
    return records


def progress(line: str) -> None:
    # Flushed at once: if the interpreter dies (abort, segfault) the last line names the culprit.
    print(line, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# The document


def probe(package_name: str, style: str, work_dir: Path, scenarios: Path | None) -> Json:
    # The package is imported from the work dir too, so that a relative path it resolves at
    # import time cannot point into the harness's own folder.
    os.chdir(work_dir)
    document: Json = {
        "probe_version": PROBE_VERSION,
        "package": package_name,
        "style": style,
        "import_error": None,
        "doc": None,
        "all": None,
        "api": [],
        "stubs": [],
        "wheel": None,
        "entry_points": [],
        "scenarios": [],
    }
    try:
        package = importlib.import_module(package_name)
    except BaseException as exc:
        document["import_error"] = describe_exception(exc)
        package_dir = _find_package_dir(package_name)
    else:
        package_dir = _package_dir(package)
        stubs = stub_check.StubIndex.read(package, package_dir)
        document["doc"] = api.doc_of(package)
        document["all"] = api.declared_names(package)
        document["api"] = api.describe_api(package, stubs)
        document["stubs"] = stub_check.check_stubs(package, package_dir)
        document["scenarios"] = run_scenarios(
            [*scenario_table(style), *_scenario_file(scenarios)], package, work_dir
        )
    # Read right after the import: an extension that does not declare itself safe without the
    # GIL makes a free-threaded CPython turn the GIL back on as it is imported.
    gil_enabled = gil_enabled_now()
    # What the installed distribution says of itself; an entry point imports its module, so
    # this comes after the scenarios, whose first import of the package is the one that counts.
    installed = distribution.distribution_of(package_name)
    document["wheel"] = distribution.wheel_tags(installed)
    document["entry_points"] = distribution.entry_points(installed)
    document["python"] = {
        "implementation": platform.python_implementation(),
        "version": platform.python_version(),
        "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        "gil_enabled": gil_enabled,
    }
    # Raw paths, for the harness's snapshot filters.
    document["paths"] = {
        "work_dir": str(work_dir),
        "package_dir": package_dir,
        "prefix": sys.prefix,
    }
    return document


def _scenario_file(path: Path | None) -> list[Scenario]:
    if path is None:
        return []
    try:
        return scenario_file.load(path)
    except scenario_file.ScenarioFileError as error:
        # The harness shows this line as the probe's error: it names the file and the fix.
        progress(f"probe: --scenarios {error}")
        raise SystemExit(3) from error


def gil_enabled_now() -> bool | None:
    """`sys._is_gil_enabled()`; None before 3.13, which has no such function and always a GIL."""
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return None if is_gil_enabled is None else bool(is_gil_enabled())


def _package_dir(package: types.ModuleType) -> str | None:
    file = getattr(package, "__file__", None)
    return str(Path(file).resolve().parent) if isinstance(file, str) else None


def _find_package_dir(package_name: str) -> str | None:
    # Where the package would have come from, without running it again.
    try:
        spec = importlib.util.find_spec(package_name)
    except BaseException:
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return str(Path(next(iter(spec.submodule_search_locations))).resolve())
    if spec.origin:
        return str(Path(spec.origin).resolve().parent)
    return None


def describe_scenario(scenario: Scenario) -> Json:
    """What a scenario record says besides its outcome: the row of the table, minus `run`."""
    return {
        "id": scenario.id,
        "behaviour": scenario.behaviour,
        "exercises": list(scenario.exercises),
        "hint": scenario.hint,
    }


def scenario_list(style: str) -> Json:
    return {
        "probe_version": PROBE_VERSION,
        "style": style,
        "scenarios": [describe_scenario(s) for s in scenario_table(style)],
    }


def to_json(document: Json) -> str:
    return json.dumps(document, sort_keys=False, indent=2, ensure_ascii=False) + "\n"


def claim_stdout() -> TextIO:
    """Keep the real stdout for the JSON and send everything else written to it to stderr.

    Anything the package, a plugin or Rust code prints (print(), println!) would otherwise land
    in the middle of the JSON. Redirecting file descriptor 1 covers native code too, which
    replacing sys.stdout alone would not.
    """
    sys.stdout.flush()
    json_fd = os.dup(1)
    os.dup2(2, 1)
    return os.fdopen(json_fd, "w", encoding="utf-8", errors="backslashreplace")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scaffold_probe.py",
        description="Import a built PyO3 package, run its style's scenarios, print JSON.",
    )
    parser.add_argument("--package", help="import name of the package, e.g. my_ext")
    parser.add_argument("--style", choices=styles(), default=NO_STYLE)
    parser.add_argument("--work-dir", type=Path, help="folder for files the scenarios create")
    parser.add_argument(
        "--scenarios", type=Path, help="a file of the project's own scenarios (`SCENARIOS`)"
    )
    parser.add_argument(
        "--list-scenarios",
        action="store_true",
        help="print the style's scenario ids and behaviours; imports nothing",
    )
    parser.add_argument(
        "--witnesses", type=Path, help="a JSON list of code strings to run against this build"
    )
    args = parser.parse_args(argv)
    if args.list_scenarios or args.witnesses is not None:
        return args
    if args.package is None or args.work_dir is None:
        parser.error("--package and --work-dir are required unless --list-scenarios is given")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)  # exits with status 2 on bad arguments
    if args.list_scenarios:
        sys.stdout.write(to_json(scenario_list(args.style)))
        return 0
    if args.witnesses is not None:
        out = claim_stdout()
        if args.work_dir is not None:
            os.chdir(args.work_dir)
        results = witness.run_witnesses(args.witnesses.resolve())
        out.write(to_json({"probe_version": PROBE_VERSION, "witnesses": results}))
        out.flush()
        return 0
    # On a fatal signal, the Python stack of every thread goes to stderr next to the last
    # "probe: running" line.
    faulthandler.enable()
    out = claim_stdout()
    work_dir = Path(os.path.realpath(args.work_dir))
    work_dir.mkdir(parents=True, exist_ok=True)
    scenarios = None if args.scenarios is None else Path(os.path.realpath(args.scenarios))
    document = probe(args.package, args.style, work_dir, scenarios)
    out.write(to_json(document))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
