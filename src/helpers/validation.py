"""Validation of the engagement data package against ``data/datapackage.json``.

The Table Schema in ``datapackage.json`` is the one source of truth for columns, types,
enumerations, keys and foreign keys; this module reads it and checks every rule, plus the
few rules a Table Schema cannot express (``end_date`` not before ``date``, dates aligned
with their precision, no cycles in ``parent_id``, positions held by top-level
stakeholders, semicolon lists whose items must be known).

Every problem names the file, the line as numbered in the file (header = line 1), the
column and the offending value. Checks are vectorised with pandas so that a million rows
validate in seconds; line numbers are mapped exactly, even when quoted fields span lines.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .errors import DataValidationError, Problem

DATE_FORM = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class TableSchema:
    """The parts of one resource's Table Schema that validation uses."""

    name: str
    path: str
    fields: list[dict]
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[dict] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.fields]


def read_schema(data_dir: Path) -> dict[str, TableSchema]:
    """Read ``datapackage.json`` into one :class:`TableSchema` per resource."""
    path = data_dir / "datapackage.json"
    if not path.is_file():
        raise DataValidationError(
            [Problem("datapackage.json", f"file is missing from {data_dir}")], data_dir
        )
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataValidationError(
            [Problem("datapackage.json", f"is not valid JSON: {exc}")], data_dir
        ) from None
    schemas = {}
    for res in package.get("resources", []):
        sch = res.get("schema", {})
        pk = sch.get("primaryKey", [])
        schemas[res["name"]] = TableSchema(
            name=res["name"],
            path=res["path"],
            fields=sch.get("fields", []),
            primary_key=[pk] if isinstance(pk, str) else list(pk),
            foreign_keys=sch.get("foreignKeys", []),
        )
    return schemas


def _records(text: str):
    """Yield (first file line, fields) for every non-empty CSV record, exactly.

    A quoted field may span lines and blank lines are skipped (as the fast reader does),
    so record numbers and file lines differ in general; the csv module tracks both.
    """
    csv.field_size_limit(2**31 - 1)  # a long summary must not stop the line count
    reader = csv.reader(io.StringIO(text), strict=True)
    prev_end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _CsvError(prev_end + 1, str(exc)) from None
        start = prev_end + 1
        prev_end = reader.line_num
        if row:
            yield start, row


class _CsvError(Exception):
    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(reason)


def _line_map(text: str) -> list[int]:
    """File line on which each data record starts (header excluded)."""
    return [start for start, _ in _records(text)][1:]


class _Table:
    """A CSV read as text columns, with exact file line numbers for its records."""

    def __init__(self, name: str, frame: pd.DataFrame, text: str | None):
        self.name = name
        self.frame = frame
        self._text = text
        self._lines: list[int] | None = None

    def line(self, index: int) -> int:
        if self._text is None:  # Parquet: rows, counted from 1
            return index + 1
        if self._lines is None:
            self._lines = _line_map(self._text)
        if index < len(self._lines):
            return self._lines[index]
        return index + 2


