"""The package's public API, walked for the probe: one record per public name.

Each record holds a name's kind, where it is defined, its signature (with what the runtime does
not say taken from the package's stubs: a default PyO3 shows as `...`, annotations a native
function lacks), docstring, the repr of a simple value, a class's bases and the rest of its MRO,
and a class's own members: methods, properties, values, and enum members with their values.
"""

from __future__ import annotations

import ast
import enum
import inspect
import types

from describe import Json, qualified_name, safe_repr, safe_str
from stub_check import FunctionNode, StubIndex, stub_parameters

# The values whose repr is recorded: a repr of these is stable and says what the value is.
# Anything else (an instance, a function) keeps only its kind: its repr names an address or
# changes with the interpreter.
_SIMPLE_TYPES = (str, int, float, bool, type(None))

# A longer repr is cut: a constant holding a whole file would drown the record. The length
# is kept, so a change past the cut still shows.
MAX_VALUE_REPR = 500


def describe_api(package: types.ModuleType, stubs: StubIndex) -> list[Json]:
    """One record per public name of the package, sorted by name.

    Submodules of the package (e.g. `my_ext.api`) list their own public names as members, but
    only one level deep and without class members: the qualname already tells whether
    `my_ext.api.Message` is the class listed in full at the top level.
    """
    return [
        describe_name(package, name, stubs, nested=True) for name in sorted(public_names(package))
    ]


def public_names(module: types.ModuleType) -> list[str]:
    """`__all__` when the module declares it, otherwise every name not starting with `_`."""
    declared = getattr(module, "__all__", None)
    if declared is not None:
        return [str(name) for name in declared]
    return [name for name in dir(module) if not name.startswith("_")]


def describe_name(module: types.ModuleType, name: str, stubs: StubIndex, *, nested: bool) -> Json:
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
            [
                describe_name(obj, member, stubs, nested=False)
                for member in sorted(public_names(obj))
            ]
            if nested
            else []
        )
        return api_item(name, kind, obj.__name__, doc=doc_of(obj), members=members)
    if isinstance(obj, type):
        # An enum's call signature is the enum machinery's, and changes between Pythons.
        is_enum = issubclass(obj, enum.Enum)
        return api_item(
            name,
            kind,
            qualified_name(obj),
            signature=None if is_enum else signature_of(obj, stubs, name),
            doc=doc_of(obj),
            members=class_members(obj, stubs) if nested else [],
            bases=bases_of(obj),
            mro=mro_of(obj),
        )
    if kind == "function":
        qualname = _defined_as(obj) or where
        signature = signature_of(obj, stubs, name)
        return api_item(name, kind, qualname, signature=signature, doc=doc_of(obj))
    # A constant's __doc__ is its type's (str, int ...), which says nothing about the constant.
    return api_item(name, kind, where, value=value_of(obj))


def class_members(cls: type, stubs: StubIndex) -> list[Json]:
    # Only what the class itself defines: inherited members (object's, or Exception's
    # `add_note`/`with_traceback`) change between Python versions and say nothing about the project.
    owner = qualified_name(cls)
    members = []
    for name, raw in sorted(vars(cls).items()):
        if name.startswith("_"):
            continue
        where = f"{owner}.{name}"
        kind = member_kind(cls, raw)
        if kind == "function":
            # Through getattr, so that a staticmethod shows the function's own signature and doc.
            bound = _getattr_or(cls, name, raw)
            signature = signature_of(bound, stubs, f"{cls.__name__}.{name}")
            item = api_item(name, kind, where, signature=signature, doc=doc_of(bound))
        elif kind == "property":
            item = api_item(name, kind, where, doc=doc_of(raw))
        elif kind == ENUM_MEMBER:
            item = api_item(name, kind, where, value=enum_value(raw))
        elif isinstance(raw, type):
            item = api_item(
                name,
                kind,
                qualified_name(raw),
                signature=signature_of(raw, stubs, f"{cls.__name__}.{name}"),
                doc=doc_of(raw),
                bases=bases_of(raw),
                mro=mro_of(raw),
            )
        else:
            item = api_item(name, kind, where, value=value_of(raw))
        members.append(item)
    return members


# The kind of a member of an enum: a Python `enum.Enum`'s member, or a variant of a PyO3
# `#[pyclass] enum`, which is a class attribute holding an instance of the class itself.
ENUM_MEMBER = "enum member"


