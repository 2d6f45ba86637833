"""Probe a built PyO3 project from inside its virtualenv and print what it does, as JSON.

The pyo3-scaffold harness embeds this file, scenario.py and one scenario table per style
(`<style>_scenarios.py`, `-` written `_`: greet_scenarios.py) with include_str!, writes them into
one folder and runs, with the project's virtualenv interpreter:

    python scaffold_probe.py --package my_ext --style greet --work-dir DIR
    python scaffold_probe.py --list-scenarios --style greet

The first form imports the package, records its public API, runs the style's scenarios and
prints the document described in the book's contributing chapter ("The probe's JSON"), which
harness/src/probe.rs reads with serde. The second prints each
scenario's id, behaviour sentence, workshop exercises and hint without importing anything, for
the harness's checklist (which must list every behaviour even when the project does not build).

Stdlib only, and runnable on every CPython the projects support (3.11 and later, the
free-threaded builds among them).
"""

from __future__ import annotations

import argparse
import faulthandler
import importlib
import importlib.util
import inspect
import json
import os
import platform
import re
import sys
import sysconfig
import types
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import stub_check
from scenario import Scenario

PROBE_VERSION = 2

# A style's scenario table is the module `<style>_scenarios` next to this file; `none` has none.
TABLE_SUFFIX = "_scenarios"
NO_STYLE = "none"

# An exception chain longer than this is cut (the deeper link becomes null). Real chains are
# two or three links long; the cap only keeps a pathological chain from flooding the report.
MAX_CHAIN_DEPTH = 8

# Default reprs carry the object's address ("<X object at 0x7f3a...>"), which changes on every
# run. Masking it keeps snapshots stable while still showing that the repr is the default one.
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")

# The values whose repr is recorded: a repr of these is stable and says what the value is.
# Anything else (an instance, a function) keeps only its kind: its repr names an address or
# changes with the interpreter.
_SIMPLE_TYPES = (str, int, float, bool, type(None))

# A longer repr is cut: a constant holding a whole file would drown the record. The length
# is kept, so a change past the cut still shows.
MAX_VALUE_REPR = 500

Json = dict[str, object]


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
# Exceptions


def qualified_name(cls: type) -> str:
    """`module.qualname`, e.g. `builtins.ValueError` or `pyo3_runtime.PanicException`."""
    module = getattr(cls, "__module__", None) or "?"
    qualname = getattr(cls, "__qualname__", None) or getattr(cls, "__name__", "?")
    return f"{module}.{qualname}"


def describe_exception(exc: BaseException) -> Json:
    """The contract's <exception> record, with its cause and context chain."""
    record = _describe_link(exc, frozenset(), 0)
    assert record is not None  # the first link is never a cycle and never too deep
    return record


def _describe_link(exc: BaseException, seen: frozenset[int], depth: int) -> Json | None:
    # `seen` holds the ids of the exceptions on the path from the top of the chain to here, so
    # a chain that loops back (a.__context__ = b, b.__context__ = a) ends instead of recursing.
    if id(exc) in seen or depth > MAX_CHAIN_DEPTH:
        return None
    seen = seen | {id(exc)}
    cause = exc.__cause__
    context = exc.__context__
    # Python prints the context only when `raise ... from ...` did not suppress it; when the
    # context is the cause itself it would just be said twice.
    if exc.__suppress_context__ or context is cause:
        context = None
    return {
        "type": qualified_name(type(exc)),
        "mro": [qualified_name(cls) for cls in type(exc).__mro__ if cls is not object],
        "is_exception": isinstance(exc, Exception),
        "message": _stable(_safe_str(exc)),
        "notes": [_stable(_safe_str(note)) for note in _notes(exc)],
        "cause": None if cause is None else _describe_link(cause, seen, depth + 1),
        "context": None if context is None else _describe_link(context, seen, depth + 1),
    }


def _notes(exc: BaseException) -> list[object]:
    # __notes__ exists from 3.11 (PEP 678); on older Pythons code may still set it by hand.
    notes = getattr(exc, "__notes__", None)
    return list(notes) if isinstance(notes, (list, tuple)) else []


def _safe_str(value: object) -> str:
    # str() runs arbitrary code (a __str__ of the package or of a plugin); a failure there must
    # not lose the whole report.
    try:
        return str(value)
    except BaseException as exc:
        return f"<str() raised {qualified_name(type(exc))}>"


def _safe_repr(value: object) -> str:
    try:
        return _stable(repr(value))
    except BaseException as exc:
        return f"<repr() raised {qualified_name(type(exc))}>"


def _stable(text: str) -> str:
    return _ADDRESS.sub("at 0x...", text)


# --------------------------------------------------------------------------------------------
# Public API


