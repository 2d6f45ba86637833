"""Where a package's `.pyi` stubs and its runtime modules disagree, in the spirit of stubtest.

The probe calls `check_stubs(package)`: every `.pyi` file inside the package's folder is read
with `ast` (never imported) and compared with the module it describes, imported as it runs:

- a public name in one and not the other (top level, and the members of classes in both);
- a different parameter list for a function, a method or a class's constructor, compared by
  parameter names, kinds (positional-only, keyword-only, `*args`, `**kwargs`) and whether each
  has a default. Annotations are not compared: native functions rarely carry them at runtime.

The result is part of the record, so stub drift shows up as a difference over time.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import types
from pathlib import Path

Json = dict[str, object]

# Reading a stub must not run the package; a file this large is not a stub worth reading.
MAX_STUB_BYTES = 4 * 1024 * 1024


def check_stubs(package: types.ModuleType, package_dir: str | None) -> list[Json]:
    """One record per `.pyi` file under the package's folder, sorted by module name."""
    return [
        check_stub(module_name, stub, shown)
        for module_name, stub, shown in _stub_files(package, package_dir)
    ]


def _stub_files(package: types.ModuleType, package_dir: str | None) -> list[tuple[str, Path, str]]:
    """Each `.pyi` file under the package's folder: the module it describes, its path, and its
    path inside the package folder, sorted."""
    if package_dir is None or not hasattr(package, "__path__"):
        return []
    root = Path(package_dir)
    return [
        (
            _module_name(package.__name__, stub.relative_to(root)),
            stub,
            stub.relative_to(root).as_posix(),
        )
        for stub in sorted(root.rglob("*.pyi"))
    ]


def _module_name(package_name: str, relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package_name, *parts])


def check_stub(module_name: str, stub: Path, shown_path: str) -> Json:
    record: Json = {"module": module_name, "file": shown_path, "error": None, "disagreements": []}
    try:
        if stub.stat().st_size > MAX_STUB_BYTES:
            record["error"] = f"the stub is larger than {MAX_STUB_BYTES} bytes"
            return record
        tree = ast.parse(stub.read_text(encoding="utf-8"), filename=str(stub))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError) as exc:
        record["error"] = f"the stub cannot be read: {type(exc).__name__}: {exc}"
        return record
    try:
        module = importlib.import_module(module_name)
    except BaseException as exc:
        # Importing runs the package's code, which may raise anything, PanicException included.
        record["error"] = f"the module cannot be imported: {type(exc).__name__}: {exc}"
        return record
    record["disagreements"] = compare_namespace(
        "", _stub_namespace(tree.body), _runtime_namespace(module)
    )
    return record


# --------------------------------------------------------------------------------------------
# What a stub declares


class StubName:
    """A name a stub declares: a function (with its parameters), a class, or a value."""

    def __init__(
        self,
        kind: str,
        parameters: str | None = None,
        members: dict[str, StubName] | None = None,
    ) -> None:
        self.kind = kind
        self.parameters = parameters
        self.members = members or {}


def _stub_namespace(body: list[ast.stmt], *, in_class: bool = False) -> dict[str, StubName]:
    names: dict[str, StubName] = {}
    if not in_class:
        # Names the stub's `__all__` lists are declared by it, imported ones included.
        for name in _declared_all(body):
            names[name] = StubName("value")
    for node in body:
        names.update(_declared_by(node, in_class=in_class))
    return names


