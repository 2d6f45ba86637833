{% if style == "greet" -%}
"""Greetings made in Rust.

`Message` holds a text and greets names; `EmptyTextError`, a `ValueError`, is what an empty text
raises. The work happens in the native module next to this file, built from Rust.
"""

from ._{{crate_name}} import EmptyTextError
from .api import Message

__all__ = ["EmptyTextError", "Message"]
{%- elsif style == "text-processor" -%}
"""Text processing in Rust, extended by Python plugins.

`TextProcessor` trims every line of a text, then runs the plugins over it; `PluginError` is what
a plugin that cannot be loaded raises. The work happens in the native module next to this file,
built from Rust.
"""

from ._{{crate_name}} import PluginError, TextProcessor

__all__ = ["PluginError", "TextProcessor"]
{%- elsif style == "numeric" -%}
from ._{{crate_name}} import (
    Summary,
    column_stats,
    rolling_mean,
    summarize,
)

__all__ = ["Summary", "column_stats", "rolling_mean", "summarize"]
{%- endif %}
