"""Chronology: the lanes, marks and numbered keys behind the chronology chart."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data.context import BriefingContext
from ..data.periods import Window
from .events import describe_events
from .names import (
    _cap_lanes,
    _lane_order,
    _occurred,
    months_in_window,
    relationship_label,
    relationships,
)
from .seniority import highest_contact

LANE_EVENT_LIMIT = 24
"""A lane with more events than this is drawn as counts per month."""


MAX_ROWS = 4
"""Most stacked rows in one lane before it is drawn as counts per month."""


POINT_WIDTH = 0.03
"""Share of the window's width a point marker (with its number) takes when stacking."""


MAX_INCIDENT_LINES = 8
"""Most security incidents drawn across all lanes; more are drawn as ticks on top."""


MAX_KEYS = 15
"""Most events numbered on the chronology chart."""


# ---------------------------------------------------------------------------
# Chronology (data for the chart)
# ---------------------------------------------------------------------------


@dataclass
class Lane:
    """One horizontal lane of the chronology chart."""

    key: str
    label: str
    events: int
    """Events placed in the window (loosely dated ones not included)."""
    rows: int = 1
    """Stacked rows the lane needs so that its marks do not overlap."""
    aggregate: bool = False
    """True when the lane is drawn as counts per month."""


@dataclass
class Chronology:
    """Everything the chronology chart draws, already placed in time and lanes."""

    window: Window
    lanes: list[Lane]
    marks: pd.DataFrame
    """One row per event drawn individually: ``event_id``, ``key`` (its number in the
    event table, 0 if loosely dated), ``lane``, ``row``, ``x0``/``x1`` (start and
    exclusive end, clipped to the window), ``point`` (drawn as a marker, not a bar),
    ``event_type``, ``goldstein``, ``scheduled``, ``loose``, ``incident``, ``annotate``."""
    monthly: pd.DataFrame
    """Counts per month for aggregated lanes: ``lane``, ``month``, ``events``,
    ``mean_goldstein``."""
    incidents: pd.DataFrame
    """Security incidents placed in the window: ``event_id``, ``key``, ``x0``, ``x1``,
    ``point``, ``annotate``."""
    incident_mode: str = "lines"
    """'lines': each incident is drawn across all lanes; 'rug': too many for that, each
    is a tick along the top of the chart."""
    title: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.lanes


MARK_COLUMNS = [
    "event_id",
    "key",
    "lane",
    "row",
    "x0",
    "x1",
    "point",
    "event_type",
    "goldstein",
    "scheduled",
    "loose",
    "incident",
    "annotate",
    "date_precision",
]


INCIDENT_COLUMNS = ["event_id", "key", "x0", "x1", "point", "annotate"]


CHRONOLOGY_INPUT = [
    "event_id", "date", "date_precision", "end_date", "interval_end", "status", "event_type",
    "from_stakeholder", "to_stakeholder", "milestone", "goldstein",
]  # fmt: skip


def _stack(starts: list[float], ends: list[float], later: list[bool] | None = None) -> list[int]:
    """Row for each interval so that no two in the same row overlap (first fit).

    Intervals flagged in ``later`` are placed after all others, so they take the lower
    rows and the others keep the top ones.
    """
    later = later or [False] * len(starts)
    order = sorted(range(len(starts)), key=lambda i: (later[i], starts[i], ends[i]))
    row_end: list[float] = []
    rows = [0] * len(starts)
    for i in order:
        for r, end in enumerate(row_end):
            if starts[i] >= end:
                rows[i] = r
                row_end[r] = ends[i]
                break
        else:
            rows[i] = len(row_end)
            row_end.append(ends[i])
    return rows


