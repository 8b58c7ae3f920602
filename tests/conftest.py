"""Shared test fixtures: small data packages built from committed CSV fixtures."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"
TABLES = ("engagements", "actors", "sources", "positions", "cameo", "judgements")


def _holds_evidence(dest: Path, src: Path, fixture: str | None, overrides: dict) -> bool:
    """Whether the package's record holds every event the real judgements cite."""
    if fixture and (src / "judgements.csv").exists():
        return True
    if "engagements" in overrides:
        text = overrides["engagements"]
    else:
        text = (dest / "engagements.csv").read_text(encoding="utf-8", errors="replace")
    try:
        ids = {row[0] for row in csv.reader(io.StringIO(text)) if row}
    except csv.Error:  # a deliberately broken file: it is what the test is about
        return False
    with (DATA_DIR / "judgements.csv").open(encoding="utf-8", newline="") as f:
        cited = {e for row in csv.DictReader(f) for e in row["evidence"].split(";")}
    return cited <= ids


def build_package(dest: Path, fixture: str | None = None, **overrides: str) -> Path:
    """Write a data package into ``dest``.

    The schema is always the project's own ``data/datapackage.json``. Each table comes
    from ``tests/fixtures/<fixture>/`` when that folder has it, else from ``data/``;
    keyword arguments (``engagements="...csv text..."``) replace a table's text outright.
    A package whose record lacks an event the real judgements cite (a fixture's, or a
    replaced ``engagements``) has a header-only ``judgements`` unless one is given.
    """
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA_DIR / "datapackage.json", dest / "datapackage.json")
    src = FIXTURES / fixture if fixture else DATA_DIR
    for name in TABLES:
        path = src / f"{name}.csv"
        if name == "judgements" and not _holds_evidence(dest, src, fixture, overrides):
            # The real judgements cite real events, which a fixture's (or a test's own)
            # record need not hold: such a package has no judgements unless it is given
            # some (a header only).
            header = (DATA_DIR / "judgements.csv").read_text(encoding="utf-8").splitlines()[0]
            (dest / "judgements.csv").write_text(header + "\n", encoding="utf-8")
            continue
        shutil.copy(path if path.exists() else DATA_DIR / f"{name}.csv", dest / f"{name}.csv")
    for name, text in overrides.items():
        (dest / f"{name}.csv").write_text(text, encoding="utf-8")
    return dest


def edit_line(text: str, line: int, old: str, new: str) -> str:
    """Replace ``old`` once on file line ``line`` (header = 1), checking it is there."""
    lines = text.splitlines(keepends=True)
    assert lines[line - 1].count(old) == 1
    lines[line - 1] = lines[line - 1].replace(old, new)
    return "".join(lines)


@pytest.fixture
def make_package(tmp_path):
    """Factory: ``make_package("fixture_name", engagements=text)`` -> package folder."""
    counter = iter(range(1000))

    def make(fixture: str | None = None, **overrides: str) -> Path:
        return build_package(tmp_path / f"pkg{next(counter)}", fixture, **overrides)

    return make


def build_cli(cwd: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run ``python -m helpers build ARGS`` from ``cwd`` (outside the project), as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "helpers", "build", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


@pytest.fixture
def ctx_of(make_package):
    """Factory: ``ctx_of(start, end, focus="IND", counterpart="AFG")`` -> the context of a
    window on the fixture tests/fixtures/briefing."""
    from helpers.data.context import prepare

    pkg = make_package("briefing")

    def make(start: str, end: str, focus: str = "IND", counterpart: str = "AFG"):
        return prepare(start, end, focus, counterpart, str(pkg))

    return make


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> Path:
    """The published version folder of one default build (``python -m helpers build``,
    run from outside the project) into a temporary reports folder, shared by the tests
    that read its pages."""
    tmp = tmp_path_factory.mktemp("default-build")
    reports = tmp / "reports"
    proc = build_cli(tmp, "--reports-dir", str(reports))
    assert proc.returncode == 0, proc.stderr
    (version,) = (reports / "ind-afg" / "2025-01-01_2025-05-31").glob("v*")
    return version


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
"""Flags for Debian's Chromium driven by Playwright (no sandbox as root, no network)."""


def missing_browser(reason: str) -> None:
    """Skip on a workstation; in CI (``CI`` set, as CI services set it) a missing browser
    is a failure, not a skip."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's Chromium (Playwright's own browser download cannot work here)."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    missing_browser("Debian's Chromium is not installed (apt-get install -y chromium)")


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
