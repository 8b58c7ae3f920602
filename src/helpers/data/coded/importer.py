"""``briefing import``: read machine-coded event files into the package's ``coded_events``.

The import runs in three steps, so that a failure at any point leaves the package as
it was:

1. every file is recognised as the format named (else :class:`~.report.FormatError`,
   and nothing is read further or written);
2. the files are streamed batch by batch through :func:`.rows.normalize` into a
   temporary Parquet file in the package folder (memory stays flat);
3. the events not already stored are merged into ``coded_events.parquet``; states new to
   the package are appended to ``actors.csv`` and the resource is registered in
   ``datapackage.json``. Each file is replaced by rename, actors first, so the events
   never name an actor the package lacks.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from . import gdelt, icews, plover, store
from .actors import ActorMap
from .codes import read_cameo_table
from .report import FileReport, FormatError, ImportReport
from .rows import Lookups, Source, normalize

FORMATS = {"gdelt": gdelt, "icews": icews, "plover": plover}
"""Format name -> its reader module."""


_DONE = object()


def prefetch(items: Iterable, depth: int = 2) -> Iterator:
    """``items``, produced by a background thread up to ``depth`` ahead.

    Parsing the next batch (in pyarrow, without the GIL) then overlaps checking and
    writing this one. An exception in the producer is raised here, in order.
    """
    box: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                box.put(item)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            box.put(exc)
            return
        box.put(_DONE)

    thread = threading.Thread(target=produce, name="coded-import-read", daemon=True)
    thread.start()
    try:
        while (item := box.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let the producer see ``stop`` and end
            try:
                box.get(timeout=0.1)
            except queue.Empty:
                pass
        thread.join()


def import_files(fmt: str, paths: list[Path], data_dir: Path) -> ImportReport:
    """Import machine-coded event files into the data package in ``data_dir``.

    Parameters
    ----------
    fmt : {'gdelt', 'icews', 'plover'}
        The files' format.
    paths : list of Path
        The files (each may be a zip holding one file).
    data_dir : Path
        The data package folder (with ``datapackage.json``, ``actors.csv``, ``cameo.csv``).

    Returns
    -------
    ImportReport
        Rows read, skipped (by line, with reasons) and added, and actors added.

    Raises
    ------
    FormatError
        When a file is not recognisable as ``fmt`` (or cannot be read); nothing is written.
    """
    if fmt not in FORMATS:
        raise FormatError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    reader = FORMATS[fmt]
    data_dir = Path(data_dir)
    for name in ("datapackage.json", "actors.csv", "cameo.csv"):
        if not (data_dir / name).is_file():
            raise FormatError(f"{data_dir}: not a data package: {name} is missing")
    infos = [(Path(p), reader.recognise(Path(p))) for p in paths]
    lookups = Lookups(
        cameo=read_cameo_table(data_dir / "cameo.csv"),
        actors=ActorMap.read(data_dir / "actors.csv"),
    )
    report = ImportReport(dataset=reader.DATASET, table=data_dir / store.FILE_NAME)
    parquet, new = store.empty_writer(data_dir, ".coded_events.new.")
    writer = store.MonthGroups(parquet)
    pending: list[Future] = []
    try:
        with writer, ThreadPoolExecutor(1, thread_name_prefix="coded-import-write") as pool:
            for path, info in infos:
                file_report = FileReport(path)
                report.files.append(file_report)
                for raw, lines in prefetch(reader.batches(path, info, file_report)):
                    source = Source(
                        dataset=reader.DATASET,
                        file_name=path.name,
                        labels=reader.labels(info),
                        plover=reader.PLOVER,
                        unit=file_report.unit,
                    )
                    table = normalize(raw, lines, source, lookups, file_report.bad)
                    # Written in the background, in order; at most two tables wait.
                    pending.append(pool.submit(writer.write_table, table))
                    while len(pending) > 2:
                        pending.pop(0).result()
            for future in pending:
                future.result()
            for f in report.files:
                f.bad.sort(key=lambda b: b.line)
    except BaseException:
        new.unlink(missing_ok=True)
        raise
    import pyarrow.parquet as pq

    if pq.ParquetFile(new).metadata.num_rows == 0:  # no good row: nothing to write
        new.unlink(missing_ok=True)
        return report
    lookups.actors.write()
    report.new_actors = sorted(lookups.actors.added)
    store.register(data_dir)
    report.added, report.already_present = store.merge(data_dir, new)
    return report
