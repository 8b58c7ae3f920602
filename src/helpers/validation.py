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

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

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
    imported_by: str = ""
    """Set for tables written by ``briefing import`` (``x-imported-by``), which checks
    their rows as it writes them; see :func:`_check_imported`."""

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
            imported_by=res.get("x-imported-by", ""),
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


_TEXT = pa.large_string()
"""Every cell is read as this Arrow type: one buffer per column, handed to pandas as is."""

_BOM = b"\xef\xbb\xbf"
_BLOCK = 16 * 2**20  # bytes read or scanned at a time, to bound temporary copies


def _text_dtype():
    """pandas' Arrow-backed string dtype (``str`` in pandas 3), or None before pandas 2.3.

    Without it the frames fall back to Python object columns, as in earlier versions of
    this module: the same values, but several times the memory.
    """
    try:
        return pd.StringDtype("pyarrow", na_value=np.nan)
    except (TypeError, ImportError):
        return None


def _mask(values) -> np.ndarray:
    """A boolean Arrow result (no nulls here) as a numpy array."""
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=bool)


def _take(values: pa.ChunkedArray, rows: np.ndarray) -> list:
    """``values[rows]`` as Python objects, for ascending ``rows``, taken chunk by chunk
    (some pyarrow versions concatenate a whole chunked column to take a few values).
    """
    rows = np.asarray(rows, dtype=np.int64)
    ends = np.cumsum([len(chunk) for chunk in values.chunks])
    which = np.searchsorted(ends, rows, side="right")
    out: list = []
    for k in np.unique(which):
        chunk = values.chunks[k]
        local = rows[which == k] - (ends[k] - len(chunk))
        out.extend(chunk.take(pa.array(local)).to_pylist())
    return out


def _newlines(raw: bytes) -> np.ndarray:
    """Byte offsets of every ``\\n``, found block by block to bound the temporary arrays."""
    data = np.frombuffer(raw, dtype=np.uint8)
    found = [np.flatnonzero(data[i : i + _BLOCK] == 10) + i for i in range(0, len(data), _BLOCK)]
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _one_line_records(raw: bytes) -> np.ndarray:
    """File line of every data record, for a file whose records each take one line.

    Lines are split at ``\\n`` (a ``\\r`` before it belongs to the line end); a line with
    nothing on it is skipped, as both CSV readers skip it.
    """
    ends = _newlines(raw)
    starts = np.concatenate(([0], ends + 1))
    width = np.concatenate((ends, [len(raw)])) - starts
    data = np.frombuffer(raw, dtype=np.uint8)
    first = data[np.minimum(starts, len(data) - 1)]
    blank = (width == 0) | ((width == 1) & (first == 13))
    return (np.flatnonzero(~blank) + 1)[1:]


def _no_lone_cr(raw: bytes) -> bool:
    """Whether every ``\\r`` is part of a ``\\r\\n`` (pyarrow ends a line at a lone one too)."""
    return b"\r" not in raw or raw.count(b"\r") == raw.count(b"\r\n")


def _line_map(path: Path, nrows: int, one_line: bool) -> np.ndarray:
    """File line on which each data record of the CSV at ``path`` starts (header excluded).

    When no value holds a line break and no ``\\r`` stands alone, a record is a non-empty
    line and numpy counts them; a count that disagrees with ``nrows`` (or any other file)
    goes through the csv module, which follows quotes exactly.
    """
    raw = path.read_bytes()
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    if one_line and _no_lone_cr(raw):
        lines = _one_line_records(raw)
        if len(lines) == nrows:
            return lines
    return np.array([start for start, _ in _records(raw.decode("utf-8"))][1:], dtype=np.int64)


class _Table:
    """A table read as text: Arrow columns for the checks and, sharing their buffers, the
    frame that :func:`read_package` returns. File lines are counted only when a problem
    needs one.
    """

    def __init__(
        self,
        name: str,
        data: pa.Table,
        path: Path | None,
        one_line: bool = False,
        plain: bool = False,
    ):
        self.name = name
        self.data = data
        dtype = _text_dtype()
        self.frame = data.to_pandas(types_mapper={_TEXT: dtype}.get if dtype else None)
        self._path = path  # None for Parquet, whose problems are located by row
        self._one_line = one_line  # no value holds a line break
        self._plain = plain  # and no line is blank: record i is on line i + 2
        self._lines: np.ndarray | None = None

    def column(self, name: str) -> pa.ChunkedArray:
        return self.data.column(name)

    def values(self, name: str, rows: np.ndarray) -> list[str]:
        return _take(self.data.column(name), rows)

    def lines(self, rows: np.ndarray) -> list[int]:
        """File line of each row (0 = the first data row); for Parquet, rows from 1."""
        rows = np.asarray(rows, dtype=np.int64)
        if self._path is None:
            return (rows + 1).tolist()
        if self._plain or not len(rows):
            return (rows + 2).tolist()
        if self._lines is None:
            self._lines = _line_map(self._path, self.data.num_rows, self._one_line)
        if not len(self._lines):
            return (rows + 2).tolist()
        mapped = self._lines[np.minimum(rows, len(self._lines) - 1)]
        return np.where(rows < len(self._lines), mapped, rows + 2).tolist()

    def line(self, row: int) -> int:
        return self.lines(np.array([row]))[0]


