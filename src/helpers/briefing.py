"""The sections of the circulated briefing that are not charts.

Each function takes a :class:`~helpers.context.BriefingContext` and returns plain data
(strings, lists, frames); the notebook passes them to :mod:`helpers.display`. Every
sentence is generated from the rows in the window, so the briefing says only what the
data supports, and every event and position carries its source ids.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd

from .context import BriefingContext
from .fingerprint import input_epoch
from .periods import format_date
from .stakeholders import counterpart_engagement
from .timeline import change_call, describe_events, highest_contact_sentence, in_focus_dyad


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def title(ctx: BriefingContext) -> str:
    """'India and Afghanistan (Taliban government): engagement briefing'."""
    return f"{ctx.dyad_label}: engagement briefing"


def subtitle(ctx: BriefingContext) -> str:
    return f"Period: {ctx.window.label()}"


def key_points(ctx: BriefingContext) -> list[str]:
    """Three to six sentences that sum up the window, generated from its rows."""
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
    text = f"{_plural(len(occurred), 'engagement')} recorded in the period"
    if len(scheduled):
        text += f", plus {_plural(len(scheduled), 'scheduled event')}"
    text += f"; {len(dyad)} between {ctx.dyad_label}."
    points.append(text)

    partners = counterpart_engagement(ctx)
    partners = partners[partners["stakeholder"] != ctx.counterpart]
    if len(partners):
        listing = ", ".join(f"{n} ({e})" for n, e in zip(partners["name"], partners["events"]))
        points.append(f"{ctx.name(ctx.counterpart)} engaged with: {listing}.")

    points.append(highest_contact_sentence(ctx))
    change = change_call(ctx)
    points.append(
        f"Against the previous period of the same length ({change.before.window.label()}), "
        f"relations {change.call}; the rule and its numbers are under Timeline."
    )

    milestones = ev[ev["milestone"] != ""]
    for _, row in milestones.iterrows():
        points.append(
            f"{format_date(row['date'], row['date_precision'])}, as the sources put it: "
            f"{row['milestone']} [{', '.join(row['source_list'])}]."
        )
    incidents = occurred[occurred["event_type"] == "security_incident"]
    for _, row in incidents.iterrows():
        points.append(f"Security context: {row['summary']} [{', '.join(row['source_list'])}]")
    return points


def outlook(ctx: BriefingContext) -> pd.DataFrame:
    """Scheduled events that may fall after the window's end, with display columns
    (see :func:`helpers.timeline.describe_events`)."""
    ev = ctx.data.engagements
    ahead = ev[(ev["status"] == "scheduled") & (ev["interval_end"] > ctx.window.end)]
    return describe_events(ctx, ahead).reset_index(drop=True)


def sources_cited(ctx: BriefingContext, *frames: pd.DataFrame) -> pd.DataFrame:
    """Sources cited by the given frames: their ``source_list`` column, or ``sources``
    holding tuples of ids or comma-separated ids."""
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


def input_time(data_dir) -> datetime:
    """The briefing's time, fixed by its inputs (see :func:`helpers.fingerprint.input_epoch`)."""
    return datetime.fromtimestamp(input_epoch(data_dir), tz=timezone.utc)


def provenance_line(ctx: BriefingContext) -> str:
    """Period, data version and the input-fixed time, for the foot of the briefing."""
    when = input_time(ctx.data.data_dir)
    return (
        f"Period {ctx.window.iso()[0]} to {ctx.window.iso()[1]} · "
        f"data version {ctx.data.version} · "
        f"dated {when:%Y-%m-%d %H:%M} UTC by its inputs, not the clock"
    )
