"""Shared test fixtures: small data packages built from committed CSV fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.paths import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = ("engagements", "actors", "sources", "positions", "cameo")


def build_package(dest: Path, fixture: str | None = None, **overrides: str) -> Path:
    """Write a data package into ``dest``.

    The schema is always the project's own ``data/datapackage.json``. Each table comes
    from ``tests/fixtures/<fixture>/`` when that folder has it, else from ``data/``;
    keyword arguments (``engagements="...csv text..."``) replace a table's text outright.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA_DIR / "datapackage.json", dest / "datapackage.json")
    src = FIXTURES / fixture if fixture else DATA_DIR
    for name in TABLES:
        path = src / f"{name}.csv"
        shutil.copy(path if path.exists() else DATA_DIR / f"{name}.csv", dest / f"{name}.csv")
    for name, text in overrides.items():
        (dest / f"{name}.csv").write_text(text, encoding="utf-8")
    return dest


@pytest.fixture
def make_package(tmp_path):
    """Factory: ``make_package("fixture_name", engagements=text)`` -> package folder."""
    counter = iter(range(1000))

    def make(fixture: str | None = None, **overrides: str) -> Path:
        return build_package(tmp_path / f"pkg{next(counter)}", fixture, **overrides)

    return make


@pytest.fixture
def held_visit_package(make_package) -> str:
    """The timeline fixture, whose Muttaqi visit to China is announced for May 2025
    (``fx-china-visit-scheduled``, month precision), plus the visit held on 20 May
    (``fx-china-visit-held``, whose ``fulfils`` names the announcement)."""
    text = (FIXTURES / "timeline" / "engagements.csv").read_text(encoding="utf-8")
    text += (
        "fx-china-visit-held,2025-05-20,day,,occurred,fx-china-visit-scheduled,visit,042,"
        "MUTTAQI,CHN,Beijing,minister,institution,,Synthetic: the visit takes place.,,"
        "muttaqi-call-report,high,\n"
    )
    return str(make_package(engagements=text))
