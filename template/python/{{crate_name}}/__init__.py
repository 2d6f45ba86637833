"""A Python package whose core is written in Rust.

The native module next to this file is built from the `crates/python` crate; this package
re-exports what users need from it.
"""

{% if style == "greet" -%}
from ._{{crate_name}} import EmptyTextError, panic_with
from .api import Message

__all__ = ["EmptyTextError", "Message", "panic_with"]
{%- elsif style == "text-processor" -%}
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
