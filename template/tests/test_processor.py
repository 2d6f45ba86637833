"""The package's Python-visible contract, with its bundled plugins."""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import pytest

import {{crate_name}}
from {{crate_name}} import PluginError, TextProcessor

PACKAGE_DIR = Path({{crate_name}}.__file__).parent
BUNDLED_PLUGINS = PACKAGE_DIR / "plugins"
SAMPLE = "\n    hello world\n    this is a test\n    of our processor\n    "


def test_bundled_plugins_reverse_then_capitalize_each_line() -> None:
    assert TextProcessor(SAMPLE).process() == "\nDlrow olleh\nTset a si siht\nRossecorp ruo fo"


def test_plugins_run_in_file_name_order() -> None:
    assert TextProcessor("").plugins == ["step1_reverse", "step2_capitalize"]


# Named ids: a `str` parameter would otherwise be its own id, an absolute path (pytest 9 shortens
# long ones, older releases did not).
@pytest.mark.parametrize("plugin_dir", [str(BUNDLED_PLUGINS), BUNDLED_PLUGINS], ids=["str", "Path"])
def test_plugin_dir_may_be_a_str_or_a_path(plugin_dir: str | os.PathLike[str]) -> None:
    processor = TextProcessor(SAMPLE, plugin_dir)

    assert processor.process() == TextProcessor(SAMPLE).process()


def test_no_plugins_leaves_the_trimmed_text(tmp_path: Path) -> None:
    trimmed = "\nhello world\nthis is a test\nof our processor\n"

    assert TextProcessor(SAMPLE, tmp_path).process() == trimmed


def test_empty_text() -> None:
    assert TextProcessor("").process() == ""


def test_text_is_kept_as_given() -> None:
    assert TextProcessor(SAMPLE).text == SAMPLE


def test_repr_shows_text_and_plugins() -> None:
    assert repr(TextProcessor("a\tb")) == (
        "TextProcessor(text='a\\tb', plugins=['step1_reverse', 'step2_capitalize'])"
    )


def test_a_non_str_text_raises_type_error() -> None:
    with pytest.raises(TypeError, match="'bytes' object"):
        TextProcessor(b"bytes")  # type: ignore[arg-type]


def test_processors_in_several_threads_do_not_mix_their_texts() -> None:
    texts = [f"  line {n}  \n  second {n}  " for n in range(8)]
    results: dict[int, str | BaseException] = {}

    def work(index: int) -> None:
        try:
            results[index] = TextProcessor(texts[index]).process()
        except BaseException as exc:  # recorded, so that the test fails with it
            results[index] = exc

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Trimmed, reversed, then capitalized (a leading digit stays as it is).
    assert results == {index: f"{index} enil\n{index} dnoces" for index in range(len(texts))}


def test_each_class_names_the_module_that_holds_it() -> None:
    # What `repr`, `help()` and pickle go by: the package really has each class under that name.
    for cls in (TextProcessor, PluginError):
        assert cls.__module__ == "{{crate_name}}"
        assert getattr({{crate_name}}, cls.__name__) is cls
        assert pickle.loads(pickle.dumps(cls)) is cls


def test_a_plugin_error_survives_pickling_as_between_processes() -> None:
    error = pickle.loads(pickle.dumps(PluginError("plugin 'x' defines no callable `process`")))

    assert type(error) is PluginError
    assert error.args == ("plugin 'x' defines no callable `process`",)
