"""``briefing import`` on the command line: report by line, exit codes, nothing on refusal."""

from __future__ import annotations

from pathlib import Path

from helpers.cli import main

CODED = Path(__file__).parent / "fixtures" / "coded"


def test_import_prints_the_skipped_rows_by_line_and_the_counts(make_package, capsys):
    folder = make_package()
    code = main(["import", "gdelt", str(CODED / "gdelt_v2.export.CSV"), "--data-dir", str(folder)])
    out = capsys.readouterr().out
    assert code == 0
    assert "9 rows read, 6 parsed, 3 skipped" in out
    assert "skipped line 5: has 60 tab-separated fields, not 61" in out
    assert "gdelt: 6 events added, 0 already in the package" in out
    assert main(["validate", "--data-dir", str(folder)]) == 0


def test_a_file_of_another_format_exits_2_and_says_nothing_was_imported(make_package, capsys):
    folder = make_package()
    before = sorted(p.name for p in folder.iterdir())
    code = main(["import", "gdelt", str(CODED / "plover_records.json"), "--data-dir", str(folder)])
    err = capsys.readouterr().err
    assert code == 2
    assert "plover_records.json, line 1: not a GDELT events file" in err
    assert "nothing was imported." in err
    assert sorted(p.name for p in folder.iterdir()) == before
