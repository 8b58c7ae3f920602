"""Timeline analysis: who engaged whom, when, how often, how senior and about what.

Every function here takes a :class:`~helpers.context.BriefingContext` (or the frames it
holds) and returns data: frames, plain values or small dataclasses. Figures are drawn
from these results by :mod:`helpers.timeline_charts`; notebooks only display them.

Conventions used throughout:

* A **relationship** (dyad) is an undirected pair of top-level stakeholders, keyed
  ``"IND|AFG"``: the focus stakeholder first when it is in the pair, the counterpart
  last when it is, otherwise alphabetical. An event with no other party (or one inside a
  single stakeholder) has the key of its own stakeholder, e.g. ``"AFG"``.
* Events are placed in a window by the rule in :mod:`helpers.periods`; loosely dated
  events are listed but never counted.
* Counts, net cooperation and seniority use events that **occurred**; scheduled events
  are drawn (hollow) and listed, not counted.
* A **contact** is an occurred event whose type is in
  :data:`helpers.dataset.CONTACT_TYPES`.
"""

from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .context import BriefingContext
from .dataset import CONTACT_TYPES, LEVELS
from .periods import Window, format_date, month_of

MAX_LANES = 9
"""Most relationships drawn as lanes of their own; the rest share an "Other" lane."""

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

NET_THRESHOLD = 5.0
"""Change in net cooperation (Goldstein points) that moves the change call.

Five points is more than any one meeting, call or visit is worth on the Goldstein scale
(1.0 to 2.8), so one contact more or less does not swing the call, and less than a single
act of violence (about -9), so one such act does.
"""

NAMES_LIMIT = 8
"""Most names a sentence or cell lists before counting the rest ('and 12 more')."""

OTHER_LANE = "__other__"
RELATIONSHIP_COLUMNS = ("from_stakeholder", "to_stakeholder")
MONTH_WORDS = (
    "January February March April May June July August September October November December"
).split()
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}


# ---------------------------------------------------------------------------
# Work done once per briefing context
# ---------------------------------------------------------------------------

_MEMO: dict[int, dict[str, pd.DataFrame]] = {}
_PER_CONTEXT: list = []
"""Every :func:`per_context` analysis of the modules imported so far."""


def per_context(fn):
    """Compute ``fn(ctx)`` once per context and hand each caller its own copy.

    A notebook asks for the same window analysis many times (the most senior contact
    feeds the chronology, its key, the key points and the seniority section); at a
    million events each answer costs seconds. A :class:`BriefingContext` is read-only
    once built, so the first answer stands; the memo goes when the context does.
    """

    @functools.wraps(fn)
    def wrapper(ctx: BriefingContext) -> pd.DataFrame:
        key = id(ctx)
        store = _MEMO.get(key)
        if store is None:
            store = _MEMO[key] = {}
            weakref.finalize(ctx, _MEMO.pop, key, None)
        name = f"{fn.__module__}.{fn.__qualname__}"
        if name not in store:
            store[name] = fn(ctx)
        return store[name].copy()

    _PER_CONTEXT.append(wrapper)
    return wrapper


def compute_shared(ctx: BriefingContext) -> None:
    """Compute every :func:`per_context` analysis of ``ctx`` now.

    The build's kernel host calls this before forking the kernels: the notebooks then
    find the answers in memory, shared copy-on-write, instead of each computing them
    again (at a million events each costs seconds and a few hundred MB while it runs).
    """
    for fn in _PER_CONTEXT:
        fn(ctx)


# ---------------------------------------------------------------------------
# Names, relationships and months
# ---------------------------------------------------------------------------


def short_name(ctx: BriefingContext, actor_id: str, names: dict[str, str] | None = None) -> str:
    """Display name without a trailing parenthetical: 'Afghanistan (Taliban government)'
    gives 'Afghanistan'. ``names`` (actor id -> name) saves looking each one up."""
    name = names.get(actor_id, actor_id) if names is not None else ctx.name(actor_id)
    return re.sub(r"\s*\(.*\)\s*$", "", name) or actor_id


def level_text(level: str | None) -> str:
    """A level as words: 'senior_official' -> 'senior official'; None -> 'none'."""
    return str(level).replace("_", " ") if level else "none"


def type_text(event_type: str) -> str:
    """An event type as words: 'phone_call' -> 'phone call'."""
    return str(event_type).replace("_", " ")


def relationship_key(a: str, b: str, focus: str, counterpart: str) -> str:
    """Key of the undirected relationship between stakeholders ``a`` and ``b``.

    Parameters
    ----------
    a, b : str
        Stakeholder ids of the two sides; ``b`` may be empty (no other party).
    focus, counterpart : str
        The briefing's dyad, which fixes the order inside the key.

    Returns
    -------
    str
        ``"A|B"`` for a pair, or ``"A"`` when there is no other party or both sides are
        the same stakeholder.
    """
    if not b or a == b:
        return a or b
    if focus in (a, b):
        first = focus
        second = b if a == focus else a
    elif counterpart in (a, b):
        second = counterpart
        first = b if a == counterpart else a
    else:
        first, second = sorted((a, b))
    return f"{first}|{second}"


