"""Plugin failures: each raises the right exception, names the plugin, and harms nothing else."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from text_processor import PluginError, TextProcessor


def plugin_folder(tmp_path: Path, **plugins: str) -> Path:
    """Write each `name=source` pair as `name.py` into a fresh folder."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    for name, source in plugins.items():
        (folder / f"{name}.py").write_text(source, encoding="utf-8")
    return folder


def test_a_missing_folder_raises_file_not_found_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing"

    with pytest.raises(FileNotFoundError) as caught:
        TextProcessor("text", missing)

    assert caught.value.filename == str(missing)
    assert str(caught.value) == f"[Errno 2] plugin folder not found: '{missing}'"


def test_a_file_in_place_of_the_folder_raises_not_a_directory(tmp_path: Path) -> None:
    file = tmp_path / "plugins.py"
    file.write_text("", encoding="utf-8")

    with pytest.raises(NotADirectoryError) as caught:
        TextProcessor("text", file)

    assert caught.value.filename == str(file)


def test_a_plugin_without_process_raises_plugin_error_naming_the_file(tmp_path: Path) -> None:
    folder = plugin_folder(tmp_path, lazy="def transform(text):\n    return text\n")

    with pytest.raises(PluginError, match=r"plugin 'lazy' \(.*lazy\.py\) defines no callable"):
        TextProcessor("text", folder)


def test_a_process_that_is_not_callable_raises_plugin_error(tmp_path: Path) -> None:
    folder = plugin_folder(tmp_path, odd="process = 'not a function'\n")

    with pytest.raises(PluginError, match="plugin 'odd'"):
        TextProcessor("text", folder)


def test_a_plugin_with_a_syntax_error_raises_syntax_error_naming_the_file(tmp_path: Path) -> None:
    folder = plugin_folder(tmp_path, broken="def process(text)\n    return text\n")

    with pytest.raises(SyntaxError) as caught:
        TextProcessor("text", folder)

    assert caught.value.filename == str(folder / "broken.py")
    assert caught.value.lineno == 1


def test_an_exception_from_a_plugin_keeps_its_type_and_names_the_plugin(tmp_path: Path) -> None:
    folder = plugin_folder(tmp_path, picky="def process(text):\n    raise KeyError('missing')\n")
    processor = TextProcessor("text", folder)

    with pytest.raises(KeyError) as caught:
        processor.process()

    notes = getattr(caught.value, "__notes__", [])
    assert notes == [f"raised by plugin 'picky' ({folder / 'picky.py'})"]


def test_an_exception_while_loading_keeps_its_type_and_names_the_plugin(tmp_path: Path) -> None:
    folder = plugin_folder(tmp_path, eager="raise RuntimeError('at import')\n")

    with pytest.raises(RuntimeError) as caught:
        TextProcessor("text", folder)

    assert str(caught.value) == "at import"
    assert getattr(caught.value, "__notes__", []) == [
        f"while loading plugin 'eager' ({folder / 'eager.py'})"
    ]


def test_a_plugin_returning_a_non_str_raises_type_error_naming_it(tmp_path: Path) -> None:
    folder = plugin_folder(tmp_path, counter="def process(text):\n    return len(text)\n")

    with pytest.raises(TypeError, match=r"^plugin 'counter' returned int, expected str$"):
        TextProcessor("text", folder).process()


def test_the_processor_works_again_after_a_failing_call(tmp_path: Path) -> None:
    folder = plugin_folder(
        tmp_path,
        flaky=(
            "calls = 0\n"
            "def process(text):\n"
            "    global calls\n"
            "    calls += 1\n"
            "    if calls == 1:\n"
            "        raise ValueError('first call fails')\n"
            "    return text.upper()\n"
        ),
    )
    processor = TextProcessor("  text  ", folder)

    with pytest.raises(ValueError, match="first call fails"):
        processor.process()
    assert processor.process() == "TEXT"


def test_a_plugin_named_like_a_stdlib_module_shadows_nothing(tmp_path: Path) -> None:
    folder = plugin_folder(tmp_path, json="def process(text):\n    return text + '!'\n")
    path_before = list(sys.path)

    assert TextProcessor("text", folder).process() == "text!"
    assert sys.path == path_before
    assert json.dumps([1]) == "[1]"
    assert sys.modules["json"] is json


def test_a_plugin_may_define_dataclasses_and_leaves_no_module_behind(tmp_path: Path) -> None:
    # `dataclasses` looks the defining module up in `sys.modules` while the class is created.
    source = (
        "from __future__ import annotations\n"
        "from dataclasses import dataclass\n"
        "@dataclass\n"
        "class Suffix:\n"
        "    text: str\n"
        "def process(text: str) -> str:\n"
        "    return text + Suffix('!').text\n"
    )
    folder = plugin_folder(tmp_path, shout=source)
    modules_before = set(sys.modules)

    assert TextProcessor("text", folder).process() == "text!"
    assert set(sys.modules) - modules_before == set()


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_plugin_linking_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.py"
    outside.write_text("def process(text):\n    return text\n", encoding="utf-8")
    folder = plugin_folder(tmp_path)
    (folder / "sneaky.py").symlink_to(outside)

    with pytest.raises(PluginError, match=r"sneaky\.py links to .*elsewhere\.py, outside"):
        TextProcessor("text", folder)


def test_only_py_files_not_starting_with_an_underscore_are_plugins(tmp_path: Path) -> None:
    folder = plugin_folder(
        tmp_path,
        b_second="def process(text):\n    return text + 'b'\n",
        a_first="def process(text):\n    return text + 'a'\n",
        _helper="raise AssertionError('never imported')\n",
    )
    (folder / "notes.txt").write_text("not a plugin", encoding="utf-8")

    processor = TextProcessor("", folder)

    assert processor.plugins == ["a_first", "b_second"]
    assert processor.process() == "ab"
