"""Scenarios for the greet style: one row per behaviour the style promises.

Each scenario returns what a learner should look at (a value, or a few named facts) or lets the
exception escape; scaffold_probe.py records either as the outcome. Scenarios do not assert:
the harness snapshots the outcomes, so a wrong value shows up as a readable diff.

Order matters in one place: `greet.after_panic` runs right after `greet.panic` to show that the
interpreter survives a Rust panic.
"""

from __future__ import annotations

import importlib
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

from scenario import Scenario

TEXT = "Deep dive into Polars"
THREADS = 4
NAMES_PER_THREAD = 200


def import_paths(pkg: ModuleType, _work_dir: Path) -> object:
    api = importlib.import_module(f"{pkg.__name__}.api")
    return api.Message is pkg.Message


def static_greet(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.Message.greet("eunsang")


def static_greet_empty(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.Message.greet("")


def text_property(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.Message(TEXT).text


def repr_shows_text(pkg: ModuleType, _work_dir: Path) -> object:
    shown = repr(pkg.Message(TEXT))
    return {"repr": shown, "contains_text": TEXT in shown}


def fail_if_empty_raises(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.Message(TEXT).fail_if_empty("")


def empty_text_error_exported(pkg: ModuleType, _work_dir: Path) -> object:
    # The learner catches the error by the name the package exports, or as a ValueError.
    try:
        pkg.Message(TEXT).fail_if_empty("")
    except ValueError as exc:
        return {
            "caught_by_except_ValueError": True,
            "type_is_pkg_EmptyTextError": type(exc) is pkg.EmptyTextError,
        }
    return "fail_if_empty('') returned"


def fail_if_empty_passthrough(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.Message(TEXT).fail_if_empty("x")


def constructor_type_error(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.Message(42)


def greet_many(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.Message.greet_many(["eunsang", "", "Ada"])


def greet_many_threads(pkg: ModuleType, _work_dir: Path) -> object:
    batches = [[f"t{t}-n{i}" for i in range(NAMES_PER_THREAD)] for t in range(THREADS)]
    expected = [[pkg.Message.greet(name) for name in batch] for batch in batches]
    # The barrier makes the four calls overlap instead of running one after the other.
    barrier = threading.Barrier(THREADS)

    def call(names: list[str]) -> object:
        barrier.wait(timeout=60)
        return pkg.Message.greet_many(names)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(call, batches))
    return {
        "threads": THREADS,
        "names_per_thread": NAMES_PER_THREAD,
        "each_thread_got_its_own_greetings": [
            r == e for r, e in zip(results, expected, strict=True)
        ],
        "last_greeting_of_last_thread": expected[-1][-1],
    }


def panic(pkg: ModuleType, _work_dir: Path) -> object:
    # `panic_with` is a demonstration the package leaves out of its API: the native module has it.
    # PanicException derives from BaseException, so the usual `except Exception` lets it through.
    native = importlib.import_module(f"{pkg.__name__}._{pkg.__name__}")
    try:
        native.panic_with("boom")
    except Exception as exc:
        return f"caught by except Exception: {type(exc).__name__}"
    return "panic_with returned"


def after_panic(pkg: ModuleType, _work_dir: Path) -> object:
    return pkg.Message.greet("still here")


SCENARIOS = (
    Scenario(
        "greet.import_paths",
        "pkg.api.Message is the same class as pkg.Message",
        import_paths,
        exercises=(),
        hint=(
            "No exercise touches this: python/{{crate_name}}/api.py defines Message and "
            "__init__.py re-exports it; compare them with a fresh render."
        ),
    ),
    Scenario(
        "greet.static_greet",
        "Message.greet('eunsang') returns 'Hello, eunsang !'",
        static_greet,
        exercises=(1,),
        hint=(
            "PyMessage::greet in crates/python/src/message.rs delegates to the core crate's greet;"
            " a PyBackedStr dereferences to str."
        ),
    ),
    Scenario(
        "greet.static_greet_empty",
        "Message.greet('') returns 'Hello,  !'",
        static_greet_empty,
        exercises=(1,),
        hint=(
            "PyMessage::greet passes the name on as it is; the core's greet already handles an "
            "empty name."
        ),
    ),
    Scenario(
        "greet.text_property",
        "Message('Deep dive into Polars').text returns the text given to the constructor",
        text_property,
        exercises=(2,),
        hint=(
            "PyMessage::new keeps the text in a core Message; the text getter returns the text "
            "that Message holds."
        ),
    ),
    Scenario(
        "greet.repr",
        "repr(Message('Deep dive into Polars')) contains the text",
        repr_shows_text,
        exercises=(2,),
        hint=(
            "The repr is written in api.py and reads the text getter: both PyMessage::new and "
            "PyMessage::text must be done."
        ),
    ),
    Scenario(
        "greet.fail_if_empty_raises",
        "fail_if_empty('') raises EmptyTextError, a ValueError whose message names the problem",
        fail_if_empty_raises,
        exercises=(2, 3),
        hint=(
            "In crates/python/src/errors.rs, GreetError::EmptyText becomes EmptyTextError::new_err"
            " with the core error's own text."
        ),
    ),
    Scenario(
        "greet.empty_text_error_exported",
        "the error from fail_if_empty('') is pkg.EmptyTextError and `except ValueError` catches it",
        empty_text_error_exported,
        exercises=(2, 3),
        hint=(
            "Raise the EmptyTextError that errors.rs creates (a ValueError subclass the package "
            "exports), not a new ValueError."
        ),
    ),
    Scenario(
        "greet.fail_if_empty_passthrough",
        "fail_if_empty('x') returns 'x' unchanged",
        fail_if_empty_passthrough,
        exercises=(2,),
        hint=(
            "fail_if_empty itself is complete; it only needs a Message, which PyMessage::new makes."
        ),
    ),
    Scenario(
        "greet.constructor_type_error",
        "Message(42) raises TypeError (the argument is converted in Rust)",
        constructor_type_error,
        exercises=(),
        hint=(
            "No exercise touches this: PyO3 refuses 42 for the `text: String` parameter before "
            "PyMessage::new runs; keep that parameter a String."
        ),
    ),
    Scenario(
        "greet.greet_many",
        "Message.greet_many(['eunsang', '', 'Ada']) greets each name, in order",
        greet_many,
        exercises=(5,),
        hint=(
            "PyMessage::greet_many calls the core's greet_many inside py.detach and returns what "
            "the closure returns."
        ),
    ),
    Scenario(
        "greet.greet_many_threads",
        "greet_many called from 4 threads at once gives every thread its own correct greetings",
        greet_many_threads,
        exercises=(1, 5),
        hint=(
            "Each call greets only its own names; the expected greetings come from Message.greet, "
            "so exercise 1 must be done too."
        ),
    ),
    # ANCHOR: panic_row
    Scenario(
        "greet.panic",
        "panic_with('boom') raises pyo3_runtime.PanicException, which `except Exception` misses",
        panic,
        exercises=(4,),
        hint=(
            "panic_with panics with the message itself, formatted for display (`{message}`), not "
            "its Debug form."
        ),
    ),
    # ANCHOR_END: panic_row
    Scenario(
        "greet.after_panic",
        "after the panic the interpreter still works: Message.greet('still here') returns normally",
        after_panic,
        exercises=(1,),
        hint=(
            "After a panic the interpreter keeps working; this calls Message.greet, so it only "
            "needs exercise 1."
        ),
    ),
)
