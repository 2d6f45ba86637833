"""The package's Python-visible contract, error paths included."""

from __future__ import annotations

import pickle
import threading

import pytest

import greet
from greet import (
    EmptyTextError,
    Message,
    _greet,
)
from greet.api import Message as ApiMessage


def test_message_is_importable_from_the_package_and_from_api() -> None:
    assert Message is ApiMessage


def test_greet_keeps_the_space_before_the_bang() -> None:
    assert Message.greet("eunsang") == "Hello, eunsang !"


def test_greet_with_an_empty_name() -> None:
    assert Message.greet("") == "Hello,  !"


def test_message_holds_its_text() -> None:
    message = Message("Deep dive into Polars")

    assert message.text == "Deep dive into Polars"
    assert repr(message) == "Message('Deep dive into Polars')"


def test_fail_if_empty_returns_a_non_empty_text_unchanged() -> None:
    assert Message("m").fail_if_empty("not empty") == "not empty"


def test_fail_if_empty_raises_the_rust_defined_value_error() -> None:
    with pytest.raises(EmptyTextError, match=r"^the text is empty: pass at least one character$"):
        Message("m").fail_if_empty("")

    assert issubclass(EmptyTextError, ValueError)
    assert EmptyTextError.__module__ == "greet"


def test_a_non_str_text_raises_type_error() -> None:
    with pytest.raises(TypeError, match="'int' object"):
        Message(42)  # type: ignore[arg-type]


def test_greet_many_greets_in_order() -> None:
    assert Message.greet_many(["a", "b"]) == ["Hello, a !", "Hello, b !"]
    assert Message.greet_many([]) == []


def test_greet_many_refuses_a_bare_string() -> None:
    # A `str` is a sequence of characters; PyO3 refuses to turn one into a `Vec<String>`.
    with pytest.raises(TypeError, match="Can't extract `str` to `Vec`"):
        Message.greet_many("abc")


def test_greet_many_from_several_threads_at_once() -> None:
    # greet_many releases the interpreter while Rust works, so these threads overlap; each must
    # still get exactly its own greetings back.
    names = {worker: [f"{worker}-{i}" for i in range(20_000)] for worker in range(4)}
    results: dict[int, list[str] | BaseException] = {}
    start = threading.Barrier(len(names))

    def work(worker: int) -> None:
        start.wait()
        try:
            results[worker] = Message.greet_many(names[worker])
        except BaseException as exc:  # recorded, so that the test fails with it
            results[worker] = exc

    threads = [threading.Thread(target=work, args=(worker,)) for worker in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for worker, worker_names in names.items():
        greetings = results[worker]
        if isinstance(greetings, BaseException):
            raise greetings
        expected = [f"Hello, {name} !" for name in worker_names]
        # Compare cheaply: pytest's diff of two 20,000-item lists would take minutes to print.
        assert len(greetings) == len(expected), f"worker {worker} got a short list"
        pairs = zip(greetings, expected, strict=True)
        wrong = [i for i, (got, want) in enumerate(pairs) if got != want]
        assert wrong == [], f"worker {worker}: first wrong greeting at index {wrong[0]}"


# `panic_with` is a demonstration, not part of the package's API: it lives in the native module.
def test_a_rust_panic_is_a_base_exception_and_the_interpreter_survives() -> None:
    with pytest.raises(BaseException, match=r"^deliberate panic$") as caught:
        _greet.panic_with("deliberate panic")

    # `pyo3_runtime` cannot be imported, so the type is matched by name.
    assert type(caught.value).__name__ == "PanicException"
    assert not isinstance(caught.value, Exception)
    assert Message.greet("again") == "Hello, again !"


def test_the_package_exports_what_it_documents() -> None:
    exported = sorted(greet.__all__)

    assert exported == ["EmptyTextError", "Message"]


def test_each_class_names_the_module_that_holds_it() -> None:
    # What `repr`, `help()` and pickle go by: each module really has the class under that name.
    native = _greet
    assert EmptyTextError.__module__ == greet.__name__
    assert native.PyMessage.__module__ == native.__name__
    assert repr(native.PyMessage) == f"<class '{native.__name__}.PyMessage'>"
    assert pickle.loads(pickle.dumps(native.PyMessage)) is native.PyMessage


def test_the_error_survives_pickling_as_between_processes() -> None:
    error = pickle.loads(pickle.dumps(EmptyTextError("the text is empty")))

    assert type(error) is EmptyTextError
    assert error.args == ("the text is empty",)
