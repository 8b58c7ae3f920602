"""Charts that do not fit a page: shrunk a little, or floated after the text that follows
(helpers.publishing.pagination), checked on WeasyPrint's own layout of small pages."""

from __future__ import annotations

import nbformat
import pytest

from helpers.presentation import display as ui
from helpers.presentation.style import new_figure, styled
from helpers.publishing import pagination
from helpers.publishing.render import PageInfo, notebook_to_html

# A4 in CSS pixels (96 a inch): 1122.5 high; the text area runs from 75.6 (20 mm) to
# 1054.5 (18 mm from the bottom): 978.9 pixels. A chart 6.7 in wide fills the 170 mm
# text width (642.5 px), so its height in pixels is 642.5 * height / width.
TEXT_TOP, TEXT_BOTTOM = 75.6, 1054.5


def chart_html(height_in: float) -> str:
    with styled():
        fig = new_figure(height_in)
        fig.add_subplot().plot([0, 1], [0, 1])
    return ui.chart(fig, "a line", "Caption.").markup


def page(lines_before: int, height_in: float, after: str = "") -> str:
    """A page: ``lines_before`` one-line paragraphs, then a cell with a heading, a chart
    and ``after``."""
    before = "".join(f"<p>Paragraph {i}.</p>" for i in range(lines_before))
    cells = [
        nbformat.v4.new_code_cell(outputs=[_html_output(before)]),
        nbformat.v4.new_code_cell(
            outputs=[_html_output(f"<h2>Chart</h2>{chart_html(height_in)}{after}")]
        ),
    ]
    return notebook_to_html(
        nbformat.v4.new_notebook(cells=cells), PageInfo(title="T", page_time=1748736000)
    )


def _html_output(markup: str):
    return nbformat.v4.new_output("display_data", data={"text/html": markup})


def layout_counting(calls: list):
    from weasyprint import HTML

    def layout(markup: str):
        calls.append(markup)
        return HTML(string=markup).render()

    return layout


def where(document, name: str) -> tuple[int, tuple]:
    return next((i, p.anchors[name]) for i, p in enumerate(document.pages) if name in p.anchors)


@pytest.mark.slow
def test_a_chart_that_fits_is_left_alone_after_one_layout():
    calls: list = []
    doc = pagination.fit_figures(page(5, 3.0), layout_counting(calls))
    assert len(calls) == 1
    assert where(doc, "fig-1")[0] == 0


@pytest.mark.slow
def test_a_chart_a_little_too_tall_is_shrunk_to_stay_on_its_page():
    # 20 one-line paragraphs of 9.5 pt (1.45 line height, 2.2 mm apart) take 20 x 26.7
    # = 534 px, leaving 445 px (45%) of the page. A chart 3.9 in high is 374 px, with its
    # heading and caption about 466 px: it does not fit, and moved it would leave the
    # page 45% blank. Shrunk by less than a fifth (MIN_SCALE), it fits.
    html = page(20, 3.9)
    plain = layout_counting([])(pagination.mark_figures(html))
    assert where(plain, "fig-1")[0] == 1  # without mending, it moves to page two
    calls: list = []
    doc = pagination.fit_figures(html, layout_counting(calls))
    (p, fig), (_, img) = where(doc, "fig-1"), where(doc, "img-1")
    assert p == 0
    assert fig[3] <= TEXT_BOTTOM
    natural = 642.5 * 3.9 / 6.7
    assert pagination.MIN_SCALE * natural <= img[3] - img[1] < natural


@pytest.mark.slow
def test_a_chart_far_too_tall_floats_after_the_text_that_follows_it():
    after = "".join(f'<p id="note-{i}">Note {i} after the chart.</p>' for i in range(12))
    html = page(20, 6.5, after)
    plain = layout_counting([])(pagination.mark_figures(html))
    # Unmended: page one ends after paragraph 19, over 40% of it blank, and the notes
    # follow the chart on page two.
    fit_page, fit = where(plain, "fit-1")
    assert fit_page == 0 and (TEXT_BOTTOM - fit[1]) / (TEXT_BOTTOM - TEXT_TOP) > 0.40
    assert where(plain, "note-0")[0] == 1
    doc = pagination.fit_figures(html, layout_counting([]))
    # Mended: the notes fill page one, the chart follows them on page two.
    note_page, note = where(doc, "note-11")
    assert note_page == 0 and where(doc, "fig-1")[0] == 1
    assert (TEXT_BOTTOM - note[3]) / (TEXT_BOTTOM - TEXT_TOP) <= 0.40


def test_float_after_needs_text_after_the_chart():
    html = pagination.mark_figures(f'<section class="cell">{chart_html(1.0)}</section>')
    assert pagination.float_after(html, 1) is None
    html = pagination.mark_figures(f'<section class="cell">{chart_html(1.0)}<p>x</p></section>')
    moved = pagination.float_after(html, 1)
    assert moved.index("<p>x</p>") < moved.index('<figure class="chart" id="fig-1">')


def test_marks_put_the_start_before_the_headings_that_lead_into_the_chart():
    html = pagination.mark_figures(f"<p>a</p><h2>A</h2><h3 id='x'>B</h3>{chart_html(1.0)}")
    assert html.startswith('<p>a</p><div id="fit-1" class="fit-mark"></div><h2>A</h2>')
    assert '<figure class="chart" id="fig-1"><img id="img-1" alt="a line"' in html


def test_marks_put_the_start_before_a_heading_and_its_intro_paragraph():
    # briefing.css keeps a heading's one-paragraph intro with the chart after it, so the
    # block that moves starts at the heading; a paragraph with no heading above it stays
    # outside the block.
    intro = '<p class="note">Intro <a href="#x">[1]</a>.</p>'
    html = pagination.mark_figures(f"<p>a</p><h3>B</h3>{intro}{chart_html(1.0)}")
    assert html.startswith(f'<p>a</p><div id="fit-1" class="fit-mark"></div><h3>B</h3>{intro}')
    html = pagination.mark_figures(f"<h3>B</h3><p>one</p><p>two</p>{chart_html(1.0)}")
    assert '<p>two</p><div id="fit-1" class="fit-mark"></div><figure' in html


@pytest.mark.slow
def test_a_heading_and_its_intro_move_with_a_chart_that_does_not_fit():
    # 29 one-line paragraphs take 29 x 26.7 = 774 px of the 979 px text area; a heading,
    # a one-line intro and a 2 in chart (192 px) with its caption do not fit in the 205 px
    # left: all three go to page two, none stays alone at the foot of page one.
    before = "".join(f"<p>Paragraph {i}.</p>" for i in range(29))
    lead = '<h3 id="head">Chart</h3><p id="intro">What the chart shows.</p>'
    cells = [
        nbformat.v4.new_code_cell(outputs=[_html_output(before)]),
        nbformat.v4.new_code_cell(outputs=[_html_output(lead + chart_html(2.0))]),
    ]
    html = notebook_to_html(
        nbformat.v4.new_notebook(cells=cells), PageInfo(title="T", page_time=1748736000)
    )
    doc = layout_counting([])(pagination.mark_figures(html))
    assert where(doc, "fig-1")[0] == 1
    assert where(doc, "head")[0] == 1
    assert where(doc, "intro")[0] == 1
