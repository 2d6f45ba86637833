"""Scenarios for the text-processor style: one row per behaviour the style promises.

Each scenario returns what a learner should look at (a value, or a few named facts) or lets the
exception escape; scaffold_probe.py records either as the outcome. Scenarios do not assert:
the harness snapshots the outcomes, so a wrong value shows up as a readable diff.

Scenarios that need plugins write a fresh folder under plugins/ in the work dir and pass it by
its relative name (the probe runs every scenario with the work dir as current directory), so
error messages that name the folder stay the same from run to run. Plugin file names differ
between folders, so that a loader caching plugins by name cannot make one scenario depend on
another.

Loading errors (missing folder, not a folder, no `process`, syntax error) belong to
construction, because plugins are loaded once, at construction: those scenarios only construct,
and if construction succeeds they say so, which the snapshot then shows as the wrong stage.
"""

from __future__ import annotations

import contextlib
import importlib
import json as stdlib_json
import shutil
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from scenario import Scenario

EXAMPLE = "\n    hello world\n    this is a test\n    of our processor\n    "
UNTRIMMED = "  one  \n\ttwo\t\n   three"


# --------------------------------------------------------------------------------------------
# Plugin folders


def plugin_folder(work_dir: Path, name: str, files: Mapping[str, str]) -> Path:
    """Write work_dir/plugins/<name>/ afresh with `files` and return its path relative to work_dir.

    The folder is recreated on every run so that stale files (or stale __pycache__) from an
    earlier run cannot change the outcome.
    """
    relative = Path("plugins") / name
    folder = work_dir / relative
    _remove(folder)
    folder.mkdir(parents=True)
    for file_name, source in files.items():
        path = folder / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    return relative


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def bundled_plugin_dir(pkg: ModuleType) -> Path:
    """python/<pkg>/plugins/ as installed: next to the package's __init__.py."""
    return Path(str(pkg.__file__)).parent / "plugins"


def constructed(processor: object) -> object:
    """What a loading-error scenario returns when construction did not fail."""
    return {"constructed": True, "plugins": getattr(processor, "plugins", None)}


APPEND_TAG = """
    def process(text):
        return text + " [{tag}]"
"""


def tag_plugin(tag: str) -> str:
    return APPEND_TAG.format(tag=tag)


# --------------------------------------------------------------------------------------------
# The bundled plugins


