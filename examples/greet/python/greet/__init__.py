"""Greetings made in Rust.

`Message` holds a text and greets names; `EmptyTextError`, a `ValueError`, is what an empty text
raises. The work happens in the native module next to this file, built from Rust.
"""

from ._greet import EmptyTextError
from .api import Message

__all__ = ["EmptyTextError", "Message"]
