"""A Python package whose core is written in Rust.

The native module next to this file is built from the `crates/python` crate; this package
re-exports what users need from it.
"""

from ._numeric import (
    Summary,
    column_stats,
    rolling_mean,
    summarize,
)

__all__ = ["Summary", "column_stats", "rolling_mean", "summarize"]