def bundled_example(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.TextProcessor(EXAMPLE).process()


def plugins_order(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.TextProcessor(EXAMPLE).plugins


def text_property(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.TextProcessor(EXAMPLE).text


def _same_as_default(pkg: ModuleType, plugin_dir: object) -> object:
    default = pkg.TextProcessor(EXAMPLE)
    explicit = pkg.TextProcessor(EXAMPLE, plugin_dir=plugin_dir)
    return {
        "plugins": explicit.plugins,
        "same_plugins_as_default": explicit.plugins == default.plugins,
        "same_result_as_default": explicit.process() == default.process(),
    }


def plugin_dir_none(pkg: ModuleType, _work_dir: Path) -> object:
    return _same_as_default(pkg, None)


def plugin_dir_str(pkg: ModuleType, _work_dir: Path) -> object:
    return _same_as_default(pkg, str(bundled_plugin_dir(pkg)))


def plugin_dir_path(pkg: ModuleType, _work_dir: Path) -> object:
    return _same_as_default(pkg, bundled_plugin_dir(pkg))


def empty_text(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.TextProcessor("").process()


# --------------------------------------------------------------------------------------------
# Which files are plugins, and in which order


def order_by_file_name(pkg: ModuleType, work_dir: Path) -> object:
    # Written in a scrambled order so that directory order cannot pass for sorting.
    folder = plugin_folder(
        work_dir,
        "order",
        {
            "c_third.py": tag_plugin("c"),
            "a_first.py": tag_plugin("a"),
            "b_second.py": tag_plugin("b"),
        },
    )
    processor = pkg.TextProcessor("  text  ", plugin_dir=folder)
    return {"plugins": processor.plugins, "result": processor.process()}


def no_plugins(pkg: ModuleType, work_dir: Path) -> object:
    folder = plugin_folder(work_dir, "empty", {})
    processor = pkg.TextProcessor(UNTRIMMED, plugin_dir=folder)
    return {"plugins": processor.plugins, "result": processor.process()}


def ignored_files(pkg: ModuleType, work_dir: Path) -> object:
    # None of these is a plugin; each raises if it is ever imported, so a loader that picks one
    # up fails loudly instead of silently changing the text.
    must_not_load = 'raise RuntimeError("this file is not a plugin and must not be loaded")\n'
    folder = plugin_folder(
        work_dir,
        "ignored",
        {
            "_helpers.py": must_not_load,
            "__init__.py": must_not_load,
            "notes.txt": must_not_load,
            "nested/deeper.py": must_not_load,
        },
    )
    processor = pkg.TextProcessor(UNTRIMMED, plugin_dir=folder)
    return {"plugins": processor.plugins, "result": processor.process()}


# --------------------------------------------------------------------------------------------
# Loading errors (at construction)


def missing_folder(pkg: ModuleType, work_dir: Path) -> object:
    folder = Path("plugins") / "does-not-exist"
    _remove(work_dir / folder)
    return constructed(pkg.TextProcessor("text", plugin_dir=folder))


def folder_is_file(pkg: ModuleType, work_dir: Path) -> object:
    folder = Path("plugins") / "a-file.py"
    _remove(work_dir / folder)
    (work_dir / folder).parent.mkdir(parents=True, exist_ok=True)
    (work_dir / folder).write_text(tag_plugin("file"), encoding="utf-8")
    return constructed(pkg.TextProcessor("text", plugin_dir=folder))


def _no_process_folder(work_dir: Path) -> Path:
    return plugin_folder(work_dir, "no-process", {"no_process.py": "VALUE = 1\n"})


def plugin_without_process(pkg: ModuleType, work_dir: Path) -> object:
    return constructed(pkg.TextProcessor("text", plugin_dir=_no_process_folder(work_dir)))


def plugin_process_not_callable(pkg: ModuleType, work_dir: Path) -> object:
    folder = plugin_folder(work_dir, "not-callable", {"not_callable.py": 'process = "text"\n'})
    return constructed(pkg.TextProcessor("text", plugin_dir=folder))


def plugin_error_exported(pkg: ModuleType, work_dir: Path) -> object:
    # The learner catches the error by the name the package exports, or as any Exception.
    try:
        pkg.TextProcessor("text", plugin_dir=_no_process_folder(work_dir))
    except Exception as exc:
        return {
            "caught_by_except_Exception": True,
            "type_is_pkg_PluginError": type(exc) is pkg.PluginError,
        }
    return "TextProcessor(...) did not raise"


def plugin_syntax_error(pkg: ModuleType, work_dir: Path) -> object:
    # An unmatched ')' gives the same message on every supported CPython.
    source = """
        def process(text):
            return text.upper())
    """
    folder = plugin_folder(work_dir, "syntax-error", {"broken_syntax.py": source})
    return constructed(pkg.TextProcessor("text", plugin_dir=folder))


# --------------------------------------------------------------------------------------------
# Errors while processing


def plugin_raises(pkg: ModuleType, work_dir: Path) -> object:
    source = """
        def process(text):
            return {}["missing-key"]
    """
    folder = plugin_folder(work_dir, "raises", {"raises_key_error.py": source})
    return pkg.TextProcessor("text", plugin_dir=folder).process()


def plugin_returns_int(pkg: ModuleType, work_dir: Path) -> object:
    source = """
        def process(text):
            return len(text)
    """
    folder = plugin_folder(work_dir, "returns-int", {"returns_int.py": source})
    return pkg.TextProcessor("text", plugin_dir=folder).process()


def recovers_after_error(pkg: ModuleType, work_dir: Path) -> object:
    # The plugin fails on its first call only. Plugins are loaded once, so its counter survives
    # between calls, and the second call on the same processor must succeed.
    source = """
        calls = 0

        def process(text):
            global calls
            calls += 1
            if calls == 1:
                raise RuntimeError("first call fails")
            return text.upper()
    """
    folder = plugin_folder(work_dir, "flaky", {"fails_once.py": source})
    processor = pkg.TextProcessor("  again  ", plugin_dir=folder)
    try:
        processor.process()
    except Exception as exc:
        first = f"raised {type(exc).__name__}: {exc}"
    else:
        first = "returned"
    return {"first_call": first, "second_call": processor.process()}


def works_after_errors(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.TextProcessor(EXAMPLE).process()


# --------------------------------------------------------------------------------------------
# Plugins must not disturb the interpreter


def stdlib_shadowing_plugin(pkg: ModuleType, work_dir: Path) -> object:
    source = """
        def process(text):
            return text + " [json.py plugin ran]"
    """
    folder = plugin_folder(work_dir, "shadowing", {"json.py": source})
    processor = pkg.TextProcessor("  text  ", plugin_dir=folder)
    result = processor.process()
    # What `import json` gives now; stdlib_json was imported with this table, before any plugin.
    json_now = importlib.import_module("json")
    return {
        "plugins": processor.plugins,
        "result": result,
        "import_json_is_stdlib_json": json_now is stdlib_json,
        "json.dumps(['ok'])": json_now.dumps(["ok"]),
    }


def sys_path_unchanged(pkg: ModuleType, work_dir: Path) -> object:
    before = list(sys.path)
    good = plugin_folder(work_dir, "sys-path-good", {"sys_path_tag.py": tag_plugin("ok")})
    pkg.TextProcessor("text", plugin_dir=good).process()
    # A loader that adds to sys.path and only cleans up on success would be caught here.
    broken = plugin_folder(work_dir, "sys-path-broken", {"sys_path_broken.py": "def process(:\n"})
    with contextlib.suppress(SyntaxError):
        pkg.TextProcessor("text", plugin_dir=broken)
    after = list(sys.path)
    return {
        "unchanged": after == before,
        "added": [entry for entry in after if entry not in before],
        "removed": [entry for entry in before if entry not in after],
    }


SCENARIOS = (
    Scenario(
        "text_processor.bundled_example",
        "TextProcessor('\\n    hello world\\n    this is a test\\n    of our processor\\n    ')"
        ".process() returns '\\nDlrow olleh\\nTset a si siht\\nRossecorp ruo fo'",
        bundled_example,
        exercises=(6, 7, 8),
        hint=(
            "process() trims every line in Rust (trim_lines_into), then runs each bundled plugin "
            "loaded by Plugin::load through Plugin::run, in file-name order."
        ),
    ),
    Scenario(
        "text_processor.plugins_order",
        "tp.plugins lists the bundled plugins by name, in run order (reverse, then capitalize)",
        plugins_order,
        exercises=(7,),
        hint=(
            "Plugin::load keeps each plugin's name, its file name without .py; the core crate has "
            "already sorted the files."
        ),
    ),
    Scenario(
        "text_processor.text_property",
        "tp.text returns the text given to the constructor",
        text_property,
        exercises=(7,),
        hint=(
            "The getter is complete, but constructing a TextProcessor loads the bundled plugins "
            "with Plugin::load."
        ),
    ),
    Scenario(
        "text_processor.plugin_dir_none",
        "plugin_dir=None gives the default's plugins and result (the bundled folder)",
        plugin_dir_none,
        exercises=(6, 7, 8),
        hint=(
            "The constructor already turns None into the bundled folder; the result needs "
            "trim_lines_into, Plugin::load and Plugin::run."
        ),
    ),
    Scenario(
        "text_processor.plugin_dir_str",
        "the bundled folder passed as a str gives the default's plugins and result",
        plugin_dir_str,
        exercises=(6, 7, 8),
        hint=(
            "The constructor already accepts a str; the result needs trim_lines_into, Plugin::load"
            " and Plugin::run."
        ),
    ),
    Scenario(
        "text_processor.plugin_dir_path",
        "the bundled folder passed as a pathlib.Path gives the default's plugins and result",
        plugin_dir_path,
        exercises=(6, 7, 8),
        hint=(
            "The constructor already accepts a pathlib.Path; the result needs trim_lines_into, "
            "Plugin::load and Plugin::run."
        ),
    ),
    Scenario(
        "text_processor.empty_text",
        "TextProcessor('').process() returns an empty string",
        empty_text,
        exercises=(6, 7, 8),
        hint=(
            "An empty text goes through trim_lines_into and every bundled plugin and comes out "
            "empty."
        ),
    ),
    Scenario(
        "text_processor.order_by_file_name",
        "plugins run in file-name order (a_first, b_second, c_third), not in the order written",
        order_by_file_name,
        exercises=(6, 7, 8),
        hint=(
            "Plugin::run returns the plugin's result, which becomes the next plugin's input; the "
            "order is the one the plugins were loaded in."
        ),
    ),
    Scenario(
        "text_processor.no_plugins",
        "a plugin folder with no plugins returns the text with every line trimmed",
        no_plugins,
        exercises=(6,),
        hint=(
            "With no plugins, process() returns the trimmed text: every line trimmed, joined with "
            "\\n, no empty last line."
        ),
    ),
    Scenario(
        "text_processor.ignored_files",
        "files starting with '_', non-.py files and files in subfolders are not plugins",
        ignored_files,
        exercises=(6,),
        hint=(
            "The core crate decides which files are plugins and loads none here; only "
            "trim_lines_into (exercise 6) runs."
        ),
    ),
    Scenario(
        "text_processor.missing_folder",
        "a missing plugin_dir raises FileNotFoundError naming the path, at construction",
        missing_folder,
        exercises=(),
        hint=(
            "No exercise touches this: the core crate's plugin_files refuses the folder before any"
            " plugin is loaded."
        ),
    ),
    Scenario(
        "text_processor.folder_is_file",
        "a plugin_dir that is a file raises NotADirectoryError naming the path, at construction",
        folder_is_file,
        exercises=(),
        hint=(
            "No exercise touches this: the core crate's plugin_files refuses the folder before any"
            " plugin is loaded."
        ),
    ),
    Scenario(
        "text_processor.plugin_without_process",
        "a plugin without a process function raises PluginError naming the file, at construction",
        plugin_without_process,
        exercises=(7,),
        hint=(
            "Plugin::load: a module without a `process` attribute raises PluginError, its message "
            "starting with describe(file)."
        ),
    ),
    Scenario(
        "text_processor.plugin_process_not_callable",
        "a plugin whose `process` is not callable raises PluginError naming the file",
        plugin_process_not_callable,
        exercises=(7,),
        hint=(
            "Plugin::load: a `process` that exists but is not callable is refused with the same "
            "PluginError."
        ),
    ),
    Scenario(
        "text_processor.plugin_error_exported",
        "the error for a plugin without process is pkg.PluginError; `except Exception` catches it",
        plugin_error_exported,
        exercises=(7,),
        hint=(
            "Raise the PluginError that errors.rs creates (the package exports it), not a generic "
            "exception."
        ),
    ),
    Scenario(
        "text_processor.plugin_syntax_error",
        "a plugin with a syntax error raises SyntaxError naming the file, at construction",
        plugin_syntax_error,
        exercises=(7,),
        hint=(
            "Executing the module raises SyntaxError by itself; Plugin::load returns it with the "
            "note `while loading ` + describe(file)."
        ),
    ),
    Scenario(
        "text_processor.plugin_raises",
        "a plugin raising KeyError gives the caller a KeyError with a note naming the plugin",
        plugin_raises,
        exercises=(6, 7, 8),
        hint=(
            "Plugin::run returns the plugin's own exception, with a note naming the plugin and "
            "its file: `raised by plugin 'raises_key_error' (plugins/raises/raises_key_error.py)`."
        ),
    ),
    Scenario(
        "text_processor.plugin_returns_int",
        "a plugin returning an int raises TypeError naming the plugin",
        plugin_returns_int,
        exercises=(6, 7, 8),
        hint=(
            "Plugin::run refuses a result that is not a str: TypeError `plugin 'returns_int' "
            "returned int, expected str`."
        ),
    ),
    Scenario(
        "text_processor.recovers_after_error",
        "after a plugin fails, the next process() call on the same processor succeeds",
        recovers_after_error,
        exercises=(6, 7, 8),
        hint=(
            "Plugin::run keeps nothing from a failed call: the next process() starts again from "
            "the original text."
        ),
    ),
    Scenario(
        "text_processor.works_after_errors",
        "after all those errors the bundled example still gives the same result",
        works_after_errors,
        exercises=(6, 7, 8),
        hint=(
            "The bundled example again, after the error scenarios: a failed call must leave every "
            "processor usable."
        ),
    ),
    Scenario(
        "text_processor.stdlib_shadowing_plugin",
        "a plugin named json.py runs, and `import json; json.dumps` still works afterwards",
        stdlib_shadowing_plugin,
        exercises=(6, 7, 8),
        hint=(
            "Plugin::load imports the file from its location "
            "(importlib.util.spec_from_file_location), never by module name through sys.path."
        ),
    ),
    Scenario(
        "text_processor.sys_path_unchanged",
        "loading plugins, successfully or not, leaves sys.path unchanged",
        sys_path_unchanged,
        exercises=(6, 7, 8),
        hint=("Plugin::load never adds the plugin folder to sys.path, even when loading fails."),
    ),
)
