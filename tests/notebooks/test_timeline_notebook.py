"""Execute notebooks/timeline.ipynb with papermill and check what it shows.

Runs in a temporary working directory (papermill starts the kernel there), on the real
data for three windows and on the timeline fixture for a fourth. Expected words and
numbers are worked out by hand in the comments.
"""

from __future__ import annotations

import html
import re

import nbformat
import papermill
import pytest
from conftest import build_package

from helpers.paths import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

NOTEBOOK = NOTEBOOKS_DIR / "timeline.ipynb"
PNG = 'src="data:image/png;base64,'

RUNS = {
    "default": {},
    "march-may": {"start_date": "2025-03-01", "end_date": "2025-05-31"},
    "empty": {"start_date": "2030-01-01", "end_date": "2030-12-31"},
    "fixture-summer": {"start_date": "2025-06-01", "end_date": "2025-08-31", "fixture": True},
}


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each run's executed notebook, by name; each executed once for the module."""
    cache: dict[str, nbformat.NotebookNode] = {}

    def run(name: str) -> nbformat.NotebookNode:
        if name not in cache:
            params = dict(RUNS[name])
            work = tmp_path_factory.mktemp(name)
            if params.pop("fixture", False):
                params["data_dir"] = str(build_package(work / "data", "timeline"))
            out = work / "timeline.ipynb"
            papermill.execute_notebook(
                str(NOTEBOOK),
                str(out),
                parameters=params,
                cwd=str(work),
                kernel_name="python3",
                progress_bar=False,
            )
            cache[name] = nbformat.read(out, as_version=4)
        return cache[name]

    return run


def html_outputs(nb) -> list[str]:
    return [
        o["data"]["text/html"]
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if "text/html" in o.get("data", {})
    ]


def text_of(nb) -> str:
    """All HTML output as plain text (tags dropped, entities decoded, the no-break spaces
    that keep dates on one line read as spaces; an inline span adds no space)."""
    joined = " ".join(html_outputs(nb))
    joined = re.sub(r'src="data:image/png;base64,[^"]*"', "", joined)
    joined = re.sub(r"</?span\b[^>]*>", "", joined)
    return html.unescape(re.sub(r"<[^>]+>", " ", joined)).replace("\u00a0", " ")


def test_notebook_is_stored_without_outputs_and_with_one_parameters_cell():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert tagged[0].source.splitlines() == [
        'start_date: str = "2025-01-01"  # First day of the period, ISO date (YYYY-MM-DD)',
        'end_date: str = "2025-05-31"  # Last day of the period, ISO date (YYYY-MM-DD)',
        'focus: str = "IND"  # Focus stakeholder: an actor_id with no parent in data/actors.csv',
        'counterpart: str = "AFG"  # Counterpart stakeholder of the focus dyad',
        'data_dir: str = ""  # Data package folder; empty means the project\'s data/',
        'title: str = ""  # Briefing title; empty means '
        '"<focus> and <counterpart>: engagement briefing"',
    ]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "briefing"  # the project's kernel spec


def test_default_window(executed):
    nb = executed("default")
    text = text_of(nb)
    # Three charts: chronology, seniority ladder, topics.
    assert sum(h.count(PNG) for h in html_outputs(nb)) == 3
    assert "Timeline: India and Afghanistan (Taliban government), 1 January – 31 May 2025" in text
    # 13 events placed in Jan-May (12 occurred, and muttaqi-china-visit scheduled); the
    # three year-precision events of 2025 and the China interval (Feb 2022 - Feb 2025)
    # are loose.
    assert "13 events recorded for 1 January – 31 May 2025" in text
    assert "Jaishankar" in text
    # Change: previous period = the 151 days before 1 January, 3 Aug - 31 Dec 2024,
    # holding only the aid span (+7.4), under way since 2021: nothing is recorded as
    # happening then, so there is nothing to compare with. The table still gives the
    # numbers: aid 7.4 + Dubai meeting 2.5 + Taliban praise 3.4 + Prakash visit 1.9 +
    # call 1.0 = +16.2 against +7.4.
    assert "Change against the previous period: insufficient data to compare" in text
    assert "Nothing is recorded as happening in 3 August – 31 December 2024" in text
    assert "+16.2" in text and "+7.4" in text
    # The minister-level call is the highest since the record begins (August 2021).
    assert "minister-level phone call of May 2025" in text
    assert "since the record begins in August 2021" in text
    # Araghchi's "nine years" reaches back to 2016, before the record begins.
    assert "reaching back to 2016; but the record only begins in August 2021" in text
    # A span shown with both ends; a month-precision event at its month; the China
    # interval as the two days it lies between, listed as loosely dated.
    assert "August 2021 – 22 April 2025" in text
    assert "January 2025" in text
    assert "Between 1 February 2022 and 28 February 2025" in text
    assert "Known only to that interval, so it may fall outside the period" in text


def test_march_to_may(executed):
    text = text_of(executed("march-may"))
    # Previous period: the 92 days 29 Nov 2024 - 28 Feb 2025. Now: aid span 7.4 +
    # Prakash visit 1.9 + call 1.0 = +10.3; before: aid 7.4 + Dubai 2.5 + praise 3.4 =
    # +13.3. Minister against secretary (+1); change -3.0, under 5 (0). Improved.
    assert "29 November 2024 – 28 February 2025" in text
    assert "was more senior, at minister level" in text
    assert "net cooperation +10.3 against +13.3." in text
    assert "Change against the previous period: improved" in text
    assert "10 events recorded for 1 March – 31 May 2025" in text


def test_empty_window(executed):
    nb = executed("empty")
    text = text_of(nb)
    assert "No engagements are recorded for 1 January – 31 December 2030." in text
    # The record ends on 31 May 2025 (see helpers.coverage): no call for 2030.
    assert "Change against the previous period: no call" in text
    assert "The record ends on 31 May 2025, before this period begins" in text
    # The three charts still render, each as a figure that says why it is empty.
    assert sum(h.count(PNG) for h in html_outputs(nb)) == 3
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []


def test_fixture_data_dir_summer(executed):
    text = text_of(executed("fixture-summer"))
    # Fixture (tests/analysis/test_timeline.py): Jun-Aug 2025 holds only the July accusation
    # (-2.0, Kabul's foreign ministry to India); the previous 92 days, 1 Mar - 31 May,
    # hold the aid span 7.4, the senior visit 1.9 and the minister call 1.0 = +10.3.
    # No contact now against minister (-1); change -12.3 (-1) would be deteriorated, but
    # the fixture's sources are the project's, published by May 2025 at the latest, so
    # the record ends on 31 May 2025 and no call is made on the summer; the table still
    # gives the numbers.
    assert "Change against the previous period: no call" in text
    assert "-2.0" in text and "+10.3" in text
    assert "1 event recorded for 1 June – 31 August 2025" in text
    assert "14 July 2025" in text