def describe_api(package: types.ModuleType) -> list[Json]:
    """One record per public name of the package, sorted by name.

    Submodules of the package (e.g. `my_ext.api`) list their own public names as members, but
    only one level deep and without class members: the qualname already tells whether
    `my_ext.api.Message` is the class listed in full at the top level.
    """
    return [describe_name(package, name, nested=True) for name in sorted(public_names(package))]


def public_names(module: types.ModuleType) -> list[str]:
    """`__all__` when the module declares it, otherwise every name not starting with `_`."""
    declared = getattr(module, "__all__", None)
    if declared is not None:
        return [str(name) for name in declared]
    return [name for name in dir(module) if not name.startswith("_")]


def describe_name(module: types.ModuleType, name: str, *, nested: bool) -> Json:
    where = f"{module.__name__}.{name}"
    try:
        obj = getattr(module, name)
    except BaseException as exc:
        # A name in __all__ that does not exist is a real bug of the package: show it in place.
        return api_item(name, "constant", where, doc=getattr_failed(exc))
    kind = object_kind(obj)
    if isinstance(obj, types.ModuleType):
        # Only the package's own submodules are opened: `os` imported in __init__ is listed,
        # because it is a public name, but its docstring and contents are not the project's.
        if not obj.__name__.startswith(f"{module.__name__}."):
            return api_item(name, kind, obj.__name__)
        members = (
            [describe_name(obj, member, nested=False) for member in sorted(public_names(obj))]
            if nested
            else []
        )
        return api_item(name, kind, obj.__name__, doc=doc_of(obj), members=members)
    if isinstance(obj, type):
        return api_item(
            name,
            kind,
            qualified_name(obj),
            signature=signature_of(obj),
            doc=doc_of(obj),
            members=class_members(obj) if nested else [],
            bases=bases_of(obj),
        )
    if kind == "function":
        qualname = _defined_as(obj) or where
        return api_item(name, kind, qualname, signature=signature_of(obj), doc=doc_of(obj))
    # A constant's __doc__ is its type's (str, int ...), which says nothing about the constant.
    return api_item(name, kind, where, value=value_of(obj))


def class_members(cls: type) -> list[Json]:
    # Only what the class itself defines: inherited members (object's, or Exception's
    # `add_note`/`with_traceback`) change between Python versions and say nothing about the project.
    owner = qualified_name(cls)
    members = []
    for name, raw in sorted(vars(cls).items()):
        if name.startswith("_"):
            continue
        where = f"{owner}.{name}"
        kind = member_kind(raw)
        if kind == "function":
            # Through getattr, so that a staticmethod shows the function's own signature and doc.
            bound = _getattr_or(cls, name, raw)
            item = api_item(name, kind, where, signature=signature_of(bound), doc=doc_of(bound))
        elif kind == "property":
            item = api_item(name, kind, where, doc=doc_of(raw))
        elif isinstance(raw, type):
            item = api_item(
                name,
                kind,
                qualified_name(raw),
                signature=signature_of(raw),
                doc=doc_of(raw),
                bases=bases_of(raw),
            )
        else:
            item = api_item(name, kind, where, value=value_of(raw))
        members.append(item)
    return members


def object_kind(obj: object) -> str:
    if isinstance(obj, type):
        return "exception" if issubclass(obj, BaseException) else "class"
    if isinstance(obj, types.ModuleType):
        return "module"
    if callable(obj):
        return "function"
    return "constant"


def member_kind(raw: object) -> str:
    """Like object_kind, for the raw value found in a class's __dict__.

    Getters (Python `property`, or the getset/member descriptors PyO3's #[getter] and #[pyo3(get)]
    create) get their own kind, "property": calling them "constant" would mislead a reader.
    """
    if isinstance(raw, (staticmethod, classmethod)):
        return "function"
    if isinstance(raw, (property, types.GetSetDescriptorType, types.MemberDescriptorType)):
        return "property"
    return object_kind(raw)


def api_item(
    name: str,
    kind: str,
    qualname: str,
    *,
    signature: str | None = None,
    doc: str | None = None,
    members: list[Json] | None = None,
    value: str | None = None,
    bases: list[str] | None = None,
) -> Json:
    return {
        "name": name,
        "kind": kind,
        "qualname": qualname,
        "signature": signature,
        "doc": doc,
        "value": value,
        "bases": bases or [],
        "members": members or [],
    }


def value_of(obj: object) -> str | None:
    """The repr of a simple value (str, int, float, bool, None, tuples of these), else None."""
    if not _is_simple(obj):
        return None
    text = _safe_repr(obj)
    if len(text) > MAX_VALUE_REPR:
        return f"{text[:MAX_VALUE_REPR]}... ({len(text)} characters)"
    return text


