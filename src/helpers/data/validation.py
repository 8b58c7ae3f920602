"""Validation of the engagement data package against ``data/datapackage.json``.

The Table Schema in ``datapackage.json`` is the one source of truth for columns, types,
enumerations, keys and foreign keys; this module reads it and checks every rule, plus the
few rules a Table Schema cannot express (``end_date`` not before ``date``, dates aligned
with their precision, no cycles in ``parent_id``, positions held by top-level
stakeholders, semicolon lists whose items must be known).

Every problem names the file, the line as numbered in the file (header = line 1), the
column and the offending value. Tables are read by pyarrow into Arrow text columns, which
the returned frames share, and checked with whole-column Arrow and numpy operations (a
value's own judgement, e.g. whether it is a calendar date, is made once per distinct
value), so that a million rows validate in seconds. Line numbers are counted only for
rows with a problem, and exactly, even when quoted fields span lines.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataValidationError as DataValidationError  # re-exported
from ..errors import Problem
from .tables import (
    _TEXT,
    DATE_FORM,
    TableSchema,
    _mask,
    _read_csv,
    _read_parquet,
    _Table,
    _take,
    read_schema,
)


def _describe_list(values) -> str:
    return ", ".join(str(v) for v in values)


def _by_value(col: pa.ChunkedArray, where: np.ndarray, test) -> np.ndarray:
    """Where ``test`` holds, among the rows ``where`` selects (False elsewhere).

    ``test`` takes the distinct values as a Series of Python strings and returns a boolean
    per value, so pandas and ``re`` judge each value as they would in a Python loop, once
    per distinct value rather than once per row.
    """
    out = np.zeros(len(col), dtype=bool)
    if not where.any():
        return out
    picked = col if where.all() else col.filter(pa.array(where))
    distinct = pc.unique(picked)
    holds = np.asarray(test(pd.Series(distinct.to_pylist(), dtype=object)), dtype=bool)
    if holds.all():
        out[where] = True
    elif holds.any():
        out[where] = _mask(pc.is_in(picked, value_set=distinct.filter(pa.array(holds))))
    return out


# Patterns in which RE2 (pyarrow) accepts no string that Python's re rejects: literals,
# groups, alternation, quantifiers, classes without POSIX names, and the escapes \d \w \s
# only outside negated classes (RE2's are ASCII, Python's Unicode). RE2 then settles the
# matching values and Python's re judges only the rest; any other pattern goes to re.
_RE2_SAFE = re.compile(
    r"(?:[^\\\[(]|\((?!\?)|\(\?:|\\[dws.\-+*?()\[\]{}|^$\\/]"
    r"|\[(?!\^)(?:[^\]\\\[]|\\[dws.\-\]\\^])+\]|\[\^[^\]\\\[]+\])*"
)


def _fullmatch(col: pa.ChunkedArray, pattern: str) -> np.ndarray:
    """Whether each value matches ``pattern`` in full, exactly as ``re.fullmatch`` says."""
    regex = re.compile(pattern)
    ok = np.zeros(len(col), dtype=bool)
    if _RE2_SAFE.fullmatch(pattern) and "{," not in pattern:
        try:
            ok = _mask(pc.match_substring_regex(col, f"^(?:{pattern})$"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    return ok | _by_value(col, ~ok, lambda v: v.map(lambda x: regex.fullmatch(x) is not None))


def _fullmatch_distinct(col: pa.ChunkedArray, pattern: str) -> np.ndarray:
    """:func:`_fullmatch`, judging each distinct value once (for repetitive columns)."""
    distinct = pc.unique(col)
    ok = _fullmatch(pa.chunked_array([distinct]), pattern)
    return _mask(pc.is_in(col, value_set=distinct.filter(pa.array(ok))))


def _split_lists(col: pa.ChunkedArray, sep: str, present: np.ndarray):
    """The items of semicolon lists: items, the row of each, and which count (non-empty rows)."""
    lists = pc.split_pattern(col, sep)
    items = pc.list_flatten(lists)
    counts = _int(pc.list_value_length(lists))
    rows = np.repeat(np.arange(len(col)), counts)
    return items, rows, present[rows]


def _int(values) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.int64)


def _report_items(
    table: _Table,
    column: str,
    items: pa.ChunkedArray,
    rows: np.ndarray,
    bad: np.ndarray,
    make_message,
    problems: list[Problem],
) -> None:
    """One problem per bad list item, in row order and then item order."""
    which = np.flatnonzero(bad)
    if not len(which):
        return
    bad_items = _take(items, which)
    bad_rows = rows[which]
    values = table.values(column, bad_rows)
    for item, value, line in zip(bad_items, values, table.lines(bad_rows)):
        problems.append(
            Problem(table.name, make_message(item), line=line, column=column, value=value)
        )


def _check_fields(table: _Table, schema: TableSchema, problems: list[Problem]) -> None:
    fname = table.name

    def report(mask: np.ndarray, column: str, make_message) -> None:
        rows = np.flatnonzero(mask)
        if not len(rows):
            return
        for value, line in zip(table.values(column, rows), table.lines(rows)):
            problems.append(
                Problem(fname, make_message(value), line=line, column=column, value=value)
            )

    for spec in schema.fields:
        col = spec["name"]
        s = table.column(col)
        cons = spec.get("constraints", {})
        present = _mask(pc.not_equal(s, ""))
        if cons.get("required"):
            report(~present, col, lambda v: "a value is required but the cell is empty")
        kind = spec.get("type", "string")
        if kind == "date":
            form_ok = _fullmatch(s, DATE_FORM.pattern)
            report(present & ~form_ok, col, lambda v: f"{v!r} is not a date in the form YYYY-MM-DD")
            unreal = _by_value(
                s,
                present & form_ok,
                lambda v: pd.to_datetime(v, format="%Y-%m-%d", errors="coerce").isna(),
            )
            report(unreal, col, lambda v: f"{v!r} is not a real calendar date")
        if kind == "integer":
            ok = _fullmatch(s, r"[+-]?\d+")
            report(present & ~ok, col, lambda v: f"{v!r} is not a whole number")
            numeric = present & ok
        elif kind == "number":
            nan = _by_value(s, present, lambda v: pd.to_numeric(v, errors="coerce").isna())
            report(nan, col, lambda v: f"{v!r} is not a number")
            numeric = present & ~nan
        else:
            numeric = None
        _check_lengths(s, present, cons, col, report)
        lo, hi = cons.get("minimum"), cons.get("maximum")
        if numeric is not None and (lo is not None or hi is not None):
            lo_ = lo if lo is not None else float("-inf")
            hi_ = hi if hi is not None else float("inf")

            def outside(v, lo_=lo_, hi_=hi_):
                numbers = pd.to_numeric(v, errors="coerce")
                return numbers.notna() & ((numbers < lo_) | (numbers > hi_))

            report(
                _by_value(s, numeric, outside),
                col,
                lambda v, a=lo, b=hi: f"{v!r} is out of range: must be from {a} to {b}",
            )
        if "enum" in cons:
            allowed = [str(x) for x in cons["enum"]]
            bad = present & ~_mask(pc.is_in(s, value_set=pa.array(allowed, type=_TEXT)))
            report(bad, col, lambda v, a=allowed: f"{v!r} is not one of: {_describe_list(a)}")
        sep = spec.get("x-list-separator")
        listed = np.zeros(len(s), dtype=bool)  # rows already reported item by item
        if sep and "x-list-enum" in spec:
            vocabulary = _describe_list(spec["x-list-enum"])
            allowed = pa.array([str(x) for x in spec["x-list-enum"]], type=_TEXT)
            items, rows, counted = _split_lists(s, sep, present)
            bad = counted & ~_mask(pc.is_in(items, value_set=allowed))
            listed[rows[bad]] = True
            _report_items(
                table,
                col,
                items,
                rows,
                bad,
                lambda item, v=vocabulary: f"{item!r} is not in the vocabulary: {v}",
                problems,
            )
        if "pattern" in cons:
            # A list whose items were named above needs no second message for its form.
            # Lists from a vocabulary repeat: each distinct one is matched once.
            match = _fullmatch_distinct if "x-list-enum" in spec else _fullmatch
            bad = present & ~listed & ~match(s, cons["pattern"])
            hint = spec.get("x-form") or spec.get("description", "")
            report(bad, col, lambda v, h=hint: f"{v!r} is not in the expected form: {h}")
        if cons.get("unique"):
            _report_duplicates(table, [col], problems)
    if len(schema.primary_key) > 1:
        _report_duplicates(table, schema.primary_key, problems)


def _check_lengths(s: pa.ChunkedArray, present: np.ndarray, cons: dict, col: str, report) -> None:
    """minLength and maxLength, in characters (code points, as frictionless counts them).

    An empty cell is a missing value, which only ``required`` judges.
    """
    shortest, longest = cons.get("minLength"), cons.get("maxLength")
    if shortest is None and longest is None:
        return
    length = _int(pc.utf8_length(s))
    if shortest is not None:
        report(
            present & (length < shortest),
            col,
            lambda v, n=shortest: f"{_short(v)} is too short: {len(v)} characters, at least {n}",
        )
    if longest is not None:
        report(
            present & (length > longest),
            col,
            lambda v, n=longest: f"{_short(v)} is too long: {len(v)} characters, at most {n}",
        )


def _short(value: str, width: int = 40) -> str:
    """``repr`` of a value, cut to its first ``width`` characters when longer."""
    return repr(value) if len(value) <= width else repr(value[:width]) + "…"


def _codes(col: pa.ChunkedArray) -> np.ndarray:
    """A number per row, equal where the values are equal: the index of its distinct value."""
    return _int(pc.index_in(col, value_set=pc.unique(col)))


def _report_duplicates(table: _Table, cols: list[str], problems: list[Problem]) -> None:
    if len(cols) == 1:
        col = table.column(cols[0])
        counts = pc.value_counts(col)
        again = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
        dup = _mask(pc.is_in(col, value_set=again))
    else:
        codes = {c: _codes(table.column(c)) for c in cols}
        dup = pd.DataFrame(codes).duplicated(keep=False).to_numpy()
    for c in cols:
        dup = dup & _mask(pc.not_equal(table.column(c), ""))
    rows = np.flatnonzero(dup)
    if not len(rows):
        return
    keys = zip(*(table.values(c, rows) for c in cols))
    first: dict[tuple, int] = {}
    for key, line in zip(keys, table.lines(rows)):
        value = ", ".join(key)
        if key not in first:
            first[key] = line
            continue
        problems.append(
            Problem(
                table.name,
                f"{value!r} is used again; {'+'.join(cols)} must be unique "
                f"(first used on line {first[key]})",
                line=line,
                column="+".join(cols),
                value=value,
            )
        )


def _check_foreign_keys(
    tables: dict[str, _Table], schemas: dict[str, TableSchema], problems: list[Problem]
) -> None:
    for name, schema in schemas.items():
        table = tables.get(name)
        if table is None:
            continue
        refs = list(schema.foreign_keys)
        for spec in schema.fields:
            if "x-list-reference" in spec:
                sep = spec["x-list-separator"]  # required beside it (helpers.schema_keywords)
                refs.append({**spec["x-list-reference"], "list": spec["name"], "sep": sep})
        for fk in refs:
            if "list" in fk:
                col, ref_res, ref_col = fk["list"], fk["resource"], fk["fields"]
            else:
                col = fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0]
                ref = fk["reference"]
                ref_res = ref["resource"] or name
                ref_col = ref["fields"] if isinstance(ref["fields"], str) else ref["fields"][0]
            target = tables.get(ref_res)
            if target is None:
                continue
            ref_file = schemas[ref_res].path
            s = table.column(col)
            present = _mask(pc.not_equal(s, ""))
            if not present.any():
                continue

            def message(value, ref_col=ref_col, ref_file=ref_file):
                return f"{value!r} is not a known {ref_col} in {ref_file}"

            if "list" in fk:
                items, rows, counted = _split_lists(s, fk["sep"], present)
                known = _known(items, target.column(ref_col))
                bad = counted & ~_mask(pc.is_in(items, value_set=known))
                _report_items(table, col, items, rows, bad, message, problems)
            else:
                known = _known(s, target.column(ref_col))
                rows = np.flatnonzero(present & ~_mask(pc.is_in(s, value_set=known)))
                values = table.values(col, rows)
                for value, line in zip(values, table.lines(rows)):
                    problems.append(
                        Problem(table.name, message(value), line=line, column=col, value=value)
                    )


def _known(values, keys: pa.ChunkedArray) -> pa.Array:
    """The distinct ``keys``, or only those among ``values`` when there are fewer values
    than keys (a few judgements citing a million events): hashing the few and probing
    the many is cheaper than hashing the many.
    """
    if len(values) >= len(keys):
        return pc.unique(keys)
    return pc.unique(keys.filter(pc.is_in(keys, value_set=pc.unique(values))))


def _dates(col: pa.ChunkedArray) -> pd.Series:
    """Each value parsed as a YYYY-MM-DD date (NaT where empty or not a date), parsing
    each distinct value once.
    """
    texts = pd.Series(pc.unique(col).to_pylist(), dtype=object)
    parsed = pd.to_datetime(texts.where(texts != ""), format="%Y-%m-%d", errors="coerce")
    return pd.Series(parsed.to_numpy()[_codes(col)])


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
    """Rules between columns: an interval has its end, ``level_to`` goes with ``actor_to``,
    and ``fulfils`` names a scheduled event."""

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
    """Judgements: a dyad of two stakeholders kept by every version, and evidence that
    was on the record by the judgement's ``as_of``.

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


