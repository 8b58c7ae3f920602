"""A build of a data package holding coded events: the signals annex joins the others.

One build (``python -m helpers build``, as the command line runs it) of a copy of the
project's package into which tests/fixtures/coded/gdelt_v2.export.CSV was imported; the
default period. Its four documents are read back like the default build's
(test_print_quality): PDF text with NFKC, page pixels, the HTML.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import build_cli, build_package
from test_print_quality import (
    blank_below_content,
    broken_words,
    dates_broken_in_headings,
    document,
    pdf_pages,
)

from helpers.data.coded.importer import import_files
from helpers.data.defaults import CODED_NOTEBOOKS, NOTEBOOKS, notebooks_for
from helpers.paths import DATA_DIR
from helpers.publishing.build import BuildRequest, with_coded_notebooks

CODED = Path(__file__).parents[1] / "fixtures" / "coded"
GDELT = CODED / "gdelt_v2.export.CSV"


@pytest.fixture(scope="module")
def coded_build(tmp_path_factory) -> Path:
    """The published version folder of a build of the package with GDELT events."""
    tmp = tmp_path_factory.mktemp("coded-build")
    data = build_package(tmp / "data")
    import_files("gdelt", [GDELT], data)
    reports = tmp / "reports"
    proc = build_cli(tmp, "--data-dir", str(data), "--reports-dir", str(reports))
    assert proc.returncode == 0, proc.stderr
    (version,) = reports.glob("*/2025-01-01_2025-05-31/v*")
    return version


def test_the_signals_annex_is_built_only_for_a_package_with_coded_events(make_package):
    folder = make_package()
    assert notebooks_for(DATA_DIR) == NOTEBOOKS == ("briefing", "timeline", "stakeholders")
    assert notebooks_for(folder) == NOTEBOOKS
    import_files("gdelt", [GDELT], folder)
    assert notebooks_for(folder) == NOTEBOOKS + CODED_NOTEBOOKS
    request = BuildRequest(data_dir=str(folder))
    assert with_coded_notebooks(request).notebooks == (*NOTEBOOKS, "signals")
    # A request that names its notebooks builds those.
    assert with_coded_notebooks(BuildRequest(data_dir=str(folder), notebooks=("timeline",))) \
        .notebooks == ("timeline",)  # fmt: skip


@pytest.mark.slow
def test_four_documents_and_the_manifest_lists_the_signals_notebook(coded_build):
    names = sorted(p.name.split("_v1_")[1] for p in coded_build.glob("*.pdf"))
    assert names == ["briefing.pdf", "signals.pdf", "stakeholders.pdf", "timeline.pdf"]
    manifest = json.loads((coded_build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebooks"]["signals"] == "notebooks/signals.ipynb"


@pytest.mark.slow
def test_the_signals_pdf_gives_the_hand_counted_totals(coded_build):
    text = " ".join(" ".join(pdf_pages(document(coded_build, "signals", "pdf"))).split())
    # India-Afghanistan rows of the file: 1001, 1002 (the Taliban) and 1007 (see
    # tests/notebooks/test_signals_notebook.py); none before the period.
    assert (
        "GDELT: 3 machine-coded events between the two sides, 1 January – 31 May 2025, "
        "against no machine-coded events in the comparison period, 3 August – 31 "
        "December 2024." in text
    )
    assert "1 of the 5 curated events between the two sides in the period is corroborated" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", ["signals", "briefing"])
def test_print_rules(coded_build, name):
    pdf, html = document(coded_build, name, "pdf"), document(coded_build, name, "html")
    text = "\n".join(pdf_pages(pdf))
    assert "\u2010" not in text and "\u00ad" not in text  # no hyphenation
    assert broken_words(pdf, html) == []  # no word cut or run together, headers apart
    shares = blank_below_content(pdf)
    for page, share in enumerate(shares[:-1], 1):
        assert share <= 0.40, f"{name} page {page} is {share:.0%} blank"


@pytest.mark.slow
def test_no_heading_of_the_annex_breaks_inside_a_date(coded_build):
    pdf, html = document(coded_build, "signals", "pdf"), document(coded_build, "signals", "html")
    assert dates_broken_in_headings(pdf, html) == []


@pytest.mark.slow
def test_signals_table_headers_stand_apart(coded_build):
    words = re.findall(r"[A-Za-z]+", "\n".join(pdf_pages(document(coded_build, "signals", "pdf"))))
    for header in ("Record", "Period", "Month", "Corroborated", "CAMEO", "matches"):
        assert header in words, header
    glued = r"(?:Record|Period|Month|Events|cooperation|conflict|Date|CAMEO|matches)[A-Z]\w*"
    assert [w for w in words if re.fullmatch(glued, w)] == []


@pytest.mark.slow
def test_the_briefing_has_a_short_signals_section_after_page_one(coded_build):
    pages = [" ".join(p.split()) for p in pdf_pages(document(coded_build, "briefing", "pdf"))]
    assert "Machine-coded" not in pages[0]
    (page,) = [p for p in pages if "Machine-coded signals" in p]
    assert "GDELT: 3 machine-coded events between the two sides in the period." in page
    assert "1 of the 5 curated events between the two sides in the period is corroborated" in page
    assert "The signals annex shows them by month" in page
