"""The bad-input corpus: every case in ``tests/bad_inputs`` must fail with a clear message.

Each case folder holds ``case.json`` and the file(s) it breaks; every other file of the
package comes from ``data/``. A broken file is the real one with one thing changed, and
the expected line numbers were counted by hand in that file (header = line 1). See
``tests/bad_inputs/README.md`` for the format of ``case.json``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import build_package

from helpers.data.context import prepare
from helpers.data.dataset import load_dataset
from helpers.data.parameters import ParameterError
from helpers.data.validation import DataValidationError

CORPUS = Path(__file__).parents[1] / "bad_inputs"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "case.json").is_file())

# One folder for every kind of bad input the corpus must cover (issue "Reliability and
# security"); the corpus may hold more.
REQUIRED = {
    "missing_column",
    "extra_column",
    "date_unparseable",
    "date_impossible",
    "end_before_date",
    "unknown_event_type",
    "unknown_level",
    "unknown_confidence",
    "unknown_actor",
    "unknown_source",
    "unknown_cameo",
    "duplicate_event_id",
    "empty_file",
    "header_only",
    "not_utf8",
    "too_many_fields",
    "too_few_fields",
    "stance_out_of_range",
    "parent_cycle",
    "focus_unknown",
    "counterpart_unknown",
    "start_after_end",
    "start_unparseable",
    "month_precision_not_first",
    "unknown_topic",
    "position_for_person",
    "period_before_data",
    "judgement_likelihood_not_in_yardstick",
    "judgement_unknown_evidence",
    "judgement_evidence_after_as_of",
    "judgements_header_only_ok",
    "schema_keyword_unimplemented",
}


def load_case(folder: Path) -> dict:
    return json.loads((folder / "case.json").read_text(encoding="utf-8"))


def package_for(folder: Path, dest: Path) -> Path:
    """The real package with the case's files copied over it byte for byte.

    Bytes, not text: the not-UTF-8 and byte-order-mark cases must reach the loader as
    they are on disk.
    """
    build_package(dest)
    for path in folder.iterdir():
        if path.name != "case.json" and path.is_file():
            shutil.copyfile(path, dest / path.name)
    return dest


def test_corpus_is_large_enough_and_covers_every_required_kind():
    names = {p.name for p in CASES}
    assert len(CASES) >= 20
    assert REQUIRED <= names, f"missing cases: {sorted(REQUIRED - names)}"


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_case_file_is_well_formed(folder):
    case = load_case(folder)
    assert case["kind"] in {"data", "params"}
    assert case.get("description"), "say what the case breaks"
    if case.get("expect_ok"):
        assert isinstance(case["expect_events"], int)
        assert "expect" not in case
    else:
        assert case["expect"] and all(isinstance(s, str) and s for s in case["expect"])
    tables = [p for p in folder.iterdir() if p.name not in {"case.json"}]
    if case["kind"] == "data":
        # A data case replaces at least one file; a params case runs on the real data.
        assert tables
    else:
        assert not tables
        assert {"start_date", "end_date"} <= set(case["params"])


@pytest.mark.parametrize("folder", CASES, ids=[p.name for p in CASES])
def test_case(folder, tmp_path):
    case = load_case(folder)
    params = dict(case.get("params", {}))
    if case["kind"] == "data":
        data_dir = package_for(folder, tmp_path / "pkg")
        params.setdefault("start_date", "2025-01-01")
        params.setdefault("end_date", "2025-05-31")
        params["data_dir"] = str(data_dir)

    if case.get("expect_ok"):
        ctx = prepare(**params)
        assert len(ctx.events) == case["expect_events"]
        return

    if case["kind"] == "data":
        with pytest.raises(DataValidationError) as info:
            load_dataset(params["data_dir"])
    else:
        with pytest.raises((ParameterError, DataValidationError)) as info:
            prepare(**params)
    message = str(info.value)
    if isinstance(info.value, DataValidationError):
        # Drop the heading: it names the package folder, and pytest's tmp_path contains
        # the case's name, which could satisfy an expectation by accident.
        message = message.split("\n", 1)[1]
    for expected in case["expect"]:
        assert expected in message, f"expected {expected!r} in:\n{message}"


def test_data_cases_also_fail_through_prepare(tmp_path):
    """prepare() is what notebooks call: it must raise the same error, not load bad data."""
    folder = CORPUS / "stance_out_of_range"
    data_dir = package_for(folder, tmp_path / "pkg")
    with pytest.raises(DataValidationError) as info:
        prepare("2025-01-01", "2025-05-31", data_dir=str(data_dir))
    assert "positions.csv, line 4, column stance: '3'" in str(info.value)