def chronology(ctx: BriefingContext, highlight: str | None = None) -> Chronology:
    """Place the window's events (and the loosely dated ones) in lanes and time.

    Parameters
    ----------
    ctx : BriefingContext
        The briefing's window and events.
    highlight : str, optional
        Event id to number on the chart in addition to milestones and incidents. By
        default, the period's most senior focus-dyad contact (:func:`highest_contact`);
        '' numbers none.

    Returns
    -------
    Chronology
        Lanes top to bottom (focus dyad first; at most :data:`MAX_LANES`, the rest in
        one "Other relationships" lane), and one mark per event. A point event is drawn
        at its day; one known to a month or a year is a bar over that month or year,
        clipped to the window; a span is a bar from its start to its end. A lane with
        more than :data:`LANE_EVENT_LIMIT` events, or that would need more than
        :data:`MAX_ROWS` stacked rows, is drawn as counts per month instead.
    """
    w = ctx.window
    lo, hi = w.start, w.end + pd.Timedelta(days=1)
    if highlight is None:
        best = highest_contact(ctx)
        highlight = best.event_id if best else ""
    # Only the columns the chart needs: copying the topic and source lists as well would
    # touch (and so copy) every one of them in a kernel that shares the data.
    placed = ctx.events[CHRONOLOGY_INPUT].assign(key=range(1, len(ctx.events) + 1), loose=False)
    loose = ctx.loose[CHRONOLOGY_INPUT].assign(key=0, loose=True)
    ev = pd.concat([placed, loose], ignore_index=True) if len(loose) else placed
    title = f"Engagements, {w.label()}"
    empty_monthly = pd.DataFrame(columns=["lane", "month", "events", "mean_goldstein"])
    if ev.empty:
        return Chronology(
            w,
            [],
            pd.DataFrame(columns=MARK_COLUMNS),
            empty_monthly,
            pd.DataFrame(columns=INCIDENT_COLUMNS),
            title,
            [f"No engagements are recorded for {w.label()}."],
        )

    ev["lane"] = relationships(ev, ctx.focus, ctx.counterpart)
    counts = ev.loc[~ev["loose"], "lane"].value_counts()
    counts = counts.reindex(ev["lane"].unique(), fill_value=0)
    ev["lane"], order = _cap_lanes(ev["lane"], _lane_order(ctx, counts))

    ev["x0"] = ev["date"].clip(lower=lo)
    ev["x1"] = (ev["interval_end"] + pd.Timedelta(days=1)).clip(upper=hi)
    ev["point"] = (ev["date_precision"] == "day") & ev["end_date"].isna()
    ev["scheduled"] = ev["status"] == "scheduled"
    ev["incident"] = (ev["event_type"] == "security_incident") & ~ev["loose"]
    ev["row"] = 0

    width = w.days * POINT_WIDTH
    lanes, monthly = [], []
    for key in order:
        sel = ev["lane"] == key
        n = int((sel & ~ev["loose"]).sum())
        if n > LANE_EVENT_LIMIT:
            # Drawn per month whatever its rows: no need to stack its events.
            lanes.append(Lane(key, relationship_label(ctx, key), n, 2, True))
            monthly.append(_monthly(ev[sel & ~ev["loose"]], w, key))
            continue
        starts = [
            (x0 - lo).days - (width / 2 if p else 0)
            for x0, p in zip(ev.loc[sel, "x0"], ev.loc[sel, "point"])
        ]
        ends = [
            (x1 - lo).days + (width / 2 if p else 0)
            for x1, p in zip(ev.loc[sel, "x1"], ev.loc[sel, "point"])
        ]
        rows = _stack(starts, ends, ev.loc[sel, "loose"].tolist())
        aggregate = max(rows) + 1 > MAX_ROWS
        lane = Lane(key, relationship_label(ctx, key), n, max(rows) + 1, aggregate)
        if aggregate:
            lane.rows = 2
            monthly.append(_monthly(ev[sel & ~ev["loose"]], w, key))
        else:
            ev.loc[sel, "row"] = rows
        lanes.append(lane)

    aggregated = {lane.key for lane in lanes if lane.aggregate}
    drawn = ~ev["lane"].isin(aggregated)
    n_incidents = int(ev["incident"].sum())
    incident_mode = "lines" if n_incidents <= MAX_INCIDENT_LINES else "rug"

    # Number only what is drawn on its own: milestones and the highlight in lanes of
    # single events, and incidents while they are drawn as lines. Incidents first, then
    # curated milestones, then the highlight; earliest first; at most MAX_KEYS.
    keyed = ~ev["loose"] & (
        (ev["incident"] & (incident_mode == "lines"))
        | (drawn & ((ev["milestone"] != "") | (ev["event_id"] == highlight)))
    )
    priority = (~ev["incident"]).astype(int) + (ev["milestone"] == "").astype(int)
    chosen = ev[keyed].assign(_p=priority[keyed]).sort_values(["_p", "date"]).index[:MAX_KEYS]
    ev["annotate"] = ev.index.isin(chosen)

    marks = ev[drawn].reset_index(drop=True)
    incidents = ev.loc[ev["incident"], INCIDENT_COLUMNS]
    notes = []
    if aggregated:
        notes.append(
            "Lanes marked 'per month' are too dense to show each event: their bars give "
            "the events held per month (height) and their mean Goldstein value (colour)."
        )
    if incident_mode == "rug":
        notes.append(
            f"{n_incidents} security incidents are too many to draw across the lanes: "
            "each is a tick along the top of the chart."
        )
    if int(keyed.sum()) > MAX_KEYS:
        notes.append(
            f"Only the first {MAX_KEYS} of {int(keyed.sum())} incidents and milestones "
            "are numbered."
        )
    return Chronology(
        window=w,
        lanes=lanes,
        marks=marks[MARK_COLUMNS],
        monthly=(
            pd.concat(monthly, ignore_index=True)[empty_monthly.columns]
            if monthly
            else empty_monthly
        ),
        incidents=incidents.reset_index(drop=True),
        incident_mode=incident_mode,
        title=title,
        notes=notes,
    )


