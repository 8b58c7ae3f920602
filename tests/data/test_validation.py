"""Schema-driven validation (helpers.data.validation) beyond the one-problem cases.

The corpus in tests/bad_inputs holds one broken thing per case; these tests cover how
problems are reported together, the line numbering, and the package-level failures.
"""

from __future__ import annotations

import pytest
from conftest import edit_line

from helpers.data.validation import (
    DataValidationError,
    Problem,
    read_package,
    read_schema,
    validate_package,
)
from helpers.paths import DATA_DIR

ENGAGEMENTS = (DATA_DIR / "engagements.csv").read_text(encoding="utf-8")
POSITIONS = (DATA_DIR / "positions.csv").read_text(encoding="utf-8")


# --- Problem and DataValidationError ----------------------------------------------------


def test_problem_names_file_line_and_column():
    p = Problem("positions.csv", "'3' is out of range", line=4, column="stance", value="3")
    assert str(p) == "positions.csv, line 4, column stance: '3' is out of range"
    assert str(Problem("actors.csv", "file is missing")) == "actors.csv: file is missing"
    assert str(Problem("a.csv", "m", line=1)) == "a.csv, line 1: m"


def test_error_heading_counts_problems(tmp_path):
    one = DataValidationError([Problem("a.csv", "x")], tmp_path)
    two = DataValidationError([Problem("a.csv", "x"), Problem("b.csv", "y")], tmp_path)
    assert f"The data package in {tmp_path} has 1 problem:" in str(one)
    assert "has 2 problems:" in str(two)
    assert str(two).splitlines()[1:] == ["  - a.csv: x", "  - b.csv: y"]


def test_error_lists_at_most_forty_problems_then_counts_the_rest(tmp_path):
    problems = [Problem("a.csv", f"problem {i}", line=i + 2) for i in range(45)]
    lines = str(DataValidationError(problems, tmp_path)).splitlines()
    # Heading + 40 listed + one summary line for the 45 - 40 = 5 others.
    assert len(lines) == 42
    assert lines[40] == "  - a.csv, line 41: problem 39"
    assert lines[41] == "  ... and 5 more"


# --- the real package --------------------------------------------------------------------


def test_real_package_has_no_problems():
    assert validate_package(DATA_DIR) == []


def test_read_package_returns_text_columns():
    tables, problems = read_package(DATA_DIR)
    assert problems == []
    assert set(tables) == {"engagements", "actors", "sources", "positions", "cameo", "judgements"}
    # Everything is text: the CAMEO code keeps its zero and empty cells are "".
    assert tables["cameo"]["cameo_code"].iloc[0] == "010"
    assert tables["engagements"]["end_date"].iloc[0] == ""


def test_schema_is_read_from_datapackage_json():
    schemas = read_schema(DATA_DIR)
    assert list(schemas) == ["engagements", "actors", "sources", "positions", "cameo", "judgements"]
    assert schemas["positions"].primary_key == ["actor_id", "as_of"]
    assert schemas["engagements"].columns[:3] == ["event_id", "date", "date_precision"]


# --- package-level failures ---------------------------------------------------------------


def test_missing_datapackage_json(tmp_path):
    with pytest.raises(DataValidationError) as info:
        validate_package(tmp_path)
    assert info.value.problems == [Problem("datapackage.json", f"file is missing from {tmp_path}")]


