"""Reading large tab-separated files in batches, with the file line of every row.

GDELT and ICEWS files are read by pyarrow's streaming CSV reader: a batch at a time,
so memory stays flat whatever the file's size. Quotes mean nothing in these formats
(a name may hold a lone ``"``), so quoting is off and every line is one row. A row with
the wrong number of fields is skipped and reported by the reader with its line number;
every other row's line follows from those, since no line is ignored (a blank line is
a row of empty fields, which then fails the row checks with its own line).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from .report import BadRow, FileReport, FormatError

BLOCK_SIZE = 16 << 20
"""Bytes parsed at a time: about 60,000 GDELT rows (fewer, larger batches to check)."""


@contextmanager
def open_binary(path: Path):
    """Return the bytes of ``path``, or of the one data file inside it when it is a zip."""
    path = Path(path)
    if not path.is_file():
        raise FormatError(f"{path}: no such file")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) != 1:
                raise FormatError(
                    f"{path}: a zip file must hold exactly one data file; it holds {len(members)}"
                )
            with archive.open(members[0]) as f:
                yield f
    else:
        with open(path, "rb") as f:
            yield f


def head_lines(path: Path, count: int = 2, limit: int = 1 << 20) -> list[str]:
    """Return the first ``count`` lines of a (possibly zipped) file, decoded as UTF-8."""
    with open_binary(path) as f:
        head = f.read(limit)
    text = head.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.splitlines()[:count]


def _line_numbers(first: int, count: int, skipped: list[int]) -> tuple[np.ndarray, int]:
    """Lines of ``count`` rows read from line ``first`` on, passing the skipped lines."""
    lines = np.arange(first, first + count + len(skipped), dtype=np.int64)
    if skipped:
        lines = lines[~np.isin(lines, np.array(skipped, dtype=np.int64))]
    lines = lines[:count]
    return lines, (int(lines[-1]) + 1 if count else first)


def _as_text(table: pa.Table, lines: np.ndarray, report: FileReport) -> tuple:
    """Return the batch's columns as UTF-8 text, dropping rows that are not UTF-8.

    Such rows are reported by line (the whole column is checked at once, and only a
    column that fails is searched row by row).
    """
    bad = np.zeros(table.num_rows, dtype=bool)
    text = {}
    for name in table.column_names:
        try:
            text[name] = table.column(name).cast(pa.string())
        except pa.ArrowInvalid:
            for i, value in enumerate(table.column(name).to_pylist()):
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError:
                    bad[i] = True
    if not bad.any():
        return pa.table(text), lines
    for line in lines[bad]:
        report.bad.append(BadRow(int(line), "is not UTF-8 text"))
    table, lines = table.filter(pa.array(~bad)), lines[~bad]
    return table.cast(pa.schema([(n, pa.string()) for n in table.column_names])), lines


def tab_batches(
    path: Path,
    names: list[str],
    wanted: list[str],
    report: FileReport,
    header_lines: int = 0,
) -> Iterator[tuple[pa.Table, np.ndarray]]:
    """Batches of the ``wanted`` columns of a tab-separated file, as text, with lines.

    Parameters
    ----------
    path : Path
        The file (or a zip holding it).
    names : list of str
        Every column of a row, in order; rows with another number of fields are skipped
        and recorded in ``report.bad``.
    wanted : list of str
        The columns to keep.
    report : FileReport
        Counts the rows read and collects the skipped ones.
    header_lines : int
        Lines before the first row (1 for a file with a header).
    """
    skipped: list[int] = []

    def invalid(row) -> str:
        line = row.number if row.number is not None else -1
        skipped.append(line)
        report.bad.append(
            BadRow(line, f"has {row.actual_columns} tab-separated fields, not {len(names)}")
        )
        report.rows += 1
        return "skip"

    options = dict(
        read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=header_lines, use_threads=False, block_size=BLOCK_SIZE
        ),
        parse_options=pacsv.ParseOptions(
            delimiter="\t", quote_char=False, ignore_empty_lines=False, invalid_row_handler=invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.binary() for c in wanted},
            include_columns=wanted,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    next_line = header_lines + 1
    with open_binary(path) as f:
        # A plain file is read by Arrow itself (without the GIL, which the checking
        # thread needs); only a zip member goes through Python's file object.
        source = pa.OSFile(str(path)) if isinstance(f, io.BufferedReader) else pa.PythonFile(f)
        try:
            reader = pacsv.open_csv(source, **options)
            for batch in reader:
                pending = sorted(s for s in skipped if s >= next_line)
                lines, next_line = _line_numbers(next_line, batch.num_rows, pending)
                report.rows += batch.num_rows
                yield _as_text(pa.Table.from_batches([batch]), lines, report)
        except pa.ArrowInvalid as exc:
            raise FormatError(f"{path}: cannot be read as tab-separated text: {exc}") from None