def _monthly(events: pd.DataFrame, window: Window, lane: str) -> pd.DataFrame:
    """Events that took place per month of the window, and their mean Goldstein value."""
    sub = _occurred(events)
    month = months_in_window(sub, window)
    grouped = sub.assign(month=month).dropna(subset=["month"]).groupby("month")
    agg = grouped["goldstein"].agg(events="size", mean_goldstein="mean").reset_index()
    return agg.assign(lane=lane)


def chart_numbers(chron: Chronology) -> list[int]:
    """Event-table numbers written on the chronology chart, in order."""
    numbered = chron.marks.loc[chron.marks["annotate"], "key"].tolist()
    numbered += chron.incidents.loc[chron.incidents["annotate"], "key"].tolist()
    return sorted({int(k) for k in numbered if k})


def describe_chronology(chron: Chronology) -> str:
    """One sentence describing the chronology chart, for its alt text."""
    if chron.empty:
        return f"No engagements are recorded for {chron.window.label()}."
    placed = int((~chron.marks["loose"]).sum()) if len(chron.marks) else 0
    placed += sum(lane.events for lane in chron.lanes if lane.aggregate)
    names = "; ".join(lane.label for lane in chron.lanes)
    return (
        f"Timeline of {placed} event{'s' if placed != 1 else ''} from "
        f"{chron.window.label()} in {len(chron.lanes)} lane"
        f"{'s' if len(chron.lanes) != 1 else ''}: {names}."
    )


def chronology_key(ctx: BriefingContext, chron: Chronology) -> list[str]:
    """One line per numbered event on the chart: its number, date, actors and why.

    Curated milestone text is quoted as the curator's; an incident says it is marked
    across all lanes.
    """
    numbered = chart_numbers(chron)
    if not numbered:
        return []
    table = describe_events(ctx, ctx.events.iloc[[k - 1 for k in numbered]])
    best = highest_contact(ctx)
    lines = []
    for k, r in zip(numbered, table.to_dict("records")):
        why = []
        if r["event_type"] == "security_incident":
            why.append("security incident, marked across all lanes")
        if best is not None and r["event_id"] == best.event_id:
            why.append(f"most senior contact of the period, the highest {best.since_text}")
        if r["milestone"]:
            why.append(f"curated milestone: '{r['milestone']}'")
        text = f"{k}. {r['date_text']}: {r['actors']}, {r['type_text']}"
        lines.append(text + (f" ({'; '.join(why)})" if why else "") + ".")
    return lines
