"""The event snapshot behind "since the last version" (``events.json``) and its diff."""

from __future__ import annotations

import json

import pandas as pd

from helpers.data.dataset import load_dataset
from helpers.data.periods import format_event_date
from helpers.publishing.build import (
    SNAPSHOT_FIELDS,
    diff_snapshots,
    event_snapshot,
    read_snapshot,
    write_snapshot,
)
from helpers.publishing.provenance import CHANGES_LIMIT, changes_html


def _events() -> pd.DataFrame:
    row = {f: "" for f in SNAPSHOT_FIELDS}
    row.update(
        date=pd.Timestamp("2025-05-15"),
        end_date=pd.NaT,
        date_precision="day",
        status="occurred",
        event_type="call",
        cameo_code="040",
        actor_from="IND",
        actor_to="AFG",
        level_from="minister",
        level_to="secretary",
        topics="trade",
        summary='Talks in Kābul, "warm"',
        source_ids="S1;S2",
        confidence="high",
        milestone=None,
    )
    frame = pd.DataFrame([{"event_id": "e-1", **row}])
    for col in frame.columns:
        if col not in ("date", "end_date"):
            frame[col] = frame[col].astype("str")
    return frame


def test_snapshot_text_is_what_json_dumps_writes_for_the_fields():
    text = event_snapshot(_events())["e-1"]
    # Worked out by hand: keys sorted, ", " and ": " separators, non-ASCII escaped,
    # the missing end date and milestone as ''.
    assert text == (
        '{"actor_from": "IND", "actor_to": "AFG", "cameo_code": "040", '
        '"confidence": "high", "date": "2025-05-15", "date_precision": "day", '
        '"end_date": "", "event_type": "call", "fulfils": "", "level_from": "minister", '
        '"level_to": "secretary", "location": "", '
        '"milestone": "", "notes": "", "source_ids": "S1;S2", "status": "occurred", '
        '"summary": "Talks in K\\u0101bul, \\"warm\\"", "topics": "trade"}'
    )
    assert json.loads(text)["summary"] == 'Talks in Kābul, "warm"'


def test_events_json_reads_back_in_either_layout(tmp_path):
    snapshot = {"b-2": '{"summary": "two"}', "a-1": '{"summary": "one, \\"quoted\\": yes"}'}
    path = tmp_path / "events.json"
    write_snapshot(snapshot, path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith('"a-1":')  # one event per line, in id order
    assert json.loads(text) == {"a-1": {"summary": 'one, "quoted": yes'}, "b-2": {"summary": "two"}}
    assert read_snapshot(path) == snapshot
    # Versions built before this layout wrote the file indented.
    old = tmp_path / "old.json"
    old.write_text(json.dumps({k: json.loads(v) for k, v in snapshot.items()}, indent=2))
    assert read_snapshot(old) == snapshot


def test_diff_names_added_removed_and_changed_fields():
    old = {
        "a": json.dumps({"summary": "x", "level_to": "minister"}, sort_keys=True),
        "b": json.dumps({"summary": "y", "level_to": "minister"}, sort_keys=True),
        "c": json.dumps({"summary": "z"}, sort_keys=True),
    }
    new = {
        "b": json.dumps({"summary": "y2", "level_to": "leader"}, sort_keys=True),
        # A field the old snapshot did not have, now empty: not a change.
        "c": json.dumps({"summary": "z", "notes": ""}, sort_keys=True),
        "d": json.dumps({"summary": "w"}, sort_keys=True),
    }
    assert diff_snapshots(old, new) == {
        "added": ["d"],
        "removed": ["a"],
        "changed": {"b": ["level_to", "summary"]},  # in SNAPSHOT_FIELDS order
    }
    assert diff_snapshots(None, new) is None


def test_a_first_version_has_no_changes_section():
    # Page one already says "Version 1 is the first version of this edition."
    assert changes_html(None, None, load_dataset()) == ""


def test_changes_list_is_capped_and_counts_the_rest():
    data = load_dataset()
    known = data.engagements["event_id"].iloc[0]
    added = [known] + [f"new-{i:02d}" for i in range(CHANGES_LIMIT + 4)]
    html = changes_html({"added": added, "removed": ["gone"], "changed": {}}, 3, data)
    assert html.count("<li>Added:") == CHANGES_LIMIT
    assert "and 5 more added" in html
    # Named by date and summary, never by id: the first row of data/engagements.csv.
    row = data.engagements.iloc[0]
    assert known not in html
    assert f"<li>Added: {format_event_date(row.date, row.date_precision, row.end_date)}: " in html
    assert "<li>Removed: 1 event of v3 is no longer in the record for this period.</li>" in html
    assert "more removed" not in html
