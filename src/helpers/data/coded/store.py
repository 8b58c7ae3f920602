"""The ``coded_events`` table: machine-coded events stored as Parquet in the data package.

One row per coded event, whatever dataset it came from. Its key is the dataset, the
dataset's own event id and the event date: ICEWS reuses an ``Event ID`` on another
date, and GDELT and PLOVER ids are unique on their own, so the date costs them nothing.
:data:`FIELDS` is the one definition of the columns: it gives the Arrow schema and the
resource that :func:`register` writes into ``datapackage.json``.

Every write is atomic: the new table is written to a temporary file in the package
folder and renamed over the old one, so a reader sees the old table or the new one,
never a half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..memory import trim_heap
from .actors import atomic_write, file_mode

RESOURCE = "coded_events"
FILE_NAME = "coded_events.parquet"
KEY = ["dataset", "event_id", "date"]
ROW_GROUP = 65_536
"""Most rows in a Parquet row group: a window's read skips groups whose dates are outside it."""
HELD_ROWS = 1 << 19
"""Rows an import holds back to sort by date before writing them (about 150 MB)."""

FIELDS = [
    ("dataset", pa.string(), "string", "Dataset of origin: gdelt, icews or plover."),
    ("event_id", pa.string(), "string", "The dataset's own event id (GLOBALEVENTID, Event ID)."),
    ("date", pa.date32(), "date", "Event date: GDELT SQLDATE, ICEWS Event Date, PLOVER date."),
    ("actor1_code", pa.string(), "string", "Source actor's code as the dataset gives it."),
    ("actor1_name", pa.string(), "string", "Source actor's name as the dataset gives it."),
    ("actor1_country", pa.string(), "string", "Source actor's country as the dataset gives it."),
    ("actor1_id", pa.string(), "string", "Source actor mapped to actors.csv; empty if none."),
    ("actor2_code", pa.string(), "string", "Target actor's code as the dataset gives it."),
    ("actor2_name", pa.string(), "string", "Target actor's name as the dataset gives it."),
    ("actor2_country", pa.string(), "string", "Target actor's country as the dataset gives it."),
    ("actor2_id", pa.string(), "string", "Target actor mapped to actors.csv; empty if none."),
    ("cameo_code", pa.string(), "string", "CAMEO event code (PLOVER: through the crosswalk)."),
    ("cameo_root", pa.string(), "string", "The code's two-digit CAMEO root."),
    ("plover_type", pa.string(), "string", "PLOVER event category (PLOVER records only)."),
    ("goldstein", pa.float64(), "number", "Goldstein value: cameo.csv's, else the dataset's."),
    ("goldstein_from", pa.string(), "string", "Where goldstein comes from: cameo.csv or dataset."),
    (
        "quad_class",
        pa.int8(),
        "integer",
        "1-4: verbal/material cooperation, verbal/material conflict.",
    ),
    ("mentions", pa.int64(), "integer", "GDELT NumMentions (not normalised)."),
    ("sources", pa.int64(), "integer", "GDELT NumSources."),
    ("articles", pa.int64(), "integer", "GDELT NumArticles."),
    ("tone", pa.float64(), "number", "GDELT AvgTone."),
    ("source_url", pa.string(), "string", "Source article URL (GDELT SOURCEURL)."),
    ("publisher", pa.string(), "string", "Publisher (ICEWS, POLECAT), when there is no URL."),
    ("story_id", pa.string(), "string", "Story id (ICEWS)."),
    ("source_file", pa.string(), "string", "Name of the file the row was imported from."),
    ("source_line", pa.int64(), "integer", "Line (JSON array: record) of the row in that file."),
]

SCHEMA = pa.schema([pa.field(name, kind) for name, kind, _, _ in FIELDS])

UNIQUE_VALUED = {"event_id", "tone", "source_url", "story_id", "source_line"}
"""Columns whose values rarely repeat: not dictionary-encoded (it would only be undone)."""

WITH_STATISTICS = ["dataset", "date", "actor1_id", "actor2_id"]
"""Columns whose min and max are written per row group: those a read filters on
(:func:`read_window`). The others' would cost 0.2 CPU s per 2M rows imported (the text
columns' minima and maxima) and no read uses them."""


