"""`Message`: the public class, a thin Python layer over the Rust class `PyMessage`.

Keeping the public class in Python gives it a normal docstring, signature and `repr`, and leaves
room for conveniences that need no Rust; the work itself happens in Rust.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._greet import PyMessage


class Message:
    """A text to greet with. `Message.greet(name)` greets anyone."""

    __slots__ = ("_inner",)

    def __init__(self, text: str) -> None:
        self._inner = PyMessage(text)

    def __repr__(self) -> str:
        return f"Message({self.text!r})"

    @property
    def text(self) -> str:
        """The text this message holds."""
        return self._inner.text

    @staticmethod
    def greet(name: str) -> str:
        """Greet `name`: `Message.greet("eunsang") == "Hello, eunsang !"`."""
        return PyMessage.greet(name)

    @staticmethod
    def greet_many(names: Sequence[str]) -> list[str]:
        """Greet every name, in Rust, with the interpreter released meanwhile."""
        return PyMessage.greet_many(names)

    def fail_if_empty(self, text: str) -> str:
        """Return `text` unchanged; raise `EmptyTextError` (a `ValueError`) if it is empty."""
        return self._inner.fail_if_empty(text)
