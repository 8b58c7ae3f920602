"""The circulated briefing, as a user meets it: the notebook run by papermill from another
directory over several periods, and a full build read back from its PDFs.

Expected numbers are counted by hand from data/engagements.csv (see test_briefing.py for
the event lists behind them).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import papermill as pm
import pytest
from pypdf import PdfReader

from helpers.paths import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow


def run_briefing(tmp_path: Path, **params) -> str:
    """Execute the briefing into tmp_path (the kernel starts there) and return the text of
    all its HTML outputs."""
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / "briefing.ipynb"),
        str(out),
        parameters=params,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    nb = json.loads(out.read_text(encoding="utf-8"))
    html = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            html.append("".join(output.get("data", {}).get("text/html", "")))
    return "\n".join(html)


def test_default_period(tmp_path):
    html = run_briefing(tmp_path)
    assert "India and Afghanistan: engagement briefing" in html
    assert "Period: 1 January – 31 May 2025" in html
    page_one = html.split("Trend and timeline")[0]
    # The headings in the order the issue gives, and the three names it asks for.
    at = [page_one.index(h) for h in ("Summary", "Since the last edition", "What to watch")]
    assert at == sorted(at)
    for name in ("Jaishankar", "Muttaqi", "Pahalgam"):
        assert name in page_one, name
    # January-May is not a calendar window: against the 151 days before (3 August -
    # 31 December 2024), which hold only the aid span under way since 2021.
    assert (
        "Trend: insufficient data to compare. Nothing is recorded as happening in 3 August"
        in page_one
    )
    assert html.count('src="data:image/png;base64,') == 2  # chronology and network
    assert "Muttaqi is expected in Tehran" in page_one  # what to watch (scheduled, after May)
    assert '<span class="slot-version"></span>' in page_one  # filled only by a build


def test_march_to_may(tmp_path):
    html = run_briefing(tmp_path, start_date="2025-03-01", end_date="2025-05-31")
    assert "Period: 1 March – 31 May 2025" in html
    # Against 29 November 2024 - 28 February 2025 (92 days each). Now: aid span (to 22
    # April) 7.4 + Prakash visit 1.9 + call 1.0 = +10.3, top minister. Then: aid 7.4 +
    # Dubai 2.5 + praise 3.4 = +13.3, top secretary. More senior (+1); -3.0 is under 5
    # (0). Total +1: improved.
    assert (
        "Trend: improved. Against 29 November 2024 – 28 February 2025: the phone call between "
        "Amir Khan Muttaqi and S. Jaishankar (May 2025) was more senior, at minister level, "
        "than the meeting between Vikram Misri and Amir Khan Muttaqi (January 2025); net "
        "cooperation +10.3 against +13.3."
    ) in html
    assert "Anand Prakash" in html


def test_period_after_all_events_gives_the_short_briefing(tmp_path):
    html = run_briefing(tmp_path, start_date="2030-01-01", end_date="2030-12-31")
    assert (
        "The record ends on 31 May 2025, before this period begins, so it cannot say what "
        "happened in 1 January – 31 December 2030."
    ) in html
    assert "Trend: no call." in html
    assert "No engagements are recorded in this period." in html
    assert "Traceback" not in html


def test_start_after_end_is_a_clear_error(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as info:
        run_briefing(tmp_path, start_date="2025-06-01", end_date="2025-05-01")
    assert info.value.ename == "ParameterError"
    assert "start_date 2025-06-01 is after end_date 2025-05-01" in info.value.evalue


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", text)


def test_build_pdfs_hold_every_section(default_build):
    version = default_build
    pdfs = {p.name.rsplit("_", 1)[-1].removesuffix(".pdf"): p for p in version.glob("*.pdf")}
    assert sorted(pdfs) == ["briefing", "stakeholders", "timeline"]

    for path in pdfs.values():
        reader = PdfReader(path)
        for page in reader.pages:  # A4 is 595 x 842 points
            assert round(float(page.mediabox.width)) == 595
            assert round(float(page.mediabox.height)) == 842
        text = pdf_text(path)
        # The colophon, in words: ids and hashes stay in manifest.json and the HTML's <meta>.
        assert "Version 1 of the edition for 1 January – 31 May 2025" in " ".join(text.split())
        assert "ind-afg" not in text
        assert f"Page 1 of {len(reader.pages)}" in text
        assert "def " not in text and "import " not in text  # no code reaches a page

    # The default briefing is at most four A4 pages (issue 15); the annexes hold the rest,
    # and nothing the issue asks of it is dropped to fit: counts, the full event table
    # (13 placed events), the network, positions and the reference list.
    assert len(PdfReader(pdfs["briefing"]).pages) <= 4
    briefing = pdf_text(pdfs["briefing"])
    for section in ("Summary", "Since the last edition", "What to watch", "Trend and timeline",
                    "Who Afghanistan dealt with", "Events in the period", "Stakeholders",
                    "Positions at the end of the period", "Sources"):  # fmt: skip
        assert section in briefing, section
    flat = " ".join(briefing.split())
    assert "13 May 2025 Afghanistan → Pakistan" in flat  # the event table's last row
    first = unicodedata.normalize("NFKC", PdfReader(pdfs["briefing"]).pages[0].extract_text())
    for fact in ("Summary", "Since the last edition", "What to watch", "Jaishankar",
                 "Muttaqi", "Pahalgam", "Version 1"):  # fmt: skip
        assert fact in first, fact
    # The build fills page one's version slots: the first version says so.
    assert "Version 1 is the first version of this edition." in first
    for fact in ("Dubai", "Anand Prakash", "Araghchi"):
        assert fact in briefing, fact
    # A first version is said once, on page one: no "Since the last version" section repeats it.
    assert briefing.count("first version of this edition") == 1
    assert "Since the last version" not in briefing

    timeline = pdf_text(pdfs["timeline"])
    for section in ("Chronology", "Intensity by month", "Seniority of contact",
                    "Topics over time",
                    "Change against the previous period: insufficient data to compare",
                    "Events of the period"):  # fmt: skip
        assert section in timeline, section

    stakeholders = pdf_text(pdfs["stakeholders"])
    for section in ("Interaction network", "Dyad matrix", "Position map", "Profiles",
                    "Alignment"):  # fmt: skip
        assert section in stakeholders, section


def test_a_named_parameter_file_titles_the_briefing(tmp_path):
    """``papermill -f params/spring-2025.yaml``: the file's period and its title."""
    import yaml

    from helpers.paths import PARAMS_DIR

    params = yaml.safe_load((PARAMS_DIR / "spring-2025.yaml").read_text(encoding="utf-8"))
    html = run_briefing(tmp_path, **params)
    assert "<h1>India and the Taliban government after Pahalgam, spring 2025</h1>" in html
    assert "engagement briefing" not in html  # the default heading is replaced
    assert "Period: 1 March – 31 May 2025" in html