def _fast_table(path: Path, size: int, header: list[str]) -> pa.Table | None:
    """Parse with pyarrow (multithreaded, strict on field counts); None if any row is off."""
    bad: list[object] = []

    def note(row):
        bad.append(row)
        return "skip"

    options = {
        # Threads pay off only on large files; small ones read faster (and exit more
        # cleanly) on the calling thread.
        "read_options": pacsv.ReadOptions(
            column_names=header, skip_rows=1, use_threads=size > 8 * 2**20
        ),
        "parse_options": pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=note),
        "convert_options": pacsv.ConvertOptions(
            column_types={c: _TEXT for c in header},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    }
    try:
        # An open file, not a name: given a name, pyarrow would uncompress a .gz.
        with pa.OSFile(str(path)) as source:
            table = pacsv.read_csv(source, **options)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if bad:
        return None
    return table


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
        columns[name] = pc.cast(pc.fill_null(col, ""), _TEXT)
    return _Table(fname, pa.table(columns), None)


_NOT_ASCII_SPACE = re.compile(rb"[^\t\n\x0b\x0c\r\x1c-\x1f ]")
_ASCII_INK = re.compile(rb"[\x00-\x08\x0e-\x1b!-\x7f]")  # ASCII that str.isspace rejects


def _blank(raw: bytes, start: int) -> bool:
    """Whether ``raw[start:]`` is only whitespace, as ``str.strip`` sees it, without decoding
    the whole (valid UTF-8) file: the first character that is not ASCII space decides.
    """
    while True:
        found = _NOT_ASCII_SPACE.search(raw, start)
        if found is None:
            return True
        i = found.start()
        if raw[i] < 0x80:
            return False
        char = raw[i : i + 4].decode("utf-8", "ignore")[0]
        if not char.isspace():
            return False
        start = i + len(char.encode("utf-8"))


@dataclass
class _Bytes:
    """What reading a CSV needs to know of its bytes, gathered block by block so that the
    whole file is never held in memory (pyarrow then reads it from disk itself).
    """

    head: bytes = b""  # the header line and the start of the data (or the whole file)
    size: int = 0
    utf8: bool = True
    nul: int = -1  # offset of the first NUL byte, if any
    lines_before_nul: int = 0
    newlines: int = 0
    ends_with_newline: bool = False
    lone_cr: bool = False


def _head_done(head: bytes) -> bool:
    """Whether ``head`` holds the whole header line and a printable ASCII byte after it, so
    that every check on the start of the file can be made on ``head`` alone.
    """
    end = head.find(b"\n")
    return end >= 0 and _ASCII_INK.search(head, end + 1) is not None


def _scan(path: Path) -> _Bytes:
    """Read the file once, block by block, and note what :func:`_read_csv` checks."""
    facts = _Bytes()
    decoder = codecs.getincrementaldecoder("utf-8")()
    head: list[bytes] | None = []  # None once the head is complete
    cr = crlf = 0
    last = b""
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            if decoder.getstate()[0] or not block.isascii():
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    facts.utf8 = False
                    return facts
            if facts.nul < 0 and (i := block.find(b"\x00")) >= 0:
                facts.nul = facts.size + i
                facts.lines_before_nul = facts.newlines + block.count(b"\n", 0, i)
            facts.newlines += block.count(b"\n")
            if b"\r" in block or last == b"\r":
                cr += block.count(b"\r")
                crlf += block.count(b"\r\n") + (last == b"\r" and block[:1] == b"\n")
            if head is not None:
                head.append(block)
                if _head_done(b"".join(head)):
                    facts.head, head = b"".join(head), None
            facts.size += len(block)
            last = block[-1:]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        facts.utf8 = False
    if head is not None:
        facts.head = b"".join(head)
    facts.ends_with_newline = last == b"\n"
    facts.lone_cr = cr != crlf
    return facts