def _fast_frame(raw: bytes, header: list[str]) -> pd.DataFrame | None:
    """Parse with pyarrow (multithreaded, strict on field counts); None if any row is off."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    bad: list[object] = []

    def note(row):
        bad.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            # Threads pay off only on large files; small ones read faster (and exit more
            # cleanly) on the calling thread.
            read_options=pacsv.ReadOptions(
                column_names=header, skip_rows=1, use_threads=len(raw) > 8 * 2**20
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=note),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if bad:
        return None
    frame = table.to_pandas()
    return frame.astype(object) if len(frame.columns) else frame


def _exact_problems(fname: str, text: str, ncols: int, problems: list[Problem]) -> None:
    """Locate rows whose field count is wrong, and unclosed quotes, with exact lines."""
    found = False
    try:
        for i, (line, row) in enumerate(_records(text)):
            if i == 0:
                continue
            if len(row) != ncols:
                found = True
                problems.append(
                    Problem(
                        fname,
                        f"row has {len(row)} fields but the header has {ncols}"
                        + ("; quote any value that contains a comma" if len(row) > ncols else ""),
                        line=line,
                    )
                )
            for value in row:
                if "\n" in value and any(
                    part.count(",") >= ncols - 1 for part in value.split("\n")[1:]
                ):
                    found = True
                    problems.append(
                        Problem(
                            fname,
                            "a quote opened in this row seems never to be closed: the next "
                            "lines were read as part of one value; check the quotes",
                            line=line,
                            value=value[:60],
                        )
                    )
                    break
    except _CsvError as exc:
        found = True
        problems.append(
            Problem(
                fname,
                f"cannot be read as CSV from this row on ({exc.reason}); "
                "check for an unclosed or stray quote",
                line=exc.line,
            )
        )
    if not found:
        problems.append(Problem(fname, "cannot be read as CSV; check quoting and field counts"))


def _header_ok(
    fname: str,
    header: list[str],
    schema: TableSchema,
    problems: list[Problem],
    line: int | None = 1,
) -> bool:
    """Report duplicate, missing and unknown columns; True when the header is usable.

    ``line`` locates the header (None for Parquet, whose column names are not a row).
    """
    expected = ", ".join(schema.columns)
    seen: set[str] = set()
    dupes = []
    for h in header:
        if h in seen and h not in dupes:
            dupes.append(h)
        seen.add(h)
    for c in dupes:
        problems.append(
            Problem(
                fname, f"column {c!r} appears more than once in the header", line=line, column=c
            )
        )
    missing = [c for c in schema.columns if c not in header]
    unknown = [c for c in header if c not in schema.columns]
    for c in missing:
        problems.append(
            Problem(fname, f"required column {c!r} is missing from the header", line=line, column=c)
        )
    for c in unknown:
        problems.append(
            Problem(
                fname,
                f"unknown column {c!r}; the columns are: {expected}",
                line=line,
                column=c,
                value=c,
            )
        )
    return not (missing or unknown or dupes)


def _read_parquet(path: Path, schema: TableSchema, problems: list[Problem]) -> _Table | None:
    """A Parquet table as text columns, so that every check is the same as for CSV.

    Dates become ISO text, numbers their decimal text and nulls empty cells; problems are
    located by row (1 = the first data row) instead of line.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    fname = path.name
    if not path.is_file():
        problems.append(Problem(fname, "file is missing"))
        return None
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        problems.append(Problem(fname, f"cannot be read as Parquet: {exc}"))
        return None
    if not _header_ok(fname, list(table.column_names), schema, problems, line=None):
        return None
    if table.num_rows == 0:
        problems.append(Problem(fname, "has columns but no data rows"))
        return None
    columns = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_date(col.type) or pa.types.is_timestamp(col.type):
            col = pc.strftime(col, format="%Y-%m-%d")
        elif not pa.types.is_string(col.type):
            col = pc.cast(col, pa.string())
        columns[name] = pc.fill_null(col, "")
    frame = pa.table(columns).to_pandas().astype(object)
    return _Table(fname, frame, None)


def _read_csv(path: Path, schema: TableSchema, problems: list[Problem]) -> _Table | None:
    fname = path.name
    if not path.is_file():
        problems.append(Problem(fname, "file is missing"))
        return None
    raw = path.read_bytes()
    expected = ", ".join(schema.columns)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        problems.append(
            Problem(
                fname,
                f"is not UTF-8 text: byte 0x{byte:02x} cannot be decoded; save the file as UTF-8",
                line=line,
                value=f"0x{byte:02x}",
            )
        )
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
        raw = raw[3:]
    if not text.strip():
        problems.append(Problem(fname, f"file is empty; expected a header row with: {expected}"))
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(Problem(fname, "contains a NUL byte; the file is damaged", line=line))
        return None

    first_line = text.split("\n", 1)[0]
    header = next(csv.reader([first_line]), [])
    header = [h.strip() for h in header]
    if not _header_ok(fname, header, schema, problems):
        return None
    if not text.split("\n", 1)[1:] or not text.split("\n", 1)[1].strip():
        problems.append(Problem(fname, "has a header but no data rows", line=1))
        return None

    frame = _fast_frame(raw, header)
    if frame is None:
        _exact_problems(fname, text, len(header), problems)
        return None
    if frame.empty:
        problems.append(Problem(fname, "has a header but no data rows", line=1))
        return None
    table = _Table(fname, frame, text)
    for spec in schema.fields:  # cells with a line break inside quotes: fine, but a
        col = spec["name"]  # value spanning rows is the mark of an unclosed quote
        s = frame[col]
        multi = s.str.contains("\n", regex=False)
        if multi.any():
            for idx in frame.index[multi.to_numpy()]:
                value = frame.at[idx, col]
                if any(part.count(",") >= len(header) - 1 for part in value.split("\n")[1:]):
                    problems.append(
                        Problem(
                            fname,
                            "a quote opened here seems never to be closed: the following lines "
                            "were read as part of this value; check the quotes",
                            line=table.line(idx),
                            column=col,
                            value=value[:60],
                        )
                    )
                    return None
    return table


