"""Importing machine-coded events (GDELT, ICEWS, PLOVER/POLECAT): counts worked out by hand.

The fixtures in tests/fixtures/coded/ were written row by row to the public codebooks;
each test states what the file holds, and the answer follows from that.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from helpers.data.coded import importer, store
from helpers.data.coded.importer import import_files
from helpers.data.coded.report import FormatError
from helpers.data.dataset import rollup_map
from helpers.data.validation import validate_package

CODED = Path(__file__).parents[2] / "fixtures" / "coded"


@pytest.fixture
def package(make_package):
    return make_package()


def table(folder: Path):
    return pq.read_table(folder / store.FILE_NAME).to_pandas()


def pair_count(folder: Path, a: str, b: str) -> int:
    """Coded events between two stakeholders, either way, actors rolled up as curated ones."""
    roll = rollup_map(pd.read_csv(folder / "actors.csv", dtype=str, keep_default_na=False))
    t = table(folder)
    s1, s2 = t["actor1_id"].map(roll), t["actor2_id"].map(roll)
    return int((((s1 == a) & (s2 == b)) | ((s1 == b) & (s2 == a))).sum())


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- GDELT --------------------------------------------------------------------------


def test_gdelt_2_export_imports_good_rows_and_reports_bad_ones_by_line(package):
    # 9 lines: line 3 has SQLDATE 20250231, line 5 has 60 fields, line 8 EventCode 'abc'.
    report = import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    (f,) = report.files
    assert (f.rows, f.parsed) == (9, 6)
    assert [(b.line, b.reason) for b in f.bad] == [
        (3, "SQLDATE '20250231' is not a real date (YYYYMMDD or YYYY-MM-DD)"),
        (5, "has 60 tab-separated fields, not 61"),
        (8, "EventCode 'abc' is not a CAMEO event code"),
    ]
    assert report.added == 6
    t = table(package)
    assert sorted(t["event_id"]) == ["1001", "1002", "1004", "1006", "1007", "1009"]
    assert set(t["dataset"]) == {"gdelt"}
    # IND-AFG either way: 1001 (IND->AFG), 1002 (Taliban->IND), 1007 (IND->AFG).
    assert pair_count(package, "IND", "AFG") == 3
    # 1009 is a Taliban group coded PAK: it stays with Pakistan.
    assert pair_count(package, "PAK", "IND") == 2  # 1004 and 1009


def test_gdelt_columns_map_to_the_coded_table(package):
    import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    t = table(package).set_index("event_id")
    row = t.loc["1001"]
    assert str(row["date"]) == "2025-05-15"
    assert (row["actor1_id"], row["actor2_id"], row["cameo_code"], row["cameo_root"]) == (
        "IND", "AFG", "040", "04",
    )  # fmt: skip
    assert (row["mentions"], row["sources"], row["articles"], row["tone"]) == (10, 2, 10, 2.5)
    assert row["source_url"] == "https://news.example.org/a1"
    assert (row["source_file"], row["source_line"]) == ("gdelt_v2.export.CSV", 1)
    # Goldstein from cameo.csv where the code is there (040 -> 1.0) ...
    assert (row["goldstein"], row["goldstein_from"], row["quad_class"]) == (1.0, "cameo.csv", 1)
    # ... else GDELT's own GoldsteinScale and QuadClass (0311 is not in cameo.csv).
    taliban = t.loc["1002"]
    assert (taliban["goldstein"], taliban["goldstein_from"], taliban["quad_class"]) == (
        5.2, "dataset", 1,
    )  # fmt: skip
    assert taliban["actor1_id"] == "TALIBAN" and taliban["actor1_code"] == "AFGTAL"


def test_a_country_not_in_actors_is_added_as_a_state_marked_as_imported(package):
    before = (package / "actors.csv").read_text(encoding="utf-8")
    report = import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    assert report.new_actors == ["USA"]  # line 6: UNITED STATES -> AFGHANISTAN
    after = (package / "actors.csv").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert after[len(before) :] == (
        "USA,United States,state,USA,,"
        "State added by briefing import of machine-coded events; not curated,\n"
    )
    assert table(package).set_index("event_id").loc["1006", "actor1_id"] == "USA"


def test_importing_the_same_file_twice_adds_nothing(package):
    first = import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    files = snapshot(package)
    second = import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    assert (first.added, second.added, second.already_present) == (6, 0, 6)
    assert second.new_actors == []
    assert snapshot(package) == files  # not a byte changed


def test_a_zipped_export_imports_like_the_plain_file(package, tmp_path):
    archive = tmp_path / "20250515000000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(CODED / "gdelt_v2.export.CSV", "20250515000000.export.CSV")
    report = import_files("gdelt", [archive], package)
    assert (report.files[0].rows, report.added) == (9, 6)
    assert [b.line for b in report.files[0].bad] == [3, 5, 8]


def test_gdelt_1_daily_and_back_files(package):
    # 58 columns (no ADM2 codes) with SOURCEURL: 2 rows; 57 without SOURCEURL: 1 row.
    report = import_files(
        "gdelt", [CODED / "gdelt_v1.export.CSV", CODED / "gdelt_v1_backfile.CSV"], package
    )
    assert report.added == 3
    t = table(package).set_index("event_id")
    assert t.loc["2002", "source_url"] == "https://news.example.org/b2"
    assert t.loc["2002", "actor2_id"] == "IRN"
    assert pd.isna(t.loc["3001", "source_url"])
    assert str(t.loc["3001", "date"]) == "2013-01-15"


# --- ICEWS --------------------------------------------------------------------------


def test_icews_file(package):
    # 7 rows: line 5 has Event Date 2025-13-01, line 7 has 5 fields.
    report = import_files("icews", [CODED / "icews_events.tab"], package)
    (f,) = report.files
    assert (f.rows, [b.line for b in f.bad], report.added) == (7, [5, 7], 5)
    t = table(package)
    # Event ID 9001 comes twice, on 15 and 16 May: two events (the key has the date).
    assert sorted(t.loc[t["event_id"] == "9001", "date"].astype(str)) == [
        "2025-05-15",
        "2025-05-16",
    ]
    by_line = t.set_index("source_line")
    assert by_line.loc[4, "actor1_id"] == "TALIBAN"  # "Taliban", Afghanistan
    assert by_line.loc[6, "cameo_code"] == "042"  # written "42": the zero put back
    assert by_line.loc[6, "actor2_id"] == "RUS"  # "Russian Federation", added
    assert report.new_actors == ["RUS"]
    assert (by_line.loc[2, "publisher"], by_line.loc[2, "story_id"]) == ("Example Times", "501")
    assert pd.isna(by_line.loc[2, "source_url"])  # ICEWS has no URLs
    # IND-AFG: 9001 (15 May), 9001 (16 May), 9006.
    assert pair_count(package, "IND", "AFG") == 3
    again = import_files("icews", [CODED / "icews_events.tab"], package)
    assert (again.added, again.already_present) == (0, 5)


# --- PLOVER / POLECAT ---------------------------------------------------------------


def test_plover_json_records(package):
    # 6 records: record 3 has event HUG, record 5 has no date.
    report = import_files("plover", [CODED / "plover_records.json"], package)
    (f,) = report.files
    assert [str(b) for b in f.bad] == [
        "record 3: event 'HUG' is not a PLOVER event category",
        "record 5: date is empty",
    ]
    assert report.added == 4
    t = table(package).set_index("event_id")
    assert (t.loc["plv-1", "plover_type"], t.loc["plv-1", "cameo_code"]) == ("CONSULT", "040")
    assert t.loc["plv-1", "goldstein"] == 1.0  # 040 is in cameo.csv
    # AGREE -> CAMEO root 03 (030, not in cameo.csv, and JSON carries no intensity).
    assert t.loc["plv-2", "cameo_code"] == "030" and t.loc["plv-2", "quad_class"] == 1
    assert t.loc["plv-2", "actor1_id"] == "TALIBAN"
    # CRIME has no CAMEO equivalent; PLOVER puts it in material conflict.
    assert pd.isna(t.loc["plv-6", "cameo_code"]) and t.loc["plv-6", "quad_class"] == 4
    assert pair_count(package, "IND", "AFG") == 2  # plv-1 and plv-6


def test_polecat_files_with_extra_header_names_and_stray_tabs(package):
    # extra_header: header names "Headline" the rows lack; 3 rows in the standard order.
    # stray_tabs: 2 empty header fields at the end; line 4 has text in an extra field.
    report = import_files(
        "plover",
        [CODED / "polecat_extra_header.txt", CODED / "polecat_stray_tabs.txt"],
        package,
    )
    extra, stray = report.files
    assert (extra.rows, extra.bad) == (3, [])
    assert (stray.rows, [b.line for b in stray.bad]) == (4, [4])
    # pc-101 and pc-102 are in both files: 3 + 1 new (pc-104), 2 repeated.
    assert (report.added, report.already_present) == (4, 2)
    t = table(package).set_index("event_id")
    assert t.loc["pc-102", "cameo_code"] == "070"  # AID -> 07
    assert (t.loc["pc-102", "goldstein"], t.loc["pc-102", "goldstein_from"]) == (7.4, "dataset")
    assert t.loc["pc-103", "quad_class"] == 3  # "VERBAL CONFLICT"
    assert t.loc["pc-101", "publisher"] == "Example Times"


# --- refusing, failing, validating --------------------------------------------------


@pytest.mark.parametrize(
    "fmt, name, says",
    [
        ("gdelt", "icews_events.tab", "line 1: not a GDELT events file: 20 tab-separated fields"),
        ("icews", "gdelt_v2.export.CSV", "line 1: not an ICEWS event file"),
        ("plover", "gdelt_v2.export.CSV", "not a PLOVER/POLECAT file"),
    ],
)
def test_a_file_of_another_format_fails_and_writes_nothing(package, fmt, name, says):
    before = snapshot(package)
    good = CODED / ("gdelt_v2.export.CSV" if fmt == "gdelt" else "icews_events.tab")
    with pytest.raises(FormatError, match=says):
        # The good file first: nothing of it may be written either.
        import_files(fmt, [good, CODED / name] if fmt != "icews" else [CODED / name], package)
    assert snapshot(package) == before


def test_a_failure_during_the_import_leaves_nothing_half_written(package, monkeypatch):
    import_files("gdelt", [CODED / "gdelt_v1.export.CSV"], package)
    before = snapshot(package)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(importer, "normalize", broken)
    with pytest.raises(OSError, match="disk full"):
        import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    assert snapshot(package) == before  # no temporary file left, nothing changed


def test_the_package_validates_after_imports(package):
    import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    import_files("icews", [CODED / "icews_events.tab"], package)
    assert validate_package(package) == []
    names = [r["name"] for r in __import__("json").loads(
        (package / "datapackage.json").read_text(encoding="utf-8"))["resources"]]  # fmt: skip
    assert names[-1] == "coded_events" and names.count("coded_events") == 1


def test_validation_finds_a_coded_actor_missing_from_actors(package):
    import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    actors = (package / "actors.csv").read_text(encoding="utf-8")
    (package / "actors.csv").write_text(
        "".join(line for line in actors.splitlines(True) if not line.startswith("USA,")),
        encoding="utf-8",
    )
    problems = [str(p) for p in validate_package(package)]
    assert problems == [
        "coded_events.parquet, column actor1_id: 'USA' is not a known actor_id in actors.csv"
    ]


def test_validation_names_a_missing_coded_file(package):
    import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    (package / store.FILE_NAME).unlink()
    assert [str(p) for p in validate_package(package)] == ["coded_events.parquet: file is missing"]


def test_a_file_with_no_good_row_writes_nothing(package, tmp_path):
    bad = tmp_path / "bad.export.CSV"
    lines = (CODED / "gdelt_v2.export.CSV").read_text(encoding="utf-8").splitlines(True)
    bad.write_text(lines[2], encoding="utf-8")  # only line 3, whose date is not real
    before = snapshot(package)
    report = import_files("gdelt", [bad], package)
    assert (report.added, [b.line for b in report.files[0].bad]) == (0, [1])
    assert snapshot(package) == before


def test_a_row_that_is_not_utf8_is_skipped_by_line(package, tmp_path):
    lines = (CODED / "gdelt_v1.export.CSV").read_bytes().splitlines(True)
    broken = lines[1].replace(b"AFGHANISTAN", b"AFGH\xffNISTAN")
    path = tmp_path / "mixed.export.CSV"
    path.write_bytes(lines[0] + broken)
    report = import_files("gdelt", [path], package)
    assert [str(b) for b in report.files[0].bad] == ["line 2: is not UTF-8 text"]
    assert table(package)["event_id"].tolist() == ["2001"]


def test_frictionless_finds_the_package_valid_after_imports(package):
    import frictionless

    import_files("gdelt", [CODED / "gdelt_v2.export.CSV"], package)
    import_files("icews", [CODED / "icews_events.tab"], package)  # no mentions: nulls
    report = frictionless.validate(package / "datapackage.json")
    checked = {t.name: t.valid for t in report.tasks}
    assert checked["coded_events"] is True and report.valid
