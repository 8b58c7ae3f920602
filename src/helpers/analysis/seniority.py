"""Seniority: level of contact month by month, and the highest-level contact since.

The curated milestones are checked against it in :mod:`helpers.analysis.milestones`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.context import BriefingContext
from ..data.dataset import LEVELS
from ..data.periods import format_date
from .events import describe_events
from .memo import per_context
from .names import (
    _pair_mask,
    contacts,
    focus_key,
    in_focus_dyad,
    level_text,
    month_label,
    months_in_window,
    record_start,
    relationship_label,
    relationships,
    short_name,
    type_text,
    window_months,
)
from .text import _join_names
from .trend import event_phrase

# ---------------------------------------------------------------------------
# Seniority: level of contact month by month, and "highest-level contact since"
# ---------------------------------------------------------------------------


HISTORY_COLUMNS = [
    "event_id",
    "relationship",
    "date",
    "date_precision",
    "level",
    "level_rank",
    "since_id",
    "since_date",
    "since_precision",
    "since_text",
    "uncertain",
]
"""Columns of :func:`contact_history`."""


def contact_history(
    engagements: pd.DataFrame,
    focus: str,
    counterpart: str,
    event_ids=None,
    start: str | None = None,
) -> pd.DataFrame:
    """For contacts, the last earlier contact at the same or a higher level.

    Contacts are compared within their own relationship. Contact B is earlier than A
    only when B's whole uncertain interval ends before A's first possible day; contacts
    whose intervals overlap cannot be ordered and are listed in ``uncertain`` instead.
    Among several earlier contacts the one with the latest start wins, then the later
    end, then the first in date order (date, then event id).

    Only the relationships asked for are computed: by default the focus dyad's, the one
    every briefing reports; with ``event_ids``, the relationships of those contacts
    (a curated milestone may belong to another pair). The work is sorting and binary
    search, once per level (there are six), so a relationship of a hundred thousand
    contacts costs well under a second.

    Parameters
    ----------
    engagements : DataFrame
        Engagements holding every contact of the relationships asked for, of any date,
        not just one window: "since" looks back to the start of the record. Other rows
        are ignored.
    focus, counterpart : str
        The focus dyad; they also fix the order inside relationship keys.
    event_ids : collection of str, optional
        Return rows (and work out ``uncertain``) only for these contacts, e.g. the
        window's; each is compared with every contact of its relationship in
        ``engagements``. Ids that are not contacts are ignored. By default every contact
        of the focus dyad; in a dense record their ``uncertain`` lists alone run to
        millions of ids (a year-precision contact overlaps every contact of its year),
        so callers pass the contacts they report.

    Returns
    -------
    DataFrame
        One row per contact, in date order (then event id), with the
        :data:`HISTORY_COLUMNS`: ``event_id``, ``relationship``, ``date``,
        ``date_precision``, ``level``, ``level_rank``, ``since_id``, ``since_date``,
        ``since_precision`` (empty / NaT when no earlier contact at that level),
        ``since_text`` ('since January 2025' or 'since the record begins in
        August 2021') and ``uncertain`` (tuple of event ids, in date order).
    """
    if start is None:
        start = record_start(engagements)
    asked = None if event_ids is None else set(event_ids)
    ev = _relationship_contacts(engagements, focus, counterpart, asked)
    parts = []
    for _, rel in ev.groupby("relationship", sort=False):
        rel = rel.reset_index(drop=True)
        query = np.arange(len(rel))
        if asked is not None:
            query = np.flatnonzero(rel["event_id"].isin(asked).to_numpy())
        if len(query):
            parts.append(_history(rel, query, start))
    if not parts:
        return _history(ev, np.arange(0), start)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


def _relationship_contacts(
    engagements: pd.DataFrame, focus: str, counterpart: str, asked: set[str] | None
) -> pd.DataFrame:
    """Select every contact of the relationships asked for, in date order, with its key.

    The relationships are the focus dyad's when ``asked`` is None, else those of the
    contacts whose ids are in ``asked``.
    """
    # Masks first and one narrow copy of the rows kept: the record may be a million rows.
    touch = contacts(engagements).to_numpy()
    if asked is None:
        pairs = {(focus, counterpart)}
    else:
        wanted = engagements[touch & engagements["event_id"].isin(asked).to_numpy()]
        pairs = set(zip(wanted["from_stakeholder"], wanted["to_stakeholder"]))
        # One stakeholder alone, with no other party or with itself: one relationship.
        pairs |= {(a, x) for a, b in pairs if b in ("", a) for x in ("", a)}
    if len(pairs) == 1:
        keep = _pair_mask(engagements, *next(iter(pairs))).to_numpy()
    else:  # one pass over the record for all the pairs asked for
        sides = pd.MultiIndex.from_arrays(
            [engagements["from_stakeholder"], engagements["to_stakeholder"]]
        )
        keep = sides.isin([*pairs, *((b, a) for a, b in pairs)])
    cols = ["event_id", "date", "date_precision", "end_date", "interval_end", "level"]
    cols += ["level_rank", "from_stakeholder", "to_stakeholder"]
    ev = engagements.loc[keep & touch, cols]
    ev = ev.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    ev["relationship"] = relationships(ev, focus, counterpart)
    return ev


def _history(ev: pd.DataFrame, query: np.ndarray, start: str) -> pd.DataFrame:
    """Compute :func:`contact_history` rows for the ``query`` positions of ``ev``.

    ``ev`` holds one relationship's contacts in date order.
    """
    first = ev["date"].to_numpy().astype("datetime64[ns]").astype(np.int64)
    last = ev["interval_end"].to_numpy().astype("datetime64[ns]").astype(np.int64)
    rank = ev["level_rank"].to_numpy().astype(int)
    since = _latest_earlier(first, last, rank, query)
    found = since >= 0
    pick = since[found]
    cols = ["event_id", "relationship", "date", "date_precision", "level", "level_rank"]
    out = ev.iloc[query][cols].reset_index(drop=True)
    since_id = np.full(len(query), "", dtype=object)
    since_id[found] = ev["event_id"].to_numpy()[pick]
    since_prec = np.full(len(query), "", dtype=object)
    since_prec[found] = ev["date_precision"].to_numpy()[pick]
    since_date = pd.Series(pd.NaT, index=out.index, dtype=ev["date"].dtype)
    since_date[found] = ev["date"].to_numpy()[pick]
    since_end = ev["interval_end"].to_numpy()[pick]
    text = np.full(len(query), f"since the record begins in {start}", dtype=object)
    text[found] = [
        f"since {'a contact ' if p == 'interval' else ''}{format_date(d, p, e)}"
        for d, p, e in zip(since_date[found], since_prec[found], since_end)
    ]
    out["since_id"] = since_id
    out["since_date"] = since_date
    out["since_precision"] = since_prec
    out["since_text"] = text
    ids = ev["event_id"].to_numpy()
    out["uncertain"] = [tuple(ids[k]) for k in _overlapping(ev, first, last, rank, query)]
    return out[HISTORY_COLUMNS]


def _latest_earlier(first, last, rank, query) -> np.ndarray:
    """Position of the latest earlier contact at the same or a higher level, -1 if none.

    For each level, contacts are sorted by the end of their interval; a running maximum
    of their order by (start, end, then first in date order) gives, for any day, the
    latest contact that ended before it, found with one binary search.
    """
    n = len(first)
    pos = np.arange(n)
    order_key = np.empty(n, dtype=np.int64)
    order_key[np.lexsort((-pos, last, first))] = pos
    by_key = np.empty(n, dtype=np.int64)
    by_key[order_key] = pos
    best = np.full(len(query), -1, dtype=np.int64)
    for level in np.unique(rank):
        members = np.flatnonzero(rank == level)
        members = members[np.argsort(last[members], kind="stable")]
        running = np.maximum.accumulate(order_key[members])
        ended = np.searchsorted(last[members], first[query], side="left")
        ok = (rank[query] >= level) & (ended > 0)
        best = np.where(ok, np.maximum(best, running[np.maximum(ended - 1, 0)]), best)
    return np.where(best >= 0, by_key[np.maximum(best, 0)], -1)


def _overlapping(ev: pd.DataFrame, first, last, rank, query) -> list[np.ndarray]:
    """Find, for each queried contact, the contacts at its level or higher that overlap it.

    Each array holds positions (in date order) of the other contacts at the same or a
    higher level whose intervals overlap the queried one's.

    Within one date precision an interval's end grows with its start (a day, a calendar
    month, a calendar year), so the overlapping ones of each precision and level are one
    run of the sorted contacts, found by binary search; spans (with an end date) are
    compared one by one, and are few.
    """
    span = ev["end_date"].notna().to_numpy()
    precision = ev["date_precision"].to_numpy()
    q_first, q_last, q_rank = first[query], last[query], rank[query]
    hits_q, hits_k = [], []
    groups = []
    for prec in pd.unique(precision[~span]):
        for level in np.unique(rank):
            members = np.flatnonzero(~span & (precision == prec) & (rank == level))
            if len(members):
                groups.append(members)
    brute = [np.flatnonzero(span)]
    for members in groups:
        if np.any(np.diff(last[members]) < 0):
            brute.append(members)
            continue
        lo = np.searchsorted(last[members], q_first, side="left")
        hi = np.searchsorted(first[members], q_last, side="right")
        hi = np.where(rank[members[0]] <= q_rank, np.maximum(hi, lo), lo)
        count = hi - lo
        total = int(count.sum())
        if total:
            offsets = np.repeat(lo - np.cumsum(count) + count, count)
            hits_k.append(members[offsets + np.arange(total)])
            hits_q.append(np.repeat(np.arange(len(query)), count))
    for members in brute:
        for chunk in range(0, len(query), 2048):
            qs = np.arange(chunk, min(chunk + 2048, len(query)))
            hit = (
                (rank[members][None, :] <= q_rank[qs][:, None])
                & (first[members][None, :] <= q_last[qs][:, None])
                & (last[members][None, :] >= q_first[qs][:, None])
            )
            qi, ki = np.nonzero(hit)
            hits_q.append(qs[qi])
            hits_k.append(members[ki])
    if not hits_q:
        return [np.empty(0, dtype=np.int64)] * len(query)
    hq, hk = np.concatenate(hits_q), np.concatenate(hits_k)
    keep = hk != query[hq]
    hq, hk = hq[keep], hk[keep]
    order = np.lexsort((hk, hq))
    hq, hk = hq[order], hk[order]
    bounds = np.searchsorted(hq, np.arange(len(query) + 1))
    return [hk[bounds[i] : bounds[i + 1]] for i in range(len(query))]


def seniority_by_month(ctx: BriefingContext) -> pd.DataFrame:
    """Most senior level of focus-dyad contact in each month of the window.

    Returns
    -------
    DataFrame
        One row per month the window touches: ``month`` (Period), ``month_label``,
        ``contacts`` (number of contacts dated to that month), ``level`` (the most
        senior level, '' when there was no contact) and ``level_rank`` (0 = leader;
        missing when there was no contact).
    """
    ev = ctx.events[contacts(ctx.events) & in_focus_dyad(ctx.events, ctx)]
    ev = ev.assign(month=months_in_window(ev, ctx.window)).dropna(subset=["month"])
    months = window_months(ctx.window)
    grouped = ev.groupby("month")
    n = grouped.size().reindex(months, fill_value=0)
    top = grouped["level_rank"].min().reindex(months)
    return pd.DataFrame(
        {
            "month": months,
            "month_label": [month_label(m) for m in months],
            "contacts": n.to_numpy().astype(int),
            "level": [LEVELS[int(r)] if pd.notna(r) else "" for r in top],
            "level_rank": top.to_numpy(),
        }
    )


def history_of(ctx: BriefingContext, event_ids) -> pd.DataFrame:
    """Compute :func:`contact_history` of the given window events.

    "Since" is measured against everything the context's data holds: its contact record
    and the record's start.
    """
    return contact_history(
        ctx.data.contact_record, ctx.focus, ctx.counterpart, event_ids, start=ctx.data.record_start
    )


@per_context
def window_contacts(ctx: BriefingContext) -> pd.DataFrame:
    """Return the window's focus-dyad contacts with their computed "since" text.

    Returns
    -------
    DataFrame
        :func:`event_table` rows of the contacts (numbered as in the full, unabridged
        table), with ``since_text``, ``since_id``, ``since_date`` and ``uncertain`` from
        :func:`contact_history`, and ``finding``: 'highest-level India – Afghanistan
        contact since ...'.
    """
    mask = (contacts(ctx.events) & in_focus_dyad(ctx.events, ctx)).to_numpy()
    table = describe_events(ctx, ctx.events[mask])
    table["key"] = np.flatnonzero(mask) + 1
    hist = history_of(ctx, table["event_id"])
    hist = hist[["event_id", "since_id", "since_text", "since_date", "uncertain"]]
    out = table.merge(hist, on="event_id", how="left")
    label = relationship_label(ctx, focus_key(ctx))
    out["finding"] = [
        _finding(ctx, label, lvl, since, unc)
        for lvl, since, unc in zip(out["level"], out["since_text"], out["uncertain"])
    ]
    return out.reset_index(drop=True)


UNCERTAIN_NAMES = 3
"""Most event ids a finding names as of unknown order; the rest are counted."""


def _finding(ctx: BriefingContext, label: str, level: str, since: str, uncertain) -> str:
    text = f"{level_text(level)}-level: the highest-level {label} contact {since}"
    if uncertain:
        names = ", ".join(uncertain[:UNCERTAIN_NAMES])
        if len(uncertain) > UNCERTAIN_NAMES:
            names += f" and {len(uncertain) - UNCERTAIN_NAMES:,} others"
        text += f" (its order against {names}, dated to the same interval, is not known)"
    return text


CONTACT_LIST_LIMIT = 15
"""Most focus-dyad contacts the seniority table lists."""


def listed_contacts(contacts: pd.DataFrame, limit: int = CONTACT_LIST_LIMIT) -> pd.DataFrame:
    """Choose the rows of :func:`window_contacts` a document lists, in date order.

    All of them, or the ``limit`` most senior (then those with no earlier contact at
    their level, then the oldest "since", then the earliest).
    """
    if len(contacts) <= limit:
        return contacts
    ranked = contacts.assign(_has=contacts["since_id"] != "")
    ranked = ranked.sort_values(["level_rank", "_has", "since_date", "date", "event_id"])
    return contacts.loc[ranked.index[:limit]].sort_index()


def contacts_note(ctx: BriefingContext, contacts: pd.DataFrame, listed: pd.DataFrame) -> str:
    """Say how many of the window's contacts :func:`listed_contacts` leaves out.

    Returns '' when none is left out.
    """
    more = len(contacts) - len(listed)
    if more <= 0:
        return ""
    return (
        f"The table lists the {len(listed)} most senior of the period's {len(contacts):,} "
        f"{relationship_label(ctx, focus_key(ctx))} contacts; the other {more:,} are "
        "counted in the chart above."
    )


@dataclass(frozen=True)
class HighestContact:
    """The most senior focus-dyad contact of a window and what the record says of it."""

    event_id: str
    level: str
    date_text: str
    actors: str
    type_text: str
    since_text: str
    """'since January 2025' or 'since the record begins in August 2021'."""
    sentence: str
    """A full sentence for the briefing."""
    curated: str
    """The curated ``milestone`` text of the event ('' if none)."""


def highest_contact(ctx: BriefingContext) -> HighestContact | None:
    """Find the window's most senior focus-dyad contact, with its computed "since" text.

    The "since" is computed from the record (see :func:`contact_history`), never read
    from the curated ``milestone`` column. Among contacts at the same level the one with
    the longest gap since an equal or higher contact wins, then the earlier one.

    Returns
    -------
    HighestContact or None
        None when the focus dyad had no contact in the window.
    """
    rows = window_contacts(ctx)
    if rows.empty:
        return None
    # No earlier contact at that level (the longest gap) first, then the oldest "since".
    rows = rows.assign(_has=rows["since_id"] != "", _since=rows["since_date"])
    best = rows.sort_values(["level_rank", "_has", "_since", "date"]).iloc[0]
    label = relationship_label(ctx, focus_key(ctx))
    sentence = (
        f"The most senior {label} contact of the period was the {level_text(best['level'])}"
        f"-level {type_text(best['event_type'])} of {best['date_text']} "
        f"({best['actors']}): the highest-level contact between them {best['since_text']}."
    )
    return HighestContact(
        event_id=best["event_id"],
        level=best["level"],
        date_text=best["date_text"],
        actors=best["actors"],
        type_text=best["type_text"],
        since_text=best["since_text"],
        sentence=sentence,
        curated=best["milestone"],
    )


def highest_contact_sentence(ctx: BriefingContext, limit: int = 3) -> str:
    """:attr:`HighestContact.sentence`, or a sentence saying there was no contact.

    A contact of the two dated too loosely to place in the period, that may still fall
    in it (China's acceptance of the Taliban's ambassador, some February of 2022-2025),
    is named, up to ``limit`` of them: never a bare "no contact" beside it.
    """
    best = highest_contact(ctx)
    if best is not None:
        return best.sentence
    kinds = "meeting, call, visit, agreement, recognition or accreditation"
    pair = f"{short_name(ctx, ctx.focus)} and {short_name(ctx, ctx.counterpart)}"
    loose = ctx.loose[contacts(ctx.loose) & in_focus_dyad(ctx.loose, ctx)]
    if loose.empty:
        return f"No contact ({kinds}) between {pair} is recorded for {ctx.window.label()}."
    named = [event_phrase(ctx, r) for _, r in loose.sort_values(["date", "event_id"]).iterrows()]
    n = len(named)
    return (
        f"No contact ({kinds}) between {pair} can be placed in {ctx.window.label()}, but "
        f"{'one is' if n == 1 else f'{n} are'} dated too loosely to rule out: "
        f"{_join_names(named, limit, 'other')}."
    )


CONTACT_COLUMNS = {
    "key": "#",
    "date_text": "Date",
    "actors": "Actors",
    "type_text": "Type",
    "level_text": "Level",
    "since_text": "Highest level of contact",
}
"""Columns of :func:`window_contacts` for display, and their headers."""
