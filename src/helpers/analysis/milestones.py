"""Curated milestones checked against the record's "highest-level contact since"."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..data.context import BriefingContext
from ..data.periods import format_date
from .events import describe_events, significant
from .names import MONTH_WORDS, NUMBER_WORDS, in_focus_dyad, relationship_label
from .seniority import history_of


def claimed_since(text: str, event_date: pd.Timestamp) -> tuple[pd.Timestamp | None, str]:
    """Read the date a curated milestone claims to reach back to, and its precision.

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
    """Compare two dates at ``precision`` ('month' or 'year'): (a equals b, a before b)."""
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
    table["relationship_label"] = [relationship_label(ctx, k) for k in table["relationship"]]
    checked = [_check_milestone(ctx, r, hist) for _, r in table.iterrows()]
    table["computed"] = [c[0] for c in checked]
    table["verdict"] = [c[1] for c in checked]
    table["explanation"] = [c[2] for c in checked]
    return table[cols].reset_index(drop=True)


def _check_milestone(ctx: BriefingContext, r: pd.Series, hist: pd.DataFrame) -> tuple[str, ...]:
    """Check one milestone row ``r`` against its contact history ``hist`` (by event id).

    Returns ``(computed, verdict, explanation)`` as :func:`milestone_checks` lists them.
    """
    start = ctx.data.record_start
    quote = f"The curated milestone for {r['date_text']} ({r['actors']}) says '{r['milestone']}'"
    if r["event_id"] not in hist.index:
        return (
            "not a contact (meeting, call, visit, agreement, recognition or accreditation "
            "that took place)",
            "not checked",
            f"{quote}; it is not a contact, so the record does not test it.",
        )
    h = hist.loc[r["event_id"]]
    found = f"the highest-level {r['relationship_label']} contact {h['since_text']}"
    claim, precision = claimed_since(r["milestone"], r["date"])
    if claim is None:
        return (
            found,
            "not checked",
            f"{quote}; it gives no date to compare. Computed from the record: {found}.",
        )
    claim_text = format_date(claim, precision)
    if h["since_id"]:
        ref, ref_text = h["since_date"], format_date(h["since_date"], h["since_precision"])
    else:
        first = ctx.data.first_date
        ref, ref_text = first, start
    same, earlier = _same_or_before(claim, ref, precision)
    if same:
        return found, "agrees", f"{quote}; the record agrees: {found}."
    if earlier and not h["since_id"]:
        return (
            found,
            "differs",
            f"{quote}, reaching back to {claim_text}; but the record only begins in "
            f"{start}, so it cannot confirm that. Computed from the record: {found}.",
        )
    if earlier:
        return (
            found,
            "differs",
            f"{quote}, reaching back to {claim_text}; but the record has a contact at "
            f"the same or a higher level in {ref_text}. Computed: {found}.",
        )
    return (
        found,
        "differs",
        f"{quote}, reaching back to {claim_text}; the record finds no contact at "
        f"that level for longer, since {ref_text}. Computed: {found}.",
    )


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
