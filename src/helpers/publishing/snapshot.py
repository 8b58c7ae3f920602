"""The window's events as a build records them, for "since the last version".

Each version writes ``events.json`` (event id -> the event's fields as JSON text); the next
version compares its own with it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

SNAPSHOT_FIELDS = (
    "date", "date_precision", "end_date", "status", "fulfils", "event_type", "cameo_code",
    "actor_from", "actor_to", "location", "level_from", "level_to", "topics", "summary",
    "milestone", "source_ids", "confidence", "notes",
)  # fmt: skip


def event_snapshot(events: pd.DataFrame) -> dict[str, str]:
    """Snapshot the window's ``events`` for "since the last version".

    The snapshot maps event id -> the JSON text of its fields, as
    ``json.dumps(fields, sort_keys=True)`` writes it.

    Dates are YYYY-MM-DD, missing values '', everything else text. Built column by
    column (a window of a million-event record holds tens of thousands of events), with
    the C string encoder json itself uses, and without a dictionary per event.
    """
    encode = json.encoder.encode_basestring_ascii  # json.dumps's own, for ensure_ascii
    columns = []
    for f in SNAPSHOT_KEYS:
        col = events[f]
        if hasattr(col, "dt"):
            col = col.dt.strftime("%Y-%m-%d")
        columns.append(map(encode, col.fillna("").astype(str).tolist()))
    return dict(zip(events["event_id"].tolist(), (SNAPSHOT_TEXT % v for v in zip(*columns))))


SNAPSHOT_KEYS = tuple(sorted(SNAPSHOT_FIELDS))


SNAPSHOT_TEXT = "{" + ", ".join(f'"{f}": %s' for f in SNAPSHOT_KEYS) + "}"


def write_snapshot(snapshot: dict[str, str], path: Path) -> None:
    """``events.json``: one event per line, in event id order."""
    encode = json.encoder.encode_basestring_ascii
    lines = (f"{encode(k)}:{snapshot[k]}" for k in sorted(snapshot))
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def read_snapshot(path: Path) -> dict[str, str]:
    """Read an ``events.json`` as :func:`event_snapshot` gives it (event id -> JSON text).

    Files written one event per line are read line by line; any other layout (older
    versions wrote it indented) is parsed whole and each event written out again.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines[:1] == ["{"] and lines[-2:] == ["}", ""]:
        decoder, out = json.JSONDecoder(), {}
        try:
            for line in lines[1:-2]:
                key, at = decoder.raw_decode(line)
                body = line[at + 1 :].removesuffix(",")
                if line[at] != ":" or not isinstance(key, str):
                    raise ValueError(line)
                out[key] = body
            return out
        except ValueError:
            pass
    return {k: json.dumps(v, sort_keys=True) for k, v in json.loads(text).items()}


def diff_snapshots(old: dict[str, str] | None, new: dict[str, str]) -> dict | None:
    """Events added, removed and changed (with the changed fields) between two snapshots."""
    if old is None:
        return None
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = {}
    for eid in sorted(set(old) & set(new)):
        if old[eid] != new[eid]:  # equal texts are equal events; parse only the others
            before, after = json.loads(old[eid]), json.loads(new[eid])
            fields = [f for f in SNAPSHOT_FIELDS if before.get(f, "") != after.get(f, "")]
            if fields:
                changed[eid] = fields
    return {"added": added, "removed": removed, "changed": changed}


def _write_snapshot(events: pd.DataFrame, prev_file: Path | None, out: Path) -> dict | None:
    """Write the window's :func:`event_snapshot` to ``out`` and return its changes.

    The changes are those since the snapshot in ``prev_file`` (None for a first version,
    or when that file is missing).

    Neither snapshot outlives this call (at a million events each is tens of MB).
    """
    snapshot = event_snapshot(events)
    previous = read_snapshot(prev_file) if prev_file is not None and prev_file.is_file() else None
    changes = diff_snapshots(previous, snapshot)
    write_snapshot(snapshot, out)
    return changes