def object_kind(obj: object) -> str:
    if isinstance(obj, type):
        return "exception" if issubclass(obj, BaseException) else "class"
    if isinstance(obj, types.ModuleType):
        return "module"
    if callable(obj):
        return "function"
    return "constant"


def member_kind(cls: type, raw: object) -> str:
    """Like object_kind, for the raw value found in a class's __dict__.

    Getters (Python `property`, or the getset/member descriptors PyO3's #[getter] and #[pyo3(get)]
    create) get their own kind, "property": calling them "constant" would mislead a reader. An
    instance of the class itself is an enum member.
    """
    if isinstance(raw, (staticmethod, classmethod)):
        return "function"
    if isinstance(raw, (property, types.GetSetDescriptorType, types.MemberDescriptorType)):
        return "property"
    if not isinstance(raw, type) and isinstance(raw, cls):
        return ENUM_MEMBER
    return object_kind(raw)


def enum_value(member: object) -> str | None:
    """An enum member's value: a Python enum's `.value`, a PyO3 enum variant's `int()`."""
    if isinstance(member, enum.Enum):
        return _capped(safe_repr(member.value))
    try:
        return repr(int(member))  # type: ignore[call-overload]
    except BaseException:
        # A variant without a discriminant (or whose __int__ raises) is known by its name only.
        return None


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
    mro: list[str] | None = None,
) -> Json:
    return {
        "name": name,
        "kind": kind,
        "qualname": qualname,
        "signature": signature,
        "doc": doc,
        "value": value,
        "bases": bases or [],
        "mro": mro or [],
        "members": members or [],
    }


def value_of(obj: object) -> str | None:
    """The repr of a simple value (str, int, float, bool, None, tuples of these), else None."""
    if not _is_simple(obj):
        return None
    return _capped(safe_repr(obj))


def _capped(text: str) -> str:
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


def mro_of(cls: type) -> list[str]:
    """Every ancestor of a class, in MRO order, without itself and `object`: what `except` and
    `isinstance` match it by. A base swapped for one of its subclasses keeps them all."""
    return [qualified_name(base) for base in cls.__mro__[1:] if base is not object]


def _defined_as(obj: object) -> str | None:
    """Where a function says it is defined (`module.qualname`), when it says so."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str):
        return f"{module}.{qualname}"
    return None


class _Source:
    """Text from a stub, shown as it is where inspect shows a default's or annotation's repr."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def signature_of(obj: object, stubs: StubIndex, path: str) -> str | None:
    """`inspect.signature`, completed from the stub that declares `obj` (found by where `obj`
    says it is defined, or by `path`, its name in the package's API)."""
    # Builtins without __text_signature__ have no signature to show; that is not an error.
    if not callable(obj):
        return None
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    declared = stubs.find(
        module if isinstance(module, str) else None,
        qualname if isinstance(qualname, str) else None,
        path,
    )
    return str(signature if declared is None else completed(signature, declared))


def completed(signature: inspect.Signature, declared: FunctionNode) -> inspect.Signature:
    """The runtime's signature with the stub's defaults where the runtime shows `...`, and the
    stub's annotations where the runtime has none. Parameters are matched by name: the runtime
    decides which parameters there are."""
    in_stub = stub_parameters(declared)
    parameters = []
    for runtime in signature.parameters.values():
        annotation, default = in_stub.get(runtime.name, (None, None))
        parameter = runtime
        if runtime.default is Ellipsis and default is not None and default != "...":
            parameter = parameter.replace(default=_Source(default))
        if runtime.annotation is inspect.Parameter.empty and annotation is not None:
            parameter = parameter.replace(annotation=_Source(annotation))
        parameters.append(parameter)
    returns = signature.return_annotation
    if returns is inspect.Signature.empty and declared.returns is not None:
        returns = _Source(ast.unparse(declared.returns))
    return signature.replace(parameters=parameters, return_annotation=returns)


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
    return f"probe: getattr raised {qualified_name(type(exc))}: {safe_str(exc)}"


def declared_names(package: types.ModuleType) -> list[str] | None:
    """The package's `__all__` as declared (its order kept), or None when it has none."""
    declared = _getattr_or(package, "__all__", None)
    if not isinstance(declared, (list, tuple)):
        return None
    return [str(name) for name in declared]