def relationships(events: pd.DataFrame, focus: str, counterpart: str) -> pd.Series:
    """Relationship key of each event (see :func:`relationship_key`), aligned to ``events``.

    Computed column-wise, so it costs little even for a million events.
    """
    a = events["from_stakeholder"].fillna("").astype(object).to_numpy()
    b = events["to_stakeholder"].fillna("").astype(object).to_numpy()
    alone = (b == "") | (a == b)
    has_f = (a == focus) | (b == focus)
    has_c = (a == counterpart) | (b == counterpart)
    low = np.where(a <= b, a, b)
    high = np.where(a <= b, b, a)
    first = np.where(has_f, focus, np.where(has_c, np.where(a == counterpart, b, a), low))
    second = np.where(has_f, np.where(a == focus, b, a), np.where(has_c, counterpart, high))
    keys = first.astype(object) + "|" + second.astype(object)
    keys = np.where(alone, np.where(a == "", b, a), keys)
    return pd.Series(keys, index=events.index, dtype=object)


def relationship_label(ctx: BriefingContext, key: str, names: dict[str, str] | None = None) -> str:
    """Readable label of a relationship key: 'India – Afghanistan', 'UN (no other party)'.

    ``names`` (actor id -> name, see :func:`short_name`) helps when labelling many."""
    if key == OTHER_LANE:
        return "Other relationships"
    parts = key.split("|")
    if len(parts) == 1:
        return f"{short_name(ctx, parts[0], names)} (no other party)"
    return " – ".join(short_name(ctx, p, names) for p in parts)


def focus_key(ctx: BriefingContext) -> str:
    """Relationship key of the briefing's focus dyad."""
    return relationship_key(ctx.focus, ctx.counterpart, ctx.focus, ctx.counterpart)


def in_focus_dyad(events: pd.DataFrame, ctx: BriefingContext) -> pd.Series:
    """Boolean mask: events between the focus stakeholder and its counterpart."""
    return _pair_mask(events, ctx.focus, ctx.counterpart)


def _pair_mask(events: pd.DataFrame, one: str, other: str) -> pd.Series:
    """Boolean mask: events from ``one`` to ``other`` or back (two different stakeholders)."""
    a, b = events["from_stakeholder"], events["to_stakeholder"]
    return ((a == one) & (b == other)) | ((a == other) & (b == one))


def contacts(events: pd.DataFrame) -> pd.Series:
    """Boolean mask: occurred events of a contact type (meeting, call, visit, agreement)."""
    return events["event_type"].isin(CONTACT_TYPES) & (events["status"] == "occurred")


def window_months(window: Window) -> pd.PeriodIndex:
    """Every calendar month the window touches, first to last."""
    return pd.period_range(window.start, window.end, freq="M")


def months_in_window(events: pd.DataFrame, window: Window) -> pd.Series:
    """Month of each event (see :func:`helpers.periods.month_of`) if inside the window.

    Events dated only to a year, and spans that started before the window, have no month
    in the window and come back missing.
    """
    months = month_of(events)
    inside = months.isin(window_months(window)) & months.notna()
    return months.where(inside)


def month_label(month: pd.Period) -> str:
    """'May 2025'."""
    return f"{MONTH_WORDS[month.month - 1]} {month.year}"


def record_start(engagements: pd.DataFrame) -> str:
    """Month in which the whole record begins, as text ('August 2021'); '' if empty."""
    if engagements.empty:
        return ""
    first = engagements.loc[engagements["date"].idxmin()]
    precision = "year" if first["date_precision"] == "year" else "month"
    return format_date(first["date"], precision)


def _occurred(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["status"] == "occurred"]


def _lane_order(ctx: BriefingContext, counts: pd.Series) -> list[str]:
    """Relationships ordered: focus dyad, others of the focus, of the counterpart, the rest."""
    fkey = focus_key(ctx)
    names = _names(ctx)

    def rank(key: str) -> tuple:
        parts = key.split("|")
        if key == fkey:
            group = 0
        elif len(parts) == 1:
            group = 4
        elif ctx.focus in parts:
            group = 1
        elif ctx.counterpart in parts:
            group = 2
        else:
            group = 3
        return (group, -int(counts.get(key, 0)), relationship_label(ctx, key, names))

    return sorted(counts.index, key=rank)


def _cap_lanes(keys: pd.Series, order: list[str]) -> tuple[pd.Series, list[str]]:
    """Keep the first :data:`MAX_LANES` - 1 relationships of ``order`` and put the rest
    in one "Other relationships" lane (:data:`OTHER_LANE`), last."""
    if len(order) <= MAX_LANES:
        return keys, order
    keep = order[: MAX_LANES - 1]
    return keys.where(keys.isin(keep), OTHER_LANE), keep + [OTHER_LANE]


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


