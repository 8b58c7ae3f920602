"""Signals from coded events: answers worked out by hand from small frames and the fixtures."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from helpers.analysis.signals import (
    QUADS,
    cooperation,
    corroboration,
    dyad_events,
    monthly_quad_counts,
    totals_by_dataset,
    unreviewed_spikes,
)
from helpers.data.coded.importer import import_files
from helpers.data.coded.store import read_window
from helpers.data.dataset import load_dataset, rollup_map

CODED = Path(__file__).parents[1] / "fixtures" / "coded"
ROLL = {"IND": "IND", "JAISHANKAR": "IND", "AFG": "AFG", "TALIBAN": "AFG", "PAK": "PAK"}
NAN = float("nan")

# dataset, id, date, from, to, root, quad, goldstein, tone, url
ROWS = [
    ("gdelt", "c1", "2025-05-02", "IND", "AFG", "04", 1, 1.0, 2.0, "u1"),
    ("gdelt", "c2", "2025-05-02", "TALIBAN", "IND", "04", 1, 2.8, 1.0, "u2"),
    ("icews", "c3", "2025-05-03", "AFG", "JAISHANKAR", "11", 3, -2.0, NAN, None),
    ("gdelt", "c4", "2025-05-10", "IND", "PAK", "04", 1, 1.0, 0.0, "u4"),
    ("gdelt", "c5", "2025-05-20", "IND", "AFG", "19", 4, -10.0, -5.0, "u5"),
    ("gdelt", "c6", "2025-05-20", "IND", "AFG", "19", 4, -10.0, -3.0, "u6"),
    ("gdelt", "c7", "2025-05-20", "AFG", "IND", "19", 4, -10.0, -4.0, "u5"),
    ("plover", "c8", "2025-04-15", "IND", "AFG", "04", 1, 1.0, NAN, None),
    ("gdelt", "c9", "2025-06-01", "IND", "AFG", "04", 1, 1.0, 0.0, "u9"),
]


def coded(rows=ROWS) -> pd.DataFrame:
    cols = ["dataset", "event_id", "date", "actor1_id", "actor2_id", "cameo_root",
            "quad_class", "goldstein", "tone", "source_url"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=cols)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def curated() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["call", "statement", "elsewhere"],
            "date": pd.to_datetime(["2025-05-02", "2025-04-01", "2025-05-10"]),
            "interval_end": pd.to_datetime(["2025-05-02", "2025-04-01", "2025-05-10"]),
            "cameo_code": ["041", "112", "040"],
            "from_stakeholder": ["IND", "AFG", "IND"],
            "to_stakeholder": ["AFG", "IND", "PAK"],
        }
    )


def window(frame):
    return frame[(frame["date"] >= "2025-05-01") & (frame["date"] <= "2025-05-31")]


def test_dyad_events_roll_people_and_groups_up_either_way():
    dyad = dyad_events(coded(), ROLL, "IND", "AFG")
    # Every row but c4 (IND-PAK); c2 is the Taliban (AFG), c3 Jaishankar (IND).
    assert list(dyad["event_id"]) == ["c1", "c2", "c3", "c5", "c6", "c7", "c8", "c9"]
    assert list(dyad.loc[dyad["event_id"] == "c2", "from_stakeholder"]) == ["AFG"]


def test_totals_per_dataset_in_the_window():
    dyad = window(dyad_events(coded(), ROLL, "IND", "AFG"))
    totals = totals_by_dataset(dyad)
    assert totals.to_dict("records") == [
        {"dataset": "gdelt", "events": 5},  # c1 c2 c5 c6 c7
        {"dataset": "icews", "events": 1},  # c3
    ]


def test_monthly_counts_by_quadclass():
    table = monthly_quad_counts(dyad_events(coded(), ROLL, "IND", "AFG"))
    assert list(table.index) == ["2025-04", "2025-05", "2025-06"]
    assert list(table.columns) == list(QUADS.values())
    assert table.loc["2025-04"].tolist() == [1, 0, 0, 0]  # c8
    assert table.loc["2025-05"].tolist() == [2, 0, 1, 3]  # c1 c2 | c3 | c5 c6 c7
    assert table.loc["2025-06"].tolist() == [1, 0, 0, 0]  # c9


def test_goldstein_weighted_net_cooperation_and_tone_against_the_comparison_period():
    dyad = dyad_events(coded(), ROLL, "IND", "AFG")
    table = cooperation(
        dyad, {"window": ("2025-05-01", "2025-05-31"), "previous": ("2025-03-31", "2025-04-30")}
    )
    w, p = table.loc["window"], table.loc["previous"]
    assert w["events"] == 6
    assert w["net_goldstein"] == pytest.approx(1.0 + 2.8 - 2.0 - 10 - 10 - 10)  # -28.2
    assert w["mean_goldstein"] == pytest.approx(-28.2 / 6)
    assert w["mean_tone"] == pytest.approx((2.0 + 1.0 - 5.0 - 3.0 - 4.0) / 5)  # c3 has none
    assert (p["events"], p["net_goldstein"]) == (1, 1.0)  # c8
    assert math.isnan(p["mean_tone"])


def test_corroboration_within_three_days_and_a_compatible_root():
    dyad = dyad_events(coded(), ROLL, "IND", "AFG")
    table = corroboration(curated(), dyad, "IND", "AFG")
    # call (2 May, 041): c1 and c2 (2 May, root 04); c9 (1 June) is too late.
    # statement (1 April, 112): nothing within 29 March - 4 April. elsewhere: IND-PAK.
    assert table.to_dict("records") == [
        {"event_id": "call", "cameo_code": "041", "coded_matches": 2, "datasets": "gdelt",
         "corroborated": True},
        {"event_id": "statement", "cameo_code": "112", "coded_matches": 0, "datasets": "",
         "corroborated": False},
    ]  # fmt: skip


def test_corroboration_needs_the_same_root():
    dyad = dyad_events(coded(), ROLL, "IND", "AFG")
    cur = curated().assign(cameo_code=["190", "112", "040"])  # the call as if "190"
    assert corroboration(cur, dyad, "IND", "AFG")["coded_matches"].tolist() == [0, 0]


def test_unreviewed_spikes_with_a_median_of_zero():
    dyad = dyad_events(coded(), ROLL, "IND", "AFG")
    table = unreviewed_spikes(dyad, curated(), "IND", "AFG", "2025-05-01", "2025-05-31")
    # Daily counts in May: 2 May 2, 3 May 1, 20 May 3, 28 days 0: median 0, so every day
    # with an event spikes; 2 May has the curated call.
    assert table["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-05-03", "2025-05-20"]
    assert table["events"].tolist() == [1, 3]
    assert table["urls"].tolist() == [[], ["u5", "u6"]]
    assert table["median"].tolist() == [0.0, 0.0]


def test_a_spike_is_more_than_three_times_the_median():
    rows = [("gdelt", f"d{i}-{k}", day, "IND", "AFG", "04", 1, 1.0, 0.0, f"u{i}")
            for i, (day, n) in enumerate([("2025-05-01", 1), ("2025-05-02", 1),
                                          ("2025-05-03", 3), ("2025-05-04", 4),
                                          ("2025-05-05", 1)])
            for k in range(n)]  # fmt: skip
    dyad = dyad_events(coded(rows), ROLL, "IND", "AFG")
    none = curated().iloc[:0]
    table = unreviewed_spikes(dyad, none, "IND", "AFG", "2025-05-01", "2025-05-05")
    # Counts 1, 1, 3, 4, 1: median 1; only 4 > 3 x 1 (3 is not more than 3).
    assert table[["events", "median"]].values.tolist() == [[4, 1.0]]


def test_signals_from_an_imported_gdelt_file_and_the_curated_record(make_package):
    folder = make_package()
    import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], folder)
    data = load_dataset(folder)
    roll = rollup_map(data.actors)
    may = read_window(folder, dt.date(2025, 5, 1), dt.date(2025, 5, 31)).to_pandas()
    assert len(may) == 6  # every good row of the file is dated in May
    dyad = dyad_events(may, roll, "IND", "AFG")
    assert totals_by_dataset(dyad).to_dict("records") == [{"dataset": "gdelt", "events": 3}]
    table = corroboration(data.engagements, dyad, "IND", "AFG")
    call = table.set_index("event_id").loc["jaishankar-muttaqi-call"]
    # The call is dated May 2025 (041): of 1001 (040), 1002 (0311), 1007 (190) only 1001.
    assert (call["coded_matches"], call["corroborated"]) == (1, True)


def test_read_window_reads_only_the_window(make_package):
    folder = make_package()
    import_files("gdelt", [CODED / "gdelt_v1.export.CSV", CODED / "gdelt_v1_backfile.CSV"], folder)
    march = read_window(folder, dt.date(2025, 3, 2), dt.date(2025, 3, 31), ["event_id", "date"])
    assert march.column("event_id").to_pylist() == ["2002"]  # 2001 is 1 March, 3001 in 2013
    assert read_window(make_package(), dt.date(2025, 1, 1), dt.date(2025, 12, 31)).num_rows == 0