def _declared_by(node: ast.stmt, *, in_class: bool) -> dict[str, StubName]:
    """The names one statement of a stub declares."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return {node.name: StubName("function", _stub_parameters(node, in_class=in_class))}
    if isinstance(node, ast.ClassDef):
        return {node.name: StubName("class", members=_stub_namespace(node.body, in_class=True))}
    if isinstance(node, (ast.AnnAssign, ast.Assign)):
        return {name: StubName("value") for name in _assigned_values(node)}
    if isinstance(node, ast.ImportFrom):
        # `from x import Y as Y` is how a stub says it re-exports Y (PEP 484); a plain
        # import is the stub's own business.
        return {a.name: StubName("value") for a in node.names if a.asname == a.name}
    if isinstance(node, ast.If):
        # `if sys.version_info >= ...:` blocks: both branches declare names.
        names = _stub_namespace(node.body, in_class=in_class)
        names.update(_stub_namespace(node.orelse, in_class=in_class))
        return names
    return {}


def _assigned_values(node: ast.AnnAssign | ast.Assign) -> list[str]:
    """The values an assignment declares; type aliases and type variables are not values."""
    if isinstance(node, ast.AnnAssign):
        typed = isinstance(node.target, ast.Name) and not _names_a_type_alias(node.annotation)
        return [node.target.id] if typed and isinstance(node.target, ast.Name) else []
    if _is_typing_only(node.value):
        return []
    return [target.id for target in node.targets if isinstance(target, ast.Name)]


def _declared_all(body: list[ast.stmt]) -> list[str]:
    for node in body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            assert isinstance(node, ast.Assign)
            if isinstance(node.value, (ast.List, ast.Tuple)):
                return [
                    item.value
                    for item in node.value.elts
                    if isinstance(item, ast.Constant) and isinstance(item.value, str)
                ]
    return []


def _names_a_type_alias(annotation: ast.expr) -> bool:
    name = annotation.attr if isinstance(annotation, ast.Attribute) else None
    if isinstance(annotation, ast.Name):
        name = annotation.id
    return name == "TypeAlias"


def _is_typing_only(value: ast.expr) -> bool:
    """Whether an assignment in a stub only declares a type: `X = Union[...]`, `T = TypeVar(...)`.

    Such names exist for type checkers; the runtime rarely has them, and stubtest does not
    expect it to.
    """
    if isinstance(value, ast.Subscript):
        return True
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return called in ("TypeVar", "ParamSpec", "TypeVarTuple", "NewType")
    return False


def _decorators(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set()
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Name):
            names.add(decorator.id)
        elif isinstance(decorator, ast.Attribute):
            names.add(decorator.attr)
    return names


def _stub_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef, *, in_class: bool) -> str:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    # A default belongs to the last parameters of the positional list.
    first_default = len(positional) - len(args.defaults)
    parts: list[Parameter] = []
    for index, arg in enumerate(positional):
        kind = "positional-only" if index < len(args.posonlyargs) else "positional"
        parts.append(Parameter(arg.arg, kind, index >= first_default))
    if args.vararg is not None:
        parts.append(Parameter(args.vararg.arg, "var-positional", False))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        parts.append(Parameter(arg.arg, "keyword-only", default is not None))
    if args.kwarg is not None:
        parts.append(Parameter(args.kwarg.arg, "var-keyword", False))
    # `self` and `cls` are compared by neither side: the runtime spells them differently
    # (PyO3's `$self` is positional-only) and a caller never passes them.
    if in_class and parts and "staticmethod" not in _decorators(node):
        parts = parts[1:]
    return format_parameters(parts)


# --------------------------------------------------------------------------------------------
# What the runtime has


class Parameter:
    def __init__(self, name: str, kind: str, has_default: bool) -> None:
        self.name = name
        self.kind = kind
        self.has_default = has_default


def format_parameters(parameters: list[Parameter]) -> str:
    """`(a, /, b, c=..., *args, d, **kwargs)`: names, kinds and defaults, without annotations."""
    parts: list[str] = []
    kinds = [p.kind for p in parameters]
    for index, parameter in enumerate(parameters):
        # A bare `*` marks where keyword-only parameters start, unless `*args` already does.
        starts_keywords = index == 0 or kinds[index - 1] not in ("keyword-only", "var-positional")
        if parameter.kind == "keyword-only" and starts_keywords:
            parts.append("*")
        text = parameter.name + ("=..." if parameter.has_default else "")
        if parameter.kind == "var-positional":
            text = f"*{parameter.name}"
        elif parameter.kind == "var-keyword":
            text = f"**{parameter.name}"
        parts.append(text)
        last_positional_only = index + 1 == len(parameters) or kinds[index + 1] != kinds[index]
        if parameter.kind == "positional-only" and last_positional_only:
            parts.append("/")
    return "(" + ", ".join(parts) + ")"


_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "positional-only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional",
    inspect.Parameter.VAR_POSITIONAL: "var-positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword-only",
    inspect.Parameter.VAR_KEYWORD: "var-keyword",
}


def runtime_parameters(obj: object, *, drop_first: bool = False) -> str | None:
    """The parameters of a callable as `format_parameters` writes them; None when unknown."""
    try:
        signature = inspect.signature(obj)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    parameters = [
        Parameter(p.name, _KINDS[p.kind], p.default is not inspect.Parameter.empty)
        for p in signature.parameters.values()
    ]
    return format_parameters(parameters[1:] if drop_first else parameters)


# What a class's __dict__ holds for a method whose lookup on the class keeps `self` as the
# first parameter (a Python function, a native method); static and class methods do not.
_UNBOUND_METHODS = (types.FunctionType, types.MethodDescriptorType, types.WrapperDescriptorType)


class RuntimeName:
    def __init__(self, kind: str, parameters: str | None, members: dict[str, RuntimeName]) -> None:
        self.kind = kind
        self.parameters = parameters
        self.members = members


def _runtime_namespace(module: types.ModuleType) -> dict[str, RuntimeName]:
    declared = getattr(module, "__all__", None)
    listed = [str(name) for name in declared] if isinstance(declared, (list, tuple)) else None
    names: dict[str, RuntimeName] = {}
    for name in dir(module) if listed is None else listed:
        try:
            obj = getattr(module, name)
        except BaseException:
            # A name that raises on access is still a name the module has.
            obj = None
        # Without `__all__`, what a module imported (`import os`, `from typing import final`)
        # is in dir() too, but is not part of its interface.
        if listed is None and (isinstance(obj, types.ModuleType) or _imported(obj, module)):
            continue
        names[name] = _runtime_name(obj)
    return names


def _imported(obj: object, module: types.ModuleType) -> bool:
    """Whether a class or function comes from another package than `module`'s own."""
    if not callable(obj):
        return False
    defined_in = getattr(obj, "__module__", None)
    if not isinstance(defined_in, str):
        return False
    # A native module's functions may name it by its short name (`_greet`) or in full.
    own = {module.__name__.split(".")[0], module.__name__.split(".")[-1]}
    return defined_in.split(".")[0] not in own


