"""Numbered citations and the reference list (helpers.presentation.citations)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.presentation.citations import Citations, published_text

SOURCES = pd.DataFrame(
    {
        "source_id": ["alpha-report", "beta-analysis", "gamma-statement"],
        "title": ["Alpha report on talks.", "Beta: an analysis", "Gamma statement"],
        "publisher": ["", "Beta Institute", "Ministry of <Gamma>"],
        "published": ["2025-05", "2025", "2025-04-22"],
        "url": ["", "https://example.org/beta?a=1&b=2", "javascript:alert(1)"],
        "notes": ["Seed text 000_abc.txt", "", ""],
    }
)


def test_numbers_follow_the_order_of_first_citation_and_repeat_for_the_same_source():
    c = Citations(SOURCES)
    assert c.cite(["beta-analysis"]) == '<span class="cite">[<a href="#ref-1">1</a>]</span>'
    # gamma is new (2), beta keeps 1; numbers print in ascending order.
    assert c.cite(["gamma-statement", "beta-analysis"]) == (
        '<span class="cite">[<a href="#ref-1">1</a>, <a href="#ref-2">2</a>]</span>'
    )
    assert c.cite("alpha-report; gamma-statement") == (
        '<span class="cite">[<a href="#ref-2">2</a>, <a href="#ref-3">3</a>]</span>'
    )
    assert c.cite([]) == ""
    assert c.cited() == ["beta-analysis", "gamma-statement", "alpha-report"]


def test_an_unknown_source_is_an_error_naming_it():
    with pytest.raises(KeyError, match="'no-such-source' is not in the sources table"):
        Citations(SOURCES).cite(["no-such-source"])


def test_references_list_what_was_cited_with_only_the_fields_the_data_gives():
    c = Citations(SOURCES)
    assert c.references() == ""  # nothing cited, no list
    c.cite(["gamma-statement"])
    c.cite(["alpha-report", "beta-analysis"])
    html = c.references("Sources")
    assert html == (
        "<h2>Sources</h2>"
        '<ol class="references">'
        '<li id="ref-1"><span class="ref-num">[1]</span> '
        '<span class="ref-title">Gamma statement</span>. Ministry of &lt;Gamma&gt;. '
        "22 April 2025.</li>"  # a javascript: address is no link a reader can follow
        '<li id="ref-2"><span class="ref-num">[2]</span> '
        '<span class="ref-title">Alpha report on talks</span>. May 2025.</li>'
        '<li id="ref-3"><span class="ref-num">[3]</span> '
        '<span class="ref-title">Beta: an analysis</span>. Beta Institute. 2025. '
        '<a href="https://example.org/beta?a=1&amp;b=2">'
        "https://example.org/beta?a=1&amp;b=2</a></li>"
        "</ol>"
    )
    assert "000_abc.txt" not in html and "alpha-report" not in html


def test_bracketed_ids_in_text_become_citations_and_other_brackets_stay():
    c = Citations(SOURCES)
    text = "Talks in Kabul [beta-analysis, alpha-report]; see [not-a-source] & [1] <b>."
    assert c.cite_text(text) == (
        'Talks in Kabul <span class="cite">[<a href="#ref-1">1</a>, <a href="#ref-2">2</a>]'
        "</span>; see [not-a-source] &amp; [1] &lt;b&gt;."
    )
    (item,) = c.linked(["Rationale. [alpha-report; gamma-statement]"])
    assert item.markup == (
        'Rationale. <span class="cite">[<a href="#ref-2">2</a>, <a href="#ref-3">3</a>]</span>'
    )


def test_cite_column_numbers_rows_in_display_order():
    c = Citations(SOURCES)
    frame = pd.DataFrame(
        {"summary": ["x", "y"], "source_list": [("gamma-statement",), ("alpha-report",)]}
    )
    out = c.cite_column(frame, "sources", "source_list")
    assert list(out["sources"]) == [
        '<span class="cite">[<a href="#ref-1">1</a>]</span>',
        '<span class="cite">[<a href="#ref-2">2</a>]</span>',
    ]
    assert "sources" not in frame  # the caller's frame is left alone


@pytest.mark.parametrize(
    "value, text",
    [("2025", "2025"), ("2025-05", "May 2025"), ("2025-04-22", "22 April 2025"),
     ("", ""), (None, ""), ("2025-13", ""), ("May", "")],
)  # fmt: skip
def test_published_dates_are_written_at_their_precision(value, text):
    assert published_text(value) == text
