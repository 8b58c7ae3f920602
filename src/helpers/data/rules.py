"""The package's rules a Table Schema cannot express, table by table.

``end_date`` not before ``date``, dates aligned with their precision, no cycles in
``parent_id``, positions held by top-level stakeholders, judgements that keep their dyad
and cite evidence on the record by their date. :mod:`helpers.data.validation` calls them
after the schema's own checks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import Problem
from .columns import _codes, _dates, _int, _split_lists
from .tables import _TEXT, _mask, _Table, _take


def _check_engagement_rules(table: _Table, problems: list[Problem]) -> None:
    start = _dates(table.column("date"))
    end = _dates(table.column("end_date"))
    rows = np.flatnonzero((end.notna() & start.notna() & (end < start)).to_numpy())
    pairs = zip(table.values("end_date", rows), table.values("date", rows), table.lines(rows))
    for end_value, start_value, line in pairs:
        problems.append(
            Problem(
                table.name,
                f"end_date {end_value} is before date {start_value}",
                line=line,
                column="end_date",
                value=end_value,
            )
        )
    prec = table.column("date_precision")
    known = start.notna().to_numpy()
    day, month = start.dt.day.to_numpy(), start.dt.month.to_numpy()
    misaligned_month = _mask(pc.equal(prec, "month")) & known & (day != 1)
    misaligned_year = _mask(pc.equal(prec, "year")) & known & ((day != 1) | (month != 1))
    for mask, precision, what in (
        (misaligned_month, "month", "the first of its month"),
        (misaligned_year, "year", "1 January of its year"),
    ):
        rows = np.flatnonzero(mask)
        for value, line in zip(table.values("date", rows), table.lines(rows)):
            problems.append(
                Problem(
                    table.name,
                    f"{value!r} has {precision} precision, so it must be {what}",
                    line=line,
                    column="date",
                    value=value,
                )
            )


def _check_engagement_links(table: _Table, problems: list[Problem]) -> None:
    """Check the rules between an engagement's columns.

    An interval has its end, ``level_to`` goes with ``actor_to``, and ``fulfils`` names a
    scheduled event.
    """

    def report(mask, column, message) -> None:
        rows = np.flatnonzero(mask)
        for row, value, line in zip(rows, table.values(column, rows), table.lines(rows)):
            problems.append(
                Problem(table.name, message(row, value), line=line, column=column, value=value)
            )

    def empty(name: str) -> np.ndarray:
        return _mask(pc.equal(table.column(name), ""))

    interval = _mask(pc.equal(table.column("date_precision"), "interval"))
    report(
        interval & empty("end_date"),
        "end_date",
        lambda r, v: (
            "interval precision needs an end_date, the last day the event may have happened on"
        ),
    )
    no_other, no_level = empty("actor_to"), empty("level_to")
    report(
        no_other & ~no_level,
        "level_to",
        lambda r, v: (
            f"{v!r} is given but actor_to is empty; leave level_to empty when "
            "there is no other side"
        ),
    )
    actor_to = table.column("actor_to")
    report(
        ~no_other & no_level,
        "level_to",
        lambda r, v: (
            f"a value is required when actor_to is given ({_take(actor_to, np.array([r]))[0]})"
        ),
    )
    # Only the few rows naming a held event's announcement are looked up, so a bulk feed
    # with none pays nothing.
    rows = np.flatnonzero(~empty("fulfils"))
    if not len(rows):
        return
    named = pc.take(table.column("fulfils"), pa.array(rows))
    target = pc.index_in(named, value_set=table.column("event_id").combine_chunks())
    target = target.fill_null(-1).to_numpy()
    known = target >= 0  # unknown ids are reported by the foreign-key check
    states = np.array(_take(table.column("status"), target[known]), dtype=object)
    wrong = states != "scheduled"
    for row, at, state in zip(rows[known][wrong], target[known][wrong], states[wrong]):
        value = table.values("fulfils", np.array([row]))[0]
        problems.append(
            Problem(
                table.name,
                f"{value!r} (line {table.line(int(at))}) has status {state}; fulfils must "
                "name a scheduled event",
                line=table.line(int(row)),
                column="fulfils",
                value=value,
            )
        )


def _check_actor_rules(table: _Table, problems: list[Problem]) -> None:
    actors = table.column("actor_id").to_pylist()
    parents = table.column("parent_id").to_pylist()
    parent = dict(zip(actors, parents))
    reported: set[str] = set()
    for idx, actor in enumerate(actors):
        seen = [actor]
        node = parent.get(actor, "")
        while node and node in parent:
            if node in seen:
                cycle = seen[seen.index(node) :] + [node]
                if not reported.intersection(cycle):
                    problems.append(
                        Problem(
                            table.name,
                            f"parent_id forms a cycle: {' -> '.join(cycle)}",
                            line=table.line(idx),
                            column="parent_id",
                            value=parents[idx],
                        )
                    )
                    reported.update(cycle)
                break
            seen.append(node)
            node = parent.get(node, "")


def _check_stakeholders(
    table: _Table, column: str, actors: _Table, what: str, problems: list[Problem]
) -> None:
    """Actors in ``column`` must be top-level stakeholders (no ``parent_id``)."""
    ids = actors.column("actor_id").to_pylist()
    parent = dict(zip(ids, actors.column("parent_id").to_pylist()))
    held = pa.array([a for a, p in parent.items() if p], type=_TEXT)
    rows = np.flatnonzero(_mask(pc.is_in(table.column(column), value_set=held)))
    for actor, line in zip(table.values(column, rows), table.lines(rows)):
        problems.append(
            Problem(
                table.name,
                f"{actor!r} acts for {parent[actor]!r}; record {what} for top-level "
                "stakeholders only (actors with no parent_id)",
                line=line,
                column=column,
                value=actor,
            )
        )


def _check_position_rules(positions: _Table, actors: _Table, problems: list[Problem]) -> None:
    _check_stakeholders(positions, "actor_id", actors, "positions", problems)


def _check_judgement_rules(
    judgements: _Table,
    engagements: _Table | None,
    actors: _Table | None,
    problems: list[Problem],
) -> None:
    """Check the judgements' own rules: a fixed dyad of two stakeholders, timely evidence.

    Every version of a judgement keeps its dyad, and its evidence was on the record by
    the judgement's ``as_of``.

    Evidence is "dated after" ``as_of`` when the event's ``date`` (the first day it may
    have happened on) is later: a month-dated event may be cited from the first of its
    month on. Unknown event ids are reported by the foreign-key check, not here.
    """
    if judgements.data.num_rows == 0:
        return
    name = judgements.name
    if actors is not None:
        for column in ("focus", "counterpart"):
            _check_stakeholders(judgements, column, actors, "judgements", problems)
    focus, counterpart = judgements.column("focus"), judgements.column("counterpart")
    same = _mask(pc.equal(focus, counterpart)) & _mask(pc.not_equal(focus, ""))
    rows = np.flatnonzero(same)
    for value, line in zip(judgements.values("counterpart", rows), judgements.lines(rows)):
        problems.append(
            Problem(
                name,
                f"{value!r} is also the focus; a judgement is about two different stakeholders",
                line=line,
                column="counterpart",
                value=value,
            )
        )
    _check_versions_keep_dyad(judgements, problems)
    if engagements is not None:
        _check_evidence_dates(judgements, engagements, problems)


def _check_versions_keep_dyad(judgements: _Table, problems: list[Problem]) -> None:
    """Every version of a judgement (same ``judgement_id``) keeps the first one's dyad."""
    frame = pd.DataFrame(
        {c: _codes(judgements.column(c)) for c in ("judgement_id", "focus", "counterpart")}
    )
    first = frame.index.to_series().groupby(frame["judgement_id"]).transform("min").to_numpy()
    for column in ("focus", "counterpart"):
        codes = frame[column].to_numpy()
        rows = np.flatnonzero(codes != codes[first])
        if not len(rows):
            continue
        firsts = first[rows]  # values are taken in ascending row order, then put back
        order = np.argsort(firsts, kind="stable")
        earlier = np.empty(len(rows), dtype=object)
        earlier[order] = judgements.values(column, firsts[order])
        first_lines = np.empty(len(rows), dtype=object)
        first_lines[order] = judgements.lines(firsts[order])
        found = zip(
            judgements.values(column, rows),
            judgements.values("judgement_id", rows),
            earlier,
            first_lines,
            judgements.lines(rows),
        )
        for value, jid, was, was_line, line in found:
            problems.append(
                Problem(
                    judgements.name,
                    f"{value!r} differs from {was!r}, the {column} of judgement {jid!r} on "
                    f"line {was_line}; every version of a judgement keeps its dyad",
                    line=line,
                    column=column,
                    value=value,
                )
            )


