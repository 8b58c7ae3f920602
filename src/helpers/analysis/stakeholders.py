"""Stakeholder analysis: who interacted with whom in a window, and where each one stands.

Every function takes a :class:`~helpers.data.context.BriefingContext` and returns a frame or
plain values (text for the notebook's sentences and tables); figures live in
:mod:`helpers.presentation.stakeholder_charts`.

Rules used throughout
---------------------
- **Stakeholders** are top-level actors. People and ministries count for the government
  they roll up to, an organisation's organs for the organisation (the Security Council
  for the UN): the roll-up is :func:`helpers.data.dataset.rollup_map`, carried on each event as
  ``from_stakeholder`` / ``to_stakeholder``.
- **Counted events** are the window's events (placed by :mod:`helpers.data.periods`) that
  *occurred*. Scheduled events (announced, not known to have happened) and loosely dated
  events are left out of every count and named by :func:`scope_note`.
- **A pair's events** are all counted events from one of the two to the other, of any
  type, in either direction. Among them, **contacts** are those of a type in
  :data:`helpers.data.dataset.CONTACT_TYPES` (meeting, phone call, visit, agreement), in which
  both sides take part. An event within one stakeholder, or with no ``actor_to``, counts
  for that stakeholder's activity but links no pair.
- **Positions** are read as of the window's end: a stakeholder's latest position with
  ``as_of`` on or before that day, and the one recorded before it.
"""

from __future__ import annotations

from .alignment import (
    alignment_summary,
    counterpart_engagement,
    stance_moves,
)
from .network import (
    GROUP_ORDER,
    MAX_PAIRS,
    MAX_STAKEHOLDERS,
    activity,
    counted_events,
    describe_dyads,
    describe_network,
    dyad_matrix,
    dyads,
    network,
    pair_events,
    scope_note,
    shown_stakeholders,
    stakeholder_order,
)
from .positions import (
    STANCE_WORDS,
    current_positions,
    describe_positions,
    dyads_table,
    positions_table,
    shown_positions,
)
from .profiles import (
    MAX_PROFILES,
    describe_profiles,
    profile_sections,
    profiles,
)
from .text import (
    NAMES_LIMIT,
    TYPES_LIMIT,
    short_label,
    signed,
    wrap_label,
)

__all__ = [
    "GROUP_ORDER",
    "MAX_PAIRS",
    "MAX_PROFILES",
    "MAX_STAKEHOLDERS",
    "NAMES_LIMIT",
    "STANCE_WORDS",
    "TYPES_LIMIT",
    "activity",
    "alignment_summary",
    "counted_events",
    "counterpart_engagement",
    "current_positions",
    "describe_dyads",
    "describe_network",
    "describe_positions",
    "describe_profiles",
    "dyad_matrix",
    "dyads",
    "dyads_table",
    "network",
    "pair_events",
    "positions_table",
    "profile_sections",
    "profiles",
    "scope_note",
    "short_label",
    "shown_positions",
    "shown_stakeholders",
    "signed",
    "stakeholder_order",
    "stance_moves",
    "wrap_label",
]
