"""The briefing's event table, its notes, and the loosely dated events."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.context import BriefingContext
from .chronology import Chronology, chart_numbers, chronology
from .events import LIST_LIMIT, describe_events, significant
from .names import focus_key, relationship_label, relationships
from .seniority import highest_contact

# ---------------------------------------------------------------------------
# Event table and loose events
# ---------------------------------------------------------------------------

EVENT_COLUMNS = {
    "key": "#",
    "date_text": "Date",
    "actors": "Actors",
    "type_text": "Type",
    "level_text": "Level",
    "summary": "Summary",
    "sources": "Sources",
}
"""Columns of :func:`event_table` and their headers, in display order."""


def event_table(
    ctx: BriefingContext, chron: Chronology | None = None, limit: int = LIST_LIMIT
) -> pd.DataFrame:
    """The window's events to list, numbered in date order, with the :data:`EVENT_COLUMNS`.

    The number in ``key`` is the one the chronology chart shows beside an event. When
    the window holds more than ``limit`` events, only ``limit`` are listed, chosen by
    :func:`significant`: those numbered on the chart first, then curated milestones and
    the most senior contacts of the focus dyad, then the most senior other events; they
    keep their numbers, so the numbering has gaps. :func:`event_list_note` says how many
    are left out; every count, chart and table still counts them.

    Parameters
    ----------
    ctx : BriefingContext
    chron : Chronology, optional
        The chronology drawn beside the table, whose numbered events are always listed;
        computed when needed and not given.
    limit : int
        Most events listed (default :data:`LIST_LIMIT`).
    """
    ev = ctx.events
    keys = np.arange(1, len(ev) + 1)
    if len(ev) > limit:
        chron = chron if chron is not None else chronology(ctx)
        first = set(ev["event_id"].iloc[[k - 1 for k in chart_numbers(chron)]])
        best = highest_contact(ctx)
        first |= {best.event_id} if best else set()
        pick = significant(ctx, ev, limit, first=first)
        ev, keys = ev.iloc[pick], keys[pick]
    out = describe_events(ctx, ev)
    out["key"] = keys
    return out.reset_index(drop=True)


def event_list_note(ctx: BriefingContext, table: pd.DataFrame) -> str:
    """A sentence saying which events of the period :func:`event_table` leaves out ('' if
    it lists them all)."""
    n, shown = len(ctx.events), len(table)
    if shown >= n:
        return ""
    label = relationship_label(ctx, focus_key(ctx))
    return (
        f"The table lists {shown} of the period's {n:,} events: those numbered on the "
        f"chart, curated milestones and the most senior {label} contacts, then the most "
        f"senior events of other relationships. The other {n - shown:,} are counted in "
        "the charts and tables but not listed."
    )


def count_sentence(ctx: BriefingContext) -> str:
    """One sentence saying how many events the window holds (or that it holds none)."""
    n = len(ctx.events)
    period = ctx.window.label()
    if n == 0:
        return f"No engagements are recorded for {period}."
    occurred = int((ctx.events["status"] == "occurred").sum())
    sched = n - occurred
    rels = relationships(ctx.events, ctx.focus, ctx.counterpart).nunique()
    text = (
        f"{n:,} event{'s' if n != 1 else ''} recorded for {period} across "
        f"{rels} relationship{'s' if rels != 1 else ''}"
    )
    if sched:
        text += f", {sched:,} of them scheduled rather than held"
    return text + "."


LOOSE_LIMIT = 10
"""Most loosely dated events listed by :func:`loose_notes`."""


def loose_notes(ctx: BriefingContext, limit: int = LOOSE_LIMIT) -> list[str]:
    """One line per loosely dated event (it may fall in the window but is not counted).

    At most ``limit`` events are listed, chosen by :func:`significant` and in date
    order, and one more line counts the others. Always returns at least one line, so the
    notebook can show it as is.
    """
    if ctx.loose.empty:
        return ["No loosely dated event crosses the edges of this period."]
    pick = significant(ctx, ctx.loose, limit, focus_limit=limit)
    rows = describe_events(ctx, ctx.loose.iloc[pick])
    known = {"year": "Known only to the year", "interval": "Known only to that interval"}
    lines = [
        f"{r.date_text}: {r.actors}, {r.type_text} ({r.level_text}). "
        f"{known.get(r.date_precision, 'Known only to the month')}, so it may fall "
        "outside the period; shown on the chart, not counted."
        for r in rows.itertuples()
    ]
    more = len(ctx.loose) - len(rows)
    if more:
        lines.append(
            f"{more:,} more loosely dated event{'s' if more != 1 else ''} may fall in the "
            "period; not listed and not counted."
        )
    return lines
