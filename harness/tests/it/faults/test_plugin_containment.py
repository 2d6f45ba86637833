"""The plugin loader reaches nothing outside the folder it is given: a plugin cannot import its
neighbours (the folder is not on sys.path), and a plugin that links out of the folder is refused
before anything is imported."""

import sys
from pathlib import Path

import pytest

from {pkg} import PluginError, TextProcessor


def test_a_plugin_cannot_import_its_neighbours(tmp_path: Path) -> None:
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "_neighbour.py").write_text("VALUE = 1\n", encoding="utf-8")
    (folder / "uses_neighbour.py").write_text(
        "import _neighbour\n\ndef process(text):\n    return text\n", encoding="utf-8"
    )
    path_before = list(sys.path)

    with pytest.raises(ModuleNotFoundError, match="_neighbour"):
        TextProcessor("text", folder)

    assert sys.path == path_before
    assert "_neighbour" not in sys.modules


def test_a_plugin_linking_out_of_its_folder_is_refused_unrun(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    ran = tmp_path / "outside.ran"
    outside.write_text(
        f"open({str(ran)!r}, 'w').close()\n\ndef process(text):\n    return text\n",
        encoding="utf-8",
    )
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "sneaky.py").symlink_to(outside)

    with pytest.raises(PluginError, match="outside the plugin folder"):
        TextProcessor("text", folder)

    assert not ran.exists()