def _runtime_name(obj: object) -> RuntimeName:
    if isinstance(obj, type):
        members = {}
        for name, raw in vars(obj).items():
            try:
                member = getattr(obj, name)
            except BaseException:
                member = None
            kind = "function" if callable(member) else "value"
            parameters = (
                runtime_parameters(member, drop_first=isinstance(raw, _UNBOUND_METHODS))
                if kind == "function"
                else None
            )
            members[name] = RuntimeName(kind, parameters, {})
        # The constructor's parameters, as a call of the class takes them.
        return RuntimeName("class", runtime_parameters(obj), members)
    if callable(obj):
        return RuntimeName("function", runtime_parameters(obj), {})
    return RuntimeName("value", None, {})


# --------------------------------------------------------------------------------------------
# Comparing


def _public(name: str) -> bool:
    return not name.startswith("_")


def compare_namespace(
    prefix: str,
    stub: dict[str, StubName],
    runtime: dict[str, RuntimeName],
) -> list[Json]:
    found: list[Json] = []
    for name in sorted(set(stub) | set(runtime)):
        # `__new__` and `__init__` are compared as the class's constructor (see _compare_name).
        if not _public(name):
            continue
        path = f"{prefix}{name}"
        in_stub, at_runtime = stub.get(name), runtime.get(name)
        if in_stub is None and at_runtime is not None:
            found.append(disagreement("only_at_runtime", path))
        elif in_stub is not None and at_runtime is None:
            found.append(disagreement("only_in_stub", path))
        elif in_stub is not None and at_runtime is not None:
            found.extend(_compare_name(path, in_stub, at_runtime))
    return found


def _compare_name(path: str, stub: StubName, runtime: RuntimeName) -> list[Json]:
    if stub.kind == "class" and runtime.kind == "class":
        constructor = stub.members.get("__new__") or stub.members.get("__init__")
        found = (
            _compare_parameters(path, constructor.parameters, runtime.parameters)
            if constructor is not None
            else []
        )
        return found + compare_namespace(f"{path}.", stub.members, runtime.members)
    if stub.kind == "function" and runtime.kind == "function":
        return _compare_parameters(path, stub.parameters, runtime.parameters)
    return []


