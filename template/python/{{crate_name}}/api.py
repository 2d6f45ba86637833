"""`Message`: the public class, a thin Python layer over the Rust class `PyMessage`.

Keeping the public class in Python gives it a normal docstring, signature and `repr`, and leaves
room for conveniences that need no Rust; the work itself happens in Rust.

Where a method would only pass its arguments on, the Rust function is used as it is (see
`greet`): a Python function in between costs about as much as crossing into Rust itself.
"""

from __future__ import annotations

from ._{{crate_name}} import PyMessage


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

    # `Message.greet("eunsang") == "Hello, eunsang !"`: the Rust function itself, no Python frame.
    greet = staticmethod(PyMessage.greet)

    # Greets every name in Rust, with the interpreter released meanwhile.
    greet_many = staticmethod(PyMessage.greet_many)

    def fail_if_empty(self, text: str) -> str:
        """Return `text` unchanged; raise `EmptyTextError` (a `ValueError`) if it is empty."""
        return self._inner.fail_if_empty(text)
