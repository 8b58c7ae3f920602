"""The sections of the circulated briefing that are not charts.

Each function takes a :class:`~helpers.data.context.BriefingContext` and returns plain data
(strings, lists, frames); the notebook passes them to :mod:`helpers.presentation.display`. Every
sentence is generated from the rows in the window, so the briefing says only what the
data supports, and every event and position carries its source ids.
"""

from __future__ import annotations

import pandas as pd

from ..data.context import BriefingContext
from .timeline import (
    Chronology,
)
from .timeline import event_table as timeline_event_table
from .timeline import loose_notes as timeline_loose_notes


def title(ctx: BriefingContext, custom: str = "") -> str:
    """Return the briefing's heading: ``custom`` (the ``title`` parameter) when given.

    Otherwise 'India and Afghanistan (Taliban government): engagement briefing'.
    """
    return custom.strip() or f"{ctx.dyad_label}: engagement briefing"


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
