"""Import each machine-coded fixture, execute notebooks/signals.ipynb, check what it shows.

One temporary copy of the project's data package per fixture, one import, a second
import of the same files (it must add nothing), then one papermill run for the default
period (1 January – 31 May 2025, India and Afghanistan; compared with 3 August –
31 December 2024). The counts in the comments are made by hand from the fixture rows in
tests/fixtures/coded/. The curated record holds five events between the two sides in
the period; the only one that can meet a coded event (all dated May 2025) is the call of
May 2025 (CAMEO 041, root 04), whose month widened by 3 days covers every fixture date.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import papermill
import pytest
from conftest import build_package

from helpers.data.coded.importer import import_files
from helpers.paths import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

NOTEBOOK = NOTEBOOKS_DIR / "signals.ipynb"
CODED = Path(__file__).parents[1] / "fixtures" / "coded"
PERIOD = "1 January – 31 May 2025"
BEFORE = "3 August – 31 December 2024"

FIXTURES = {
    "gdelt": ("gdelt", ["gdelt_v2.export.CSV"]),
    "icews": ("icews", ["icews_events.tab"]),
    "plover": ("plover", ["plover_records.json"]),
    "polecat": ("plover", ["polecat_extra_header.txt", "polecat_stray_tabs.txt"]),
}
YEAR_2030 = {"start_date": "2030-01-01", "end_date": "2030-12-31"}  # no coded event near it


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """name -> (first import's report, second import's report, the notebook's text)."""
    cache: dict[str, tuple] = {}

    def get(name: str, **window: str):
        key = (name, *window.values())
        if key not in cache:
            fmt, files = FIXTURES[name]
            work = tmp_path_factory.mktemp(name)
            data = build_package(work / "data")
            paths = [CODED / f for f in files]
            first = import_files(fmt, paths, data)
            second = import_files(fmt, paths, data)
            out = work / "signals.ipynb"
            papermill.execute_notebook(
                str(NOTEBOOK),
                str(out),
                parameters={"data_dir": str(data), **window},
                cwd=str(work),
                kernel_name="python3",
                progress_bar=False,
            )
            cache[key] = (first, second, text_of(nbformat.read(out, as_version=4)))
        return cache[key]

    return get


def text_of(nb) -> str:
    """The notebook's HTML output as one line of plain text (tags dropped, spaces merged)."""
    outputs = [
        o["data"]["text/html"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if "text/html" in o.get("data", {})
    ]
    text = html.unescape(re.sub(r"<[^>]+>", " ", " ".join(outputs))).replace("\u00a0", " ")
    return " ".join(text.split())


def total(name: str, n: int) -> str:
    return (
        f"{name}: {n} machine-coded events between the two sides, {PERIOD}, against no "
        f"machine-coded events in the comparison period, {BEFORE}."
    )


CURATED = (
    "The curated record holds 5 events between the two sides in the period; curated and "
    "machine-coded events are counted apart and never added together."
)
ONE_OF_FIVE = (
    "1 of the 5 curated events between the two sides in the period is corroborated. A "
    "curated event is corroborated when a machine-coded event on the same pair, within 3 "
    "days of its dates, has the same CAMEO root (first two digits)."
)
NO_UNREVIEWED = (
    "No day of the period has more than 3 times a dataset's daily median of machine-coded "
    "events between the two sides while no curated event may fall on it."
)
# The call's row of the corroboration table: date, (summary), CAMEO, matches, verdict.
CALL_ROW = re.compile(r"May 2025 Acting Foreign Minister Muttaqi .*? port\. 041 1 yes")


def test_gdelt_2_export(run):
    first, second, text = run("gdelt")
    # 9 lines: 1003 (31 February), 1005 (60 fields) and 1008 (code 'abc') are bad;
    # 1001 1002 1004 1006 1007 1009 are stored, and a second import adds none of them.
    assert (first.added, second.added, second.already_present) == (6, 0, 6)
    # India-Afghanistan: 1001 IND->AFG (040), 1002 Taliban->IND (0311), 1007 IND->AFG
    # (190). Not 1004 (IND->PAK), 1006 (USA->AFG) or 1009 (Pakistani Taliban->IND).
    assert total("GDELT", 3) in text
    assert CURATED in text
    # May 2025: verbal cooperation 1001 1002 (QuadClass 1), material conflict 1007 (4).
    assert "GDELT period May 2025 2 0 0 1 3" in text
    assert "GDELT period April 2025 0 0 0 0 0" in text
    # Goldstein: 040 1.0 (cameo.csv), 0311 5.2 and 190 -10.0 (the file's own, not in
    # cameo.csv): 1.0 + 5.2 - 10.0 = -3.8. Tone (2.5 + 1.25 - 7.5) / 3 = -1.25.
    assert (
        "GDELT: net cooperation −3.8 over 3 machine-coded events in the period, against "
        "0.0 over no machine-coded events in the comparison period." in text
    )
    assert "GDELT period 3 −3.8 −1.27 −1.25" in text  # mean Goldstein -3.8 / 3
    # The call (041) meets 1001 (040, 15 May); 1002 is root 03, 1007 root 19.
    assert ONE_OF_FIVE in text
    assert CALL_ROW.search(text)
    # Every fixture day is in May, inside the call's month: no unreviewed day.
    assert NO_UNREVIEWED in text
    assert "The daily median of GDELT is 0 in this period" in text
    assert "GDELT's counts of mentions, sources and articles" in text
    assert "ICEWS and POLECAT give no article addresses" not in text


def test_icews_file(run):
    first, second, text = run("icews")
    # 7 rows: 9003 (month 13) and 9005 (5 fields) are bad; Event ID 9001 on two dates
    # is two events. Stored: 9001 twice, 9002, 9004, 9006; again: nothing added.
    assert (first.added, second.added, second.already_present) == (5, 0, 5)
    # India-Afghanistan: 9001 on 15 May (041) and 16 May (051), 9006 (057). Not 9002
    # (Taliban -> Iran) or 9004 (a Pakistani citizen -> Russia).
    assert total("ICEWS", 3) in text
    # All three are verbal cooperation; Goldstein 1.0 + 3.4 + 8.0 = 12.4; no tone.
    assert "ICEWS period May 2025 3 0 0 0 3" in text
    assert "ICEWS: net cooperation 12.4 over 3 machine-coded events in the period" in text
    assert "ICEWS period 3 12.4 4.13 –" in text
    # The call (041) meets 9001 of 15 May (041); 051 and 057 are other roots.
    assert ONE_OF_FIVE in text
    assert CALL_ROW.search(text)
    assert NO_UNREVIEWED in text
    assert "ICEWS and POLECAT give no article addresses" in text
    assert "GDELT" not in text


def test_plover_json_records(run):
    first, second, text = run("plover")
    # 6 records: plv-3 ('HUG', no category) and plv-5 (no date) are bad; 4 stored.
    assert (first.added, second.added, second.already_present) == (4, 0, 4)
    # India-Afghanistan: plv-1 (CONSULT -> 040) and plv-6 (CRIME, material conflict, no
    # CAMEO code). Not plv-2 (Taliban -> China) or plv-4 (Pakistan -> India).
    assert total("PLOVER/POLECAT", 2) in text
    assert "PLOVER/POLECAT period May 2025 1 0 0 1 2" in text
    # Goldstein: 040 1.0 from cameo.csv; CRIME has none, so it adds nothing: 1.0.
    assert "PLOVER/POLECAT: net cooperation 1.0 over 2 machine-coded events" in text
    assert (
        "1 machine-coded event between the two sides near the period has no Goldstein "
        "value and adds nothing to net cooperation." in text
    )
    assert ONE_OF_FIVE in text  # the call meets plv-1 (root 04)
    assert CALL_ROW.search(text)
    assert NO_UNREVIEWED in text


def test_polecat_tab_separated_files(run):
    first, second, text = run("polecat")
    # The first file's 3 rows and the second's pc-101..pc-103 again and pc-104 (its
    # line 4, a stray tab, is bad): 4 events; the second import adds none.
    assert (first.added, second.added, second.already_present) == (4, 0, 6)
    # India-Afghanistan: pc-101 (CONSULT, 040) and pc-102 (AID, material cooperation).
    # Not pc-103 (Pakistan) or pc-104 (China).
    assert total("PLOVER/POLECAT", 2) in text
    assert "PLOVER/POLECAT period May 2025 1 1 0 0 2" in text
    # Goldstein 1.0 (040, cameo.csv) + 7.4 (AID's intensity, 070 not in cameo.csv).
    assert "PLOVER/POLECAT: net cooperation 8.4 over 2 machine-coded events" in text
    assert ONE_OF_FIVE in text  # the call meets pc-101 (root 04)
    assert NO_UNREVIEWED in text


def test_a_period_with_no_coded_event_near_it(run):
    _, _, text = run("gdelt", **YEAR_2030)
    assert (
        "The data package holds no machine-coded event dated in the period or the "
        "comparison period." in text
    )
    # No table by month or by period, and nothing to corroborate or spike.
    assert "Verbal cooperation" not in text and "Net cooperation (Goldstein sum)" not in text
    assert "The curated record holds no event between the two sides in the period" in text
    assert NO_UNREVIEWED in text
