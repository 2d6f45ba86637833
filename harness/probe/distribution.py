"""What the installed distribution promises besides its API: the wheel's tags and entry points.

The harness installs the wheel it built into the case's venv, so the distribution's metadata is
there to read with `importlib.metadata`: the `Tag:` lines of its `WHEEL` file (which
interpreters and platforms the one wheel serves: `cp39-abi3-manylinux_2_17_x86_64`), and its
entry points (`[project.scripts]`, `[project.gui-scripts]`, `[project.entry-points.GROUP]`),
each loaded to see whether it still resolves to a callable.
"""

from __future__ import annotations

import importlib.metadata

from describe import Json, describe_exception, qualified_name


def distribution_of(package_name: str) -> importlib.metadata.Distribution | None:
    """The one installed distribution that provides the import package, if there is one."""
    try:
        names = sorted(set(importlib.metadata.packages_distributions().get(package_name, [])))
    except BaseException:
        # Metadata of another installed distribution that cannot be read must not stop the probe.
        return None
    if len(names) != 1:
        return None
    try:
        return importlib.metadata.distribution(names[0])
    except importlib.metadata.PackageNotFoundError:
        return None


def wheel_tags(distribution: importlib.metadata.Distribution | None) -> Json | None:
    """`{"tags": [...]}` from the distribution's WHEEL file; None without one."""
    if distribution is None:
        return None
    text = distribution.read_text("WHEEL")
    if text is None:
        return None
    tags = [line.partition(":")[2].strip() for line in text.splitlines() if line.startswith("Tag:")]
    return {"tags": tags}


def entry_points(distribution: importlib.metadata.Distribution | None) -> list[Json]:
    """Every entry point of the distribution, sorted, each with what loading it gives."""
    if distribution is None:
        return []
    found = sorted(distribution.entry_points, key=lambda point: (point.group, point.name))
    return [
        {
            "group": point.group,
            "name": point.name,
            "value": point.value,
            "outcome": _load(point),
        }
        for point in found
    ]


def _load(point: importlib.metadata.EntryPoint) -> Json:
    try:
        target = point.load()
    except BaseException as exc:
        # The module or the attribute is gone, or importing the module raised: a script
        # installed for it fails the same way.
        return {"kind": "raised", "exception": describe_exception(exc)}
    if callable(target):
        return {"kind": "callable"}
    return {"kind": "not_callable", "type": qualified_name(type(target))}
