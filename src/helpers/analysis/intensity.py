"""Intensity: events per relationship and month."""

from __future__ import annotations

import pandas as pd

from ..data.context import BriefingContext
from .names import (
    MAX_LANES,
    _cap_lanes,
    _lane_order,
    _occurred,
    month_label,
    months_in_window,
    relationship_label,
    relationships,
)

# ---------------------------------------------------------------------------
# Intensity
# ---------------------------------------------------------------------------

INTENSITY_COLUMNS = {
    "relationship_label": "Relationship",
    "month_label": "Month",
    "events": "Events",
    "net_text": "Net cooperation (Goldstein sum)",
}


def monthly_intensity(ctx: BriefingContext) -> pd.DataFrame:
    """Events per month and their net cooperation, for each relationship.

    Counts events that occurred and are placed in a month of the window; months with no
    event in a relationship are left out. As on the chronology chart, at most
    :data:`MAX_LANES` relationships have rows of their own: the others are summed in
    "Other relationships" (key :data:`OTHER_LANE`), last.

    Returns
    -------
    DataFrame
        One row per relationship and month, focus dyad first then as the chronology
        orders lanes, months in order: ``relationship``, ``relationship_label``,
        ``month`` (Period), ``month_label``, ``events``, ``net_goldstein``, ``net_text``.
    """
    cols = ["relationship", "relationship_label", "month", "month_label", "events"]
    cols += ["net_goldstein", "net_text"]
    ev = _occurred(ctx.events)
    ev = ev.assign(
        relationship=relationships(ev, ctx.focus, ctx.counterpart),
        month=months_in_window(ev, ctx.window),
    ).dropna(subset=["month"])
    if ev.empty:
        return pd.DataFrame(columns=cols)
    order = _lane_order(ctx, ev["relationship"].value_counts())
    ev["relationship"], order = _cap_lanes(ev["relationship"], order)
    out = (
        ev.groupby(["relationship", "month"])["goldstein"]
        .agg(events="size", net_goldstein="sum")
        .reset_index()
    )
    out["_o"] = out["relationship"].map({k: i for i, k in enumerate(order)})
    out = out.sort_values(["_o", "month"]).reset_index(drop=True)
    out["relationship_label"] = [relationship_label(ctx, k) for k in out["relationship"]]
    out["month_label"] = out["month"].map(month_label)
    out["net_goldstein"] = out["net_goldstein"].round(1)
    out["net_text"] = out["net_goldstein"].map(lambda v: f"{v:+.1f}")
    return out[cols]


def intensity_note(ctx: BriefingContext) -> str:
    """What the intensity table leaves out: scheduled events and those with no month."""
    ev = ctx.events
    if ev.empty:
        return f"No engagements are recorded for {ctx.window.label()}."
    sched = int((ev["status"] == "scheduled").sum())
    occ = _occurred(ev)
    nomonth = int(months_in_window(occ, ctx.window).isna().sum())
    parts = ["Counts are of events that took place, by the month they are dated to."]
    if nomonth:
        parts.append(
            f"{nomonth:,} event{'s' if nomonth != 1 else ''} of the period cannot be put in "
            "one of its months (dated only to a year, or a span that began earlier) and "
            f"{'are' if nomonth != 1 else 'is'} not in the table."
        )
    if sched:
        parts.append(f"{sched:,} scheduled event{'s are' if sched != 1 else ' is'} not counted.")
    rels = relationships(occ[months_in_window(occ, ctx.window).notna()], ctx.focus, ctx.counterpart)
    if rels.nunique() > MAX_LANES:
        parts.append(
            f"The {rels.nunique() - MAX_LANES + 1} least prominent of its "
            f"{rels.nunique()} relationships are summed as 'Other relationships'."
        )
    return " ".join(parts)
