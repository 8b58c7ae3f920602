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

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataValidationError as DataValidationError  # re-exported
from ..errors import Problem
from .columns import (
    _by_value,
    _codes,
    _describe_list,
    _fullmatch_distinct,
    _int,
    _known,
    _short,
    _split_lists,
)
from .columns import _fullmatch as _fullmatch  # re-exported
from .rules import (
    _check_actor_rules,
    _check_engagement_links,
    _check_engagement_rules,
    _check_judgement_rules,
    _check_position_rules,
)
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
    """Check every field of ``table`` against its schema: each constraint in turn."""
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
        numeric = _check_type(s, present, spec.get("type", "string"), col, report)
        _check_lengths(s, present, cons, col, report)
        _check_range(s, numeric, cons, col, report)
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


def _check_type(s: pa.ChunkedArray, present: np.ndarray, kind: str, col: str, report):
    """Check that each value is of the field's ``kind`` (date, integer or number).

    Returns which rows hold a number, for the range check (None unless ``kind`` is a
    numeric type).
    """
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
        return present & ok
    if kind == "number":
        nan = _by_value(s, present, lambda v: pd.to_numeric(v, errors="coerce").isna())
        report(nan, col, lambda v: f"{v!r} is not a number")
        return present & ~nan
    return None


def _check_range(s: pa.ChunkedArray, numeric, cons: dict, col: str, report) -> None:
    """Check the ``numeric`` rows against the field's ``minimum`` and ``maximum``."""
    lo, hi = cons.get("minimum"), cons.get("maximum")
    if numeric is None or (lo is None and hi is None):
        return
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


def _check_lengths(s: pa.ChunkedArray, present: np.ndarray, cons: dict, col: str, report) -> None:
    """MinLength and maxLength, in characters (code points, as frictionless counts them).

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


def _check_imported(
    data_dir: Path, schemas: dict[str, TableSchema], actors, problems: list[Problem]
) -> None:
    """Check the tables written by ``briefing import`` (machine-coded events).

    Their rows were checked on import, so only the file, its columns and its actor ids
    are checked.
    """
    from .coded.store import check

    known = set(actors.column("actor_id").to_pylist()) if actors is not None else set()
    for schema in schemas.values():
        if not schema.imported_by:
            continue
        path = data_dir / schema.path
        if not path.is_file():
            problems.append(Problem(schema.path, "file is missing"))
            continue
        for message, column, value in check(path, known):
            problems.append(Problem(schema.path, message, column=column, value=value))


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
        if schema.imported_by:
            continue  # checked below, without reading its rows
        reader = _read_parquet if path.suffix == ".parquet" else _read_csv
        table = reader(path, schema, problems)
        if table is not None:
            _check_fields(table, schema, problems)
            tables[name] = table
    _check_foreign_keys(tables, schemas, problems)
    _check_imported(data_dir, schemas, tables.get("actors"), problems)
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
