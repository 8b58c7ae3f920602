"""The briefing's trend call: improved, deteriorated or unchanged against the period before.

It says whether relations between the focus and its counterpart improved, deteriorated
or stayed unchanged, and why. An honest call needs data on both sides of the comparison.
It is not made for a period the record does not reach
(:attr:`helpers.data.dataset.Dataset.record_end`), and it is "insufficient data to
compare" when nothing between the two is recorded in the comparison period (an activity
under way since earlier, such as an aid span, is not a record of that period, and other
pairs' events say nothing about this one). Otherwise the score of
:func:`helpers.analysis.change.change_call` decides, and the reason names the events
behind it, as a CrisisWatch entry does. What a window is compared with is
:meth:`helpers.data.periods.Window.previous`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data.context import BriefingContext
from ..data.periods import format_date
from .change import NET_THRESHOLD, change_call
from .names import contacts, in_focus_dyad, level_text, short_name, type_text

NO_CALL = "no call"
INSUFFICIENT = "insufficient data to compare"


@dataclass(frozen=True)
class TrendCall:
    """The call, a one-line reason naming its events, and the rule behind it."""

    call: str
    """'improved', 'deteriorated', 'unchanged', :data:`NO_CALL` or :data:`INSUFFICIENT`."""
    reason: str
    """One line: why, naming the events that drove the call."""
    rule: str
    """What the window is compared with and how the call is scored."""
    event_ids: tuple[str, ...] = ()
    """Events the reason names (for its citations)."""

    @property
    def rule_note(self) -> str:
        """'Trend: improved. ' followed by the rule, for the page that explains it."""
        return f"Trend: {self.call}. {self.rule}"

    @property
    def headline(self) -> str:
        """'Improved', 'No call', 'Insufficient data to compare'."""
        return self.call[:1].upper() + self.call[1:]


def rule_text(ctx: BriefingContext, threshold: float = NET_THRESHOLD) -> str:
    """Return the comparison and scoring rule, as printed under the call."""
    pair = f"{short_name(ctx, ctx.focus)} and {short_name(ctx, ctx.counterpart)}"
    return (
        f"{ctx.window.comparison_rule()} One point if the most senior contact (meeting, "
        f"call, visit, agreement, recognition or accreditation) between {pair} is more "
        "senior than in "
        "that period, minus one if less senior or absent; one point if net cooperation "
        f"(the sum of the Goldstein values of their events) rises by {threshold:g} or "
        "more, minus one if it falls by as much. Above zero is improved, below zero "
        "deteriorated, zero unchanged. No call is made for a period the record does not "
        f"reach, and none when nothing between {pair} is recorded in the period compared "
        "with."
    )


def actor_text(ctx: BriefingContext, actor_id: str) -> str:
    """Name a person by name; any other actor by its top-level stakeholder's short name.

    A foreign ministry speaks for its state: 'Amir Khan Muttaqi', 'Afghanistan'.
    """
    actors = ctx.data.actors.set_index("actor_id")
    if actor_id in actors.index and actors.at[actor_id, "kind"] == "person":
        return str(actors.at[actor_id, "name"])
    top = actor_id
    seen = set()
    while top in actors.index and actors.at[top, "parent_id"] and top not in seen:
        seen.add(top)
        top = actors.at[top, "parent_id"]
    return short_name(ctx, top)


def date_text(row) -> str:
    """Write an event's date at its precision.

    '22 April 2025', 'May 2025', 'between 1 February 2022 and 28 February 2025' (an
    interval), 'August 2021 – 10 March 2025' (a span).
    """
    if row["date_precision"] == "interval":
        return format_date(row["date"], "interval", row["end_date"])
    text = format_date(row["date"], row["date_precision"])
    if pd.notna(row["end_date"]):
        text += f" – {format_date(row['end_date'], 'day')}"
    return text


def event_phrase(ctx: BriefingContext, row) -> str:
    """Name an event in a few words, with its date at its precision.

    For example 'the meeting between Vikram Misri and Amir Khan Muttaqi (January 2025)',
    'the statement by Afghanistan on India (January 2025)', 'the aid from India to
    Afghanistan (August 2021 – 10 March 2025)'.
    """
    when = date_text(row)
    kind = type_text(row["event_type"])
    a = actor_text(ctx, row["actor_from"])
    if not row["actor_to"]:
        return f"the {kind} by {a} ({when})"
    b = actor_text(ctx, row["actor_to"])
    if row["event_type"] in ("meeting", "phone_call", "visit", "agreement"):
        return f"the {kind} between {a} and {b} ({when})"
    if row["event_type"] == "statement":
        return f"the statement by {a} on {b} ({when})"
    return f"the {kind} from {a} to {b} ({when})"


def _recorded_in(events: pd.DataFrame, start: pd.Timestamp) -> pd.DataFrame:
    """Events that begin inside a period (not activities under way since before it)."""
    return events[events["date"] >= start]


def _dyad_occurred(ctx: BriefingContext, events: pd.DataFrame) -> pd.DataFrame:
    """Keep the focus dyad's occurred events: what :func:`change_call` compares."""
    return events[(events["status"] == "occurred") & in_focus_dyad(events, ctx)]


