"""Turning analysis results into what a notebook shows: escaped HTML and inline charts.

Everything that reaches a briefing's HTML passes through here. Text from the data is
always escaped with :func:`html.escape`, so a summary that contains ``<script>`` shows as
text and never runs; a URL becomes a link only when it is http or https.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:  # pandas and matplotlib are heavy; text-only callers (the archive) skip them
    import pandas as pd
    from matplotlib.figure import Figure

DPI = 200  # print resolution of charts (helpers.presentation.style re-exports it)


def esc(value: object) -> str:
    """Escape any value for HTML text or attribute context."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


class Html:
    """Trusted HTML built by this module; notebooks display it, nbconvert keeps it."""

    def __init__(self, markup: str, text: str = ""):
        self.markup = markup
        self.text = text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        """Return what a terminal or text/plain output shows: the text, else the markup."""
        return self.text or self.markup

    def __add__(self, other: Html) -> Html:
        """Join two blocks: markup after markup, text lines after text lines."""
        return Html(self.markup + other.markup, "\n".join(filter(None, [self.text, other.text])))


def join(blocks: Iterable[Html]) -> Html:
    """Join blocks in order into one (an empty block when there are none)."""
    out = Html("")
    for b in blocks:
        out = out + b
    return out


def group(blocks: Iterable[Html], css: str = "keep") -> Html:
    """Blocks wrapped in one ``<div>``; the default class keeps them on one printed page."""
    inner = join(blocks)
    return Html(f'<div class="{esc(css)}">{inner.markup}</div>', inner.text)


_MONTH = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"\b\d{{1,2}} (?:{_MONTH})(?: \d{{4}})?\b|\b(?:{_MONTH}) \d{{4}}\b")


_RANGE = re.compile(rf"(?:{_DATE.pattern}) – (?:{_DATE.pattern})")


def keep_dates_together(text: str) -> str:
    """Return ``text`` with no-break spaces inside its dates ('1 January 2025', 'May 2025').

    So a line never ends inside a date, nor inside a period written as two dates
    ('1 January – 31 May 2025'), which a title would otherwise split at the dash.
    """
    text = _RANGE.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)
    return _DATE.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)


def heading(text: str, level: int = 2, anchor: str = "") -> Html:
    """Return a heading; its dates never break over two lines (see :func:`keep_dates_together`).

    A period written as two dates is also held in a no-wrap span: no-break spaces alone
    still let a line end after its dash, which Unicode line breaking allows.
    """
    aid = f' id="{esc(anchor)}"' if anchor else ""
    parts, at = [], 0
    for m in _RANGE.finditer(text):
        parts.append(esc(keep_dates_together(text[at : m.start()])))
        parts.append(f'<span class="nowrap">{esc(keep_dates_together(m.group(0)))}</span>')
        at = m.end()
    parts.append(esc(keep_dates_together(text[at:])))
    return Html(f"<h{level}{aid}>{''.join(parts)}</h{level}>", text)


def paragraph(text: str, css: str = "") -> Html:
    """Make an escaped ``<p>``, with a class when ``css`` is given."""
    cls = f' class="{esc(css)}"' if css else ""
    return Html(f"<p{cls}>{esc(text)}</p>", text)


def note(text: str, css: str = "note") -> Html:
    """Make a paragraph for an optional note, or nothing when ``text`` is empty.

    An empty note (e.g. a table that left no rows out) leaves the page as it is without
    the call.
    """
    return paragraph(text, css) if text else Html("")


def bullets(items: Sequence[str | Html], css: str = "") -> Html:
    """Return a list; text items are escaped, :class:`Html` items (e.g. with citations) are not."""
    cls = f' class="{esc(css)}"' if css else ""
    lis = "".join(f"<li>{i.markup if isinstance(i, Html) else esc(i)}</li>" for i in items)
    return Html(
        f"<ul{cls}>{lis}</ul>",
        "\n".join(f"- {i!r}" if isinstance(i, Html) else f"- {i}" for i in items),
    )


def safe_link(url: str, text: str) -> str:
    """Link ``text`` to ``url`` when it is http(s); else return the escaped text alone."""
    scheme = urlparse(str(url).strip()).scheme.lower() if url else ""
    if scheme in ("http", "https"):
        return f'<a href="{esc(str(url).strip())}">{esc(text)}</a>'
    return esc(text)


