"""The sections of the circulated briefing that are not charts.

Each function takes a :class:`~helpers.data.context.BriefingContext` and returns plain data
(strings, lists, frames); the notebook passes them to :mod:`helpers.presentation.display`. Every
sentence is generated from the rows in the window, so the briefing says only what the
data supports, and every event and position carries its source ids.
"""

from __future__ import annotations

import pandas as pd

from ..data.context import BriefingContext, superseded
from ..data.periods import format_date
from .stakeholders import counterpart_engagement
from .text import plural
from .timeline import (
    NAMES_LIMIT,
    Chronology,
    change_call,
    describe_events,
    highest_contact_sentence,
    in_focus_dyad,
    significant,
)
from .timeline import event_table as timeline_event_table
from .timeline import loose_notes as timeline_loose_notes


def title(ctx: BriefingContext, custom: str = "") -> str:
    """Return the briefing's heading: ``custom`` (the ``title`` parameter) when given.

    Otherwise 'India and Afghanistan (Taliban government): engagement briefing'.
    """
    return custom.strip() or f"{ctx.dyad_label}: engagement briefing"


def subtitle(ctx: BriefingContext) -> str:
    """Return the briefing's subtitle: 'Period: 1 January – 31 May 2025'."""
    return f"Period: {ctx.window.label()}"


KEY_MILESTONES = 5
"""Most curated milestones the key points quote."""

KEY_INCIDENTS = 3
"""Most security incidents the key points quote."""

KEY_PARTNERS = NAMES_LIMIT
"""Most stakeholders the key points name as engaging the counterpart."""

OUTLOOK_LIMIT = 10
"""Most scheduled events the outlook lists."""

EVENT_LIMIT = 15
"""Most events the briefing's event table lists (the timeline annex lists more)."""

LOOSE_LIMIT = 5
"""Most loosely dated events the briefing lists."""


def event_table(ctx: BriefingContext, chron: Chronology | None = None) -> pd.DataFrame:
    """Return the briefing's event table, at most :data:`EVENT_LIMIT` rows.

    It is :func:`helpers.analysis.timeline.event_table` with that limit: the events
    numbered on ``chron`` are listed first.
    """
    return timeline_event_table(ctx, chron, EVENT_LIMIT)


def loose_notes(ctx: BriefingContext) -> list[str]:
    """:func:`helpers.analysis.timeline.loose_notes` with at most :data:`LOOSE_LIMIT` events."""
    return timeline_loose_notes(ctx, LOOSE_LIMIT)


def key_milestones(ctx: BriefingContext) -> pd.DataFrame:
    """Return the curated milestones the key points quote, in date order.

    All of them, or the :data:`KEY_MILESTONES` chosen by
    :func:`helpers.analysis.timeline.significant` (the focus dyad's first, then the most
    senior).
    """
    ev = ctx.events[ctx.events["milestone"] != ""]
    ours = set(ev.loc[in_focus_dyad(ev, ctx), "event_id"])
    return ev.iloc[significant(ctx, ev, KEY_MILESTONES, KEY_MILESTONES, first=ours)]


def key_incidents(ctx: BriefingContext) -> pd.DataFrame:
    """Return the security incidents the key points quote, in date order.

    All of them, or the :data:`KEY_INCIDENTS` most relevant: those involving the focus
    or its counterpart first, then the lowest Goldstein value, then the earliest.
    """
    ev = ctx.events
    ev = ev[(ev["status"] == "occurred") & (ev["event_type"] == "security_incident")]
    if len(ev) <= KEY_INCIDENTS:
        return ev
    dyad = (ctx.focus, ctx.counterpart)
    near = ev["from_stakeholder"].isin(dyad) | ev["to_stakeholder"].isin(dyad)
    ranked = ev.assign(_far=~near).sort_values(["_far", "goldstein", "date", "event_id"])
    return ev.loc[ranked.index[:KEY_INCIDENTS]].sort_index()


def key_events(ctx: BriefingContext) -> pd.DataFrame:
    """Every event the key points quote (milestones and incidents), for the sources."""
    return pd.concat([key_milestones(ctx), key_incidents(ctx)])


