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
    assert "Period: 1 January – 31 May 2025" in html
    assert (
        "12 engagements recorded in the period, plus 1 scheduled event; "
        "5 between India and Afghanistan (Taliban government)."
    ) in html
    # The Jaishankar-Muttaqi call (minister and minister) is the most senior contact and
    # the highest since the record begins in August 2021; the Dubai meeting is
    # secretary-level (Foreign Secretary and acting Foreign Minister).
    assert "minister-level phone call of May 2025" in html
    assert "the highest-level contact between them since the record begins in August 2021" in html
    assert "Call: improved." in html
    assert html.count('src="data:image/png;base64,') == 2  # chronology and network
    assert "Muttaqi is expected in Tehran" in html  # the outlook (scheduled, after May)


def test_march_to_may(tmp_path):
    html = run_briefing(tmp_path, start_date="2025-03-01", end_date="2025-05-31")
    assert "Period: 1 March – 31 May 2025" in html
    assert (
        "9 engagements recorded in the period, plus 1 scheduled event; "
        "3 between India and Afghanistan (Taliban government)."
    ) in html
    # The Dubai meeting (January) is outside this period; the Prakash visit is in it.
    assert "Vikram Misri" not in html.split("Stakeholders")[0]
    assert "Anand Prakash" in html


def test_period_after_all_events_gives_the_short_briefing(tmp_path):
    html = run_briefing(tmp_path, start_date="2030-01-01", end_date="2030-12-31")
    assert "No engagements are recorded between 1 January – 31 December 2030" in html
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

    briefing = pdf_text(pdfs["briefing"])
    for section in ("Key points", "Timeline", "Events in the period", "Stakeholders",
                    "Outlook", "Sources", "Since the last version"):  # fmt: skip
        assert section in briefing, section
    for fact in ("Jaishankar", "Dubai", "Pahalgam", "Anand Prakash", "Araghchi"):
        assert fact in briefing, fact
    assert "This is the first version of this edition." in briefing

    timeline = pdf_text(pdfs["timeline"])
    for section in ("Chronology", "Intensity by month", "Seniority of contact",
                    "Topics over time", "Change against the previous period: improved",
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
