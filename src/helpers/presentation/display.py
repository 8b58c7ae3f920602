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

    def __repr__(self) -> str:  # what a terminal or text/plain output shows
        return self.text or self.markup

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + other.markup, "\n".join(filter(None, [self.text, other.text])))


def join(blocks: Iterable[Html]) -> Html:
    out = Html("")
    for b in blocks:
        out = out + b
    return out


def group(blocks: Iterable[Html], css: str = "keep") -> Html:
    """Blocks wrapped in one ``<div>``; the default class keeps them on one printed page."""
    inner = join(blocks)
    return Html(f'<div class="{esc(css)}">{inner.markup}</div>', inner.text)


def heading(text: str, level: int = 2, anchor: str = "") -> Html:
    aid = f' id="{esc(anchor)}"' if anchor else ""
    return Html(f"<h{level}{aid}>{esc(text)}</h{level}>", text)


def paragraph(text: str, css: str = "") -> Html:
    cls = f' class="{esc(css)}"' if css else ""
    return Html(f"<p{cls}>{esc(text)}</p>", text)


def note(text: str, css: str = "note") -> Html:
    """A paragraph for an optional note; nothing at all when ``text`` is empty (e.g. a
    table that left no rows out), so the page is the same as without the call."""
    return paragraph(text, css) if text else Html("")


def bullets(items: Sequence[str], css: str = "") -> Html:
    cls = f' class="{esc(css)}"' if css else ""
    lis = "".join(f"<li>{esc(i)}</li>" for i in items)
    return Html(f"<ul{cls}>{lis}</ul>", "\n".join(f"- {i}" for i in items))


def safe_link(url: str, text: str) -> str:
    """An ``<a>`` element when ``url`` is http(s), else the escaped text alone."""
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
    """An HTML table of ``frame`` with every cell escaped.

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
        in print; omitted means equal widths.
    """
    columns = columns or {c: c for c in frame.columns}
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
    if widths:
        total = float(sum(widths))
        cols = "".join(f'<col style="width:{100 * w / total:.1f}%"/>' for w in widths)
        cap += f"<colgroup>{cols}</colgroup>"
    markup = (
        f"<table{cls}>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
    text = frame[list(columns)].to_string(index=False) if len(frame) else "(no rows)"
    return Html(markup, text)


def number_width(values: Iterable, least: float) -> float:
    """Relative width for a column of numbers (see :func:`table`'s ``widths``) so that the
    longest does not break over two lines: ``least``, or more for numbers of more than
    two digits (one unit a digit, on the scale of the tables' widths that sum to about
    100)."""
    longest = max((len(f"{v}") for v in values), default=0)
    return max(float(least), longest + 2.0)


def figure_png(fig: Figure, dpi: int = DPI) -> bytes:
    """PNG bytes of a figure with no timestamp or software tag, so builds are repeatable."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def chart(fig: Figure, alt: str, caption: str = "") -> Html:
    """A figure as an inline PNG inside ``<figure>``, with alt text and an optional caption."""
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    markup = (
        f'<figure class="chart"><img alt="{esc(alt)}" '
        f'src="data:image/png;base64,{data}"/>{cap}</figure>'
    )
    return Html(markup, f"[chart: {alt}]")