def _read_csv(path: Path, schema: TableSchema, problems: list[Problem]) -> _Table | None:
    """A CSV table as text columns, read by pyarrow; the csv module locates what it rejects.

    The bytes are checked block by block (UTF-8, NUL, empty, line count) and pyarrow reads
    the file itself, so the whole file is never held as bytes or text besides the table.
    """
    fname = path.name
    if not path.is_file():
        problems.append(Problem(fname, "file is missing"))
        return None
    facts = _scan(path)
    expected = ", ".join(schema.columns)
    if not facts.utf8:
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            byte = raw[exc.start]
            problems.append(
                Problem(
                    fname,
                    f"is not UTF-8 text: byte 0x{byte:02x} cannot be decoded; "
                    "save the file as UTF-8",
                    line=line,
                    value=f"0x{byte:02x}",
                )
            )
        return None
    head = facts.head
    start = len(_BOM) if head.startswith(_BOM) else 0
    if _blank(head, start):
        problems.append(Problem(fname, f"file is empty; expected a header row with: {expected}"))
        return None
    if facts.nul >= 0:
        line = facts.lines_before_nul + 1
        problems.append(Problem(fname, "contains a NUL byte; the file is damaged", line=line))
        return None

    end_of_header = head.find(b"\n", start)
    first_line = head[start : end_of_header if end_of_header >= 0 else len(head)].decode("utf-8")
    header = next(csv.reader([first_line]), [])
    header = [h.strip() for h in header]
    if not _header_ok(fname, header, schema, problems):
        return None
    if end_of_header < 0 or _blank(head, end_of_header + 1):
        problems.append(Problem(fname, "has a header but no data rows", line=1))
        return None

    data = _fast_table(path, facts.size, header)
    if data is None:
        text = path.read_bytes()[start:].decode("utf-8")
        _exact_problems(fname, text, len(header), problems)
        return None
    if data.num_rows == 0 or data.num_columns == 0:
        problems.append(Problem(fname, "has a header but no data rows", line=1))
        return None
    # Every record and the header end at a line break of their own (or at the end of the
    # file) unless a \r alone ends one; so as many lines as records and header means that
    # no value holds a line break and no line is blank.
    lines = facts.newlines + (not facts.ends_with_newline)
    if lines == data.num_rows + 1 and not facts.lone_cr:
        return _Table(fname, data, path, one_line=True, plain=True)
    # A cell with a line break inside quotes is fine, but a value spanning rows is the
    # mark of an unclosed quote.
    breaks = {c: _mask(pc.match_substring(data.column(c), "\n")) for c in data.column_names}
    table = _Table(fname, data, path, one_line=not any(b.any() for b in breaks.values()))
    for spec in schema.fields:
        col = spec["name"]
        rows = np.flatnonzero(breaks[col])
        for row, value in zip(rows, table.values(col, rows)):
            if any(part.count(",") >= len(header) - 1 for part in value.split("\n")[1:]):
                problems.append(
                    Problem(
                        fname,
                        "a quote opened here seems never to be closed: the following lines "
                        "were read as part of this value; check the quotes",
                        line=table.line(row),
                        column=col,
                        value=value[:60],
                    )
                )
                return None
    return table


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
            continue
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
        if sep and "x-list-enum" in spec:
            vocabulary = _describe_list(spec["x-list-enum"])
            allowed = pa.array([str(x) for x in spec["x-list-enum"]], type=_TEXT)
            items, rows, counted = _split_lists(s, sep, present)
            bad = counted & ~_mask(pc.is_in(items, value_set=allowed))
            _report_items(
                table,
                col,
                items,
                rows,
                bad,
                lambda item, v=vocabulary: f"{item!r} is not in the vocabulary: {v}",
                problems,
            )
        elif "pattern" in cons:
            bad = present & ~_fullmatch(s, cons["pattern"])
            hint = spec.get("x-form") or spec.get("description", "")
            report(bad, col, lambda v, h=hint: f"{v!r} is not in the expected form: {h}")
        if cons.get("unique"):
            _report_duplicates(table, [col], problems)
    if len(schema.primary_key) > 1:
        _report_duplicates(table, schema.primary_key, problems)


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
            known = pc.unique(target.column(ref_col))
            ref_file = schemas[ref_res].path
            s = table.column(col)
            present = _mask(pc.not_equal(s, ""))

            def message(value, ref_col=ref_col, ref_file=ref_file):
                return f"{value!r} is not a known {ref_col} in {ref_file}"

            if "list" in fk:
                items, rows, counted = _split_lists(s, ";", present)
                bad = counted & ~_mask(pc.is_in(items, value_set=known))
                _report_items(table, col, items, rows, bad, message, problems)
            else:
                rows = np.flatnonzero(present & ~_mask(pc.is_in(s, value_set=known)))
                values = table.values(col, rows)
                for value, line in zip(values, table.lines(rows)):
                    problems.append(
                        Problem(table.name, message(value), line=line, column=col, value=value)
                    )


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


def _check_position_rules(positions: _Table, actors: _Table, problems: list[Problem]) -> None:
    ids = actors.column("actor_id").to_pylist()
    parent = dict(zip(ids, actors.column("parent_id").to_pylist()))
    held = pa.array([a for a, p in parent.items() if p], type=_TEXT)
    rows = np.flatnonzero(_mask(pc.is_in(positions.column("actor_id"), value_set=held)))
    for actor, line in zip(positions.values("actor_id", rows), positions.lines(rows)):
        problems.append(
            Problem(
                positions.name,
                f"{actor!r} acts for {parent[actor]!r}; record positions for top-level "
                "stakeholders only (actors with no parent_id)",
                line=line,
                column="actor_id",
                value=actor,
            )
        )


def _check_imported(
    data_dir: Path, schemas: dict[str, TableSchema], actors, problems: list[Problem]
) -> None:
    """Tables written by ``briefing import`` (machine-coded events): their rows were
    checked on import, so only the file, its columns and its actor ids are checked."""
    from .data.coded.store import check

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
