"""Text and tables as the pages show them (helpers.presentation.display)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.presentation import display as ui

NBSP = "\u00a0"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Stakeholders: X, 1 January – 31 May 2025",  # a period stays whole too
         f"Stakeholders: X, 1{NBSP}January{NBSP}–{NBSP}31{NBSP}May{NBSP}2025"),
        ("from May 2025 – and after", f"from May{NBSP}2025 – and after"),  # not a period
        ("the call of May 2025", f"the call of May{NBSP}2025"),
        ("on 22 April", f"on 22{NBSP}April"),
        ("in 2025, 10 people", "in 2025, 10 people"),  # no month: nothing to keep together
    ],
)  # fmt: skip
def test_dates_are_kept_on_one_line(text, expected):
    assert ui.keep_dates_together(text) == expected


def test_headings_keep_their_dates_together_and_their_text_plain():
    h = ui.heading("Timeline: 1 January – 31 May 2025", 2)
    # The period is also held in a no-wrap span: a line may otherwise end after the dash.
    assert h.markup == (
        f'<h2>Timeline: <span class="nowrap">1{NBSP}January{NBSP}–{NBSP}31{NBSP}May{NBSP}2025'
        "</span></h2>"
    )
    assert h.text == "Timeline: 1 January – 31 May 2025"
    # Dates outside a period, and markup characters, are kept as before.
    h = ui.heading("Since 3 May 2025 & <b>", 3)
    assert h.markup == f"<h3>Since 3{NBSP}May{NBSP}2025 &amp; &lt;b&gt;</h3>"


def test_fit_widths_gives_a_narrow_column_its_longest_word_from_the_others():
    # 8 pt: a bold character is 8 * 0.68 / 481.89 * 100 = 1.1289 % of the table, and the
    # padding (2 x 1.4 mm + 1 pt = 8.937 pt) is 1.8546 %. "Influence" (9 characters) in
    # bold needs 9 * 1.1289 + 1.8546 = 12.014 %; the 10 % asked for is too little. The
    # other two share the remaining 87.986 % as 10 : 80, i.e. 9.776 % and 78.210 %.
    out = ui.fit_widths([10, 10, 80], [(9, 0), (0, 0), (0, 0)], 8.0)
    assert out == pytest.approx([12.014, 9.776, 78.210], abs=0.001)
    assert sum(out) == pytest.approx(100)


def test_fit_widths_leaves_widths_alone_when_every_word_fits():
    assert ui.fit_widths([1, 3], [(2, 3), (4, 10)], 8.0) == pytest.approx([25, 75])


def test_table_widens_the_column_whose_header_would_run_into_the_next():
    frame = pd.DataFrame({"a": ["x"], "b": ["1"], "c": ["some text"]})
    html = ui.table(frame, {"a": "A", "b": "Influence", "c": "C"}, widths=[10, 10, 80]).markup
    # As in the test above: "Influence" gets 12.0 %, the others 9.8 % and 78.2 %.
    assert '<col style="width:9.8%"/><col style="width:12.0%"/><col style="width:78.2%"/>' in html


def test_a_citation_cell_is_measured_by_its_text_not_its_markup():
    cite = '<span class="cite">[<a href="#ref-1">1</a>]</span>'
    frame = pd.DataFrame({"s": ["x"], "c": [cite]})
    html = ui.table(frame, {"s": "S", "c": "C"}, raw_html_columns=["c"], widths=[90, 10]).markup
    # "[1]" is 3 characters (2.88 % at 8 pt, with padding 4.7 %): 10 % is room enough.
    assert '<col style="width:90.0%"/><col style="width:10.0%"/>' in html
    assert cite in html


def test_bullets_escape_text_and_keep_trusted_html():
    out = ui.bullets(["a <b>", ui.Html("<em>c</em>", "c")])
    assert out.markup == "<ul><li>a &lt;b&gt;</li><li><em>c</em></li></ul>"