def read_package(data_dir: Path) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read and check every table of the package.

    Returns
    -------
    tables : dict of str to DataFrame
        Each resource as text columns (empty cells are empty strings), by resource name.
    problems : list of Problem
        Everything wrong, in file order; empty when the package is valid.
    """
    data_dir = Path(data_dir)
    schemas = read_schema(data_dir)
    problems: list[Problem] = []
    tables: dict[str, _Table] = {}
    for name, schema in schemas.items():
        path = data_dir / schema.path
        reader = _read_parquet if path.suffix == ".parquet" else _read_csv
        table = reader(path, schema, problems)
        if table is not None:
            _check_fields(table, schema, problems)
            tables[name] = table
    _check_foreign_keys(tables, schemas, problems)
    if "engagements" in tables:
        _check_engagement_rules(tables["engagements"], problems)
        _check_engagement_links(tables["engagements"], problems)
    if "actors" in tables:
        _check_actor_rules(tables["actors"], problems)
        if "positions" in tables:
            _check_position_rules(tables["positions"], tables["actors"], problems)
    if "judgements" in tables:
        _check_judgement_rules(
            tables["judgements"], tables.get("engagements"), tables.get("actors"), problems
        )
    order = {schema.path: i for i, schema in enumerate(schemas.values())}
    problems.sort(key=lambda p: (order.get(p.file, 99), p.line or 0))
    problems = [replace(p, unit="row") if p.file.endswith(".parquet") else p for p in problems]
    return {name: t.frame for name, t in tables.items()}, problems


def validate_package(data_dir: Path | str) -> list[Problem]:
    """Check the package in ``data_dir``; return the problems (empty when valid)."""
    return read_package(Path(data_dir))[1]