def _is_simple(obj: object) -> bool:
    # Exact types: a subclass (an IntEnum member, a str subclass) may have any repr.
    if type(obj) in _SIMPLE_TYPES:
        return True
    return type(obj) is tuple and all(_is_simple(item) for item in obj)


def bases_of(cls: type) -> list[str]:
    """A class's direct bases, `object` left out: removing one breaks `except`/isinstance."""
    return [qualified_name(base) for base in cls.__bases__ if base is not object]


def _defined_as(obj: object) -> str | None:
    """Where a function says it is defined (`module.qualname`), when it says so."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str):
        return f"{module}.{qualname}"
    return None


def signature_of(obj: object) -> str | None:
    # Builtins without __text_signature__ have no signature to show; that is not an error.
    if not callable(obj):
        return None
    try:
        return str(inspect.signature(obj))
    except (TypeError, ValueError):
        return None


def doc_of(obj: object) -> str | None:
    # The object's own docstring only: inspect.getdoc would borrow one from a base class (every
    # exception would then document itself as "Inappropriate argument value").
    try:
        doc = obj.__doc__
    except BaseException:
        return None
    if not isinstance(doc, str) or not doc.strip():
        return None
    return inspect.cleandoc(doc)


def _getattr_or(obj: object, name: str, default: object) -> object:
    try:
        return getattr(obj, name)
    except BaseException:
        return default


def getattr_failed(exc: BaseException) -> str:
    return f"probe: getattr raised {qualified_name(type(exc))}: {_safe_str(exc)}"


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
            outcome = {"kind": "returned", "repr": _safe_repr(value)}
            interrupted = False
        records.append({**describe_scenario(scenario), "outcome": outcome})
        if interrupted:
            break
    return records


def progress(line: str) -> None:
    # Flushed at once: if the interpreter dies (abort, segfault) the last line names the culprit.
    print(line, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# The document


def probe(package_name: str, style: str, work_dir: Path) -> Json:
    # The package is imported from the work dir too, so that a relative path it resolves at
    # import time cannot point into the harness's own folder.
    os.chdir(work_dir)
    import_error: Json | None = None
    api: list[Json] = []
    scenarios: list[Json] = []
    declared_all: list[str] | None = None
    stubs: list[Json] = []
    try:
        package = importlib.import_module(package_name)
    except BaseException as exc:
        import_error = describe_exception(exc)
        package_dir = _find_package_dir(package_name)
    else:
        package_dir = _package_dir(package)
        declared_all = declared_names(package)
        api = describe_api(package)
        stubs = stub_check.check_stubs(package, package_dir)
        scenarios = run_scenarios(scenario_table(style), package, work_dir)
    # Read right after the import: an extension that does not declare itself safe without the
    # GIL makes a free-threaded CPython turn the GIL back on as it is imported.
    gil_enabled = gil_enabled_now()
    return {
        "probe_version": PROBE_VERSION,
        "package": package_name,
        "style": style,
        "python": {
            "implementation": platform.python_implementation(),
            "version": platform.python_version(),
            "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
            "gil_enabled": gil_enabled,
        },
        # Raw paths, for the harness's snapshot filters.
        "paths": {"work_dir": str(work_dir), "package_dir": package_dir, "prefix": sys.prefix},
        "import_error": import_error,
        "all": declared_all,
        "api": api,
        "stubs": stubs,
        "scenarios": scenarios,
    }


def declared_names(package: types.ModuleType) -> list[str] | None:
    """The package's `__all__` as declared (its order kept), or None when it has none."""
    declared = _getattr_or(package, "__all__", None)
    if not isinstance(declared, (list, tuple)):
        return None
    return [str(name) for name in declared]


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
    parser.add_argument("--style", required=True, choices=styles())
    parser.add_argument("--work-dir", type=Path, help="folder for files the scenarios create")
    parser.add_argument(
        "--list-scenarios",
        action="store_true",
        help="print the style's scenario ids and behaviours; imports nothing",
    )
    args = parser.parse_args(argv)
    if not args.list_scenarios and (args.package is None or args.work_dir is None):
        parser.error("--package and --work-dir are required unless --list-scenarios is given")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)  # exits with status 2 on bad arguments
    if args.list_scenarios:
        sys.stdout.write(to_json(scenario_list(args.style)))
        return 0
    # On a fatal signal, the Python stack of every thread goes to stderr next to the last
    # "probe: running" line.
    faulthandler.enable()
    out = claim_stdout()
    work_dir = Path(os.path.realpath(args.work_dir))
    work_dir.mkdir(parents=True, exist_ok=True)
    document = probe(args.package, args.style, work_dir)
    out.write(to_json(document))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
