"""Witnesses: a few lines of Python that worked with the recorded behaviour, run against this
build to see whether they fail now.

The harness derives a witness for each breaking difference (`from my_ext import get_answer`,
`issubclass(my_ext.Oops, ValueError)`, a call bound to the new signature) and hands the ones it
can run to `scaffold_probe.py --witnesses FILE`, a JSON list of code strings. Each runs in a
namespace of its own; what it raised (its class and every base, by bare name) is printed as JSON,
so the harness can say which witnesses are confirmed on this build.
"""

from __future__ import annotations

import json
from pathlib import Path

from describe import Json, safe_str


def run_witnesses(path: Path) -> list[Json]:
    """One result per code string of the file, in order: `raised` is null when it ran through."""
    codes = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise SystemExit(f"probe: --witnesses {path}: expected a JSON list of strings")
    return [run_one(code) for code in codes]


def run_one(code: str) -> Json:
    namespace: dict[str, object] = {"__name__": "__witness__"}
    try:
        exec(compile(code, "<witness>", "exec"), namespace)
    except KeyboardInterrupt:
        # Ctrl-C must still stop the probe; a witness never raises it on purpose.
        raise
    except BaseException as exc:
        # Anything the package raises, PanicException (a BaseException) included, is the answer.
        classes = [cls.__name__ for cls in type(exc).__mro__ if cls is not object]
        return {"raised": classes, "message": safe_str(exc)}
    return {"raised": None, "message": None}
