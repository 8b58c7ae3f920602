"""Describing and choosing events: one line per event, and the events worth naming."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.context import BriefingContext
from .names import MONTH_WORDS, _names, contacts, in_focus_dyad, level_text, relationships


def _dates_text(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """:func:`helpers.data.periods.format_date` for a whole column at once."""
    if dates.empty:
        return pd.Series([], index=dates.index, dtype=object)
    year = dates.dt.year.astype("Int64").astype(str).astype(object)
    month = dates.dt.month.map(dict(enumerate(MONTH_WORDS, 1))).astype(object) + " " + year
    day = dates.dt.day.astype("Int64").astype(str).astype(object) + " " + month
    text = day.where(precision != "month", month).where(precision != "year", year)
    return text.where(dates.notna(), "")


def describe_events(ctx: BriefingContext, events: pd.DataFrame) -> pd.DataFrame:
    """Display columns for events: date at its precision, actor names, type, level, sources.

    Returns
    -------
    DataFrame
        ``events`` with ``date_text``, ``actors``, ``relationship``, ``type_text``,
        ``level_text`` and ``sources`` added.
    """
    out = events.copy()
    dates = _dates_text(out["date"], out["date_precision"].replace("interval", "day"))
    ends = _dates_text(out["end_date"], pd.Series("day", index=out.index))
    out["date_text"] = dates.where(out["end_date"].isna(), dates + " – " + ends)
    between = out["date_precision"] == "interval"
    out.loc[between, "date_text"] = "Between " + dates[between] + " and " + ends[between]
    names = _names(ctx)
    a = out["actor_from"].map(names).fillna(out["actor_from"]).astype(object)
    b = out["actor_to"].map(names).fillna(out["actor_to"]).astype(object)
    out["actors"] = a.where(out["actor_to"].fillna("") == "", a + " → " + b)
    out["relationship"] = relationships(out, ctx.focus, ctx.counterpart)
    types = out["event_type"].astype(object).str.replace("_", " ", regex=False)
    out["type_text"] = types.where(out["status"] != "scheduled", types + " (scheduled)")
    out["level_text"] = out["level"].map({v: level_text(v) for v in out["level"].unique()})
    out["sources"] = out["source_list"].map(", ".join)
    return out


LIST_LIMIT = 40
"""Most events a document's event table lists (see :func:`event_table`)."""


FOCUS_LIST_LIMIT = 25
"""Rows of a listing that go to the focus dyad before other relationships get theirs."""


def significant(
    ctx: BriefingContext,
    events: pd.DataFrame,
    limit: int = LIST_LIMIT,
    focus_limit: int = FOCUS_LIST_LIMIT,
    first: tuple[str, ...] | set[str] = (),
) -> np.ndarray:
    """Positions (in ``events``, ascending) of the events a listing keeps.

    This is the listing rule of every document, a product decision: a million events
    give the same legible pages as fifty. With ``limit`` or fewer events, all are kept.
    Otherwise, in this order of priority: the events in ``first`` (those numbered on a
    chart), curated milestones, then the focus dyad's events until ``focus_limit`` rows
    are taken (contacts before other events), then the other relationships' events, then
    more of the focus dyad's, until ``limit``. Within each group the most senior level
    comes first, then the larger Goldstein value either way, then the earlier date and
    the event id.
    """
    n = len(events)
    if n <= limit:
        return np.arange(n)
    focus = in_focus_dyad(events, ctx).to_numpy()
    touch = contacts(events).to_numpy() & focus
    group = np.where(touch, 2, np.where(focus, 3, 4))
    group = np.where(events["milestone"].to_numpy() != "", 1, group)
    group = np.where(events["event_id"].isin(list(first)).to_numpy(), 0, group)
    rank = pd.DataFrame(
        {
            "group": group,
            "level": events["level_rank"].to_numpy(),
            "strength": -events["goldstein"].abs().to_numpy(),
            "date": events["date"].to_numpy(),
            "event_id": events["event_id"].to_numpy(),
        }
    ).sort_values(["group", "level", "strength", "date", "event_id"], kind="stable")
    order, groups = rank.index.to_numpy(), rank["group"].to_numpy()
    must = order[groups <= 1][:limit]
    ours, others = order[(groups == 2) | (groups == 3)], order[groups == 4]
    n_ours = max(0, min(len(ours), focus_limit - len(must), limit - len(must)))
    take = [must, ours[:n_ours]]
    n_others = max(0, min(len(others), limit - len(must) - n_ours))
    take += [others[:n_others], ours[n_ours : n_ours + limit - len(must) - n_ours - n_others]]
    return np.sort(np.concatenate(take))
