"""Change against the previous period: the summary of each period and the change call."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data.context import BriefingContext
from ..data.dataset import LEVELS
from ..data.periods import Window
from .names import (
    _occurred,
    contacts,
    focus_key,
    in_focus_dyad,
    level_text,
    relationship_label,
    relationships,
)
from .text import NAMES_LIMIT

NET_THRESHOLD = 5.0
"""Change in net cooperation (Goldstein points) that moves the change call.

Five points is more than any one meeting, call or visit is worth on the Goldstein scale
(1.0 to 2.8), so one contact more or less does not swing the call, and less than a single
act of violence (about -9), so one such act does.
"""


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
