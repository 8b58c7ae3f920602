"""PLOVER/POLECAT event records: JSON records, and POLECAT's tab-separated files.

- **JSON**, as the PLOVER codebook specifies its records (``id``, ``date``, ``source``
  and ``target`` as lists of ``{"actorText", "code", "sector"}``, ``event``, ``mode``,
  ``context``, ``publication``): a JSON array of records (located by record number),
  one record per line (JSON Lines, located by line), or an object with an ``events``
  list. A compound actor is represented by its first member.
- **POLECAT** ``.txt`` files: tab-separated with a header (Event ID, Event Date, Event
  Type, Event Mode, Event Intensity, Quad Code, ..., Actor Name, Actor Country, ...,
  Recipient Name, Recipient Country, ..., Source, ...). Some published files are
  malformed in two known ways, both read here: stray tabs (empty extra fields at the
  end of the header or of rows, dropped when empty), and extra names in the header
  (such as "Headline") that the rows do not have; rows then follow the standard order
  of :data:`POLECAT_COLUMNS`.

The PLOVER category becomes a CAMEO code through the crosswalk in :mod:`.codes`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from .report import BadRow, FileReport, FormatError
from .rows import RAW
from .tabfile import head_lines, open_binary

POLECAT_COLUMNS = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code",
    "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
    "Actor Sectors", "Actor Title", "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector",
    "Recipient Sectors", "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude",
    "GeoNames ID", "Raw Placename", "Feature Type", "Source", "Publication Date",
    "Story People", "Story Organizations", "Story Locations", "Language", "Version",
]  # fmt: skip
"""The columns of a POLECAT file, in their standard order."""

ALIASES = {"Intensity": "Event Intensity"}
"""Header names some POLECAT releases use for a standard column."""

RAW_FROM_POLECAT = {
    "event_id": "Event ID",
    "date": "Event Date",
    "plover_type": "Event Type",
    "goldstein": "Event Intensity",
    "quad_class": "Quad Code",
    "actor1_name": "Actor Name",
    "actor1_country": "Actor Country",
    "actor1_group": "Primary Actor Sector",
    "actor2_name": "Recipient Name",
    "actor2_country": "Recipient Country",
    "actor2_group": "Primary Recipient Sector",
    "publisher": "Source",
}
REQUIRED = ["Event ID", "Event Date", "Event Type", "Actor Country", "Recipient Country"]
JSON_LABELS = {"event_id": "id", "date": "date", "plover_type": "event", "goldstein": "intensity",
               "quad_class": "quad_code"}  # fmt: skip

DATASET = "plover"
PLOVER = True
CHUNK = 50_000


def recognise(path: Path) -> tuple[str, list[str]]:
    """('json', []) or ('tsv', header) for a PLOVER/POLECAT file; FormatError otherwise."""
    lines = head_lines(path, 1)
    first = lines[0].lstrip() if lines else ""
    if first.startswith(("[", "{")):
        return "json", []
    header = [ALIASES.get(h.strip(), h.strip()) for h in first.split("\t")]
    while header and not header[-1]:
        header.pop()  # stray tabs at the end of the header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FormatError(
            f"{path}, line 1: not a PLOVER/POLECAT file: neither JSON records nor a "
            "tab-separated POLECAT header (it lacks " + ", ".join(map(repr, missing)) + ")"
        )
    return "tsv", header


def labels(info) -> dict[str, str]:
    """Raw column -> the name used in messages."""
    return JSON_LABELS if info[0] == "json" else dict(RAW_FROM_POLECAT)


def _table(rows: list[dict]) -> pa.Table:
    return pa.table({raw: pa.array([r.get(raw, "") for r in rows], pa.string()) for raw in RAW})


def _polecat_rows(path: Path, header: list[str], report: FileReport) -> Iterator[tuple]:
    extra_names = [h for h in header if h and h not in POLECAT_COLUMNS]
    layouts = {len(header): header}
    if extra_names:  # the rows follow the standard order, without the extra names
        layouts.setdefault(len(POLECAT_COLUMNS), POLECAT_COLUMNS)
    chunk, lines = [], []
    with open_binary(path) as f:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", errors="replace", newline="")
        for number, line in enumerate(text, start=1):
            if number == 1:
                continue
            fields = line.rstrip("\r\n").split("\t")
            while len(fields) not in layouts and len(fields) > min(layouts) and not fields[-1]:
                fields.pop()  # stray tabs: empty extra fields
            report.rows += 1
            names = layouts.get(len(fields))
            if names is None:
                report.bad.append(BadRow(number, f"has {len(fields)} tab-separated fields, "
                                                 f"the header has {len(header)}"))  # fmt: skip
                continue
            row = dict(zip(names, fields))
            chunk.append({raw: row.get(col, "") for raw, col in RAW_FROM_POLECAT.items()})
            lines.append(number)
            if len(chunk) >= CHUNK:
                yield _table(chunk), np.array(lines, dtype=np.int64)
                chunk, lines = [], []
    if chunk:
        yield _table(chunk), np.array(lines, dtype=np.int64)


def _first(value) -> dict:
    """The first actor of a PLOVER actor field (a list, one object, or plain text)."""
    if isinstance(value, list):
        value = value[0] if value else {}
    if isinstance(value, str):
        return {"actorText": value}
    return value if isinstance(value, dict) else {}


def _text(value) -> str:
    return "" if value is None else str(value)


def record_row(rec: dict) -> dict:
    """The raw columns of one PLOVER JSON record."""
    src = _first(rec.get("source", rec.get("actor")))
    tgt = _first(rec.get("target", rec.get("recipient")))
    out = {
        "event_id": rec.get("id", rec.get("event_id")),
        "date": rec.get("date", rec.get("event_date")),
        "plover_type": rec.get("event", rec.get("event_type", rec.get("eventType"))),
        "goldstein": rec.get("intensity", rec.get("event_intensity")),
        "quad_class": rec.get("quad_code", rec.get("quad")),
        "publisher": rec.get("publication", rec.get("publisher")),
        "source_url": rec.get("url", rec.get("source_url")),
        "story_id": rec.get("story_id"),
    }
    for side, actor in (("actor1", src), ("actor2", tgt)):
        out[f"{side}_name"] = actor.get("actorText", actor.get("name"))
        out[f"{side}_country"] = actor.get("code", actor.get("country"))
        out[f"{side}_group"] = actor.get("sector")
    return {k: _text(v) for k, v in out.items()}


def _json_records(path: Path, report: FileReport):
    """(records, positions, unit) of a JSON file: an array, an object, or JSON Lines."""
    with open_binary(path) as f:
        text = f.read().decode("utf-8-sig", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        data = data.get("events", data.get("data", [data]))
    if isinstance(data, list):
        return data, list(range(1, len(data) + 1)), "record"
    records, positions = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            records.append(exc)
        positions.append(number)
    if not any(isinstance(r, dict) for r in records):
        raise FormatError(f"{path}: not PLOVER JSON records: no line holds a JSON object")
    return records, positions, "line"


def _json_batches(path: Path, report: FileReport) -> Iterator[tuple]:
    records, positions, where = _json_records(path, report)
    chunk, lines = [], []
    for rec, pos in zip(records, positions):
        report.rows += 1
        if not isinstance(rec, dict):
            why = f"is not valid JSON ({rec.msg})" if isinstance(rec, Exception) else ""
            why = why or "is not a JSON object"
            report.bad.append(BadRow(pos, why, where))
            continue
        chunk.append(record_row(rec))
        lines.append(pos)
    if chunk:
        yield _table(chunk), np.array(lines, dtype=np.int64), where


def batches(path: Path, info, report: FileReport) -> Iterator[tuple]:
    """Raw batches (text columns named as in :data:`.rows.RAW`) and their lines."""
    if info[0] == "json":
        for table, lines, where in _json_batches(path, report):
            report.unit = where
            yield table, lines
        return
    for table, lines in _polecat_rows(path, info[1], report):
        yield table, lines
