"""Topics over time."""

from __future__ import annotations

import pandas as pd

from ..data.context import BriefingContext
from .names import _occurred, in_focus_dyad, months_in_window, window_months

# ---------------------------------------------------------------------------
# Topics over time
# ---------------------------------------------------------------------------


def topic_months(ctx: BriefingContext) -> pd.DataFrame:
    """Focus-dyad events per topic and month of the window.

    Returns
    -------
    DataFrame
        Topics as rows (most frequent first, then alphabetical), every month of the
        window as columns (Period), counts of occurred focus-dyad events tagged with
        the topic. Empty (no rows) when no such event has a topic.
    """
    months = window_months(ctx.window)
    ev = _occurred(ctx.events)
    ev = ev[in_focus_dyad(ev, ctx)]
    ev = ev.assign(month=months_in_window(ev, ctx.window)).dropna(subset=["month"])
    long = ev[["month", "topic_list"]].explode("topic_list").dropna(subset=["topic_list"])
    if long.empty:
        return pd.DataFrame(columns=months, dtype=int)
    grid = pd.crosstab(long["topic_list"], long["month"]).reindex(columns=months, fill_value=0)
    grid = grid.assign(_n=grid.sum(axis=1)).reset_index()
    grid = grid.sort_values(["_n", "topic_list"], ascending=[False, True])
    grid = grid.set_index("topic_list").drop(columns="_n")
    grid.index.name = "topic"
    grid.columns.name = "month"
    return grid.astype(int)
