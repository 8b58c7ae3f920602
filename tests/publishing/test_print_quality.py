"""Print quality of the three default documents, read back from a real build's PDFs.

One default build (1 January – 31 May 2025, India and Afghanistan) into a temporary
reports folder; every check reads what a reader gets: the PDF's text (pypdf, NFKC so that
ligatures read as letters), its pages as pixels (pypdfium2) and the HTML.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from conftest import CHROMIUM_ARGS, missing_browser
from pypdf import PdfReader

pytestmark = pytest.mark.slow

DOCUMENTS = ("briefing", "timeline", "stakeholders")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MM = 72 / 25.4  # PDF points per millimetre
# briefing.css: @page margin 20 mm top, 18 mm bottom; the footer sits in the bottom margin.
TOP_MM, BOTTOM_MM = 20, 18


@pytest.fixture
def build_dir(default_build) -> Path:
    return default_build


def document(version: Path, name: str, ext: str) -> Path:
    (path,) = version.glob(f"*_{name}.{ext}")
    return path


def pdf_pages(path: Path) -> list[str]:
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(path).pages]


def visible_text(html: str) -> str:
    """The text of an HTML page as a reader sees it (tags and the stylesheet removed)."""
    body = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return unicodedata.normalize("NFKC", html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))


def broken_words(pdf: Path, html: Path) -> list[str]:
    """Words of the PDF's text that the page's HTML does not hold: pieces of a word
    broken at a line end ('Afgh', 'anistan') or words run together ('InfluenceInterest')."""
    vocabulary = set(re.findall(r"[A-Za-z]+", visible_text(html.read_text(encoding="utf-8"))))
    vocabulary |= {"Page", "of"}  # the footer, made by the @page rules
    text = "\n".join(pdf_pages(pdf))
    return [w for w in re.findall(r"[A-Za-z]+", text) if w not in vocabulary]


def blank_below_content(pdf: Path) -> list[float]:
    """Share of each page's text area left blank below its lowest ink, from the pixels."""
    import pypdfium2 as pdfium

    shares = []
    for page in pdfium.PdfDocument(pdf):
        height = page.get_size()[1]
        pixels = page.render(scale=1, grayscale=True).to_numpy()
        pixels = pixels.reshape(pixels.shape[0], pixels.shape[1], -1)[..., 0]
        top, bottom = round(TOP_MM * MM), round(height - BOTTOM_MM * MM)
        inked = np.flatnonzero((pixels[top:bottom] < 240).any(axis=1))
        lowest = inked.max() + 1 if len(inked) else 0
        shares.append(1 - lowest / (bottom - top))
    return shares


def meta_of(html: str) -> dict[str, str]:
    """name -> content of the page's ``<meta>`` elements."""
    found = {}

    class Meta(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "meta" and "name" in a:
                found[a["name"]] = a.get("content", "")

    Meta().feed(html)
    return found


def headings(html: str) -> list[str]:
    """Text of every heading of the page, spaces as a reader sees them."""
    found = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, flags=re.S)
    return [" ".join(visible_text(h).split()) for h in found]


DATE = re.compile(rf"\b\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?\b|\b(?:{MONTHS}) \d{{4}}\b")


def dates_broken_in_headings(pdf: Path, html: Path) -> list[str]:
    """Headings of the PDF whose lines break inside a date ('1' | 'January')."""
    lines = [" ".join(line.split()) for page in pdf_pages(pdf) for line in page.splitlines()]
    broken = []
    for title in headings(html.read_text(encoding="utf-8")):
        spans = [m.span() for m in DATE.finditer(title)]
        if not spans:
            continue
        for i in range(len(lines)):
            # The heading starts on line i and runs on over the next lines.
            joined, breaks, k = lines[i], [], i
            while len(joined) < len(title) and k + 1 < len(lines) and title.startswith(joined):
                breaks.append(len(joined))
                k += 1
                joined = f"{joined} {lines[k]}"
            if joined == title:
                broken += [f"{title[:b]} | {title[b:]}" for b in breaks
                           if any(a < b < z for a, z in spans)]  # fmt: skip
                break
        else:
            broken.append(f"heading not found in the PDF: {title}")
    return broken


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_hyphenation_and_no_word_broken_or_run_together(build_dir, name):
    pdf = document(build_dir, name, "pdf")
    text = "\n".join(pdf_pages(pdf))
    assert "\u2010" not in text and "\u00ad" not in text  # hyphens WeasyPrint would add
    assert broken_words(pdf, document(build_dir, name, "html")) == []


def test_stakeholder_table_headers_stand_apart(build_dir):
    text = "\n".join(pdf_pages(document(build_dir, "stakeholders", "pdf")))
    words = re.findall(r"[A-Za-z]+", text)
    for header in ("Influence", "Interest", "Events", "Sources"):
        assert header in words, header
    # Before the fix these read as one word: "InfluenceInterestAs of".
    run_together = [
        w for w in words if re.fullmatch(r"(?:Stance|Influence|Interest|Events)[A-Z]\w*", w)
    ]
    assert run_together == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_page_but_the_last_is_more_than_40_percent_blank(build_dir, name):
    shares = blank_below_content(document(build_dir, name, "pdf"))
    assert len(shares) >= 2
    for page, share in enumerate(shares[:-1], 1):
        assert share <= 0.40, f"{name} page {page} is {share:.0%} blank"


