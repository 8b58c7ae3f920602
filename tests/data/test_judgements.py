"""Analyst judgements: their validation, their loading, and the ones in force at a date.

Expected lines and values were read off ``data/judgements.csv`` (header = line 1):
line 2 is ``india-taliban-contacts-continue`` as of 2025-03-10 (likely), line 3 its
revision as of 2025-05-31 (highly likely), line 4 ``taliban-decline-pakistan-line`` as
of 2025-05-31 (likely, low confidence).
"""

from __future__ import annotations

import csv
import json

import frictionless
import pandas as pd
import pytest
from conftest import edit_line
from test_dataset_parquet import to_parquet

from helpers.data.dataset import JUDGEMENT_COLUMNS, Scope, load_dataset
from helpers.data.judgements import cited_events, judgements_in_force
from helpers.data.parameters import parse_window
from helpers.data.validation import validate_package
from helpers.errors import ParameterError
from helpers.paths import DATA_DIR

JUDGEMENTS = (DATA_DIR / "judgements.csv").read_text(encoding="utf-8")
HEADER = JUDGEMENTS.splitlines()[0] + "\n"
T = pd.Timestamp


# --- validation ----------------------------------------------------------------------------


LATER_THAN_AS_OF = "; a judgement can rest only on events on the record by then"


@pytest.mark.parametrize(
    ("line", "old", "new", "expected"),
    [
        (
            4,
            ",likely,low,",
            ",maybe,low,",
            "judgements.csv, line 4, column likelihood: 'maybe' is not one of: remote chance, "
            "highly unlikely, unlikely, realistic possibility, likely, highly likely, "
            "almost certain",
        ),
        (
            # 'medium' is the engagements' word; judgements use the analysts' 'moderate'.
            2,
            ",likely,moderate,",
            ",likely,medium,",
            "judgements.csv, line 2, column confidence: 'medium' is not one of: high, "
            "moderate, low",
        ),
        (
            4,
            "taliban-condemn-pahalgam;",
            "taliban-condemns-pahalgam;",
            "judgements.csv, line 4, column evidence: 'taliban-condemns-pahalgam' is not a "
            "known event_id in engagements.csv",
        ),
        (
            # Line 2 (as of 2025-03-10) now also cites the call recorded as May 2025
            # (date 2025-05-01): it was not on the record on 10 March.
            2,
            "harish-unsc-statement,",
            "harish-unsc-statement;jaishankar-muttaqi-call,",
            "judgements.csv, line 2, column evidence: 'jaishankar-muttaqi-call' is dated "
            "2025-05-01 in engagements.csv, after as_of 2025-03-10" + LATER_THAN_AS_OF,
        ),
        (
            # taliban-reject-pakistan-claims is dated May 2025 (2025-05-01): not citable
            # as of 30 April (and citable as of 1 May: the next test).
            4,
            ",2025-05-31,",
            ",2025-04-30,",
            "judgements.csv, line 4, column evidence: 'taliban-reject-pakistan-claims' is "
            "dated 2025-05-01 in engagements.csv, after as_of 2025-04-30" + LATER_THAN_AS_OF,
        ),
        (
            4,
            ",IND,AFG,",
            ",JAISHANKAR,AFG,",
            "judgements.csv, line 4, column focus: 'JAISHANKAR' acts for 'IND_MEA'; record "
            "judgements for top-level stakeholders only (actors with no parent_id)",
        ),
        (
            4,
            ",IND,AFG,",
            ",IND,AFGH,",
            "judgements.csv, line 4, column counterpart: 'AFGH' is not a known actor_id in "
            "actors.csv",
        ),
        (
            4,
            ",IND,AFG,",
            ",IND,IND,",
            "judgements.csv, line 4, column counterpart: 'IND' is also the focus; a judgement "
            "is about two different stakeholders",
        ),
        (
            3,
            ",IND,AFG,",
            ",IND,PAK,",
            "judgements.csv, line 3, column counterpart: 'PAK' differs from 'AFG', the "
            "counterpart of judgement 'india-taliban-contacts-continue' on line 2; every "
            "version of a judgement keeps its dyad",
        ),
    ],
    ids=[
        "likelihood-not-in-yardstick",
        "confidence-unknown",
        "evidence-unknown",
        "evidence-after-as-of",
        "evidence-a-day-after-as-of",
        "focus-a-person",
        "counterpart-unknown",
        "focus-is-counterpart",
        "version-changes-dyad",
    ],
)
def test_a_bad_judgement_is_named_by_file_line_column_and_value(
    make_package, line, old, new, expected
):
    text = edit_line(JUDGEMENTS, line, old, new)
    found = validate_package(make_package(judgements=text))
    assert [str(p) for p in found] == [expected]
    assert found[0].line == line
    # The value is the whole cell, so the row can be found by search as well.
    cell = next(csv.reader([text.splitlines()[line - 1]]))
    assert found[0].value == cell[JUDGEMENT_COLUMNS.index(found[0].column)]


