"""Cited sentences and the masthead as HTML, and the slots the build fills."""

from __future__ import annotations

import pandas as pd

from helpers.presentation import prose
from helpers.presentation.citations import Citations
from helpers.publishing.render import fill_slots

SOURCES = pd.DataFrame(
    {"source_id": ["a", "b"], "title": ["Report A", "Report B"], "published": ["2025-05", ""]}
)


def test_citations_number_in_reading_order_and_text_is_escaped():
    c = Citations(SOURCES)
    html = prose.cited_paragraphs(
        [("First <b>.", ("b",)), ("Second.", ("a", "b")), ("No source.", ())], c
    )
    # 'b' is met first, so it is [1]; 'a' is [2]; the second sentence cites both.
    assert html.markup == (
        '<p>First &lt;b&gt;. <span class="cite">[<a href="#ref-1">1</a>]</span></p>'
        '<p>Second. <span class="cite">[<a href="#ref-1">1</a>, <a href="#ref-2">2</a>]'
        "</span></p><p>No source.</p>"
    )
    assert c.cited() == ["b", "a"]


def test_masthead_leaves_a_version_slot_that_the_build_fills():
    html = prose.masthead(
        [
            "Desk",
            "Distribution: open",
            "A and B: engagement briefing",
            "Issued 1 May 2025",
            "Period: May 2025",
        ]
    )
    filled = fill_slots(html.markup, {"version": " · Version 2"})
    assert (
        '<p class="issue">Issued 1 May 2025<span class="slot-version"> · Version 2</span></p>'
        in filled
    )
    assert "<h1>A and B: engagement briefing</h1>" in filled
    assert '<p class="period">Period: May 2025</p>' in filled
    # Unfilled (a notebook run outside a build) the slot stays empty.
    assert '<span class="slot-version"></span>' in html.markup


def test_fill_slots_escapes_and_leaves_unknown_slots_empty():
    out = fill_slots('<p class="slot-changes"></p><p class="slot-other"></p>', {"changes": "a < b"})
    assert out == '<p class="slot-changes">a &lt; b</p><p class="slot-other"></p>'
