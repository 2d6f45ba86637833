from ._numeric import (
    Summary,
    column_stats,
    rolling_mean,
    summarize,
)

__all__ = ["Summary", "column_stats", "rolling_mean", "summarize"]
