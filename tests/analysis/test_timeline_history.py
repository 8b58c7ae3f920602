"""contact_history (the "highest-level contact since" finding) against a plain reference.

The reference is the straightforward rule, written out as a double loop: for a contact,
every other contact of its relationship at the same or a higher level is either earlier
(its whole interval ends before this one's first possible day), overlapping (listed as of
unknown order) or later; the latest earlier one (latest start, then later end, then first
in date order) is the "since". The implementation must agree with it row for row on
randomised records, which exercise ties, overlaps and every precision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.analysis import timeline
from helpers.data.dataset import LEVELS
from helpers.data.periods import format_date, precision_end


def reference(engagements: pd.DataFrame, focus: str, counterpart: str) -> pd.DataFrame:
    """The rule for every contact of every relationship, by brute force."""
    first = engagements.sort_values("date").iloc[0]
    start = format_date(first["date"], "year" if first["date_precision"] == "year" else "month")
    ev = engagements[timeline.contacts(engagements)].copy()
    ev = ev.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
    rel = [
        timeline.relationship_key(a, b, focus, counterpart)
        for a, b in zip(ev["from_stakeholder"], ev["to_stakeholder"])
    ]
    recs = ev.to_dict("records")
    rows = []
    for i, me in enumerate(recs):
        earlier, overlap = [], []
        for k, other in enumerate(recs):
            if k == i or rel[k] != rel[i] or other["level_rank"] > me["level_rank"]:
                continue
            if other["interval_end"] < me["date"]:
                earlier.append(k)
            elif other["date"] <= me["interval_end"]:
                overlap.append(k)
        best = None
        for k in earlier:  # latest start, then later end; ties keep the first in order
            key = (recs[k]["date"], recs[k]["interval_end"])
            if best is None or key > (recs[best]["date"], recs[best]["interval_end"]):
                best = k
        since = recs[best] if best is not None else None
        rows.append(
            {
                "event_id": me["event_id"],
                "relationship": rel[i],
                "since_id": "" if since is None else since["event_id"],
                "since_text": (
                    f"since the record begins in {start}"
                    if since is None
                    else f"since {format_date(since['date'], since['date_precision'])}"
                ),
                "uncertain": tuple(recs[k]["event_id"] for k in overlap),
            }
        )
    return pd.DataFrame(
        rows, columns=["event_id", "relationship", "since_id", "since_text", "uncertain"]
    )


def random_record(seed: int, n: int = 120) -> pd.DataFrame:
    """Engagements as load_dataset types them, crowded into two years for many ties."""
    rng = np.random.default_rng(seed)
    precision = rng.choice(["day", "month", "year"], size=n, p=[0.6, 0.3, 0.1])
    day = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730, n), unit="D")
    date = pd.Series(day)
    date = date.where(precision != "month", date.dt.to_period("M").dt.start_time)
    date = date.where(precision != "year", date.dt.to_period("Y").dt.start_time)
    span = (rng.random(n) < 0.08) & (precision == "day")
    end = pd.Series(pd.NaT, index=range(n), dtype=date.dtype)
    end[span] = date[span] + pd.to_timedelta(rng.integers(1, 200, span.sum()), unit="D")
    prec = pd.Series(precision)
    interval_end = end.where(end.notna(), precision_end(date, prec))
    sides = rng.choice(["IND", "AFG", "PAK"], size=(n, 2), p=[0.45, 0.45, 0.1])
    to = np.where(rng.random(n) < 0.05, "", sides[:, 1])
    level_rank = rng.integers(0, len(LEVELS), n)
    frame = pd.DataFrame(
        {
            "event_id": [f"e{i:03d}" for i in rng.permutation(n)],
            "date": date,
            "date_precision": prec,
            "end_date": end,
            "interval_end": interval_end,
            "status": np.where(rng.random(n) < 0.1, "scheduled", "occurred"),
            "event_type": rng.choice(["meeting", "phone_call", "visit", "statement"], n),
            "from_stakeholder": sides[:, 0],
            "to_stakeholder": to,
            "level": [LEVELS[r] for r in level_rank],
            "level_rank": level_rank,
        }
    )
    return frame.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


COLUMNS = ["event_id", "relationship", "since_id", "since_text", "uncertain"]


@pytest.mark.parametrize("seed", range(12))
def test_focus_dyad_history_matches_the_reference(seed):
    record = random_record(seed)
    want = reference(record, "IND", "AFG")
    want = want[want["relationship"] == "IND|AFG"].reset_index(drop=True)
    got = timeline.contact_history(record, "IND", "AFG")
    assert len(want) > 10  # the record really has focus-dyad contacts to compare
    pd.testing.assert_frame_equal(got[COLUMNS], want[COLUMNS], check_dtype=False)


@pytest.mark.parametrize("seed", range(12, 18))
def test_history_of_chosen_contacts_of_any_relationship_matches(seed):
    record = random_record(seed)
    want = reference(record, "IND", "AFG")
    rng = np.random.default_rng(seed)
    chosen = list(rng.choice(want["event_id"], size=15, replace=False)) + ["not-an-event"]
    got = timeline.contact_history(record, "IND", "AFG", chosen)
    want = want[want["event_id"].isin(chosen)].reset_index(drop=True)
    assert set(want["relationship"]) - {"IND|AFG"}  # other relationships are asked too
    pd.testing.assert_frame_equal(got[COLUMNS], want[COLUMNS], check_dtype=False)


def _contact(event_id, date, precision="day", level="minister", end=None, pair=("IND", "AFG")):
    d = pd.Timestamp(date)
    e = pd.Timestamp(end) if end else pd.NaT
    return {
        "event_id": event_id,
        "date": d,
        "date_precision": precision,
        "end_date": e,
        "interval_end": e if end else precision_end(pd.Series([d]), pd.Series([precision])).iloc[0],
        "status": "occurred",
        "event_type": "meeting",
        "from_stakeholder": pair[0],
        "to_stakeholder": pair[1],
        "level": level,
        "level_rank": LEVELS.index(level),
    }


def _history(*rows):
    record = pd.DataFrame(list(rows)).sort_values(["date", "event_id"]).reset_index(drop=True)
    return timeline.contact_history(record, "IND", "AFG").set_index("event_id")


def test_worked_cases_ties_overlaps_and_levels():
    hist = _history(
        # Two minister meetings on 3 March 2025: same start and end, so the tie goes to
        # the first in date order, 'a-first' (event id order on the same day).
        _contact("b-second", "2025-03-03"),
        _contact("a-first", "2025-03-03"),
        # A leader call known only to 2024 (the whole year): ends before 3 March 2025.
        _contact("leader-2024", "2024-01-01", "year", "leader"),
        # An envoy meeting on 20 March: lower level, so never a "since" for a minister.
        _contact("envoy", "2025-03-20", level="envoy"),
        # A minister visit on 1 April: earlier are a-first, b-second (3 March) and the
        # lower envoy meeting; the latest same-or-higher is a-first (tie, first in order).
        _contact("visit", "2025-04-01"),
        # A minister meeting known to April 2025 overlaps the 1 April visit.
        _contact("april", "2025-04-01", "month"),
        # A span over all of March and April, at leader level.
        _contact("talks", "2025-03-01", level="leader", end="2025-04-30"),
        # Another relationship: never compared with India-Afghanistan.
        _contact("pak", "2025-03-31", level="leader", pair=("IND", "PAK")),
    )
    assert list(hist.index) == [
        "leader-2024",
        "talks",
        "a-first",
        "b-second",
        "envoy",
        "april",
        "visit",
    ]
    # Visit (1 April): earlier minister-or-higher contacts end by 3 March; the leader
    # talks (to 30 April) and the April meeting overlap it.
    assert hist.loc["visit", "since_id"] == "a-first"
    assert hist.loc["visit", "since_text"] == "since 3 March 2025"
    assert hist.loc["visit", "uncertain"] == ("talks", "april")
    # a-first and b-second overlap each other (same day) and the leader talks.
    assert hist.loc["a-first", "uncertain"] == ("talks", "b-second")
    assert hist.loc["a-first", "since_id"] == "leader-2024"
    assert hist.loc["a-first", "since_text"] == "since 2024"
    # The leader talks: only the leader call of 2024 is at its level and earlier; the
    # lower minister meetings inside it are not listed as uncertain.
    assert hist.loc["talks", "since_id"] == "leader-2024"
    assert hist.loc["talks", "uncertain"] == ()
    # The envoy meeting (20 March) sees every higher contact: the 3 March ones are
    # earlier (a-first wins the tie); the talks and nothing else overlap it.
    assert hist.loc["envoy", "since_id"] == "a-first"
    assert hist.loc["envoy", "uncertain"] == ("talks",)
    # The first contact of the relationship reaches back to the record's start.
    assert hist.loc["leader-2024", "since_id"] == ""
    assert pd.isna(hist.loc["leader-2024", "since_date"])
    assert hist.loc["leader-2024", "since_text"] == "since the record begins in 2024"


def test_no_contacts_gives_an_empty_frame_with_the_columns():
    record = pd.DataFrame([_contact("pak", "2025-03-31", pair=("IND", "PAK"))])
    out = timeline.contact_history(record, "IND", "AFG")
    assert out.empty and list(out.columns) == timeline.HISTORY_COLUMNS
