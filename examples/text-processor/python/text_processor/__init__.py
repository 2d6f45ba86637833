"""Text processing in Rust, extended by Python plugins.

`TextProcessor` trims every line of a text, then runs the plugins over it; `PluginError` is what
a plugin that cannot be loaded raises. The work happens in the native module next to this file,
built from Rust.
"""

from ._text_processor import PluginError, TextProcessor

__all__ = ["PluginError", "TextProcessor"]