def _describe_list(values) -> str:
    return ", ".join(str(v) for v in values)


def _check_fields(table: _Table, schema: TableSchema, problems: list[Problem]) -> None:
    frame = table.frame
    fname = table.name

    def report(mask: pd.Series, column: str, make_message) -> None:
        for idx in frame.index[mask.to_numpy()]:
            value = frame.at[idx, column]
            problems.append(
                Problem(
                    fname, make_message(value), line=table.line(idx), column=column, value=value
                )
            )

    for spec in schema.fields:
        col = spec["name"]
        s = frame[col]
        cons = spec.get("constraints", {})
        present = s != ""
        if cons.get("required"):
            report(~present, col, lambda v: "a value is required but the cell is empty")
        kind = spec.get("type", "string")
        if kind == "date":
            form_ok = s.str.fullmatch(DATE_FORM.pattern)
            report(present & ~form_ok, col, lambda v: f"{v!r} is not a date in the form YYYY-MM-DD")
            parsed = pd.to_datetime(s.where(present & form_ok), format="%Y-%m-%d", errors="coerce")
            report(
                present & form_ok & parsed.isna(),
                col,
                lambda v: f"{v!r} is not a real calendar date",
            )
            continue
        if kind == "integer":
            ok = s.str.fullmatch(r"[+-]?\d+")
            report(present & ~ok, col, lambda v: f"{v!r} is not a whole number")
            numbers = pd.to_numeric(s.where(present & ok), errors="coerce")
        elif kind == "number":
            numbers = pd.to_numeric(s.where(present), errors="coerce")
            report(present & numbers.isna(), col, lambda v: f"{v!r} is not a number")
        else:
            numbers = None
        if numbers is not None:
            lo, hi = cons.get("minimum"), cons.get("maximum")
            if lo is not None or hi is not None:
                lo_ = lo if lo is not None else float("-inf")
                hi_ = hi if hi is not None else float("inf")
                bad = numbers.notna() & ((numbers < lo_) | (numbers > hi_))
                report(
                    bad,
                    col,
                    lambda v, a=lo, b=hi: f"{v!r} is out of range: must be from {a} to {b}",
                )
        if "enum" in cons:
            allowed = [str(x) for x in cons["enum"]]
            bad = present & ~s.isin(allowed)
            report(bad, col, lambda v, a=allowed: f"{v!r} is not one of: {_describe_list(a)}")
        sep = spec.get("x-list-separator")
        if sep and "x-list-enum" in spec:
            allowed = set(spec["x-list-enum"])
            for idx in frame.index[present.to_numpy()]:
                value = frame.at[idx, col]
                vocabulary = _describe_list(spec["x-list-enum"])
                for item in value.split(sep):
                    if item not in allowed:
                        problems.append(
                            Problem(
                                fname,
                                f"{item!r} is not in the vocabulary: {vocabulary}",
                                line=table.line(idx),
                                column=col,
                                value=value,
                            )
                        )
        elif "pattern" in cons:
            bad = present & ~s.str.fullmatch(cons["pattern"])
            hint = spec.get("x-form") or spec.get("description", "")
            report(bad, col, lambda v, h=hint: f"{v!r} is not in the expected form: {h}")
        if cons.get("unique"):
            _report_duplicates(table, [col], problems)
    if len(schema.primary_key) > 1:
        _report_duplicates(table, schema.primary_key, problems)


