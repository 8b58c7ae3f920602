"""The data package itself: valid by the Frictionless standard and by our own rules.

Frictionless is an independent check on the Table Schema in datapackage.json (types,
enumerations, keys, foreign keys); helpers.data.validation adds the rules a Table Schema
cannot express.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import frictionless

from helpers.data.validation import validate_package
from helpers.paths import DATA_DIR

FRICTIONLESS_CLI = Path(sys.executable).parent / "frictionless"


def errors(report) -> list[tuple[str, int | None, str]]:
    """(table, row number, error type) of every error in a frictionless report."""
    return [
        (task.name, getattr(err, "row_number", None), err.type)
        for task in report.tasks
        for err in task.errors
    ]


def test_frictionless_api_finds_the_real_package_valid():
    report = frictionless.validate(DATA_DIR / "datapackage.json")
    assert errors(report) == []
    assert report.valid
    # All six resources were checked, not skipped.
    assert sorted(t.name for t in report.tasks) == [
        "actors",
        "cameo",
        "engagements",
        "judgements",
        "positions",
        "sources",
    ]


def test_frictionless_cli_exits_zero_on_the_real_package():
    assert FRICTIONLESS_CLI.exists()
    run = subprocess.run(
        [str(FRICTIONLESS_CLI), "validate", str(DATA_DIR / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_real_package_passes_our_own_validation():
    assert validate_package(DATA_DIR) == []


def test_frictionless_fails_on_an_unknown_actor(make_package):
    text = (DATA_DIR / "engagements.csv").read_text(encoding="utf-8")
    # Line 15 is jaishankar-muttaqi-call; misspell its actor_to. Frictionless numbers
    # rows like file lines (header = row 1), so the error is on row 15.
    broken = text.replace(",MUTTAQI,JAISHANKAR,", ",MUTTAQI,JAISHANKER,")
    assert broken.count("JAISHANKER") == 1
    folder = make_package(engagements=broken)
    report = frictionless.validate(folder / "datapackage.json")
    assert not report.valid
    assert errors(report) == [("engagements", 15, "foreign-key")]
    # And the CLI reports failure through its exit code.
    run = subprocess.run(
        [str(FRICTIONLESS_CLI), "validate", str(folder / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0


def test_frictionless_fails_on_a_stance_out_of_range(make_package):
    text = (DATA_DIR / "positions.csv").read_text(encoding="utf-8")
    # positions.csv line 4: IND 2025-05-31 stance 2 -> 3, above the schema's maximum 2.
    broken = text.replace("IND,2025-05-31,2,", "IND,2025-05-31,3,")
    assert broken != text
    report = frictionless.validate(make_package(positions=broken) / "datapackage.json")
    assert errors(report) == [("positions", 4, "constraint-error")]