def _check_evidence_dates(judgements: _Table, engagements: _Table, problems: list[Problem]) -> None:
    """Evidence items whose event begins after the judgement's ``as_of``."""
    s = judgements.column("evidence")
    present = _mask(pc.not_equal(s, ""))
    items, rows, counted = _split_lists(s, ";", present)
    # The cited events only: judgements are few, the record may be a million events.
    ids = engagements.column("event_id")
    hits = np.flatnonzero(_mask(pc.is_in(ids, value_set=pc.unique(items))))
    cited_ids = pa.array(engagements.values("event_id", hits), type=_TEXT)
    cited_days = pa.array(engagements.values("date", hits), type=_TEXT)
    where = _int(pc.fill_null(pc.index_in(items, value_set=cited_ids), -1))
    known = counted & (where >= 0)
    event_day = _dates(pa.chunked_array([cited_days])).to_numpy()
    as_of = _dates(judgements.column("as_of")).to_numpy()
    cited = np.where(known, event_day[np.maximum(where, 0)], np.datetime64("NaT"))
    stated = as_of[rows]
    bad = known & ~np.isnat(cited) & ~np.isnat(stated) & (cited > stated)
    which = np.flatnonzero(bad)
    if not len(which):
        return
    bad_items = _take(items, which)
    bad_rows = rows[which]
    dated = dict(zip(cited_ids.to_pylist(), cited_days.to_pylist()))
    pairs = zip(
        bad_items,
        judgements.values("evidence", bad_rows),
        judgements.values("as_of", bad_rows),
        judgements.lines(bad_rows),
    )
    for item, value, stated_day, line in pairs:
        problems.append(
            Problem(
                judgements.name,
                f"{item!r} is dated {dated[item]} in {engagements.name}, after as_of "
                f"{stated_day}; a judgement can rest only on events on the record by then",
                line=line,
                column="evidence",
                value=value,
            )
        )
