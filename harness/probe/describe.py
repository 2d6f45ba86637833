"""How the probe writes down what it sees: qualified names, exceptions and their chains, reprs.

Shared by the probe, its API walk (api.py), the distribution's metadata (distribution.py) and
the witnesses (witness.py). Every function here survives whatever the package's own code
raises: a `__str__` or `__repr__` that fails is written down as such, never propagated.
"""

from __future__ import annotations

import re

Json = dict[str, object]

# An exception chain longer than this is cut (the deeper link becomes null). Real chains are
# two or three links long; the cap only keeps a pathological chain from flooding the report.
MAX_CHAIN_DEPTH = 8

# Default reprs carry the object's address ("<X object at 0x7f3a...>"), which changes on every
# run. Masking it keeps snapshots stable while still showing that the repr is the default one.
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")


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
        "message": stable(safe_str(exc)),
        "notes": [stable(safe_str(note)) for note in _notes(exc)],
        "cause": None if cause is None else _describe_link(cause, seen, depth + 1),
        "context": None if context is None else _describe_link(context, seen, depth + 1),
    }


def _notes(exc: BaseException) -> list[object]:
    # __notes__ exists from 3.11 (PEP 678); on older Pythons code may still set it by hand.
    notes = getattr(exc, "__notes__", None)
    return list(notes) if isinstance(notes, (list, tuple)) else []


def safe_str(value: object) -> str:
    # str() runs arbitrary code (a __str__ of the package or of a plugin); a failure there must
    # not lose the whole report.
    try:
        return str(value)
    except BaseException as exc:
        return f"<str() raised {qualified_name(type(exc))}>"


def safe_repr(value: object) -> str:
    try:
        return stable(repr(value))
    except BaseException as exc:
        return f"<repr() raised {qualified_name(type(exc))}>"


def stable(text: str) -> str:
    return _ADDRESS.sub("at 0x...", text)
