# Types of the native module built from `crates/python`; `mypy.stubtest` checks them against it.

import os
from typing import final

__all__ = ["DEBUG_BUILD", "PluginError", "TextProcessor"]

# True in a debug build (`maturin develop`), false in a release build.
DEBUG_BUILD: bool

@final
class TextProcessor:
    def __new__(
        cls, text: str, plugin_dir: str | os.PathLike[str] | None = None
    ) -> TextProcessor: ...
    @property
    def text(self) -> str: ...
    @property
    def plugins(self) -> list[str]: ...
    def process(self) -> str: ...

class PluginError(Exception): ...