def _names(ctx: BriefingContext) -> dict[str, str]:
    """Display name of every actor id (see :meth:`helpers.dataset.Dataset.name_of`)."""
    return dict(zip(ctx.data.actors["actor_id"], ctx.data.actors["name"]))


def _dates_text(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """:func:`helpers.periods.format_date` for a whole column at once."""
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
    dates = _dates_text(out["date"], out["date_precision"])
    ends = _dates_text(out["end_date"], pd.Series("day", index=out.index))
    out["date_text"] = dates.where(out["end_date"].isna(), dates + " – " + ends)
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
    lines = [
        f"{r.date_text}: {r.actors}, {r.type_text} ({r.level_text}). Known only to "
        f"{'the year' if r.date_precision == 'year' else 'the month'}, so it may fall "
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


# ---------------------------------------------------------------------------
# Seniority: level of contact month by month, and "highest-level contact since"
# ---------------------------------------------------------------------------


HISTORY_COLUMNS = [
    "event_id",
    "relationship",
    "date",
    "date_precision",
    "level",
    "level_rank",
    "since_id",
    "since_date",
    "since_precision",
    "since_text",
    "uncertain",
]
"""Columns of :func:`contact_history`."""


def contact_history(
    engagements: pd.DataFrame,
    focus: str,
    counterpart: str,
    event_ids=None,
    start: str | None = None,
) -> pd.DataFrame:
    """For contacts, the last earlier contact at the same or a higher level.

    Contacts are compared within their own relationship. Contact B is earlier than A
    only when B's whole uncertain interval ends before A's first possible day; contacts
    whose intervals overlap cannot be ordered and are listed in ``uncertain`` instead.
    Among several earlier contacts the one with the latest start wins, then the later
    end, then the first in date order (date, then event id).

    Only the relationships asked for are computed: by default the focus dyad's, the one
    every briefing reports; with ``event_ids``, the relationships of those contacts
    (a curated milestone may belong to another pair). The work is sorting and binary
    search, once per level (there are six), so a relationship of a hundred thousand
    contacts costs well under a second.

    Parameters
    ----------
    engagements : DataFrame
        Engagements holding every contact of the relationships asked for, of any date,
        not just one window: "since" looks back to the start of the record. Other rows
        are ignored.
    focus, counterpart : str
        The focus dyad; they also fix the order inside relationship keys.
    event_ids : collection of str, optional
        Return rows (and work out ``uncertain``) only for these contacts, e.g. the
        window's; each is compared with every contact of its relationship in
        ``engagements``. Ids that are not contacts are ignored. By default every contact
        of the focus dyad; in a dense record their ``uncertain`` lists alone run to
        millions of ids (a year-precision contact overlaps every contact of its year),
        so callers pass the contacts they report.

    Returns
    -------
    DataFrame
        One row per contact, in date order (then event id), with the
        :data:`HISTORY_COLUMNS`: ``event_id``, ``relationship``, ``date``,
        ``date_precision``, ``level``, ``level_rank``, ``since_id``, ``since_date``,
        ``since_precision`` (empty / NaT when no earlier contact at that level),
        ``since_text`` ('since January 2025' or 'since the record begins in
        August 2021') and ``uncertain`` (tuple of event ids, in date order).
    """
    if start is None:
        start = record_start(engagements)
    # Masks first and one narrow copy of the rows kept: the record may be a million rows.
    touch = contacts(engagements).to_numpy()
    if event_ids is None:
        pairs = {(focus, counterpart)}
        asked = None
    else:
        asked = set(event_ids)
        wanted = engagements[touch & engagements["event_id"].isin(asked).to_numpy()]
        pairs = set(zip(wanted["from_stakeholder"], wanted["to_stakeholder"]))
        # One stakeholder alone, with no other party or with itself: one relationship.
        pairs |= {(a, x) for a, b in pairs if b in ("", a) for x in ("", a)}
    if len(pairs) == 1:
        keep = _pair_mask(engagements, *next(iter(pairs))).to_numpy()
    else:  # one pass over the record for all the pairs asked for
        sides = pd.MultiIndex.from_arrays(
            [engagements["from_stakeholder"], engagements["to_stakeholder"]]
        )
        keep = sides.isin([*pairs, *((b, a) for a, b in pairs)])
    cols = ["event_id", "date", "date_precision", "end_date", "interval_end", "level"]
    cols += ["level_rank", "from_stakeholder", "to_stakeholder"]
    ev = engagements.loc[keep & touch, cols]
    ev = ev.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    ev["relationship"] = relationships(ev, focus, counterpart)
    parts = []
    for _, rel in ev.groupby("relationship", sort=False):
        rel = rel.reset_index(drop=True)
        query = np.arange(len(rel))
        if asked is not None:
            query = np.flatnonzero(rel["event_id"].isin(asked).to_numpy())
        if len(query):
            parts.append(_history(rel, query, start))
    if not parts:
        return _history(ev, np.arange(0), start)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def _history(ev: pd.DataFrame, query: np.ndarray, start: str) -> pd.DataFrame:
    """:func:`contact_history` rows for the ``query`` positions of one relationship's
    contacts ``ev`` (in date order)."""
    first = ev["date"].to_numpy().astype("datetime64[ns]").astype(np.int64)
    last = ev["interval_end"].to_numpy().astype("datetime64[ns]").astype(np.int64)
    rank = ev["level_rank"].to_numpy().astype(int)
    since = _latest_earlier(first, last, rank, query)
    found = since >= 0
    pick = since[found]
    cols = ["event_id", "relationship", "date", "date_precision", "level", "level_rank"]
    out = ev.iloc[query][cols].reset_index(drop=True)
    since_id = np.full(len(query), "", dtype=object)
    since_id[found] = ev["event_id"].to_numpy()[pick]
    since_prec = np.full(len(query), "", dtype=object)
    since_prec[found] = ev["date_precision"].to_numpy()[pick]
    since_date = pd.Series(pd.NaT, index=out.index, dtype=ev["date"].dtype)
    since_date[found] = ev["date"].to_numpy()[pick]
    text = np.full(len(query), f"since the record begins in {start}", dtype=object)
    text[found] = [
        f"since {format_date(d, p)}" for d, p in zip(since_date[found], since_prec[found])
    ]
    out["since_id"] = since_id
    out["since_date"] = since_date
    out["since_precision"] = since_prec
    out["since_text"] = text
    ids = ev["event_id"].to_numpy()
    out["uncertain"] = [tuple(ids[k]) for k in _overlapping(ev, first, last, rank, query)]
    return out[HISTORY_COLUMNS]


def _latest_earlier(first, last, rank, query) -> np.ndarray:
    """Position of the latest earlier contact at the same or a higher level, -1 if none.

    For each level, contacts are sorted by the end of their interval; a running maximum
    of their order by (start, end, then first in date order) gives, for any day, the
    latest contact that ended before it, found with one binary search.
    """
    n = len(first)
    pos = np.arange(n)
    order_key = np.empty(n, dtype=np.int64)
    order_key[np.lexsort((-pos, last, first))] = pos
    by_key = np.empty(n, dtype=np.int64)
    by_key[order_key] = pos
    best = np.full(len(query), -1, dtype=np.int64)
    for level in np.unique(rank):
        members = np.flatnonzero(rank == level)
        members = members[np.argsort(last[members], kind="stable")]
        running = np.maximum.accumulate(order_key[members])
        ended = np.searchsorted(last[members], first[query], side="left")
        ok = (rank[query] >= level) & (ended > 0)
        best = np.where(ok, np.maximum(best, running[np.maximum(ended - 1, 0)]), best)
    return np.where(best >= 0, by_key[np.maximum(best, 0)], -1)


def _overlapping(ev: pd.DataFrame, first, last, rank, query) -> list[np.ndarray]:
    """For each queried contact, the positions (in date order) of the other contacts at the
    same or a higher level whose intervals overlap its own.

    Within one date precision an interval's end grows with its start (a day, a calendar
    month, a calendar year), so the overlapping ones of each precision and level are one
    run of the sorted contacts, found by binary search; spans (with an end date) are
    compared one by one, and are few.
    """
    span = ev["end_date"].notna().to_numpy()
    precision = ev["date_precision"].to_numpy()
    q_first, q_last, q_rank = first[query], last[query], rank[query]
    hits_q, hits_k = [], []
    groups = []
    for prec in pd.unique(precision[~span]):
        for level in np.unique(rank):
            members = np.flatnonzero(~span & (precision == prec) & (rank == level))
            if len(members):
                groups.append(members)
    brute = [np.flatnonzero(span)]
    for members in groups:
        if np.any(np.diff(last[members]) < 0):
            brute.append(members)
            continue
        lo = np.searchsorted(last[members], q_first, side="left")
        hi = np.searchsorted(first[members], q_last, side="right")
        hi = np.where(rank[members[0]] <= q_rank, np.maximum(hi, lo), lo)
        count = hi - lo
        total = int(count.sum())
        if total:
            offsets = np.repeat(lo - np.cumsum(count) + count, count)
            hits_k.append(members[offsets + np.arange(total)])
            hits_q.append(np.repeat(np.arange(len(query)), count))
    for members in brute:
        for chunk in range(0, len(query), 2048):
            qs = np.arange(chunk, min(chunk + 2048, len(query)))
            hit = (
                (rank[members][None, :] <= q_rank[qs][:, None])
                & (first[members][None, :] <= q_last[qs][:, None])
                & (last[members][None, :] >= q_first[qs][:, None])
            )
            qi, ki = np.nonzero(hit)
            hits_q.append(qs[qi])
            hits_k.append(members[ki])
    if not hits_q:
        return [np.empty(0, dtype=np.int64)] * len(query)
    hq, hk = np.concatenate(hits_q), np.concatenate(hits_k)
    keep = hk != query[hq]
    hq, hk = hq[keep], hk[keep]
    order = np.lexsort((hk, hq))
    hq, hk = hq[order], hk[order]
    bounds = np.searchsorted(hq, np.arange(len(query) + 1))
    return [hk[bounds[i] : bounds[i + 1]] for i in range(len(query))]


def seniority_by_month(ctx: BriefingContext) -> pd.DataFrame:
    """Most senior level of focus-dyad contact in each month of the window.

    Returns
    -------
    DataFrame
        One row per month the window touches: ``month`` (Period), ``month_label``,
        ``contacts`` (number of contacts dated to that month), ``level`` (the most
        senior level, '' when there was no contact) and ``level_rank`` (0 = leader;
        missing when there was no contact).
    """
    ev = ctx.events[contacts(ctx.events) & in_focus_dyad(ctx.events, ctx)]
    ev = ev.assign(month=months_in_window(ev, ctx.window)).dropna(subset=["month"])
    months = window_months(ctx.window)
    grouped = ev.groupby("month")
    n = grouped.size().reindex(months, fill_value=0)
    top = grouped["level_rank"].min().reindex(months)
    return pd.DataFrame(
        {
            "month": months,
            "month_label": [month_label(m) for m in months],
            "contacts": n.to_numpy().astype(int),
            "level": [LEVELS[int(r)] if pd.notna(r) else "" for r in top],
            "level_rank": top.to_numpy(),
        }
    )


def history_of(ctx: BriefingContext, event_ids) -> pd.DataFrame:
    """:func:`contact_history` of the given window events, against everything the
    context's data holds for "since" (its contact record and the record's start)."""
    return contact_history(
        ctx.data.contact_record, ctx.focus, ctx.counterpart, event_ids, start=ctx.data.record_start
    )


@per_context
def window_contacts(ctx: BriefingContext) -> pd.DataFrame:
    """The window's focus-dyad contacts with their computed "since" text.

    Returns
    -------
    DataFrame
        :func:`event_table` rows of the contacts (numbered as in the full, unabridged
        table), with ``since_text``, ``since_id``, ``since_date`` and ``uncertain`` from
        :func:`contact_history`, and ``finding``: 'highest-level India – Afghanistan
        contact since ...'.
    """
    mask = (contacts(ctx.events) & in_focus_dyad(ctx.events, ctx)).to_numpy()
    table = describe_events(ctx, ctx.events[mask])
    table["key"] = np.flatnonzero(mask) + 1
    hist = history_of(ctx, table["event_id"])
    hist = hist[["event_id", "since_id", "since_text", "since_date", "uncertain"]]
    out = table.merge(hist, on="event_id", how="left")
    label = relationship_label(ctx, focus_key(ctx))
    out["finding"] = [
        _finding(ctx, label, lvl, since, unc)
        for lvl, since, unc in zip(out["level"], out["since_text"], out["uncertain"])
    ]
    return out.reset_index(drop=True)


UNCERTAIN_NAMES = 3
"""Most event ids a finding names as of unknown order; the rest are counted."""


def _finding(ctx: BriefingContext, label: str, level: str, since: str, uncertain) -> str:
    text = f"{level_text(level)}-level: the highest-level {label} contact {since}"
    if uncertain:
        names = ", ".join(uncertain[:UNCERTAIN_NAMES])
        if len(uncertain) > UNCERTAIN_NAMES:
            names += f" and {len(uncertain) - UNCERTAIN_NAMES:,} others"
        text += f" (its order against {names}, dated to the same interval, is not known)"
    return text


CONTACT_LIST_LIMIT = 15
"""Most focus-dyad contacts the seniority table lists."""


def listed_contacts(contacts: pd.DataFrame, limit: int = CONTACT_LIST_LIMIT) -> pd.DataFrame:
    """The rows of :func:`window_contacts` a document lists: all, or the ``limit`` most
    senior (then those with no earlier contact at their level, then the oldest "since",
    then the earliest), in date order."""
    if len(contacts) <= limit:
        return contacts
    ranked = contacts.assign(_has=contacts["since_id"] != "")
    ranked = ranked.sort_values(["level_rank", "_has", "since_date", "date", "event_id"])
    return contacts.loc[ranked.index[:limit]].sort_index()


def contacts_note(ctx: BriefingContext, contacts: pd.DataFrame, listed: pd.DataFrame) -> str:
    """A sentence saying how many of the window's contacts :func:`listed_contacts` leaves
    out ('' if none)."""
    more = len(contacts) - len(listed)
    if more <= 0:
        return ""
    return (
        f"The table lists the {len(listed)} most senior of the period's {len(contacts):,} "
        f"{relationship_label(ctx, focus_key(ctx))} contacts; the other {more:,} are "
        "counted in the chart above."
    )


@dataclass(frozen=True)
class HighestContact:
    """The most senior focus-dyad contact of a window and what the record says of it."""

    event_id: str
    level: str
    date_text: str
    actors: str
    type_text: str
    since_text: str
    """'since January 2025' or 'since the record begins in August 2021'."""
    sentence: str
    """A full sentence for the briefing."""
    curated: str
    """The curated ``milestone`` text of the event ('' if none)."""


def highest_contact(ctx: BriefingContext) -> HighestContact | None:
    """The window's most senior focus-dyad contact, with its computed "since" text.

    The "since" is computed from the record (see :func:`contact_history`), never read
    from the curated ``milestone`` column. Among contacts at the same level the one with
    the longest gap since an equal or higher contact wins, then the earlier one.

    Returns
    -------
    HighestContact or None
        None when the focus dyad had no contact in the window.
    """
    rows = window_contacts(ctx)
    if rows.empty:
        return None
    # No earlier contact at that level (the longest gap) first, then the oldest "since".
    rows = rows.assign(_has=rows["since_id"] != "", _since=rows["since_date"])
    best = rows.sort_values(["level_rank", "_has", "_since", "date"]).iloc[0]
    label = relationship_label(ctx, focus_key(ctx))
    sentence = (
        f"The most senior {label} contact of the period was the {level_text(best['level'])}"
        f"-level {type_text(best['event_type'])} of {best['date_text']} "
        f"({best['actors']}): the highest-level contact between them {best['since_text']}."
    )
    return HighestContact(
        event_id=best["event_id"],
        level=best["level"],
        date_text=best["date_text"],
        actors=best["actors"],
        type_text=best["type_text"],
        since_text=best["since_text"],
        sentence=sentence,
        curated=best["milestone"],
    )


def highest_contact_sentence(ctx: BriefingContext) -> str:
    """:attr:`HighestContact.sentence`, or a sentence saying there was no contact."""
    best = highest_contact(ctx)
    if best is not None:
        return best.sentence
    return (
        f"No contact (meeting, call, visit, agreement or recognition) between "
        f"{short_name(ctx, ctx.focus)} and {short_name(ctx, ctx.counterpart)} is recorded "
        f"for {ctx.window.label()}."
    )


CONTACT_COLUMNS = {
    "key": "#",
    "date_text": "Date",
    "actors": "Actors",
    "type_text": "Type",
    "level_text": "Level",
    "since_text": "Highest level of contact",
}
"""Columns of :func:`window_contacts` for display, and their headers."""


def claimed_since(text: str, event_date: pd.Timestamp) -> tuple[pd.Timestamp | None, str]:
    """The date a curated milestone claims to reach back to, and its precision.

    Reads 'August 2021' (month), '2021' (year) or 'in nine years' / '9 years' (the
    event's year less that many years). Returns ``(None, '')`` when the text gives no
    date, e.g. 'First country to ...'.
    """
    months = "|".join(MONTH_WORDS)
    m = re.search(rf"\b({months})\s+((?:19|20)\d\d)\b", text)
    if m:
        return pd.Timestamp(int(m.group(2)), MONTH_WORDS.index(m.group(1)) + 1, 1), "month"
    m = re.search(r"\b((?:19|20)\d\d)\b", text)
    if m:
        return pd.Timestamp(int(m.group(1)), 1, 1), "year"
    words = "|".join(NUMBER_WORDS)
    m = re.search(rf"\b(\d+|{words})\s+years?\b", text, flags=re.IGNORECASE)
    if m:
        word = m.group(1).lower()
        n = int(word) if word.isdigit() else NUMBER_WORDS[word]
        return pd.Timestamp(event_date.year - n, 1, 1), "year"
    return None, ""


def _same_or_before(a: pd.Timestamp, b: pd.Timestamp, precision: str) -> tuple[bool, bool]:
    """(a equals b, a is before b) compared at ``precision`` ('month' or 'year')."""
    ka = (a.year, a.month) if precision == "month" else (a.year,)
    kb = (b.year, b.month) if precision == "month" else (b.year,)
    return ka == kb, ka < kb


MILESTONE_COLUMNS = {
    "key": "#",
    "date_text": "Date",
    "relationship_label": "Relationship",
    "milestone": "Curated milestone",
    "computed": "Computed from the record",
    "verdict": "Check",
}


MILESTONE_LIMIT = 15
"""Most curated milestones checked and listed for one window."""


def milestone_checks(ctx: BriefingContext, limit: int = MILESTONE_LIMIT) -> pd.DataFrame:
    """Compare each curated milestone of the window with what the record shows.

    At most ``limit`` milestones are checked, chosen by :func:`significant` (the focus
    dyad's first, then the most senior), in date order; :func:`milestone_notes` counts
    the others.

    For a contact, the record gives the last earlier contact at the same or a higher
    level in the same relationship (:func:`contact_history`). The date the curated text
    reaches back to (:func:`claimed_since`) is compared with it at the text's precision.

    Returns
    -------
    DataFrame
        One row per window event with curated milestone text: :func:`event_table`
        columns plus ``relationship_label``, ``computed`` (the computed "since" text, or
        why none), ``verdict`` ('agrees', 'differs' or 'not checked') and ``explanation``
        (a sentence saying where they differ and why).
    """
    marked = ctx.events[ctx.events["milestone"] != ""]
    ours = set(marked.loc[in_focus_dyad(marked, ctx), "event_id"])
    pick = np.flatnonzero(ctx.events["milestone"] != "")[
        significant(ctx, marked, limit, limit, first=ours)
    ]
    table = describe_events(ctx, ctx.events.iloc[pick])
    table["key"] = pick + 1
    table = table.reset_index(drop=True)
    cols = [*MILESTONE_COLUMNS, "explanation", "event_id"]
    if table.empty:
        return pd.DataFrame(columns=cols)
    hist = history_of(ctx, table["event_id"])
    hist = hist.set_index("event_id")
    start = ctx.data.record_start
    table["relationship_label"] = [relationship_label(ctx, k) for k in table["relationship"]]
    computed, verdict, explanation = [], [], []
    for _, r in table.iterrows():
        quote = (
            f"The curated milestone for {r['date_text']} ({r['actors']}) says '{r['milestone']}'"
        )
        if r["event_id"] not in hist.index:
            computed.append(
                "not a contact (meeting, call, visit, agreement or recognition that took place)"
            )
            verdict.append("not checked")
            explanation.append(f"{quote}; it is not a contact, so the record does not test it.")
            continue
        h = hist.loc[r["event_id"]]
        found = f"the highest-level {r['relationship_label']} contact {h['since_text']}"
        computed.append(found)
        claim, precision = claimed_since(r["milestone"], r["date"])
        if claim is None:
            verdict.append("not checked")
            explanation.append(
                f"{quote}; it gives no date to compare. Computed from the record: {found}."
            )
            continue
        claim_text = format_date(claim, precision)
        if h["since_id"]:
            ref, ref_text = h["since_date"], format_date(h["since_date"], h["since_precision"])
        else:
            first = ctx.data.first_date
            ref, ref_text = first, start
        same, earlier = _same_or_before(claim, ref, precision)
        if same:
            verdict.append("agrees")
            explanation.append(f"{quote}; the record agrees: {found}.")
        elif earlier and not h["since_id"]:
            verdict.append("differs")
            explanation.append(
                f"{quote}, reaching back to {claim_text}; but the record only begins in "
                f"{start}, so it cannot confirm that. Computed from the record: {found}."
            )
        elif earlier:
            verdict.append("differs")
            explanation.append(
                f"{quote}, reaching back to {claim_text}; but the record has a contact at "
                f"the same or a higher level in {ref_text}. Computed: {found}."
            )
        else:
            verdict.append("differs")
            explanation.append(
                f"{quote}, reaching back to {claim_text}; the record finds no contact at "
                f"that level for longer, since {ref_text}. Computed: {found}."
            )
    table["computed"] = computed
    table["verdict"] = verdict
    table["explanation"] = explanation
    return table[cols].reset_index(drop=True)


def milestone_notes(ctx: BriefingContext, limit: int = MILESTONE_LIMIT) -> list[str]:
    """Sentences for the curated milestones the record does not confirm as stated.

    Empty when no event of the window carries a curated milestone; one line saying all
    agree when none differs. With more than ``limit`` milestones, a last line says how
    many were not checked.
    """
    checks = milestone_checks(ctx, limit)
    if checks.empty:
        return []
    differ = checks[checks["verdict"] != "agrees"]
    more = int((ctx.events["milestone"] != "").sum()) - len(checks)
    if differ.empty:
        which = "checked here" if more > 0 else "of this period"
        lines = [f"Every curated milestone {which} agrees with the record."]
    else:
        lines = differ["explanation"].tolist()
    if more > 0:
        lines.append(
            f"{more:,} more curated milestone{'s' if more != 1 else ''} of this period "
            f"{'are' if more != 1 else 'is'} not checked here."
        )
    return lines


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


# ---------------------------------------------------------------------------
# Change against the previous period
# ---------------------------------------------------------------------------

CALLS = ("improved", "deteriorated", "unchanged")


@dataclass(frozen=True)
class PeriodSummary:
    """What the change call compares for one period."""

    window: Window
    focus_events: int
    """Focus-dyad events that took place."""
    all_events: int
    """Events of every relationship that took place."""
    net: float
    """Sum of the Goldstein values of the focus-dyad events that took place."""
    level: str
    """Most senior level of focus-dyad contact ('' if none)."""
    relationships: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class ChangeCall:
    """A CrisisWatch-style call on the focus dyad, with the rule and numbers behind it."""

    call: str
    """'improved', 'deteriorated' or 'unchanged'."""
    reason: str
    """The rule and this period's numbers, as sentences."""
    now: PeriodSummary
    before: PeriodSummary
    level_step: int
    net_step: int
    new_counterparts: tuple[str, ...]
    """Relationships (labels) active in this period and not in the previous one."""
    new_topics: tuple[str, ...]
    """Focus-dyad topics raised in this period and not in the previous one."""

    @property
    def score(self) -> int:
        return self.level_step + self.net_step


def summarise_period(ctx: BriefingContext, events: pd.DataFrame, window: Window) -> PeriodSummary:
    """The change call's measures for one period's placed events."""
    occ = _occurred(events)
    focus = occ[in_focus_dyad(occ, ctx)]
    touch = contacts(focus)
    level = LEVELS[int(focus.loc[touch, "level_rank"].min())] if touch.any() else ""
    rels = relationships(occ, ctx.focus, ctx.counterpart)
    topics = sorted({t for ts in focus["topic_list"] for t in ts})
    return PeriodSummary(
        window=window,
        focus_events=len(focus),
        all_events=len(occ),
        net=round(float(focus["goldstein"].sum()), 1),
        level=level,
        relationships=tuple(dict.fromkeys(rels)),
        topics=tuple(topics),
    )


def _points(n: int) -> str:
    return f"{n:+d}" if n else "0"


def _level_step(now: str, before: str) -> int:
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    r_now, r_before = rank.get(now, len(LEVELS)), rank.get(before, len(LEVELS))
    return (r_now < r_before) - (r_now > r_before)


def change_call(ctx: BriefingContext, threshold: float = NET_THRESHOLD) -> ChangeCall:
    """Call the focus dyad improved, deteriorated or unchanged against the previous period.

    Rule: one point for a more senior top contact than in the previous period of the same
    length (minus one for a less senior one, or none at all after some); one point for
    net cooperation (sum of Goldstein values of the focus dyad's events) rising by at
    least ``threshold`` (minus one for falling by as much). A positive total is
    'improved', a negative one 'deteriorated', zero 'unchanged'.

    Parameters
    ----------
    ctx : BriefingContext
        Window, its events and the previous period's events.
    threshold : float
        Change in net cooperation that counts (default :data:`NET_THRESHOLD`).

    Returns
    -------
    ChangeCall
        The call, the sentence stating the rule and the numbers, and the measures.
    """
    now = summarise_period(ctx, ctx.events, ctx.window)
    before = summarise_period(ctx, ctx.previous_events, ctx.previous)
    level_step = _level_step(now.level, before.level)
    delta = round(now.net - before.net, 1)
    net_step = (delta >= threshold) - (delta <= -threshold)
    score = level_step + net_step
    call = "improved" if score > 0 else "deteriorated" if score < 0 else "unchanged"
    label = relationship_label(ctx, focus_key(ctx))
    rule = (
        f"Rule: one point for a more senior top {label} contact than in the previous "
        "period of the same length (minus one for a less senior one), one point for net "
        f"cooperation (the sum of Goldstein values of their events) rising by {threshold:g} "
        "or more (minus one for falling by as much); improved if the total is above zero, "
        "deteriorated if below, unchanged at zero."
    )
    seniority = {1: "more senior", -1: "less senior", 0: "no change"}[level_step]
    numbers = (
        f"Against {before.window.label()}: top contact {level_text(now.level)} against "
        f"{level_text(before.level)} ({seniority}, {_points(level_step)}); net cooperation "
        f"{now.net:+.1f} against {before.net:+.1f}, a change of {delta:+.1f} "
        f"({_points(net_step)}); total {_points(score)}, so {call}."
    )
    new_rels = tuple(
        relationship_label(ctx, k) for k in now.relationships if k not in before.relationships
    )
    new_topics = tuple(t for t in now.topics if t not in before.topics)
    return ChangeCall(
        call=call,
        reason=f"{rule} {numbers}",
        now=now,
        before=before,
        level_step=level_step,
        net_step=net_step,
        new_counterparts=new_rels,
        new_topics=new_topics,
    )


CHANGE_COLUMNS = {"measure": "", "before": "Previous period", "now": "This period"}
"""Columns of :func:`change_table` and their headers."""


def change_table(ctx: BriefingContext, change: ChangeCall) -> pd.DataFrame:
    """The change call's measures side by side: ``measure``, ``before``, ``now``."""
    label = relationship_label(ctx, focus_key(ctx))
    b, n = change.before, change.now

    def listing(items) -> str:
        items = list(items)
        if len(items) > NAMES_LIMIT:
            return ", ".join(items[:NAMES_LIMIT]) + f" and {len(items) - NAMES_LIMIT:,} more"
        return ", ".join(items) if items else "none"

    rows = [
        ("Period", b.window.label(), n.window.label()),
        (f"{label} events", str(b.focus_events), str(n.focus_events)),
        ("Events, all relationships", str(b.all_events), str(n.all_events)),
        (f"Net cooperation, {label}", f"{b.net:+.1f}", f"{n.net:+.1f}"),
        ("Most senior contact", level_text(b.level), level_text(n.level)),
        ("Relationships active", str(len(b.relationships)), str(len(n.relationships))),
        ("New counterparts", "", listing(change.new_counterparts)),
        (f"New {label} topics", "", listing([t.replace("_", " ") for t in change.new_topics])),
    ]
    return pd.DataFrame(rows, columns=["measure", "before", "now"])
