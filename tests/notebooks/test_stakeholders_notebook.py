"""Execute notebooks/stakeholders.ipynb with papermill and check what it shows.

Expected numbers are worked out by hand from data/engagements.csv and data/positions.csv
(see tests/analysis/test_stakeholders.py for the event-by-event lists).
"""

from __future__ import annotations

import html
import re

import nbformat
import pytest

from helpers.paths import NOTEBOOKS_DIR

papermill = pytest.importorskip("papermill")

pytestmark = pytest.mark.slow

NOTEBOOK = NOTEBOOKS_DIR / "stakeholders.ipynb"
WINDOWS = {
    "default": ("2025-01-01", "2025-05-31"),
    "april_may": ("2025-04-01", "2025-05-31"),
    "empty": ("2030-01-01", "2030-12-31"),
}
PNG = "data:image/png;base64,"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Each window executed once, in a scratch working directory: cell id -> html."""
    out = {}
    for key, (start, end) in WINDOWS.items():
        work = tmp_path_factory.mktemp(f"stakeholders-{key}")
        target = work / "out.ipynb"
        papermill.execute_notebook(
            str(NOTEBOOK),
            str(target),
            parameters={
                "start_date": start,
                "end_date": end,
                "focus": "IND",
                "counterpart": "AFG",
                "data_dir": "",
            },
            cwd=str(work),
            kernel_name="python3",
            progress_bar=False,
        )
        nb = nbformat.read(target, as_version=4)
        cells = {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            markup = "".join(
                o.get("data", {}).get("text/html", "") for o in cell.get("outputs", [])
            )
            cells[cell.get("id")] = markup
        out[key] = cells
    return out


def text(markup: str) -> str:
    """Visible text of some HTML: tags dropped, entities decoded, spaces collapsed."""
    plain = re.sub(r"<[^>]+>", " ", markup)
    return " ".join(html.unescape(plain).split())


def h4s(markup: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<h4>(.*?)</h4>", markup)]


def test_notebook_shape():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (at,) = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    params = nb.cells[at]
    assert params.source.splitlines() == [
        'start_date: str = "2025-01-01"  # First day of the period, ISO date (YYYY-MM-DD)',
        'end_date: str = "2025-05-31"  # Last day of the period, ISO date (YYYY-MM-DD)',
        'focus: str = "IND"  # Focus stakeholder: an actor_id with no parent in data/actors.csv',
        'counterpart: str = "AFG"  # Counterpart stakeholder of the focus dyad',
        'data_dir: str = ""  # Data package folder; empty means the project\'s data/',
        'title: str = ""  # Briefing title; empty means '
        '"<focus> and <counterpart>: engagement briefing"',
    ]
    setup = nb.cells[at + 1].source
    assert "ctx = prepare(start_date, end_date, focus, counterpart, data_dir)" in setup
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells[1:])
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_default_window(runs):
    cells = runs["default"]
    # 13 events placed in 1 Jan - 31 May 2025, less the scheduled Muttaqi visit = 12.
    assert "12 events counted" in text(cells["scope"])
    # Nodes IND, AFG, PAK, attackers, IRN, UN (CHN has no event counted in the window);
    # the seven pairs are listed in test_stakeholder_charts.
    assert "6 stakeholders took part in 12 counted events, linking 7 pairs." in text(
        cells["network"]
    )
    for part in ("network", "dyads", "positions"):
        assert cells[part].count(PNG) == 1, part
    # India-Afghanistan: aid, Dubai, praise, Prakash, call = 5 events, 3 contacts, net
    # 7.4 + 2.5 + 3.4 + 1.9 + 1.0 = +16.2.
    assert re.search(
        r"<td>India – Afghanistan \(Taliban government\)</td><td>5</td>"
        r"<td>India → Afghanistan: 3</td><td>Afghanistan → India: 2</td><td>3</td>"
        r"<td>\+16\.2</td>",
        cells["dyads"],
    )
    positions = text(cells["positions"])
    assert "Positions of 7 stakeholders as of 31 May 2025; 3 moved" in positions
    assert (
        "Western governments" in positions and "Critics of the outreach within India" in positions
    )
    # Data text is escaped on its way to HTML: the apostrophe in India's rationale.
    assert "Pakistan&#x27;s influence" in cells["positions"]
    assert h4s(cells["profiles"]) == [
        "India",
        "Afghanistan (Taliban government)",
        "Iran",
        "Pakistan",
        "United Nations",
        "Perpetrators of the Pahalgam attack",
    ]
    alignment = text(cells["alignment"])
    assert (
        "India engaged Afghanistan (Taliban government) most: 5 events with it, "
        "3 of them contacts." in alignment
    )
    assert "Moved away from engagement: Pakistan (stance +1 → −1" in alignment


def test_april_may_window(runs):
    cells = runs["april_may"]
    # Attack, India accuses Pakistan, Taliban condemn, Prakash visit, Pakistani military
    # claim, Taliban rejection, phone call, and the aid span (attested to 22 April, so it
    # overlaps) = 8 (the Muttaqi visit to China is scheduled). Pairs: IND-AFG (aid,
    # Prakash, call), IND-PAK, IND-attackers, AFG-attackers, AFG-PAK = 5.
    assert "8 events counted" in text(cells["scope"])
    assert "4 stakeholders took part in 8 counted events, linking 5 pairs." in text(
        cells["network"]
    )
    assert re.search(
        r"<td>India – Afghanistan \(Taliban government\)</td><td>3</td>", cells["dyads"]
    )
    # China is on the map (position of 31 May) but not active, so no profile.
    assert h4s(cells["profiles"]) == [
        "India",
        "Afghanistan (Taliban government)",
        "Pakistan",
        "Perpetrators of the Pahalgam attack",
    ]
    assert "China" in text(cells["positions"])
    alignment = text(cells["alignment"])
    assert "India engaged Afghanistan (Taliban government) most: 3 events with it" in alignment
    # Iran's move (31 January) happened before this window, and the sentence says so.
    assert "Iran (stance 0 → +1, 31 December 2024 → 31 January 2025, before this period)" in (
        alignment
    )


def test_empty_window(runs):
    cells = runs["empty"]
    assert "0 events counted" in text(cells["scope"])
    assert (
        "No events in this period (1 January – 31 December 2030), so there is no network to draw."
        in text(cells["network"])
    )
    assert "No events between two stakeholders in this period" in text(cells["dyads"])
    # The map still shows every position: as of 2030 the latest of IND, AFG, CHN, IRN,
    # PAK, WEST, IND_CRITICS = 7 rows, and a chart.
    assert cells["positions"].count(PNG) == 1
    body = re.search(r"<tbody>(.*?)</tbody>", cells["positions"]).group(1)
    assert body.count("<tr>") == 7
    assert h4s(cells["profiles"]) == []
    assert "No stakeholder took part" in text(cells["profiles"])
    assert "No events were recorded in this period" in text(cells["alignment"])
