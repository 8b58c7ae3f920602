"""Alignment: who moved toward or away from engagement, and who stayed silent."""

from __future__ import annotations

import pandas as pd

from ..data.context import BriefingContext
from ..data.periods import format_date
from .network import counted_events, dyads, stakeholder_order
from .positions import current_positions
from .text import NAMES_LIMIT, _join_names, _of_them, plural, signed

# --------------------------------------------------------------------------- alignment


def counterpart_engagement(ctx: BriefingContext) -> pd.DataFrame:
    """Who had events with the focus's counterpart, most first.

    Returns
    -------
    DataFrame
        Columns ``stakeholder``, ``name``, ``events`` (counted events between it and
        ``ctx.counterpart``, either direction), ``contacts``, ``statements``. Sorted by events, then
        contacts (most first), then display order; only stakeholders with at least one
        such event.
    """
    edges = dyads(ctx)
    cp = ctx.counterpart
    mine = edges[(edges["a"] == cp) | (edges["b"] == cp)]
    rows = [
        {
            "stakeholder": e.b if e.a == cp else e.a,
            "name": e.b_name if e.a == cp else e.a_name,
            "events": int(e.events),
            "contacts": int(e.contacts),
            "statements": int(e.statements),
        }
        for e in mine.itertuples(index=False)
    ]
    out = pd.DataFrame(rows, columns=["stakeholder", "name", "events", "contacts", "statements"])
    rank = {s: i for i, s in enumerate(stakeholder_order(ctx))}
    out["_r"] = out["stakeholder"].map(rank)
    out = out.sort_values(["events", "contacts", "_r"], ascending=[False, False, True])
    return out.drop(columns="_r").reset_index(drop=True)


def stance_moves(ctx: BriefingContext) -> pd.DataFrame:
    """Stakeholders whose stance changed between their last two positions (as of the end).

    Returns
    -------
    DataFrame
        The rows of :func:`current_positions` with a non-zero ``stance_change``, plus
        ``direction``: "toward" (stance rose, toward engagement) or "away".
    """
    pos = current_positions(ctx)
    moved = pos[pos["stance_change"].fillna(0) != 0].copy()
    moved["direction"] = ["toward" if c > 0 else "away" for c in moved["stance_change"]]
    return moved.reset_index(drop=True)


def _move_text(m) -> str:
    when = f"{format_date(m.prev_as_of, 'day')} → {format_date(m.as_of, 'day')}"
    text = f"{m.name} (stance {signed(m.prev_stance)} → {signed(m.stance)}, {when}"
    if not m.moved_in_window:
        text += ", before this period"
    return text + ")"


def _one_way_text(e) -> str:
    if e.relation == "statements both ways":
        return f"{e.a_name} ↔ {e.b_name}, statements both ways"
    src, dst = (e.a_name, e.b_name) if e.a_to_b else (e.b_name, e.a_name)
    return f"{src} → {dst}, {e.types}"


def alignment_summary(ctx: BriefingContext) -> list[str]:
    """Write a few sentences on alignment in the window, generated from the data.

    In order: who engaged the counterpart most (events with it, either direction); who
    moved toward or away from engagement (stance change between the previous recorded
    position and the latest as of the window's end); which relationships were one-way
    (see :func:`dyads`); and which stakeholders have positions but no events.

    Returns
    -------
    list of str
        Plain sentences; the notebook escapes them on display.
    """
    return [
        *_engagement_sentences(ctx),
        *_move_sentences(ctx),
        *_one_way_sentences(ctx),
        *_silent_sentences(ctx),
    ]


def _engagement_sentences(ctx: BriefingContext) -> list[str]:
    """Say who engaged the counterpart most, then the next few, or that nobody did.

    Stakeholders that only exchanged statements about each other with the counterpart
    (a condemnation of attackers) did not engage it: they are named apart, after.
    """
    cp_name = ctx.name(ctx.counterpart)
    if counted_events(ctx).empty:
        return [
            f"No events were recorded in this period ({ctx.window.label()}), "
            "so there are no interactions to summarise."
        ]
    everyone = counterpart_engagement(ctx)
    if everyone.empty:
        return [f"No stakeholder had events with {cp_name} in this period."]
    talk = everyone["statements"] == everyone["events"]
    eng, talked = everyone[~talk], everyone[talk]
    said = ""
    if len(talked):
        said = (
            " Statements about the other only, not engagement: "
            + _join_names([f"{r.name} ({r.events})" for r in talked.itertuples(index=False)])
            + "."
        )
    if eng.empty:
        return [f"No stakeholder had contacts or other acts with {cp_name} in this period.{said}"]
    best = int(eng["events"].iloc[0])
    leaders = eng[eng["events"] == best]
    rest = eng[eng["events"] < best]
    if len(leaders) == 1:
        lead = leaders.iloc[0]
        text = (
            f"{lead['name']} engaged {cp_name} most: "
            f"{plural(best, 'event')} with it, {_of_them(int(lead['contacts']))}."
        )
    else:
        text = (
            f"{_join_names(list(leaders['name']))} engaged {cp_name} most, "
            f"with {plural(best, 'event')} each."
        )
    if len(rest):
        shown = [f"{r.name} ({r.events})" for r in rest.head(4).itertuples(index=False)]
        if len(rest) > 4:
            shown.append(f"{len(rest) - 4} others")
        text += " Then " + _join_names(shown) + "."
    return [text + said]


def _move_sentences(ctx: BriefingContext) -> list[str]:
    """Name who moved toward and who away from engagement, or say no stance changed."""
    moves = stance_moves(ctx)
    if moves.empty:
        return [
            f"No stakeholder's recorded stance changed as of {format_date(ctx.window.end, 'day')}."
        ]
    out = []
    for direction in ("toward", "away"):
        moved = moves[moves["direction"] == direction]
        if len(moved):
            out.append(
                f"Moved {'toward' if direction == 'toward' else 'away from'} engagement: "
                + _join_names([_move_text(m) for m in moved.itertuples(index=False)], NAMES_LIMIT)
                + "."
            )
    return out


def _one_way_sentences(ctx: BriefingContext) -> list[str]:
    """List the one-way relationships (see :func:`dyads`), if any pair is linked at all."""
    edges = dyads(ctx)
    if not len(edges):
        return []
    one_way = edges[edges["one_way"]]
    if not len(one_way):
        return ["Every linked pair also had direct contact in this period."]
    return [
        "One-way relationships, with no meeting, phone call, visit, agreement, "
        "recognition or accreditation "
        "between the two: "
        + "; ".join(_one_way_text(e) for e in one_way.head(NAMES_LIMIT).itertuples(index=False))
        + (
            f"; and {plural(len(one_way) - NAMES_LIMIT, 'more pair')}"
            if len(one_way) > NAMES_LIMIT
            else ""
        )
        + "."
    ]


def _silent_sentences(ctx: BriefingContext) -> list[str]:
    """Name the stakeholders with a recorded position but no events in the window."""
    pos = current_positions(ctx)
    silent = pos[pos["events"] == 0]
    if not len(silent):
        return []
    verb = "has a recorded position" if len(silent) == 1 else "have recorded positions"
    names = _join_names(list(silent["name"]), NAMES_LIMIT)
    return [f"{names} {verb} but no events in this period."]