def resource() -> dict:
    """Return the ``coded_events`` resource of ``datapackage.json``.

    ``x-imported-by`` tells the validator that ``briefing import`` writes and checks the
    rows; the validator checks the file's columns and actor ids only.
    """
    return {
        "name": RESOURCE,
        "path": FILE_NAME,
        "profile": "tabular-data-resource",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "description": (
            "Machine-coded events (GDELT, ICEWS, PLOVER/POLECAT) imported by `briefing "
            "import`; kept apart from the curated engagements. See README.md."
        ),
        "x-imported-by": "briefing import",
        "schema": {
            "fields": [
                {"name": name, "type": kind, "description": text} for name, _, kind, text in FIELDS
            ],
            "primaryKey": list(KEY),
            # Frictionless reads Parquet through pandas, where a missing whole number
            # comes back as NaN: "nan" is a missing value, not a bad integer.
            "missingValues": ["", "nan"],
            "foreignKeys": [
                {"fields": col, "reference": {"resource": "actors", "fields": "actor_id"}}
                for col in ("actor1_id", "actor2_id")
            ],
        },
    }


def register(data_dir: Path) -> bool:
    """Add the ``coded_events`` resource to ``datapackage.json`` if it is not there.

    Returns True when the file was changed (written whole, by rename).
    """
    path = Path(data_dir) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    names = [r.get("name") for r in package.get("resources", [])]
    if RESOURCE in names:
        return False
    package.setdefault("resources", []).append(resource())
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, text.encode("utf-8"))
    return True