def _compare_parameters(path: str, in_stub: str | None, at_runtime: str | None) -> list[Json]:
    # A runtime without a signature (a builtin without __text_signature__) cannot disagree.
    if in_stub is None or at_runtime is None or in_stub == at_runtime:
        return []
    return [disagreement("parameters", path, stub=in_stub, runtime=at_runtime)]


def disagreement(
    kind: str, name: str, *, stub: str | None = None, runtime: str | None = None
) -> Json:
    return {"kind": kind, "name": name, "stub": stub, "runtime": runtime}


# --------------------------------------------------------------------------------------------
# What a stub says of one function, for the API walk

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


class StubIndex:
    """Every function the package's stubs declare, by module and qualified name (`scale`,
    `Message.greet`; a class's own name for its constructor, `__new__` or else `__init__`).

    The API walk asks it for what the runtime does not say: PyO3 writes a default it cannot
    render as `...`, and a native function has no annotations; the stub may have both.
    """

    def __init__(self, functions: dict[str, dict[str, FunctionNode]]) -> None:
        self.functions = functions

    @classmethod
    def read(cls, package: types.ModuleType, package_dir: str | None) -> StubIndex:
        functions: dict[str, dict[str, FunctionNode]] = {}
        for module_name, stub, _shown in _stub_files(package, package_dir):
            try:
                if stub.stat().st_size > MAX_STUB_BYTES:
                    continue
                tree = ast.parse(stub.read_text(encoding="utf-8"), filename=str(stub))
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
                # check_stubs reports the stub as unreadable; here it only has nothing to add.
                continue
            functions[module_name] = _functions_of(tree.body, "")
        return cls(functions)

    def find(self, module: str | None, qualname: str | None, path: str) -> FunctionNode | None:
        """The stub's declaration of a runtime function: by where the function says it is
        defined (`module`, `qualname`), else by its name in the package's API (`path`), when
        exactly one stub declares it."""
        if module is not None and qualname is not None:
            exact = self.functions.get(module, {}).get(qualname)
            if exact is not None:
                return exact
            # A native module may name itself by its short name (`_greet`) or in full.
            short = module.rsplit(".", 1)[-1]
            same_module = [
                declared[qualname]
                for name, declared in self.functions.items()
                if name.rsplit(".", 1)[-1] == short and qualname in declared
            ]
            if len(same_module) == 1:
                return same_module[0]
        for name in dict.fromkeys(n for n in (qualname, path) if n is not None):
            anywhere = [declared[name] for declared in self.functions.values() if name in declared]
            if len(anywhere) == 1:
                return anywhere[0]
        return None


def _functions_of(body: list[ast.stmt], prefix: str) -> dict[str, FunctionNode]:
    found: dict[str, FunctionNode] = {}
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.setdefault(f"{prefix}{node.name}", node)
        elif isinstance(node, ast.ClassDef):
            members = _functions_of(node.body, "")
            constructor = members.get("__new__") or members.get("__init__")
            if constructor is not None:
                found.setdefault(f"{prefix}{node.name}", constructor)
            for name, member in members.items():
                found.setdefault(f"{prefix}{node.name}.{name}", member)
        elif isinstance(node, ast.If):
            # `if sys.version_info >= ...:` blocks: the first declaration found is kept.
            for name, member in _functions_of([*node.body, *node.orelse], prefix).items():
                found.setdefault(name, member)
    return found


def stub_parameters(node: FunctionNode) -> dict[str, tuple[str | None, str | None]]:
    """Each parameter the stub declares: its annotation and its default, as source text."""
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    pairs: list[tuple[ast.arg, ast.expr | None]] = list(zip(positional, defaults, strict=True))
    pairs += zip(args.kwonlyargs, args.kw_defaults, strict=True)
    pairs += [(arg, None) for arg in (args.vararg, args.kwarg) if arg is not None]
    return {
        arg.arg: (
            None if arg.annotation is None else ast.unparse(arg.annotation),
            None if default is None else ast.unparse(default),
        )
        for arg, default in pairs
    }