def test_evidence_may_be_cited_from_the_first_day_it_may_have_happened(make_package):
    # Line 4 cites taliban-reject-pakistan-claims, dated May 2025 (2025-05-01).
    on_the_day = edit_line(JUDGEMENTS, 4, ",2025-05-31,", ",2025-05-01,")
    assert validate_package(make_package(judgements=on_the_day)) == []


def test_two_versions_of_a_judgement_cannot_share_a_date(make_package):
    # Line 3 moved to 2025-03-10, the date of line 2; its evidence (May and April events)
    # is then also later than its as_of: two such problems, then the key.
    text = edit_line(JUDGEMENTS, 3, ",2025-05-31,", ",2025-03-10,")
    found = [str(p) for p in validate_package(make_package(judgements=text))]
    assert (
        "judgements.csv, line 3, column judgement_id+as_of: 'india-taliban-contacts-continue, "
        "2025-03-10' is used again; judgement_id+as_of must be unique (first used on line 2)"
    ) in found
    assert len(found) == 3


def test_a_header_only_judgements_table_is_valid_for_us_and_for_frictionless(make_package):
    folder = make_package(judgements=HEADER)
    assert validate_package(folder) == []
    assert frictionless.validate(folder / "datapackage.json").valid
    assert load_dataset(folder).judgements.empty


def test_a_package_that_does_not_declare_judgements_still_loads(make_package):
    folder = make_package()
    (folder / "judgements.csv").unlink()
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != "judgements"]
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    data = load_dataset(folder)
    assert list(data.judgements.columns) == [*JUDGEMENT_COLUMNS, "evidence_list"]
    assert data.judgements.empty
    assert len(data.engagements) == 18
    assert judgements_in_force(data, "IND", "AFG", "2025-05-31").empty


def test_a_declared_judgements_file_that_is_missing_is_an_error(make_package):
    folder = make_package()
    (folder / "judgements.csv").unlink()
    assert [str(p) for p in validate_package(folder)] == ["judgements.csv: file is missing"]


# --- loading -------------------------------------------------------------------------------


def test_the_real_judgements_load_typed_in_file_order():
    j = load_dataset(DATA_DIR).judgements
    assert j["judgement_id"].tolist() == [
        "india-taliban-contacts-continue",
        "india-taliban-contacts-continue",
        "taliban-decline-pakistan-line",
    ]
    assert j["as_of"].tolist() == [T("2025-03-10"), T("2025-05-31"), T("2025-05-31")]
    assert j["evidence_list"].iloc[0] == (
        "dubai-misri-muttaqi",
        "taliban-praise-india",
        "harish-unsc-statement",
    )


def test_a_parquet_judgements_table_loads_as_the_csv_one_and_names_rows(make_package):
    from_csv = load_dataset(make_package()).judgements
    from_parquet = load_dataset(to_parquet(make_package())).judgements
    columns = [*JUDGEMENT_COLUMNS, "evidence_list"]
    pd.testing.assert_frame_equal(from_parquet[columns], from_csv[columns])
    bad = edit_line(JUDGEMENTS, 4, ",likely,low,", ",maybe,low,")
    found = validate_package(to_parquet(make_package(judgements=bad)))
    # Parquet has no lines: line 4 is the third data row.
    assert [str(p) for p in found] == [
        "judgements.parquet, row 3, column likelihood: 'maybe' is not one of: remote chance, "
        "highly unlikely, unlikely, realistic possibility, likely, highly likely, almost certain"
    ]


