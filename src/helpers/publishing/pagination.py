"""Keeping printed pages full: what happens to a chart that does not fit a page.

A chart never breaks over two pages, so one taller than the space left on a page moves
to the next, with the headings and the intro paragraph that lead into it, and leaves the
space blank. When that
would leave more than :data:`MAX_BLANK` of a page empty, the PDF's layout is mended the
way a typesetter mends it, in this order:

1. **shrink** the chart a little (to no less than :data:`MIN_SCALE` of its height) so that
   it fits where it stands;
2. **float** it: the text that follows it in the same notebook cell (notes, tables,
   bullet lists) moves up to fill the page, and the chart follows that text, as a figure
   floats to the top of the next page in a printed report.

Only the PDF is laid out this way; the HTML keeps the notebook's order. Positions come
from WeasyPrint's public layout result: each page's ``anchors`` (the boxes of elements
with an ``id``), for markers added to a copy of the page.
"""

from __future__ import annotations

import re

MAX_BLANK = 0.40
"""Largest share of a page (but the last) that may stay blank below its content."""

MIN_SCALE = 0.8
"""Smallest height a chart may be shrunk to, as a share of its own: below that its
7 pt labels would print under 5.6 pt."""

MAX_PASSES = 6
"""Most layouts tried: each mends one chart, so this bounds the cost of a long annex."""

SLACK_PX = 40.0
"""Pixels a shrunk chart gives up beyond the estimate of what it must give up."""

_MM = 96 / 25.4  # CSS pixels per millimetre
TOP_MARGIN_PX = 20 * _MM  # briefing.css: @page margin 20mm 20mm 18mm 20mm
BOTTOM_MARGIN_PX = 18 * _MM
HEADING_GAP_PX = 7 * _MM  # the largest heading margin, dropped at the top of a page

# A chart, with the headings that lead into it and the one-paragraph intro that follows
# them (briefing.css keeps the three together, so they move as one block).
_FIGURE = re.compile(
    r"(?P<heads>(?:(?:<h[1-6][^>]*>[^<]*</h[1-6]>\s*)+(?:<p(?:\s[^>]*)?>(?:(?!</p>).)*</p>\s*)?)?)"
    r'<figure class="chart"><img (?P<img>[^>]*)>',
    re.S,
)


def mark_figures(html: str) -> str:
    """Return a copy of ``html`` with markers the layout reports on.

    ``fit-N`` marks where the chart and its leading headings (with their intro
    paragraph) start, ``fig-N`` and ``img-N`` the chart itself.
    """
    count = 0

    def mark(m: re.Match) -> str:
        nonlocal count
        count += 1
        return (
            f'<div id="fit-{count}" class="fit-mark"></div>{m.group("heads")}'
            f'<figure class="chart" id="fig-{count}"><img id="img-{count}" {m.group("img")}>'
        )

    return _FIGURE.sub(mark, html)


def _where(pages) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """Anchor name -> (page index, box) for every anchor on ``pages``."""
    out = {}
    for i, page in enumerate(pages):
        for name, box in page.anchors.items():
            out.setdefault(name, (i, tuple(box)))
    return out


def _content_bottom(page) -> float:
    return page.height - BOTTOM_MARGIN_PX


def find_gap(pages, skip: set[int] = frozenset()) -> tuple[int, float, float] | None:
    """Find the first chart (not in ``skip``) that moved on and left its page too blank.

    Returns
    -------
    tuple or None
        (chart number, space left on the page it left, height its block needs), in CSS
        pixels; None when every chart fits.
    """
    where = _where(pages)
    n = 1
    while f"fit-{n}" in where:
        (mark_page, mark), fig = where[f"fit-{n}"], where.get(f"fig-{n}")
        if n not in skip and fig and fig[0] == mark_page + 1 and mark_page < len(pages) - 1:
            page = pages[mark_page]
            left = _content_bottom(page) - mark[1]
            height = _content_bottom(page) - TOP_MARGIN_PX
            if left / height > MAX_BLANK:
                needed = fig[1][3] - TOP_MARGIN_PX + HEADING_GAP_PX
                return n, left, needed
        n += 1
    return None


def shrink(html: str, n: int, pages, left: float, needed: float) -> str | None:
    """Shrink chart ``n`` of ``html`` to fit ``left`` pixels.

    Returns None if that would take it below :data:`MIN_SCALE`.
    """
    where = _where(pages)
    if f"img-{n}" not in where:
        return None
    box = where[f"img-{n}"][1]
    img_h = box[3] - box[1]
    # The estimate of what the block needs leaves out what WeasyPrint keeps below the
    # chart (its margin and about a line more, measured): take SLACK_PX more.
    new_h = img_h - max(needed - left, 0.0) - SLACK_PX
    if img_h <= 0 or new_h / img_h < MIN_SCALE:
        return None
    return html.replace(
        f'<img id="img-{n}" ',
        f'<img id="img-{n}" style="height:{new_h:.1f}px;width:auto;max-width:100%" ',
        1,
    )


def float_after(html: str, n: int) -> str | None:
    """Move chart ``n`` of ``html`` after the rest of its notebook cell.

    Returns None when nothing follows it there.
    """
    start = html.find(f'<figure class="chart" id="fig-{n}">')
    end = html.find("</figure>", start) + len("</figure>")
    stop = html.find("</section>", end)
    if start < 0 or stop < 0 or not html[end:stop].strip():
        return None
    figure, rest = html[start:end], html[end:stop]
    return html[:start] + rest + figure + html[stop:]


def fit_figures(html: str, render):
    """Lay ``html`` out with ``render`` and mend the pages a chart left too blank.

    ``render`` turns an HTML string into a WeasyPrint document; the final document is
    returned.
    """
    html = mark_figures(html)
    document = render(html)
    done: set[int] = set()
    shrunk: set[int] = set()
    for _ in range(MAX_PASSES):
        gap = find_gap(document.pages, done)
        if gap is None:
            break
        n, left, needed = gap
        mended = None
        if n not in shrunk:  # one shrink; should it still not fit, the chart floats
            shrunk.add(n)
            mended = shrink(html, n, document.pages, left, needed)
        if mended is None:
            done.add(n)
            mended = float_after(html, n)
        if mended is not None:
            html = mended
            document = render(html)
    return document
