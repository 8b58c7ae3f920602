"""Names, relationships and months: the vocabulary every timeline analysis shares."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.context import BriefingContext
from ..data.dataset import CONTACT_TYPES
from ..data.periods import Window, format_date, month_of
from .text import short_label

MAX_LANES = 9
"""Most relationships drawn as lanes of their own; the rest share an "Other" lane."""


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
# Names, relationships and months
# ---------------------------------------------------------------------------


def short_name(ctx: BriefingContext, actor_id: str, names: dict[str, str] | None = None) -> str:
    """Display name of ``actor_id`` without trailing parentheticals (see
    :func:`~helpers.analysis.text.short_label`). ``names`` (actor id -> name) saves
    looking each one up."""
    name = names.get(actor_id, actor_id) if names is not None else ctx.name(actor_id)
    return short_label(name) or actor_id


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
    """Month of each event (see :func:`helpers.data.periods.month_of`) if inside the window.

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


def _names(ctx: BriefingContext) -> dict[str, str]:
    """Display name of every actor id (see :meth:`helpers.data.dataset.Dataset.name_of`)."""
    return dict(zip(ctx.data.actors["actor_id"], ctx.data.actors["name"]))
