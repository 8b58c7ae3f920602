"""Sentences with their numbered citations, as HTML for a notebook to display.

Analysis functions return ``(sentence, source_ids)`` pairs
(:data:`helpers.analysis.front_page.Line`); these turn them into paragraphs or bullets with each
sentence escaped and its sources cited through one
:class:`helpers.presentation.citations.Citations`, so the numbers run in reading order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .display import Html, esc


def _cited(text: str, ids: Sequence[str], citations) -> str:
    cite = citations.cite(list(ids)) if ids else ""
    return esc(text) + (f" {cite}" if cite else "")


def cited_paragraphs(lines: Iterable[tuple[str, Sequence[str]]], citations, css: str = "") -> Html:
    """One ``<p>`` per line, each ending with its citation ('[1, 2]') when it has sources."""
    cls = f' class="{esc(css)}"' if css else ""
    lines = list(lines)
    markup = "".join(f"<p{cls}>{_cited(t, ids, citations)}</p>" for t, ids in lines)
    return Html(markup, "\n".join(t for t, _ in lines))


def cited_bullets(lines: Iterable[tuple[str, Sequence[str]]], citations, css: str = "") -> Html:
    """Return a ``<ul>`` of the lines, each ending with its citation when it has sources."""
    cls = f' class="{esc(css)}"' if css else ""
    lines = list(lines)
    items = "".join(f"<li>{_cited(t, ids, citations)}</li>" for t, ids in lines)
    return Html(f"<ul{cls}>{items}</ul>", "\n".join(f"- {t}" for t, _ in lines))


def masthead(lines: Sequence[str], slot: str = "version") -> Html:
    """Make the header block: issuing body, marking, the title as ``<h1>``, the issue line.

    The issue line ends with an empty ``slot-<slot>`` span the build fills with the
    version (see :func:`helpers.publishing.render.fill_slots`).
    """
    body, marking, title, issue, period = lines
    markup = (
        '<header class="masthead">'
        f'<p class="issuer">{esc(body)}</p>'
        f'<p class="marking">{esc(marking)}</p>'
        f"<h1>{esc(title)}</h1>"
        f'<p class="issue">{esc(issue)}<span class="slot-{esc(slot)}"></span></p>'
        f'<p class="period">{esc(period)}</p>'
        "</header>"
    )
    return Html(markup, "\n".join(lines))


def slot(name: str) -> Html:
    """Make an empty paragraph for the build to fill (see ``render.fill_slots``)."""
    return Html(f'<p class="slot-{esc(name)}"></p>', "")