def empty_writer(folder: Path, prefix: str) -> tuple[pq.ParquetWriter, Path]:
    """Return a Parquet writer of :data:`SCHEMA` on a new temporary file in ``folder``."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".parquet.tmp", dir=folder)
    os.close(fd)
    dictionary = [f.name for f in SCHEMA if f.name not in UNIQUE_VALUED]
    writer = pq.ParquetWriter(
        name, SCHEMA, use_dictionary=dictionary, write_statistics=WITH_STATISTICS
    )
    return writer, Path(name)


def date_order(days: np.ndarray) -> np.ndarray | None:
    """Row order that sorts ``days`` (whole days), ties in their order; None if sorted.

    Days are taken as offsets from the first, in 16 bits when they fit (a flush spans a
    few years at most), for which NumPy's stable sort is a radix sort.
    """
    if len(days) < 2 or bool((days[1:] >= days[:-1]).all()):
        return None
    first = int(days.min())
    if int(days.max()) - first < 1 << 15:
        days = (days - first).astype(np.int16)
    return np.argsort(days, kind="stable")


class MonthGroups:
    """Write coded events so that each Parquet row group holds one month's dates.

    Files of machine-coded events are not in date order (a day's GDELT file codes
    stories about earlier days too), so row groups written in file order would each
    span years and no window's read could skip one. Rows are held back up to
    :data:`HELD_ROWS`, sorted by date, and written as one row group per month (at most
    :data:`ROW_GROUP` rows each): memory stays bounded, and a read of a window opens
    only the groups of its months.

    Parameters
    ----------
    writer : pyarrow.parquet.ParquetWriter
        The file to write to; closed by :meth:`close`.
    """

    def __init__(self, writer: pq.ParquetWriter):
        self.writer = writer
        self.held: list[pa.Table] = []
        self.rows = 0

    def write_table(self, table: pa.Table) -> None:
        """Add ``table``'s rows (of :data:`SCHEMA`); write them once enough are held."""
        self.held.append(table)
        self.rows += table.num_rows
        if self.rows >= HELD_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write the held rows, one row group per month (months in order, dates in order)."""
        if not self.rows:
            return
        table = pa.concat_tables(self.held)
        self.held, self.rows = [], 0
        days = table.column("date").cast(pa.int32()).to_numpy()
        months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        if table.num_rows > ROW_GROUP or months.min() != months.max():
            order = date_order(days)
            if order is not None:
                # One copy of the rows in date order, then slices: cheaper than a filter
                # per month plus a sort of the long months (1.2-1.35 against 1.5-1.8
                # CPU s per 2M rows, in process).
                table, months = table.take(pa.array(order)), months[order]
        starts = np.flatnonzero(months[1:] != months[:-1]) + 1
        bounds = [0, *starts.tolist(), len(months)]
        for first, end in zip(bounds[:-1], bounds[1:]):
            for at in range(first, end, ROW_GROUP):
                group = table.slice(at, min(ROW_GROUP, end - at))
                self.writer.write_table(group, row_group_size=group.num_rows)

    def close(self) -> None:
        """Write what is held and close the file."""
        try:
            self.flush()
        finally:
            self.writer.close()
        # The reading, checking and writing threads each free into their own glibc
        # arena, which keeps what it is given (the import's RSS reached 1.6 GB at 10
        # million rows while Arrow held 0.4 GB); once here, not after every write,
        # since pages given back are faulted in again (0.8 s of CPU per 2M rows).
        trim_heap()

    def __enter__(self) -> MonthGroups:  # noqa: D105
        return self

    def __exit__(self, kind, value, trace) -> None:  # noqa: D105
        if kind is None:
            self.close()
        else:  # the import failed: its file is removed, so what is held is not written
            self.writer.close()


def _keys(path: Path) -> pa.Table:
    return pq.read_table(path, columns=KEY)


def _ids(path: Path) -> pa.ChunkedArray:
    return pq.read_table(path, columns=["event_id"]).column("event_id")


def _suspects(ids: pa.ChunkedArray, old_ids: pa.ChunkedArray) -> np.ndarray:
    """Mask of the ``ids`` that are among ``old_ids`` or repeat within ``ids``.

    When every id is digits (GDELT's), they are compared as whole numbers by sorting,
    which is several times faster than hashing text and holds a fraction of the memory
    (Arrow's distinct count of 10 million values held 1.8 GB). Equal ids give equal
    numbers, so a number seen twice only makes its rows suspects, whose full keys are
    then compared as text: the answer does not change.
    """
    try:
        new, old = (pc.cast(i, pa.int64()).to_numpy() for i in (ids, old_ids))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        suspect = pc.is_in(ids, value_set=pc.unique(old_ids))
        if pc.count_distinct(ids).as_py() < len(ids):
            counts = pc.value_counts(ids)
            again = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
            suspect = pc.or_(suspect, pc.is_in(ids, value_set=again))
        return pc.fill_null(suspect, False).to_numpy(zero_copy_only=False)
    ordered = np.sort(new, kind="stable")  # a radix sort for whole numbers
    again = ordered[1:][ordered[1:] == ordered[:-1]]
    suspect = np.isin(new, again) if len(again) else np.zeros(len(new), dtype=bool)
    if len(old):
        suspect |= np.isin(new, old)
    return suspect


def _first_rows(keys: pa.Table) -> np.ndarray:
    """Mask of the first row of each key in ``keys``."""
    keys = keys.append_column("row", pa.array(np.arange(keys.num_rows, dtype=np.int64)))
    first = keys.group_by(KEY, use_threads=False).aggregate([("row", "min")])
    keep = np.zeros(keys.num_rows, dtype=bool)
    keep[first.column("row_min").to_numpy()] = True
    return keep


def first_of_each_key(existing: Path | None, new: Path) -> np.ndarray:
    """Mask of the rows of ``new`` to add: not in ``existing``, and each key's first row.

    Only rows whose event id is stored already, or repeats within ``new``, can be left
    out; the full key is compared for those alone, so a first import of unique events
    (the common case, millions of rows) costs one look at its ids.
    """
    ids = _ids(new)
    old_ids = _ids(existing) if existing is not None else ids.slice(0, 0)
    rows = np.flatnonzero(_suspects(ids, old_ids))
    del old_ids
    keep = np.ones(len(ids), dtype=bool)
    if not len(rows):
        return keep
    fresh = _keys(new)
    old = _keys(existing) if existing is not None else fresh.slice(0, 0)
    named = pc.unique(fresh.column("event_id").take(pa.array(rows)))
    old = old.filter(pc.is_in(old.column("event_id"), value_set=named))
    both = pa.concat_tables([old, fresh.take(pa.array(rows))])
    keep[rows] = _first_rows(both)[old.num_rows :]
    return keep


def merge(data_dir: Path, new: Path) -> tuple[int, int]:
    """Add the rows of the temporary table ``new`` to the package's table.

    Rows whose key is already stored, or repeats a row before it, are left out. The
    merged table is written to a temporary file and renamed into place; ``new`` is
    removed. Returns (rows added, rows left out).
    """
    target = Path(data_dir) / FILE_NAME
    existing = target if target.exists() else None
    try:
        keep = first_of_each_key(existing, new)
        added = int(keep.sum())
        if added == 0:
            return 0, len(keep)
        if existing is None and added == len(keep):  # a first import with no repeats
            os.chmod(new, file_mode(target))
            os.replace(new, target)
            return added, 0
        writer, tmp = empty_writer(target.parent, f".{FILE_NAME}.")
        try:
            # group by group, so that each keeps its span of dates (see MonthGroups)
            with writer:
                if existing is not None:
                    old = pq.ParquetFile(existing)
                    for i in range(old.num_row_groups):
                        group = old.read_row_group(i)
                        writer.write_table(group, row_group_size=max(group.num_rows, 1))
                start, added_file = 0, pq.ParquetFile(new)
                for i in range(added_file.num_row_groups):
                    group = added_file.read_row_group(i)
                    mask = keep[start : start + group.num_rows]
                    start += group.num_rows
                    if mask.any():
                        group = group.filter(pa.array(mask))
                        writer.write_table(group, row_group_size=group.num_rows)
            os.chmod(tmp, file_mode(target))
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return added, len(keep) - added
    finally:
        new.unlink(missing_ok=True)


def check(path: Path, actor_ids: set[str]) -> list[tuple[str, str | None, str | None]]:
    """Say what is wrong with a stored ``coded_events`` file, for the validator.

    The rows were checked as they were imported; this checks what can change after:
    the file is readable Parquet with the columns of :data:`SCHEMA`, and every mapped
    actor id is in ``actors.csv``. Only the schema and the two actor columns are read.
    Returns (message, column, value) triples.
    """
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as exc:
        return [(f"cannot be read as Parquet: {exc}", None, None)]
    missing = [f.name for f in SCHEMA if f.name not in schema.names]
    if missing:
        return [(f"required column {c!r} is missing", c, None) for c in missing]
    out = []
    for col in ("actor1_id", "actor2_id"):
        values = pq.read_table(path, columns=[col]).column(col).unique().drop_null()
        for value in sorted(set(values.to_pylist()) - actor_ids):
            out.append((f"{value!r} is not a known actor_id in actors.csv", col, value))
    return out


def read_window(
    data_dir: Path, start, end, columns: list[str] | None = None, *, actors=None
) -> pa.Table:
    """Return the stored coded events dated from ``start`` to ``end`` (inclusive).

    The date filter is pushed down to the Parquet reader: row groups whose date
    statistics lie outside the window are not read (an import writes one month per
    row group, :class:`MonthGroups`, so a window opens only its months' groups).
    Returns an empty table of :data:`SCHEMA` when the package has no coded events.

    Parameters
    ----------
    data_dir : Path
        The data package folder.
    start, end : datetime.date or pandas.Timestamp
        First and last day of the window.
    columns : list of str, optional
        Columns to read (default: all).
    actors : collection of str, optional
        Keep only the events whose two mapped actors (``actor1_id``, ``actor2_id``) are
        both among these, filtered as the file is read: a dyad's few rows out of
        millions are all that is held in memory.
    """
    import datetime as dt

    import pyarrow.dataset as ds

    path = Path(data_dir) / FILE_NAME
    wanted = columns or SCHEMA.names
    if not path.exists():
        return SCHEMA.empty_table().select(wanted)

    def day(value) -> pa.Scalar:
        value = value.date() if isinstance(value, dt.datetime) else value
        return pa.scalar(value, pa.date32())

    where = (ds.field("date") >= day(start)) & (ds.field("date") <= day(end))
    if actors is not None:
        ids = pa.array(sorted(actors), pa.string())
        where &= ds.field("actor1_id").isin(ids) & ds.field("actor2_id").isin(ids)
    return pq.read_table(path, columns=wanted, filters=where)


def has_events(data_dir: Path) -> bool:
    """Whether the package at ``data_dir`` holds at least one coded event.

    Only the Parquet footer is read, and only when the file exists.
    """
    path = Path(data_dir) / FILE_NAME
    if not path.is_file():
        return False
    try:
        return pq.read_metadata(path).num_rows > 0
    except (OSError, pa.ArrowException):
        return True  # a broken file: let validation name the problem
