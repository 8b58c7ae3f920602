"""Timeline analysis: who engaged whom, when, how often, how senior and about what.

Every function here takes a :class:`~helpers.data.context.BriefingContext` (or the frames it
holds) and returns data: frames, plain values or small dataclasses. Figures are drawn
from these results by :mod:`helpers.presentation.timeline_charts`; notebooks only display them.

Conventions used throughout:

* A **relationship** (dyad) is an undirected pair of top-level stakeholders, keyed
  ``"IND|AFG"``: the focus stakeholder first when it is in the pair, the counterpart
  last when it is, otherwise alphabetical. An event with no other party (or one inside a
  single stakeholder) has the key of its own stakeholder, e.g. ``"AFG"``.
* Events are placed in a window by the rule in :mod:`helpers.data.periods`; loosely dated
  events are listed but never counted.
* Counts, net cooperation and seniority use events that **occurred**; scheduled events
  are drawn (hollow) and listed, not counted.
* A **contact** is an occurred event whose type is in
  :data:`helpers.data.dataset.CONTACT_TYPES`.
"""

from __future__ import annotations

from .change import (
    CALLS,
    CHANGE_COLUMNS,
    NET_THRESHOLD,
    ChangeCall,
    PeriodSummary,
    change_call,
    change_table,
    summarise_period,
)
from .chronology import (
    CHRONOLOGY_INPUT,
    INCIDENT_COLUMNS,
    LANE_EVENT_LIMIT,
    MARK_COLUMNS,
    MAX_INCIDENT_LINES,
    MAX_KEYS,
    MAX_ROWS,
    POINT_WIDTH,
    Chronology,
    Lane,
    chart_numbers,
    chronology,
    chronology_key,
    describe_chronology,
)
from .events import (
    FOCUS_LIST_LIMIT,
    LIST_LIMIT,
    describe_events,
    significant,
)
from .events_table import (
    EVENT_COLUMNS,
    LOOSE_LIMIT,
    count_sentence,
    event_list_note,
    event_table,
    loose_notes,
)
from .intensity import (
    INTENSITY_COLUMNS,
    intensity_note,
    monthly_intensity,
)
from .memo import (
    compute_shared,
    per_context,
)
from .names import (
    MAX_LANES,
    MONTH_WORDS,
    NUMBER_WORDS,
    OTHER_LANE,
    RELATIONSHIP_COLUMNS,
    contacts,
    focus_key,
    in_focus_dyad,
    level_text,
    month_label,
    months_in_window,
    record_start,
    relationship_key,
    relationship_label,
    relationships,
    short_name,
    type_text,
    window_months,
)
from .seniority import (
    CONTACT_COLUMNS,
    CONTACT_LIST_LIMIT,
    HISTORY_COLUMNS,
    MILESTONE_COLUMNS,
    MILESTONE_LIMIT,
    UNCERTAIN_NAMES,
    HighestContact,
    claimed_since,
    contact_history,
    contacts_note,
    highest_contact,
    highest_contact_sentence,
    history_of,
    listed_contacts,
    milestone_checks,
    milestone_notes,
    seniority_by_month,
    window_contacts,
)
from .text import NAMES_LIMIT
from .topics import (
    topic_months,
)

__all__ = [
    "CALLS",
    "CHANGE_COLUMNS",
    "CHRONOLOGY_INPUT",
    "CONTACT_COLUMNS",
    "CONTACT_LIST_LIMIT",
    "ChangeCall",
    "Chronology",
    "EVENT_COLUMNS",
    "FOCUS_LIST_LIMIT",
    "HISTORY_COLUMNS",
    "HighestContact",
    "INCIDENT_COLUMNS",
    "INTENSITY_COLUMNS",
    "LANE_EVENT_LIMIT",
    "LIST_LIMIT",
    "LOOSE_LIMIT",
    "Lane",
    "MARK_COLUMNS",
    "MAX_INCIDENT_LINES",
    "MAX_KEYS",
    "MAX_LANES",
    "MAX_ROWS",
    "MILESTONE_COLUMNS",
    "MILESTONE_LIMIT",
    "MONTH_WORDS",
    "NAMES_LIMIT",
    "NET_THRESHOLD",
    "NUMBER_WORDS",
    "OTHER_LANE",
    "POINT_WIDTH",
    "PeriodSummary",
    "RELATIONSHIP_COLUMNS",
    "UNCERTAIN_NAMES",
    "change_call",
    "change_table",
    "chart_numbers",
    "chronology",
    "chronology_key",
    "claimed_since",
    "compute_shared",
    "contact_history",
    "contacts",
    "contacts_note",
    "count_sentence",
    "describe_chronology",
    "describe_events",
    "event_list_note",
    "event_table",
    "focus_key",
    "highest_contact",
    "highest_contact_sentence",
    "history_of",
    "in_focus_dyad",
    "intensity_note",
    "level_text",
    "listed_contacts",
    "loose_notes",
    "milestone_checks",
    "milestone_notes",
    "month_label",
    "monthly_intensity",
    "months_in_window",
    "per_context",
    "record_start",
    "relationship_key",
    "relationship_label",
    "relationships",
    "seniority_by_month",
    "short_name",
    "significant",
    "summarise_period",
    "topic_months",
    "type_text",
    "window_contacts",
    "window_months",
]