def key_points(ctx: BriefingContext) -> list[str]:
    """Three to a dozen sentences that sum up the window, generated from its rows.

    Bounded whatever the size of the window: at most :data:`KEY_PARTNERS` partners of
    the counterpart are named, :data:`KEY_MILESTONES` milestones and
    :data:`KEY_INCIDENTS` incidents quoted, and a sentence counts the rest.
    """
    ev = ctx.events
    if ev.empty:
        return [
            f"No engagements are recorded between {ctx.window.label()} "
            f"in the data package (version {ctx.data.version})."
        ]
    points = []
    occurred = ev[ev["status"] == "occurred"]
    scheduled = ev[ev["status"] == "scheduled"]
    dyad = occurred[in_focus_dyad(occurred, ctx)]
    text = f"{plural(len(occurred), 'engagement')} recorded in the period"
    if len(scheduled):
        text += f", plus {plural(len(scheduled), 'scheduled event')}"
    text += f"; {len(dyad):,} between {ctx.dyad_label}."
    points.append(text)

    partners = counterpart_engagement(ctx)
    partners = partners[partners["stakeholder"] != ctx.counterpart]
    if len(partners):
        shown = partners.head(KEY_PARTNERS)
        listing = ", ".join(f"{n} ({e:,})" for n, e in zip(shown["name"], shown["events"]))
        rest = partners.iloc[KEY_PARTNERS:]
        if len(rest):
            listing += (
                f" and {plural(len(rest), 'other')} ({plural(int(rest['events'].sum()), 'event')})"
            )
        points.append(f"{ctx.name(ctx.counterpart)} engaged with: {listing}.")

    points.append(highest_contact_sentence(ctx))
    change = change_call(ctx)
    points.append(
        f"Against the previous period of the same length ({change.before.window.label()}), "
        f"relations {change.call}; the rule and its numbers are under Timeline."
    )

    milestones = key_milestones(ctx)
    for row in milestones.itertuples():
        when = format_date(row.date, row.date_precision, row.interval_end)
        points.append(
            f"{when}, as the sources put it: {row.milestone} [{', '.join(row.source_list)}]."
        )
    more = int((ev["milestone"] != "").sum()) - len(milestones)
    if more:
        points.append(
            f"{plural(more, 'more curated milestone')} of the period "
            f"{'is' if more == 1 else 'are'} not quoted here."
        )
    incidents = key_incidents(ctx)
    for row in incidents.itertuples():
        points.append(f"Security context: {row.summary} [{', '.join(row.source_list)}]")
    more = int((occurred["event_type"] == "security_incident").sum()) - len(incidents)
    if more:
        points.append(
            f"Security context: {plural(more, 'more security incident')} "
            f"{'is' if more == 1 else 'are'} recorded in the period (see Timeline)."
        )
    return points


def outlook(ctx: BriefingContext, limit: int = OUTLOOK_LIMIT) -> pd.DataFrame:
    """Return the scheduled events that may fall after the window's end.

    The rows carry the display columns of :func:`helpers.analysis.timeline.describe_events`.
    At most ``limit`` are listed, chosen by :func:`helpers.analysis.timeline.significant` (the
    focus dyad's first, the most senior first), in date order; :func:`outlook_note`
    counts the others.
    """
    ahead = _ahead(ctx)
    return describe_events(ctx, ahead.iloc[significant(ctx, ahead, limit)]).reset_index(drop=True)


def _ahead(ctx: BriefingContext) -> pd.DataFrame:
    ev = ctx.data.engagements
    ahead = (ev["status"] == "scheduled") & (ev["interval_end"] > ctx.window.end)
    return ev[ahead & ~superseded(ev, ctx.window.end)]


def outlook_note(ctx: BriefingContext, ahead: pd.DataFrame) -> str:
    """Say how many scheduled events :func:`outlook` leaves out ('' if none)."""
    more = len(_ahead(ctx)) - len(ahead)
    if more <= 0:
        return ""
    return (
        f"The table lists {len(ahead)} of {len(ahead) + more:,} scheduled events: those "
        f"between {ctx.dyad_label} and the most senior others."
    )


def sources_cited(ctx: BriefingContext, *frames: pd.DataFrame) -> pd.DataFrame:
    """Return the sources cited by the given frames, by id, with their display columns.

    A frame cites through its ``source_list`` column, or through ``sources`` holding
    tuples of ids or comma-separated ids.
    """
    ids: set[str] = set()
    for frame in frames:
        column = "source_list" if "source_list" in frame else "sources"
        for value in frame.get(column, []):
            if isinstance(value, (tuple, list)):
                ids.update(value)
            else:
                ids.update(v.strip() for v in str(value).split(",") if v.strip())
    src = ctx.data.sources
    src = src[src["source_id"].isin(ids)].sort_values("source_id")
    return src[["source_id", "title", "publisher", "published", "url", "notes"]].reset_index(
        drop=True
    )
