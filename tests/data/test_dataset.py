"""Loading the package into typed frames (helpers.data.dataset), checked against data/ by hand.

Expected values are read off data/engagements.csv, data/cameo.csv and data/actors.csv.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from helpers.data.dataset import data_version, file_hashes, load_dataset, rollup_map
from helpers.data.periods import is_span
from helpers.paths import DATA_DIR

T = pd.Timestamp


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA_DIR)


def event(ds, event_id: str) -> pd.Series:
    rows = ds.engagements[ds.engagements["event_id"] == event_id]
    assert len(rows) == 1
    return rows.iloc[0]


def test_all_rows_load(ds):
    # engagements.csv: 19 lines = header + 18 events; actors.csv 22 actors;
    # positions.csv 11 rows; cameo.csv 19 codes (050 added for the China row, 054 kept
    # unused); sources.csv 2 sources.
    assert len(ds.engagements) == 18
    assert len(ds.actors) == 22
    assert len(ds.positions) == 11
    assert len(ds.cameo) == 19
    assert len(ds.sources) == 2


def test_empty_data_dir_means_the_project_data(ds):
    assert load_dataset("").data_dir == DATA_DIR
    assert load_dataset(None).data_dir == DATA_DIR


def test_goldstein_comes_from_the_cameo_code(ds):
    # jaishankar-muttaqi-call has CAMEO 041 "Discuss by telephone", Goldstein 1.0.
    call = event(ds, "jaishankar-muttaqi-call")
    assert call["cameo_code"] == "041"
    assert call["goldstein"] == 1.0
    assert call["cameo_label"] == "Discuss by telephone"
    # dubai-misri-muttaqi has 044 "Meet at a 'third' location", 2.5.
    dubai = event(ds, "dubai-misri-muttaqi")
    assert dubai["goldstein"] == 2.5
    # pahalgam-attack: 180, -9.0, QuadClass 4 (material conflict).
    attack = event(ds, "pahalgam-attack")
    assert (attack["goldstein"], attack["quad_class"]) == (-9.0, 4)


def test_cameo_codes_stay_text_with_leading_zeros(ds):
    codes = list(ds.engagements["cameo_code"])
    assert all(isinstance(c, str) for c in codes)
    assert "041" in codes and 41 not in codes and "41" not in codes
    # cameo.csv's first code is 010 (make statement); read as a number it would be 10.
    assert ds.cameo["cameo_code"].iloc[0] == "010"
    assert event(ds, "harish-unsc-statement")["cameo_code"] == "010"


def test_rollup_map_on_the_real_actors(ds):
    roll = rollup_map(ds.actors)
    # JAISHANKAR -> IND_MEA -> IND; MUTTAQI -> AFG_MFA -> AFG; UNSC -> UN; IND is top-level.
    assert roll["JAISHANKAR"] == "IND"
    assert roll["MUTTAQI"] == "AFG"
    assert roll["UNSC"] == "UN"
    assert roll["IND"] == "IND"
    # TALIBAN's parent is AFG (the movement acts for the government).
    assert roll["TALIBAN"] == "AFG"


def test_rollup_map_stops_on_a_cycle():
    actors = pd.DataFrame({"actor_id": ["A", "B", "C"], "parent_id": ["B", "A", ""]})
    roll = rollup_map(actors)
    # C has no parent; A and B point at each other. The function must return, and C is
    # its own stakeholder.
    assert roll["C"] == "C"
    assert set(roll) == {"A", "B", "C"}


def test_events_carry_their_stakeholders(ds):
    call = event(ds, "jaishankar-muttaqi-call")
    # actor_from MUTTAQI -> AFG, actor_to JAISHANKAR -> IND.
    assert (call["from_stakeholder"], call["to_stakeholder"]) == ("AFG", "IND")
    # taliban-take-kabul has no actor_to: its stakeholder is empty, not missing.
    assert event(ds, "taliban-take-kabul")["to_stakeholder"] == ""
    # harish-unsc-statement: HARISH -> IND_MEA -> IND, to UNSC -> UN.
    harish = event(ds, "harish-unsc-statement")
    assert (harish["from_stakeholder"], harish["to_stakeholder"]) == ("IND", "UN")


def test_interval_end_at_each_precision(ds):
    # Month precision: 2025-05-01 -> last day of May.
    assert event(ds, "jaishankar-muttaqi-call")["interval_end"] == T("2025-05-31")
    # Month precision in January 2025: 31 days.
    assert event(ds, "dubai-misri-muttaqi")["interval_end"] == T("2025-01-31")
    # Interval precision: its end_date, the last February before the article (2025 is not
    # a leap year), not the end of its start month (February 2022).
    assert event(ds, "china-accepts-ambassador")["interval_end"] == T("2025-02-28")
    # Day precision: the day itself.
    assert event(ds, "pahalgam-attack")["interval_end"] == T("2025-04-22")
    # Year precision: 31 December.
    assert event(ds, "muttaqi-yue-talks")["interval_end"] == T("2025-12-31")
    # A span ends at its end_date (22 April 2025, the earliest the second article can
    # have been written), not at the end of its start month (August 2021).
    aid = event(ds, "india-humanitarian-aid")
    assert aid["end_date"] == T("2025-04-22")
    assert aid["interval_end"] == T("2025-04-22")


def test_only_the_span_and_the_interval_have_an_end_date(ds):
    # engagements.csv gives an end_date on two rows: the aid span and the China interval;
    # only the first is ongoing activity.
    ended = ds.engagements[ds.engagements["end_date"].notna()]
    assert sorted(ended["event_id"]) == ["china-accepts-ambassador", "india-humanitarian-aid"]
    assert list(ended.loc[is_span(ended), "event_id"]) == ["india-humanitarian-aid"]


def test_level_rank_lists_and_order(ds):
    call = event(ds, "jaishankar-muttaqi-call")
    # LEVELS: leader 0, minister 1, secretary 2, senior_official 3, envoy 4, institution 5.
    # A contact takes the lower of its two sides: minister-minister is 1.
    assert (call["level"], call["level_rank"]) == ("minister", 1)
    # Secretary (Misri) and minister (Muttaqi): secretary, 2.
    dubai = event(ds, "dubai-misri-muttaqi")
    assert (dubai["level_from"], dubai["level_to"], dubai["level"]) == (
        "secretary",
        "minister",
        "secretary",
    )
    assert dubai["level_rank"] == 2
    # Minister (Muttaqi) and envoy (Yue): envoy, 4.
    assert event(ds, "muttaqi-yue-talks")["level_rank"] == 4
    # Minister (Araghchi) and an unnamed Afghan side (institution): 5.
    assert event(ds, "araghchi-kabul-visit")["level"] == "institution"
    # No other side (the takeover): level_from alone, institution.
    assert event(ds, "taliban-take-kabul")["level_rank"] == 5
    assert call["topic_list"] == ("trade", "visas", "prisoners", "chabahar", "connectivity")
    # dubai-misri-muttaqi has no topics and two sources.
    dubai = event(ds, "dubai-misri-muttaqi")
    assert dubai["topic_list"] == ()
    assert dubai["source_list"] == ("muttaqi-call-report", "post-pahalgam-analysis")
    # Sorted by date, then event_id: on 2021-08-01, "india-..." sorts before "taliban-...".
    assert list(ds.engagements["event_id"].iloc[:2]) == [
        "india-humanitarian-aid",
        "taliban-take-kabul",
    ]


def test_positions_are_typed(ds):
    ind = ds.positions[ds.positions["actor_id"] == "IND"]
    # IND's three positions in as_of order: stance -1, 1, 2.
    assert list(ind["stance"]) == [-1, 1, 2]
    assert ind["as_of"].iloc[-1] == T("2025-05-31")


def test_stakeholders_are_the_top_level_actors(ds):
    # Actors with an empty parent_id in actors.csv.
    assert set(ds.stakeholders.index) == {
        "IND",
        "IND_CRITICS",
        "AFG",
        "PAK",
        "TTP",
        "IRN",
        "CHN",
        "UN",
        "WEST",
        "PAHALGAM_ATTACKERS",
    }
    assert ds.name_of("MUTTAQI") == "Amir Khan Muttaqi"
    assert ds.name_of("NOBODY") == "NOBODY"


# --- data_version ----------------------------------------------------------------------


def test_data_version_is_twelve_hex_digits_and_ignores_the_folder(ds, make_package):
    assert re.fullmatch(r"[0-9a-f]{12}", ds.version)
    # Two byte-identical copies in different folders: same version as data/ itself.
    a, b = make_package(), make_package()
    assert load_dataset(a).version == ds.version
    assert load_dataset(b).version == ds.version


def test_data_version_changes_with_one_byte(ds, make_package):
    original = (DATA_DIR / "engagements.csv").read_text(encoding="utf-8")
    edited = original.replace(
        "Both articles give August 2021 and no day.", "Both articles give August 2021 and no day!"
    )
    # The premise: same length, exactly one character differs (and it is ASCII: one byte).
    assert len(edited) == len(original)
    assert sum(x != y for x, y in zip(original, edited)) == 1
    changed = load_dataset(make_package(engagements=edited))
    assert changed.version != ds.version
    # Only that file's hash moved.
    differing = {k for k in ds.hashes if ds.hashes[k] != changed.hashes[k]}
    assert differing == {"engagements.csv"}


def test_data_version_changes_when_any_file_changes(make_package):
    base = make_package()
    other = make_package()
    path = other / "sources.csv"
    path.write_bytes(path.read_bytes().replace(b"000_a561", b"000_a562"))
    assert data_version(file_hashes(base)) != data_version(file_hashes(other))


def test_data_version_does_not_depend_on_dict_order():
    assert data_version({"a.csv": "1", "b.csv": "2"}) == data_version({"b.csv": "2", "a.csv": "1"})
    assert data_version({"a.csv": "1", "b.csv": "2"}) != data_version({"a.csv": "2", "b.csv": "1"})


def test_file_hashes_cover_schema_and_every_table():
    assert set(file_hashes(DATA_DIR)) == {
        "datapackage.json",
        "engagements.csv",
        "actors.csv",
        "sources.csv",
        "positions.csv",
        "cameo.csv",
        "judgements.csv",
    }


def test_engagements_load_in_date_then_event_id_order_whatever_the_file_order(make_package):
    lines = (DATA_DIR / "engagements.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    shuffled = [lines[0], *reversed(lines[1:])]
    loaded = load_dataset(make_package(engagements="".join(shuffled))).engagements
    # The file's first two rows share 2021-08-01: by event id, "india-..." comes before
    # "taliban-..." although the file has them the other way round.
    assert list(loaded["event_id"][:2]) == ["india-humanitarian-aid", "taliban-take-kabul"]
    pairs = list(zip(loaded["date"], loaded["event_id"]))
    assert pairs == sorted(pairs) and len(pairs) == 18
    assert list(loaded.index) == list(range(18))