def test_datapackage_json_that_is_not_json(make_package):
    folder = make_package()
    (folder / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    with pytest.raises(DataValidationError, match="datapackage.json: is not valid JSON"):
        validate_package(folder)


def test_missing_table_file(make_package):
    folder = make_package()
    (folder / "actors.csv").unlink()
    problems = validate_package(folder)
    assert "actors.csv: file is missing" in [str(p) for p in problems]


# --- several problems at once --------------------------------------------------------------


def test_every_problem_is_reported_in_file_then_line_order(make_package):
    # Two problems in engagements.csv (lines 15 and 4, made in that order) and one in
    # positions.csv (line 4). engagements comes first in datapackage.json.
    eng = edit_line(ENGAGEMENTS, 15, ",minister,minister,", ",minister,foreign_minister,")
    eng = edit_line(eng, 4, ",meeting,", ",summit,")
    pos = edit_line(POSITIONS, 4, "IND,2025-05-31,2,", "IND,2025-05-31,3,")
    problems = validate_package(make_package(engagements=eng, positions=pos))
    assert [(p.file, p.line, p.column, p.value) for p in problems] == [
        ("engagements.csv", 4, "event_type", "summit"),
        ("engagements.csv", 15, "level_to", "foreign_minister"),
        ("positions.csv", 4, "stance", "3"),
    ]


def test_two_problems_on_one_row_are_both_reported(make_package):
    # Line 8 (harish-unsc-statement): bad status and bad confidence.
    eng = edit_line(ENGAGEMENTS, 8, ",occurred,", ",happened,")
    eng = edit_line(eng, 8, ",high,", ",sure,")
    problems = validate_package(make_package(engagements=eng))
    assert {(p.line, p.column) for p in problems} == {(8, "status"), (8, "confidence")}


def test_line_numbers_count_quoted_newlines_and_blank_lines(make_package):
    # Line 3's quoted summary gains a newline (the record spans lines 3-4), and a blank
    # line is added after the original line 9 (now 10), so the original line 15 moves down
    # by two, to line 17.
    eng = edit_line(ENGAGEMENTS, 3, "India keeps sending", "India keeps\nsending")
    lines = eng.splitlines(keepends=True)
    lines.insert(10, "\n")
    eng = edit_line("".join(lines), 17, ",minister,minister,", ",minister,foreign_minister,")
    problems = validate_package(make_package(engagements=eng))
    assert [(p.line, p.column) for p in problems] == [(17, "level_to")]


def test_problems_name_the_value_even_when_it_has_odd_characters(make_package):
    # A trailing tab must show in the message (repr), or the reader cannot see the fault.
    eng = edit_line(ENGAGEMENTS, 4, ",meeting,", ",meeting\t,")
    problems = validate_package(make_package(engagements=eng))
    assert [str(p) for p in problems] == [
        "engagements.csv, line 4, column event_type: 'meeting\\t' is not one of: meeting, "
        "phone_call, visit, statement, aid, recognition, accreditation, security_incident, "
        "invitation, agreement"
    ]


def test_a_very_long_field_does_not_break_line_numbering(make_package):
    # 200,000 characters in one summary (line 2) is more than Python's csv module accepts
    # by default (131,072); the problem on line 4 must still be reported with its line.
    eng = edit_line(ENGAGEMENTS, 2, "The Taliban take Kabul", "x" * 200_000)
    eng = edit_line(eng, 4, ",meeting,", ",summit,")
    problems = validate_package(make_package(engagements=eng))
    assert [(p.line, p.column) for p in problems] == [(4, "event_type")]


def test_excel_csv_utf8_with_bom_and_crlf_is_valid(make_package):
    eng = "\ufeff" + ENGAGEMENTS.replace("\n", "\r\n")
    assert validate_package(make_package(engagements=eng)) == []


def test_line_numbers_with_crlf_line_ends(make_package):
    eng = edit_line(ENGAGEMENTS, 12, ",senior_official,", ",official,").replace("\n", "\r\n")
    problems = validate_package(make_package(engagements=eng))
    assert [(p.line, p.column, p.value) for p in problems] == [(12, "level_from", "official")]


def test_validation_error_survives_pickling():
    # Series builds run in worker processes; the error must arrive whole.
    import pickle

    from helpers.errors import DataValidationError, Problem

    err = DataValidationError([Problem("engagements.csv", "bad", line=3, column="date")], "/d")
    back = pickle.loads(pickle.dumps(err))
    assert back.problems == err.problems
    assert (
        str(back)
        == "The data package in /d has 1 problem:\n  - engagements.csv, line 3, column date: bad"
    )


# --- list items, line numbers and large-file paths ---------------------------------------

TOPICS = (
    "trade, visas, prisoners, chabahar, counterterrorism, humanitarian_aid, development, "
    "recognition, security, connectivity"
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_list_items_are_reported_one_by_one_on_their_line_after_blank_lines(make_package, newline):
    # Line 4 (dubai-misri-muttaqi) cites a source that does not exist; line 6
    # (araghchi-kabul-visit) has two unknown topics around a good one. Two blank lines
    # go in after line 2, so these rows move to lines 6 and 8. No value spans lines, so
    # the blank lines are what the line count must skip.
    eng = edit_line(
        ENGAGEMENTS,
        4,
        "muttaqi-call-report;post-pahalgam-analysis",
        "muttaqi-call-report;no-such-report",
    )
    eng = edit_line(eng, 6, ",security;trade,", ",security;piracy;trade;smuggling,")
    lines = eng.splitlines(keepends=True)
    lines[2:2] = ["\n", "\n"]
    eng = "".join(lines).replace("\n", newline)
    problems = validate_package(make_package(engagements=eng))
    assert [str(p) for p in problems] == [
        "engagements.csv, line 6, column source_ids: "
        "'no-such-report' is not a known source_id in sources.csv",
        f"engagements.csv, line 8, column topics: 'piracy' is not in the vocabulary: {TOPICS}",
        f"engagements.csv, line 8, column topics: 'smuggling' is not in the vocabulary: {TOPICS}",
    ]
    assert problems[0].value == "muttaqi-call-report;no-such-report"
    assert problems[1].value == problems[2].value == "security;piracy;trade;smuggling"


def test_thousands_of_bad_rows_are_all_listed_with_their_lines(make_package):
    # 3,000 copies of line 6 with fresh ids, each naming the unknown topic 'piracy':
    # data rows 1..3000 are on lines 2..3001, one problem each, in line order.
    header, row = ENGAGEMENTS.splitlines()[0], ENGAGEMENTS.splitlines()[5]
    row = row.replace("araghchi-kabul-visit,", "{},").replace(",security;trade,", ",piracy,")
    rows = [row.format(f"copy-{i}") for i in range(3000)]
    eng = "\n".join([header, *rows]) + "\n"
    problems = validate_package(make_package(engagements=eng))
    assert len(problems) == 3000
    assert [p.line for p in problems] == list(range(2, 3002))
    assert {(p.column, p.value) for p in problems} == {("topics", "piracy")}


@pytest.mark.parametrize("block", [2, 3, 7, 64])
def test_files_read_in_small_blocks_give_the_same_answers(make_package, monkeypatch, block):
    # The byte checks read a file block by block; with tiny blocks a header, a UTF-8
    # character (é: 2 bytes) and a CRLF line end fall across block edges. Line 12's level_from
    # is wrong, the é in line 6's location is fine, and a NUL on line 9 of positions.csv
    # is reported on line 9 whatever the block size.
    import helpers.data.tables as tables

    monkeypatch.setattr(tables, "_BLOCK", block)
    eng = edit_line(ENGAGEMENTS, 12, ",senior_official,", ",official,")
    eng = edit_line(eng, 6, ",Kabul,", ",Kābul é,").replace("\n", "\r\n")
    problems = validate_package(make_package(engagements=eng))
    assert [(p.line, p.column, p.value) for p in problems] == [(12, "level_from", "official")]

    pos = POSITIONS.splitlines(keepends=True)
    pos[8] = pos[8].replace(",", ",\x00", 1)
    problems = validate_package(make_package(positions="".join(pos)))
    assert [str(p) for p in problems] == [
        "positions.csv, line 9: contains a NUL byte; the file is damaged"
    ]


def test_a_broken_character_is_caught_whatever_follows_it(make_package, monkeypatch):
    # A Latin-1 'é' (byte 0xe9) on line 6 opens a 3-byte UTF-8 sequence that the next
    # byte (',') breaks. Read one byte at a time, the check must not skip the ASCII bytes
    # after it and join 0xe9 with the Latin-1 '©©' (0xa9 0xa9) of line 8 into one valid
    # character: the file is not UTF-8, and line 6 is where it stops being so.
    import helpers.data.tables as tables

    monkeypatch.setattr(tables, "_BLOCK", 1)
    eng = edit_line(ENGAGEMENTS, 6, ",Kabul,", ",Caf<E9>,")
    eng = edit_line(eng, 8, ",UN Security Council,", ",<A9>,")
    folder = make_package()
    raw = eng.encode("utf-8").replace(b"<E9>", b"\xe9").replace(b"<A9>", b"\xa9\xa9")
    (folder / "engagements.csv").write_bytes(raw)
    assert [str(p) for p in validate_package(folder)] == [
        "engagements.csv, line 6: is not UTF-8 text: byte 0xe9 cannot be decoded; "
        "save the file as UTF-8"
    ]


def test_values_are_taken_from_the_right_chunk():
    # pyarrow splits a large CSV into chunks; rows are numbered across them.
    import pyarrow as pa

    from helpers.data.validation import _take

    values = pa.chunked_array([["a", "b"], ["c"], ["d", "e"]])
    assert _take(values, [0, 2, 3, 4]) == ["a", "c", "d", "e"]
    assert _take(values, [1, 1, 4]) == ["b", "b", "e"]
    assert _take(values, []) == []


def test_a_file_of_unicode_spaces_is_empty(make_package):
    # str.strip() removes the ideographic space U+3000, the no-break space U+00A0 and the
    # line separator U+2028, so these files hold nothing: no header, then no data rows.
    folder = make_package(engagements="\u3000\u00a0\r\n")
    assert [p.message for p in validate_package(folder)] == [
        "file is empty; expected a header row with: "
        + ", ".join(read_schema(folder)["engagements"].columns)
    ]
    header = ENGAGEMENTS.splitlines()[0]
    problems = validate_package(make_package(engagements=header + "\n\u2028\u00a0\n"))
    assert [str(p) for p in problems] == ["engagements.csv, line 1: has a header but no data rows"]


def test_patterns_are_matched_as_python_re_matches_them():
    # Arabic-Indic digits (U+0661, U+0662) are digits to Python's \d but not to pyarrow's
    # RE2; a look-ahead is beyond RE2 altogether. Python's answer is the one that counts.
    import pyarrow as pa

    from helpers.data.validation import _fullmatch

    values = pa.chunked_array([["12", "\u0661\u0662", "x1", ""]], type=pa.large_string())
    assert _fullmatch(values, r"[+-]?\d+").tolist() == [True, True, False, False]
    assert _fullmatch(values, r"(?!x)\w+").tolist() == [True, True, False, False]
    assert _fullmatch(values, r"[0-9]+").tolist() == [True, False, False, False]
