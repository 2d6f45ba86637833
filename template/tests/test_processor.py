"""The text-processor style's Python-visible contract, with its bundled plugins.

Each test that runs workshop code is marked with the last exercise it needs, in the workshop's
order: `pytest -m exercise7` runs the tests that pass once exercises 6 and 7 are done.
Unmarked tests need no exercise.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import {{crate_name}}
from {{crate_name}} import TextProcessor

PACKAGE_DIR = Path({{crate_name}}.__file__).parent
BUNDLED_PLUGINS = PACKAGE_DIR / "plugins"
SAMPLE = "\n    hello world\n    this is a test\n    of our processor\n    "


@pytest.mark.exercise8
def test_bundled_plugins_reverse_then_capitalize_each_line() -> None:
    assert TextProcessor(SAMPLE).process() == "\nDlrow olleh\nTset a si siht\nRossecorp ruo fo"


@pytest.mark.exercise7
def test_plugins_run_in_file_name_order() -> None:
    assert TextProcessor("").plugins == ["step1_reverse", "step2_capitalize"]


# Named ids: a `str` parameter would otherwise be its own id, an absolute path (pytest 9 shortens
# long ones, older releases did not).
@pytest.mark.exercise8
@pytest.mark.parametrize("plugin_dir", [str(BUNDLED_PLUGINS), BUNDLED_PLUGINS], ids=["str", "Path"])
def test_plugin_dir_may_be_a_str_or_a_path(plugin_dir: str | os.PathLike[str]) -> None:
    processor = TextProcessor(SAMPLE, plugin_dir)

    assert processor.process() == TextProcessor(SAMPLE).process()


@pytest.mark.exercise6
def test_no_plugins_leaves_the_trimmed_text(tmp_path: Path) -> None:
    trimmed = "\nhello world\nthis is a test\nof our processor\n"

    assert TextProcessor(SAMPLE, tmp_path).process() == trimmed


@pytest.mark.exercise8
def test_empty_text() -> None:
    assert TextProcessor("").process() == ""


@pytest.mark.exercise7
def test_text_is_kept_as_given() -> None:
    assert TextProcessor(SAMPLE).text == SAMPLE


@pytest.mark.exercise7
def test_repr_shows_text_and_plugins() -> None:
    assert repr(TextProcessor("a\tb")) == (
        "TextProcessor(text='a\\tb', plugins=['step1_reverse', 'step2_capitalize'])"
    )


def test_a_non_str_text_raises_type_error() -> None:
    with pytest.raises(TypeError, match="'bytes' object"):
        TextProcessor(b"bytes")  # type: ignore[arg-type]


@pytest.mark.exercise8
def test_processors_in_several_threads_do_not_mix_their_texts() -> None:
    texts = [f"  line {n}  \n  second {n}  " for n in range(8)]
    results: dict[int, str] = {}

    def work(index: int) -> None:
        results[index] = TextProcessor(texts[index]).process()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Trimmed, reversed, then capitalized (a leading digit stays as it is).
    assert results == {index: f"{index} enil\n{index} dnoces" for index in range(len(texts))}