def _report_duplicates(table: _Table, cols: list[str], problems: list[Problem]) -> None:
    frame = table.frame
    keyed = frame[cols]
    dup = keyed.duplicated(keep=False) & (keyed != "").all(axis=1)
    if not dup.any():
        return
    first: dict[tuple, int] = {}
    for idx in frame.index[dup.to_numpy()]:
        key = tuple(frame.loc[idx, cols])
        value = ", ".join(key)
        if key not in first:
            first[key] = idx
            continue
        problems.append(
            Problem(
                table.name,
                f"{value!r} is used again; {'+'.join(cols)} must be unique "
                f"(first used on line {table.line(first[key])})",
                line=table.line(idx),
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
        frame = table.frame
        refs = list(schema.foreign_keys)
        for spec in schema.fields:
            if "x-list-reference" in spec:
                refs.append({**spec["x-list-reference"], "list": spec["name"]})
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
            known = set(target.frame[ref_col])
            ref_file = schemas[ref_res].path
            s = frame[col]
            if "list" in fk:
                for idx in frame.index[(s != "").to_numpy()]:
                    value = frame.at[idx, col]
                    for item in value.split(";"):
                        if item not in known:
                            problems.append(
                                Problem(
                                    table.name,
                                    f"{item!r} is not a known {ref_col} in {ref_file}",
                                    line=table.line(idx),
                                    column=col,
                                    value=value,
                                )
                            )
            else:
                bad = (s != "") & ~s.isin(known)
                for idx in frame.index[bad.to_numpy()]:
                    value = frame.at[idx, col]
                    problems.append(
                        Problem(
                            table.name,
                            f"{value!r} is not a known {ref_col} in {ref_file}",
                            line=table.line(idx),
                            column=col,
                            value=value,
                        )
                    )


def _check_engagement_rules(table: _Table, problems: list[Problem]) -> None:
    frame = table.frame
    start = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(
        frame["end_date"].where(frame["end_date"] != ""), format="%Y-%m-%d", errors="coerce"
    )
    bad = end.notna() & start.notna() & (end < start)
    for idx in frame.index[bad.to_numpy()]:
        problems.append(
            Problem(
                table.name,
                f"end_date {frame.at[idx, 'end_date']} is before date {frame.at[idx, 'date']}",
                line=table.line(idx),
                column="end_date",
                value=frame.at[idx, "end_date"],
            )
        )
    prec = frame["date_precision"]
    misaligned_month = (prec == "month") & start.notna() & (start.dt.day != 1)
    misaligned_year = (
        (prec == "year") & start.notna() & ((start.dt.day != 1) | (start.dt.month != 1))
    )
    for mask, what in (
        (misaligned_month, "the first of its month"),
        (misaligned_year, "1 January of its year"),
    ):
        for idx in frame.index[mask.to_numpy()]:
            problems.append(
                Problem(
                    table.name,
                    f"{frame.at[idx, 'date']!r} has {prec[idx]} precision, so it must be {what}",
                    line=table.line(idx),
                    column="date",
                    value=frame.at[idx, "date"],
                )
            )


def _check_actor_rules(table: _Table, problems: list[Problem]) -> None:
    frame = table.frame
    parent = dict(zip(frame["actor_id"], frame["parent_id"]))
    reported: set[str] = set()
    for idx, actor in zip(frame.index, frame["actor_id"]):
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
                            value=frame.at[idx, "parent_id"],
                        )
                    )
                    reported.update(cycle)
                break
            seen.append(node)
            node = parent.get(node, "")


def _check_position_rules(positions: _Table, actors: _Table, problems: list[Problem]) -> None:
    parent = dict(zip(actors.frame["actor_id"], actors.frame["parent_id"]))
    frame = positions.frame
    for idx, actor in zip(frame.index, frame["actor_id"]):
        if parent.get(actor):
            problems.append(
                Problem(
                    positions.name,
                    f"{actor!r} acts for {parent[actor]!r}; record positions for top-level "
                    "stakeholders only (actors with no parent_id)",
                    line=positions.line(idx),
                    column="actor_id",
                    value=actor,
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
    if "actors" in tables:
        _check_actor_rules(tables["actors"], problems)
        if "positions" in tables:
            _check_position_rules(tables["positions"], tables["actors"], problems)
    order = {schema.path: i for i, schema in enumerate(schemas.values())}
    problems.sort(key=lambda p: (order.get(p.file, 99), p.line or 0))
    problems = [replace(p, unit="row") if p.file.endswith(".parquet") else p for p in problems]
    return {name: t.frame for name, t in tables.items()}, problems


def validate_package(data_dir: Path | str) -> list[Problem]:
    """Check the package in ``data_dir``; return the problems (empty when valid)."""
    return read_package(Path(data_dir))[1]
