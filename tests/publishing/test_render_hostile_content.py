"""No script in briefings: every text field from the data reaches the HTML escaped.

Every free-text field of every table is filled with markup that would run if it were
copied into the page unescaped; ids and enumerations keep their valid values, so the
package still validates and the build runs. The HTML must show the markup as text and
contain none of it as markup, and the PDF must still render it as text.
"""

from __future__ import annotations

import csv
import io
import os
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
from conftest import build_package

from helpers.data.validation import validate_package
from helpers.paths import NOTEBOOKS_DIR
from helpers.presentation.display import safe_link
from helpers.publishing.build import BuildRequest, build
from helpers.publishing.provenance import changes_html, colophon_html, provenance_meta
from helpers.publishing.render import (
    PageInfo,
    UnsafeOutputError,
    check_no_active_content,
    notebook_to_html,
)

PAYLOAD = (
    "<script>alert(1)</script>"
    "<img src=x onerror=alert(1)>"
    "</style><script>alert(2)</script>"
    "<a href=javascript:alert(3)>x</a>"
)
# html.escape of PAYLOAD, written out by hand.
ESCAPED = (
    "&lt;script&gt;alert(1)&lt;/script&gt;"
    "&lt;img src=x onerror=alert(1)&gt;"
    "&lt;/style&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
    "&lt;a href=javascript:alert(3)&gt;x&lt;/a&gt;"
)
TEXT_FIELDS = {
    "engagements": ("summary", "milestone", "location", "notes"),
    "actors": ("name", "role"),
    "sources": ("title", "publisher", "dateline", "notes", "url"),
    "positions": ("rationale",),
}
# Fields the briefing shows (see notebooks/briefing.ipynb): summaries in the event tables,
# milestones in the key points, actor names everywhere, position rationales, and the
# title and publisher of the sources cited (their notes stay off the reader's page).
SHOWN_BY_BRIEFING = {
    ("engagements", "summary"),
    # (curated milestones are checked in the timeline annex; page one computes seniority)
    ("actors", "name"),
    ("positions", "rationale"),
    ("sources", "title"),  # the reference list: title, publisher, date, http(s) address
    ("sources", "publisher"),
}
TITLE = "Title <script>alert('t')</script>"


def hostile_value(table: str, column: str, row: int) -> str:
    if (table, column) == ("sources", "url"):
        return "javascript:alert(1)"
    # A per-field label shows which field an escaped string came from.
    return f"[{table}.{column}.{row}]{PAYLOAD}"


def make_hostile(folder: Path) -> None:
    for table, columns in TEXT_FIELDS.items():
        path = folder / f"{table}.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for i, row in enumerate(rows):
            for col in columns:
                row[col] = hostile_value(table, col, i)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")


