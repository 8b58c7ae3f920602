"""Reading the package's tables: the schema, and CSV or Parquet files into Arrow tables.

Each table remembers the line of each row in its file, so that a problem found later
names the line as numbered in the file (header = line 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import DataValidationError, Problem
from .schema_keywords import unsupported_keywords

DATE_FORM = re.compile(r"^\d{4}-\d{2}-\d{2}$")

MAY_BE_EMPTY = frozenset({"judgements"})
"""Tables whose file may hold a header and no rows: a package with no analyst
judgements yet is complete, one with no events is not."""


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
    unsupported = unsupported_keywords(package)
    if unsupported:
        # Checking the data against a schema read only in part would report some rules
        # and drop others in silence: the schema is mended first.
        raise DataValidationError(unsupported, data_dir)
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
    if table.num_rows == 0 and schema.name not in MAY_BE_EMPTY:
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
        if schema.name in MAY_BE_EMPTY:
            return _empty_table(fname, header, path)
        problems.append(Problem(fname, "has a header but no data rows", line=1))
        return None

    data = _fast_table(path, facts.size, header)
    if data is None:
        text = path.read_bytes()[start:].decode("utf-8")
        _exact_problems(fname, text, len(header), problems)
        return None
    if data.num_rows == 0 or data.num_columns == 0:
        if schema.name in MAY_BE_EMPTY:
            return _empty_table(fname, header, path)
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


def _empty_table(fname: str, header: list[str], path: Path) -> _Table:
    """A table of ``header``'s columns and no rows (for :data:`MAY_BE_EMPTY` tables)."""
    data = pa.table({c: pa.array([], type=_TEXT) for c in header})
    return _Table(fname, data, path, one_line=True, plain=True)