def table(
    frame: pd.DataFrame,
    columns: dict[str, str] | None = None,
    css: str = "",
    caption: str = "",
    raw_html_columns: Sequence[str] = (),
    widths: Sequence[float] = (),
) -> Html:
    """Make an HTML table of ``frame`` with every cell escaped.

    Parameters
    ----------
    frame : DataFrame
        Rows to show, already formatted as text where it matters.
    columns : dict, optional
        Column name to header label, in display order; defaults to all columns.
    css : str
        Class for the ``<table>`` (the template styles ``events``, ``compact``, ``matrix``).
    caption : str
        Caption above the table.
    raw_html_columns : sequence of str
        Columns whose cells were produced by this module already (e.g. by
        :func:`safe_link`) and must not be escaped again.
    widths : sequence of float
        Relative column widths (any scale), so long text gets the room it needs
        in print; omitted means equal widths. Either way a column gets at least the
        room of its longest word (:func:`fit_widths`).
    """
    columns = columns or {c: c for c in frame.columns}
    cells = {
        col: [
            _text_of(v) if col in raw_html_columns else ("" if esc(v) == "" else str(v))
            for v in frame[col]
        ]
        for col in columns
    }
    widths = fit_widths(
        widths or [1.0] * len(columns),
        [_longest_word(label, cells[col]) for col, label in columns.items()],
        TABLE_FONT_PT.get(css, TABLE_FONT_PT[""]),
    )
    cls = f' class="{esc(css)}"' if css else ""
    head = "".join(f"<th>{esc(label)}</th>" for label in columns.values())
    body = []
    for _, row in frame.iterrows():
        cells = []
        for col in columns:
            value = row[col]
            cells.append(f"<td>{value if col in raw_html_columns else esc(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    cols = "".join(f'<col style="width:{w:.1f}%"/>' for w in widths)
    cap += f"<colgroup>{cols}</colgroup>"
    markup = (
        f"<table{cls}>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
    text = frame[list(columns)].to_string(index=False) if len(frame) else "(no rows)"
    return Html(markup, text)


TABLE_WIDTH_PT = 170 / 25.4 * 72
"""Width of a table, the A4 text width (the HTML page is as wide), in points."""

TABLE_FONT_PT = {"": 8.0, "events": 8.0, "compact": 7.5, "matrix": 8.0}
"""Font size of each table class (``briefing.css``), in points."""

CELL_PADDING_PT = 2 * 1.4 / 25.4 * 72 + 1.0
"""Left and right padding of a cell (``briefing.css``: 1.4 mm each), and a point to spare."""

CHAR_EM = (0.62, 0.68)
"""Widest average advance of DejaVu Sans in ems: (regular, bold). Measured on the
labels and words of the tables, rounded up, so that an estimate never falls short."""

_SPACES = re.compile(r"[ \t\r\n]+")  # not the no-break space: it joins what it joins


def _text_of(markup: object) -> str:
    """Return the visible text of a cell that holds HTML."""
    return html.unescape(re.sub(r"<[^>]*>", "", str(markup)))


def _longest_word(header: str, values: Sequence[str]) -> tuple[int, int]:
    """Characters of the longest unbreakable word of a header and of its column's cells."""

    def longest(text: str) -> int:
        return max((len(w) for w in _SPACES.split(text)), default=0)

    return longest(str(header)), max((longest(v) for v in values), default=0)


def fit_widths(
    widths: Sequence[float], words: Sequence[tuple[int, int]], font_pt: float
) -> list[float]:
    """Give every column room for its longest word, as percentages of the table.

    The room comes from the columns that have it to spare.

    Lines break only between words (``briefing.css`` forbids hyphenation and breaks
    inside words), so a column narrower than its longest word would let the word run into
    the next cell: the defect that set "Influence", "Interest" and "As of" side by side
    as "InfluenceInterestAs of".

    Parameters
    ----------
    widths : sequence of float
        Relative widths wanted (any scale).
    words : sequence of (int, int)
        Characters of the longest word in each column's header (bold) and cells.
    font_pt : float
        The table's font size.

    Returns
    -------
    list of float
        Percentages that sum to 100: each at least its column's need, the others in the
        proportions asked for. When the needs alone exceed the table, in proportion to
        the needs.
    """
    total = float(sum(widths)) or 1.0
    wanted = [100.0 * w / total for w in widths]
    per_char = [font_pt * em / TABLE_WIDTH_PT * 100 for em in CHAR_EM]
    pad = CELL_PADDING_PT / TABLE_WIDTH_PT * 100
    need = [max(head * per_char[1], cell * per_char[0]) + pad for head, cell in words]
    if sum(need) >= 100:
        return [100.0 * n / sum(need) for n in need]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(wanted)) if i not in fixed]
        room = 100.0 - sum(fixed.values())
        share = sum(wanted[i] for i in free) or 1.0
        out = {i: room * wanted[i] / share for i in free}
        short = [i for i in free if out[i] < need[i]]
        if not short:
            return [fixed[i] if i in fixed else out[i] for i in range(len(wanted))]
        for i in short:
            fixed[i] = need[i]


def number_width(values: Iterable, least: float) -> float:
    """Return a relative width for a column of numbers (see :func:`table`'s ``widths``).

    The width keeps the longest number on one line: ``least``, or more for numbers of
    more than two digits (one unit a digit, on the scale of the tables' widths that sum
    to about 100).
    """
    longest = max((len(f"{v}") for v in values), default=0)
    return max(float(least), longest + 2.0)


def figure_png(fig: Figure, dpi: int = DPI) -> bytes:
    """PNG bytes of a figure with no timestamp or software tag, so builds are repeatable."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def chart(fig: Figure, alt: str, caption: str = "") -> Html:
    """Embed a figure as an inline PNG in ``<figure>``, with alt text and optional caption."""
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    markup = (
        f'<figure class="chart"><img alt="{esc(alt)}" '
        f'src="data:image/png;base64,{data}"/>{cap}</figure>'
    )
    return Html(markup, f"[chart: {alt}]")