class Markup(HTMLParser):
    """Every tag and attribute of a page, with attribute values decoded."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_no_active_markup(html: str) -> None:
    low = html.lower()
    assert "<script" not in low
    assert 'href="javascript:' not in low and "href='javascript:" not in low
    assert "<img src=x onerror" not in low and "<a href=javascript" not in low
    markup = Markup(html)
    assert markup.tags, "the page has no tags at all?"
    for tag, attrs in markup.tags:
        assert tag not in {"script", "iframe", "object", "embed", "base", "form", "link"}
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in {"href", "src"}:
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    pkg = build_package(tmp / "pkg")
    make_hostile(pkg)
    existing = tuple(
        n
        for n in ("briefing", "timeline", "stakeholders")
        if (NOTEBOOKS_DIR / f"{n}.ipynb").exists()
    )
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    result = build(
        BuildRequest(
            "2021-01-01",
            "2025-12-31",
            data_dir=str(pkg),
            title=TITLE,
            reports_dir=tmp / "reports",
            notebooks=existing,
        ),
        progress=lambda msg: None,
    )
    # The build sets it for its kernels only; left set, it would fix the next build's
    # input time in this process to this package's.
    assert os.environ.get("SOURCE_DATE_EPOCH") == epoch
    return SimpleNamespace(pkg=pkg, result=result, notebooks=existing)


def test_the_hostile_package_is_still_valid(tmp_path):
    pkg = build_package(tmp_path / "pkg")
    make_hostile(pkg)
    assert validate_package(pkg) == []
    text = (pkg / "engagements.csv").read_text(encoding="utf-8")
    assert "[engagements.summary.0]<script>alert(1)</script>" in text


@pytest.mark.slow
def test_html_shows_every_field_as_text_and_contains_no_markup_from_the_data(hostile_build):
    r = hostile_build.result
    assert r.status == "built"
    for name in hostile_build.notebooks:
        html = (r.path / f"{r.series}_{r.edition}_v1_{name}.html").read_text(encoding="utf-8")
        assert_no_active_markup(html)
        assert ESCAPED in html
        # The title, in <title> and on the page, escaped (quotes need no escaping in text).
        assert html.count("Title &lt;script&gt;alert('t')&lt;/script&gt; — ") == 2
        assert TITLE not in html
        for table, columns in TEXT_FIELDS.items():
            for col in columns:
                raw = hostile_value(table, col, 0)
                assert raw not in html, f"{table}.{col} reached the page unescaped"
        if name == "briefing":
            for table, col in SHOWN_BY_BRIEFING:
                label = f"[{table}.{col}."
                assert f"{label}" in html, f"{table}.{col} is not on the page"
                # Every occurrence of the field on the page is followed by its escaped text.
                for chunk in html.split(label)[1:]:
                    tail = chunk.split("]", 1)[1]
                    assert tail.startswith(ESCAPED[:40]), (table, col, tail[:80])


@pytest.mark.slow
def test_pdf_renders_the_hostile_text_as_text(hostile_build):
    from pypdf import PdfReader

    r = hostile_build.result
    pdf = r.path / f"{r.series}_{r.edition}_v1_briefing.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    text = "".join(page.extract_text() for page in reader.pages)
    # Line breaks, and the hyphens WeasyPrint adds at them, fall anywhere in the text.
    flat = "".join(text.replace("\u2010\n", "").split())
    assert "[engagements.summary." in flat
    assert "[positions.rationale." in flat
    assert flat.count("<script>alert(1)</script><imgsrc=xonerror=alert(1)>") >= 10
    assert "</style><script>alert(2)</script><ahref=javascript:alert(3)>x</a>" in flat
    assert reader.metadata.title.startswith("Title <script>alert('t')</script> — briefing")


def test_since_the_last_version_and_provenance_escape_their_text():
    data = SimpleNamespace(
        engagements=pd.DataFrame(
            {
                "event_id": ["a-1"],
                "summary": [PAYLOAD],
                "date": [pd.Timestamp("2025-05-01")],
                "date_precision": ["month"],
                "end_date": [pd.NaT],
            }
        ),
    )
    changes = {"added": ["a-1"], "removed": ["<b>gone</b>"], "changed": {"a-1": ["<i>f</i>"]}}
    html = changes_html(changes, 1, data)
    assert f"<li>Added: May 2025: {ESCAPED}</li>" in html
    assert "Changed (&lt;i&gt;f&lt;/i&gt;)" in html
    assert "gone" not in html  # a removed event is counted, not named
    assert_no_active_markup(html)
    info = {
        "series": "ind-afg",
        "edition": "2025-01-01_2025-05-31",
        "version": 1,
        "parameters": {"start_date": "2025-01-01", "data_dir": f"/tmp/{PAYLOAD}"},
        "data_version": "abc",
        "git": {"commit": PAYLOAD, "dirty": True},
        "project_version": "0",
        "source_time": "x",
    }
    # The provenance goes into <meta> elements: a hostile value stays inside the quotes.
    meta = dict(provenance_meta(info))
    assert meta["briefing:parameters"].endswith(f"data_dir=/tmp/{PAYLOAD}")
    page = PageInfo(
        title="T", page_time=1748736000, meta=tuple(meta.items()), appendix_html=colophon_html(info)
    )
    html = notebook_to_html(nbformat.v4.new_notebook(), page)
    assert f'content="start_date=2025-01-01, data_dir=/tmp/{ESCAPED}"' in html
    assert_no_active_markup(html)


# --- the last line of defence: the check every rendered page goes through -------------


@pytest.mark.parametrize(
    "html, what",
    [
        ("<p>x</p><script>alert(1)</script>", "a <script> element"),
        ("<SCRIPT src=a.js></SCRIPT>", "a <script> element"),
        ("< script>", "a <script> element"),
        ('<iframe src="about:blank"></iframe>', "an embedded frame or object"),
        ("<object data=x></object>", "an embedded frame or object"),
        ("<embed src=x>", "an embedded frame or object"),
        ('<base href="http://evil.example/">', "an embedded frame or object"),
        ("<form action=x></form>", "an embedded frame or object"),
        ('<img src="x.png" onerror="alert(1)">', "an event-handler attribute"),
        ("<body onload=alert(1)>", "an event-handler attribute"),
        ("<svg/onload=alert(1)>", "an event-handler attribute"),
        ('<img alt="a>b" onerror=alert(1)>', "an event-handler attribute"),
        ('<a href="javascript:alert(1)">x</a>', "a script URL"),
        ('<a href=" JavaScript:alert(1)">x</a>', "a script URL"),
        ('<a href="vbscript:msgbox(1)">x</a>', "a script URL"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "a script URL"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "a script URL"),
        ('<a href="javascript&colon;alert(1)">x</a>', "a script URL"),
        ('<link rel="stylesheet" href="https://x.example/a.css">', "an external stylesheet link"),
        ("<style>@import 'https://x.example/a.css';</style>", "a stylesheet fetching"),
        ("<style>p { background: url(https://x.example/a.png) }</style>", "a stylesheet fetching"),
        ("<style>p { background: url('//x.example/a.png') }</style>", "a stylesheet fetching"),
        ('<p style="background: url(//x.example/a.png)">x</p>', "a stylesheet fetching"),
        ('<img src="https://x.example/a.png">', "fetched from the network"),
        ('<img src="//x.example/a.png">', "fetched from the network"),
        ('<meta http-equiv="refresh" content="0; url=https://x.example/">', "a meta refresh"),
    ],
)
def test_check_no_active_content_refuses(html, what):
    with pytest.raises(UnsafeOutputError) as info:
        check_no_active_content(f"<html><body>{html}</body></html>", "page-name")
    assert str(info.value).startswith("page-name: the rendered HTML contains")
    assert what in str(info.value)


@pytest.mark.parametrize(
    "html",
    [
        "<p>plain text</p>",
        f"<p>{ESCAPED}</p>",  # escaped data is text, however hostile it reads
        "<p>src=//cdn.example/x.js and href=javascript:void(0) and @import, as text</p>",
        '<a href="https://example.org/report">r</a><a href="http://example.org/one=1">o</a>',
        '<img alt="chart" src="data:image/png;base64,iVBORw0KGgo=">',
        "<style>p { color: red; background: url(data:image/png;base64,AAAA) }</style>",
        '<p class="online">Talks continued online</p>',
    ],
)
def test_check_no_active_content_accepts_safe_pages(html):
    check_no_active_content(f"<html><head></head><body>{html}</body></html>")


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "https://example.org/a?b=1&c=2",
            '<a href="https://example.org/a?b=1&amp;c=2">T&amp;C</a>',
        ),
        ("http://example.org", '<a href="http://example.org">T&amp;C</a>'),
        ("  HTTPS://EXAMPLE.ORG/x  ", '<a href="HTTPS://EXAMPLE.ORG/x">T&amp;C</a>'),
        (
            'https://x.org/"onmouseover="alert(1)',
            '<a href="https://x.org/&quot;onmouseover=&quot;alert(1)">T&amp;C</a>',
        ),
        ("javascript:alert(1)", "T&amp;C"),
        (" JAVASCRIPT:alert(1)", "T&amp;C"),
        ("java\nscript:alert(1)", "T&amp;C"),
        ("vbscript:msgbox(1)", "T&amp;C"),
        ("data:text/html,<script>alert(1)</script>", "T&amp;C"),
        ("//evil.example/x", "T&amp;C"),
        ("ftp://example.org/file", "T&amp;C"),
        ("file:///etc/passwd", "T&amp;C"),
        ("", "T&amp;C"),
        (None, "T&amp;C"),
    ],
)
def test_safe_link_links_http_and_https_only(url, expected):
    assert safe_link(url, "T&C") == expected