def insufficient_reason(ctx: BriefingContext) -> tuple[str, tuple[str, ...]] | None:
    """Say why the comparison period cannot be compared with, or None when it can.

    It cannot when nothing between the focus and the counterpart begins in it. The
    reason names the pair's activity under way since earlier (two at most), and says
    whether the record holds nothing at all in that period or only other pairs' events.

    Returns
    -------
    tuple of (str, tuple of str) or None
        The sentence and the ids of the events it names.
    """
    prev = ctx.previous
    then = _dyad_occurred(ctx, ctx.previous_events)
    if not _recorded_in(then, prev.start).empty:
        return None
    if _recorded_in(ctx.previous_events, prev.start).empty:
        reason = f"Nothing is recorded as happening in {prev.text()}"
    else:
        pair = f"{short_name(ctx, ctx.focus)} and {short_name(ctx, ctx.counterpart)}"
        reason = f"Nothing between {pair} is recorded as happening in {prev.text()}"
    under_way = then.sort_values(["date", "event_id"]).head(2)
    if len(under_way):
        names = "; ".join(event_phrase(ctx, r) for _, r in under_way.iterrows())
        reason += f", only activity under way since earlier: {names}"
    return reason + ".", tuple(under_way["event_id"])


def _top_contact(ctx: BriefingContext, events: pd.DataFrame):
    """Return the most senior focus-dyad contact of ``events`` (the earliest of equals), or None."""
    touch = events[contacts(events) & in_focus_dyad(events, ctx)]
    if touch.empty:
        return None
    return touch.sort_values(["level_rank", "date", "event_id"]).iloc[0]


def _net_drivers(ctx: BriefingContext, delta: float, limit: int = 2) -> pd.DataFrame:
    """Find the focus-dyad events that moved net cooperation the way it moved.

    Only events in one of the two periods count (an event in both, such as a span,
    cancels out); largest first.
    """
    now, then = _dyad_occurred(ctx, ctx.events), _dyad_occurred(ctx, ctx.previous_events)
    sign = 1 if delta > 0 else -1
    only_now = now[~now["event_id"].isin(then["event_id"])]
    only_then = then[~then["event_id"].isin(now["event_id"])]
    moved = pd.concat(
        [only_now[only_now["goldstein"] * sign > 0], only_then[only_then["goldstein"] * sign < 0]]
    )
    moved = moved.assign(_w=moved["goldstein"].abs())
    return moved.sort_values(["_w", "date", "event_id"], ascending=[False, True, True]).head(limit)


def beyond_record(ctx: BriefingContext) -> str:
    """Return a sentence when the window reaches past the end of the record, else ''."""
    end = ctx.data.record_end
    if end is None:
        return "The record holds no dated events, so no call is made."
    if ctx.window.end <= end:
        return ""
    ends = f"The record ends on {format_date(end, 'day')}"
    if ctx.window.start > end:
        return f"{ends}, before this period begins; no call is made."
    return (
        f"{ends}, before this period ends on {format_date(ctx.window.end, 'day')}; no call "
        "is made on a period the record covers only in part."
    )


def trend_call(ctx: BriefingContext, threshold: float = NET_THRESHOLD) -> TrendCall:
    """Return the honest call on the focus dyad against the period before, with its reason.

    Parameters
    ----------
    ctx : BriefingContext
        The window, its events and the comparison period's events.
    threshold : float
        Change in net cooperation that counts (see :func:`helpers.analysis.change.change_call`).

    Returns
    -------
    TrendCall
        :data:`NO_CALL` when the window reaches past the record's end,
        :data:`INSUFFICIENT` when nothing between the pair begins in the comparison
        period (:func:`insufficient_reason`), else the
        call of :func:`helpers.analysis.change.change_call` with a reason naming the most senior
        contacts and the events that moved net cooperation most.
    """
    rule = rule_text(ctx, threshold)
    beyond = beyond_record(ctx)
    if beyond:
        return TrendCall(NO_CALL, beyond, rule)
    prev = ctx.previous
    insufficient = insufficient_reason(ctx)
    if insufficient is not None:
        return TrendCall(INSUFFICIENT, insufficient[0], rule, insufficient[1])

    change = change_call(ctx, threshold)
    now_top, then_top = _top_contact(ctx, ctx.events), _top_contact(ctx, ctx.previous_events)
    named: list[str] = []
    if change.level_step > 0:
        level = f"{event_phrase(ctx, now_top)} was more senior, at {level_text(now_top['level'])}"
        level += (
            f" level, than {event_phrase(ctx, then_top)}"
            if then_top is not None
            else " level, than any contact then"
        )
    elif change.level_step < 0:
        level = (
            f"nothing matched {event_phrase(ctx, then_top)}, at "
            f"{level_text(then_top['level'])} level"
        )
        level += "" if now_top is not None else ", as there was no contact at all"
    else:
        level = (
            f"the most senior contact stayed at {level_text(change.now.level)} level"
            if change.now.level
            else "no contact in either period"
        )
    for top in (now_top, then_top):
        if top is not None and change.level_step:
            named.append(top["event_id"])
    delta = round(change.now.net - change.before.net, 1)
    net = f"net cooperation {change.now.net:+.1f} against {change.before.net:+.1f}"
    if change.net_step:
        drivers = _net_drivers(ctx, delta)
        if len(drivers):
            net += ", mostly " + " and ".join(event_phrase(ctx, r) for _, r in drivers.iterrows())
            named += list(drivers["event_id"])
    reason = f"Against {prev.text()}: {level}; {net}."
    return TrendCall(change.call, reason, rule, tuple(dict.fromkeys(named)))