# A heading, its one-paragraph intro if it has one, and the chart or table that follows.
LEAD_IN = re.compile(
    r"<h[1-4][^>]*>(?P<head>(?:(?!</?h[1-6]).)*)</h[1-4]>\s*"
    r"(?:<p(?:\s[^>]*)?>(?:(?!</?p[\s>]).)*</p>\s*)?"
    r"(?:<figure[^>]*><img[^>]*>\s*<figcaption>(?P<caption>(?:(?!</figcaption>).)*)"
    r"|<table[^>]*>(?:(?!</?table|<tbody).)*<thead>\s*<tr>(?P<header>(?:(?!</tr>).)*)</tr>)",
    re.S,
)


def lead_ins(html: str) -> list[tuple[str, str]]:
    """(heading, first words of what it leads into) for each heading followed, directly or
    after one paragraph, by a chart (its caption's first words) or a table (its header
    row's)."""
    found = []
    for m in LEAD_IN.finditer(html):
        words = " ".join(visible_text(m["caption"] or m["header"]).split())
        found.append((" ".join(visible_text(m["head"]).split()), " ".join(words.split()[:4])))
    return found


def split_from_what_follows(pdf: Path, html: Path) -> list[str]:
    """Headings of the PDF printed on another page than the start of their chart or table."""
    pages = [" ".join(text.split()) for text in pdf_pages(pdf)]
    split, at = [], 0
    for head, follows in lead_ins(html.read_text(encoding="utf-8")):
        at = next(i for i in range(at, len(pages)) if head in pages[i])
        if follows not in pages[at]:
            split.append(f"{head} (page {at + 1}) | {follows}")
    return split


@pytest.mark.parametrize("name", DOCUMENTS)
def test_headings_stay_with_their_intro_and_what_follows(build_dir, name):
    html = document(build_dir, name, "html")
    # The check has headings to look at: the stakeholder annex's network, dyad matrix and
    # position map lead into charts; the briefing's events heading into its table.
    expected = {
        "briefing": ("Events in the period", "# Date Actors Type"),
        "timeline": ("Chronology", "One lane per relationship."),
        "stakeholders": ("Dyad matrix", "Events between each pair"),
    }[name]
    assert expected in lead_ins(html.read_text(encoding="utf-8"))
    assert split_from_what_follows(document(build_dir, name, "pdf"), html) == []


@pytest.mark.parametrize("name", ["timeline", "stakeholders"])  # the annexes' titles hold dates
def test_no_heading_breaks_inside_a_date(build_dir, name):
    pdf, html = document(build_dir, name, "pdf"), document(build_dir, name, "html")
    assert any(DATE.search(h) for h in headings(html.read_text(encoding="utf-8")))
    assert dates_broken_in_headings(pdf, html) == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_reader_pages_carry_no_ids_file_names_or_build_vocabulary(build_dir, name):
    manifest = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    text = "\n".join(pdf_pages(document(build_dir, name, "pdf")))
    flat = "".join(text.split())  # ids may be split over lines
    data_version = manifest["data_version"]
    for internal in ("muttaqi-call-report", "post-pahalgam-analysis", ".txt",
                     "SOURCE_DATE_EPOCH", "manifest.json", "ind-afg",
                     "2025-01-01_2025-05-31", data_version):  # fmt: skip
        assert internal not in flat, internal
    assert "Version 1 of the edition for 1 January – 31 May 2025" in " ".join(text.split())
    # The provenance is complete in the HTML's metadata instead.
    meta = meta_of(document(build_dir, name, "html").read_text(encoding="utf-8"))
    assert meta["briefing:data-version"] == data_version
    assert meta["briefing:series"] == "ind-afg"
    assert meta["briefing:edition"] == "2025-01-01_2025-05-31"
    assert meta["briefing:git-commit"].startswith(manifest["git"]["commit"])


@pytest.mark.parametrize("name", DOCUMENTS)
def test_sources_are_numbered_and_listed_with_title_and_date(build_dir, name):
    text = " ".join(" ".join(pdf_pages(document(build_dir, name, "pdf"))).split())
    # Both seed articles are cited in every document; their titles and dates, from
    # data/sources.csv: muttaqi-call-report published 2025-05, the analysis 2025.
    assert "Sources [1] " in text or "Sources [1]" in text
    assert (
        "Taliban government seeks normal ties with India after Muttaqi-Jaishankar phone "
        "call; regional outreach to Iran and China. May 2025." in text
    )
    assert (
        "India's diplomatic outreach to the Taliban after the Pahalgam attack, and its "
        "costs. 2025." in text
    )
    assert re.search(r"\[1, 2\]", text)  # an event cited to both


# Every word of every table cell, as Chromium lays the page out: the rectangles of each
# word's characters must sit on one line (a word broken inside the cell, "statemen|t",
# has two), and no cell's content may be wider than the cell. A line may end after a
# hyphen the text has ("people-to-|people"): the pieces between hyphens are the words.
BROKEN_IN_CELLS = """
() => {
  const broken = [];
  for (const cell of document.querySelectorAll("td, th")) {
    if (cell.scrollWidth > cell.clientWidth + 1) broken.push("too wide: " + cell.innerText);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^ \\t\\n-]+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("name", DOCUMENTS)
def test_html_at_1280_px_breaks_no_word_inside_a_table_cell(build_dir, name, chromium):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_browser("Playwright for Python is not installed (pip install -e '.[browser]')")
    page_url = document(build_dir, name, "html").as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 4000})
            page.goto(page_url)
            assert page.locator("td").count() > 20  # the check has tables to look at
            assert page.evaluate(BROKEN_IN_CELLS) == []
        finally:
            browser.close()