def test_a_scoped_load_keeps_the_evidence_from_before_its_window():
    # May 2025: the previous period is April, so January's Dubai meeting is not among the
    # scope's engagements, but the judgements cite it.
    data = load_dataset(DATA_DIR, Scope(parse_window("2025-05-01", "2025-05-31")))
    assert "dubai-misri-muttaqi" not in set(data.engagements["event_id"])
    assert sorted(data.evidence_events["event_id"]) == [
        "dubai-misri-muttaqi",
        "harish-unsc-statement",
        "jaishankar-muttaqi-call",
        "prakash-kabul-visit",
        "taliban-condemn-pahalgam",
        "taliban-praise-india",
        "taliban-reject-pakistan-claims",
    ]
    # The Dubai row cites both seed articles; both stay among the sources.
    assert set(data.sources["source_id"]) == {"muttaqi-call-report", "post-pahalgam-analysis"}


def test_the_typed_cache_gives_the_same_judgements_and_evidence(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFING_CACHE_MIN_BYTES", "0")
    scope = Scope(parse_window("2025-05-01", "2025-05-31"))
    fresh = load_dataset(DATA_DIR, scope)
    assert list((tmp_path / "cache" / "datasets").iterdir())  # it wrote the cache
    cached = load_dataset(DATA_DIR, scope)
    assert cached is not fresh
    columns = [*JUDGEMENT_COLUMNS, "evidence_list"]
    pd.testing.assert_frame_equal(cached.judgements[columns], fresh.judgements[columns])
    assert sorted(cached.evidence_events["event_id"]) == sorted(fresh.evidence_events["event_id"])


# --- the judgements in force ------------------------------------------------------------------


def _versions() -> pd.DataFrame:
    """Seven rows in this file order: a1, d1, b1, a2, b2, c1, a3."""
    rows = [
        ("a", "IND", "AFG", "2025-01-15", "A one", "likely", "moderate", "e1"),
        ("d", "IND", "AFG", "2025-05-20", "D one", "unlikely", "low", "e2"),
        ("b", "AFG", "IND", "2025-02-01", "B one", "unlikely", "high", "e1"),
        ("a", "IND", "AFG", "2025-03-01", "A two", "highly likely", "moderate", "e1;e2"),
        ("b", "AFG", "IND", "2025-04-01", "B one", "unlikely", "high", "e1"),
        ("c", "IND", "PAK", "2025-01-01", "C one", "likely", "low", "e3"),
        ("a", "IND", "AFG", "2025-06-10", "A three", "likely", "low", "e1;e2"),
    ]
    frame = pd.DataFrame(rows, columns=[c for c in JUDGEMENT_COLUMNS if c != "indicators"])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    frame["indicators"] = "watch"
    return frame


def test_the_latest_version_on_or_before_the_period_end_with_what_changed_since():
    got = judgements_in_force(_versions(), "IND", "AFG", "2025-05-31", since="2025-02-28")
    # c is about India-Pakistan; a's third version is after 31 May. In force: a's second
    # version (revised since a1, in force on 28 February: statement, likelihood and
    # evidence differ), b's second (same text as b1: reaffirmed), d (none on 28 Feb: new);
    # in the order each first appears in the file: a, d, b.
    assert got["judgement_id"].tolist() == ["a", "d", "b"]
    assert got["as_of"].tolist() == [T("2025-03-01"), T("2025-05-20"), T("2025-04-01")]
    assert got["version"].tolist() == [2, 1, 2]
    assert got["status"].tolist() == ["revised", "new", "reaffirmed"]
    assert got["changed"].tolist() == [True, True, False]
    assert got["changed_fields"].tolist() == [("statement", "likelihood", "evidence"), (), ()]
    assert got["previous_as_of"].tolist()[0] == T("2025-01-15")
    assert pd.isna(got["previous_as_of"].iloc[1])
    assert got["previous_as_of"].tolist()[2] == T("2025-02-01")
    assert got["previous_likelihood"].tolist() == ["likely", "", "unlikely"]
    assert got["previous_confidence"].tolist() == ["moderate", "", "high"]
    assert got["likelihood"].tolist() == ["highly likely", "unlikely", "unlikely"]


def test_a_judgement_in_force_at_both_dates_is_unchanged():
    got = judgements_in_force(_versions(), "AFG", "IND", "2025-05-31", since="2025-04-15")
    assert got["judgement_id"].tolist() == ["a", "d", "b"]
    assert got["status"].tolist() == ["unchanged", "new", "unchanged"]
    assert got["changed"].tolist() == [False, True, False]


def test_without_a_previous_edition_every_judgement_is_new():
    got = judgements_in_force(_versions(), "IND", "AFG", "2025-01-31")
    assert got["judgement_id"].tolist() == ["a"]
    assert got["statement"].tolist() == ["A one"]
    assert got["status"].tolist() == ["new"]


def test_a_later_period_shows_the_later_version():
    got = judgements_in_force(_versions(), "IND", "AFG", "2025-06-30", since="2025-05-31")
    assert got.set_index("judgement_id")["statement"].to_dict() == {
        "a": "A three",
        "d": "D one",
        "b": "B one",
    }
    assert got.set_index("judgement_id")["changed_fields"]["a"] == (
        "statement",
        "likelihood",
        "confidence",
    )


def test_no_judgement_before_the_first_as_of():
    assert judgements_in_force(_versions(), "IND", "AFG", "2024-12-31").empty


def test_since_after_the_period_end_is_a_parameter_error():
    with pytest.raises(ParameterError, match="since 2025-06-01 is after period_end 2025-05-31"):
        judgements_in_force(_versions(), "IND", "AFG", "2025-05-31", since="2025-06-01")
    with pytest.raises(ParameterError, match="period_end 'soon' is not a date"):
        judgements_in_force(_versions(), "IND", "AFG", "soon")


def test_the_real_judgements_for_india_and_afghanistan_in_the_may_edition():
    # The May 2025 edition (previous edition: April, ending 30 April). In force on
    # 31 May: line 3 (revising line 2: likely -> highly likely) and line 4 (new).
    got = judgements_in_force(load_dataset(DATA_DIR), "IND", "AFG", "2025-05-31", "2025-04-30")
    assert got["judgement_id"].tolist() == [
        "india-taliban-contacts-continue",
        "taliban-decline-pakistan-line",
    ]
    assert got["likelihood"].tolist() == ["highly likely", "likely"]
    assert got["confidence"].tolist() == ["moderate", "low"]
    assert got["status"].tolist() == ["revised", "new"]
    assert got["previous_likelihood"].tolist() == ["likely", ""]
    # In the March edition only the first version is in force, and it is new.
    march = judgements_in_force(load_dataset(DATA_DIR), "IND", "AFG", "2025-03-31", "2025-02-28")
    assert march[["judgement_id", "status"]].values.tolist() == [
        ["india-taliban-contacts-continue", "new"]
    ]


def test_cited_events_come_in_the_order_cited_even_outside_a_scoped_window():
    # Line 3 cites, in this order: Dubai (January 2025), Harish at the UN (10 March),
    # the Kabul visit (April) and the call (May); the May scope holds only the last two
    # among its engagements (April is its previous period).
    data = load_dataset(DATA_DIR, Scope(parse_window("2025-05-01", "2025-05-31")))
    got = judgements_in_force(data, "IND", "AFG", "2025-05-31")
    events = cited_events(data, got["evidence_list"].iloc[0])
    assert events["event_id"].tolist() == [
        "dubai-misri-muttaqi",
        "harish-unsc-statement",
        "prakash-kabul-visit",
        "jaishankar-muttaqi-call",
    ]
    assert events["date"].tolist() == [
        T("2025-01-01"),
        T("2025-03-10"),
        T("2025-04-01"),
        T("2025-05-01"),
    ]
    assert events["date_precision"].tolist() == ["month", "day", "month", "month"]
