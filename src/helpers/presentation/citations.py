"""Numbered citations and the reference list a reader can follow.

A document makes one :class:`Citations` from the data package's sources and cites
through it wherever it names sources: the first source cited is [1], the next new one
[2], and a source cited again keeps its number. :meth:`Citations.references` then lists
what was cited, in that order, with the title, publisher, date and address the data
gives; a field the data leaves empty is left out, never filled in. Source ids, file
names and notes stay out of the reader's page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlparse

import pandas as pd

from ..data.periods import format_date
from .display import Html, esc, safe_link

_PRECISION = {1: "year", 2: "month", 3: "day"}
# A bracketed list of source ids as analysis text writes them: '[a-b, c-d]' or '[a; b]'.
_BRACKETED = re.compile(r"\[([a-z0-9]+(?:-[a-z0-9]+)*(?:\s*[,;]\s*[a-z0-9]+(?:-[a-z0-9]+)*)*)\]")


def published_text(value: object) -> str:
    """Return a ``published`` value (YYYY, YYYY-MM or YYYY-MM-DD) at its precision: 'May 2025'.

    Empty or unreadable values give '' (the reference then has no date).
    """
    text = "" if value is None or pd.isna(value) else str(value).strip()
    parts = text.split("-")
    if not text or len(parts) > 3 or not all(p.isdigit() for p in parts):
        return ""
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    try:
        date = pd.Timestamp(year=numbers[0], month=numbers[1], day=numbers[2])
    except ValueError:
        return ""
    return format_date(date, _PRECISION[len(parts)])


def _ids(value: object) -> list[str]:
    """Source ids from a tuple or list, or a string of ids separated by commas or semicolons."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,;]", value) if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]


class Citations:
    """Numbers sources in the order a document first cites them.

    Parameters
    ----------
    sources : DataFrame
        The data package's ``sources`` table: ``source_id``, ``title`` and, when known,
        ``publisher``, ``published`` and ``url``.

    Examples
    --------
    >>> c = Citations(sources)
    >>> c.cite(["post-pahalgam-analysis", "muttaqi-call-report"])  # doctest: +SKIP
    '<span class="cite">[<a href="#ref-1">1</a>, <a href="#ref-2">2</a>]</span>'
    """

    def __init__(self, sources: pd.DataFrame):
        self._rows = {
            str(r["source_id"]): r for r in sources.to_dict("records") if r.get("source_id")
        }
        self._numbers: dict[str, int] = {}

    def number(self, source_id: str) -> int:
        """Return the number of ``source_id``, given to it now if it was not cited before.

        Raises
        ------
        KeyError
            ``source_id`` is not in the sources table.
        """
        if source_id not in self._rows:
            raise KeyError(f"cited source {source_id!r} is not in the sources table")
        return self._numbers.setdefault(source_id, len(self._numbers) + 1)

    def cite(self, source_ids: Iterable[str] | str) -> str:
        """HTML of a citation such as ``[1, 2]``, each number linked to its reference.

        Parameters
        ----------
        source_ids : iterable of str, or str
            Source ids (a string may hold several, separated by commas or semicolons).

        Returns
        -------
        str
            Numbers in ascending order, each source once; '' when no id is given.
        """
        numbers = sorted({self.number(s) for s in _ids(source_ids)})
        if not numbers:
            return ""
        links = ", ".join(f'<a href="#ref-{n}">{n}</a>' for n in numbers)
        return f'<span class="cite">[{links}]</span>'

    def cite_text(self, text: str) -> str:
        """``text`` as HTML, with each bracketed list of known source ids made a citation.

        '… in Kabul [muttaqi-call-report].' becomes '… in Kabul [1].' A bracket holding
        anything that is not a known source id is left as written.
        """
        out, last = [], 0
        for m in _BRACKETED.finditer(text):
            ids = _ids(m.group(1))
            if not all(i in self._rows for i in ids):
                continue
            out += [esc(text[last : m.start()]), self.cite(ids)]
            last = m.end()
        out.append(esc(text[last:]))
        return "".join(out)

    def linked(self, texts: Iterable[str]) -> list[Html]:
        """Apply :meth:`cite_text` to each text, as HTML blocks for a bullet list.

        Each is a :class:`~helpers.presentation.display.Html` for
        :func:`~helpers.presentation.display.bullets`.
        """
        return [Html(self.cite_text(t), t) for t in texts]

    def cite_column(self, frame: pd.DataFrame, column: str, ids: str | None = None) -> pd.DataFrame:
        """Return a copy of ``frame`` whose ``column`` holds citation HTML.

        Parameters
        ----------
        frame : DataFrame
            Rows in display order (numbers are given in that order).
        column : str
            Column to write (a raw HTML column for
            :func:`helpers.presentation.display.table`).
        ids : str, optional
            Column holding the source ids; defaults to ``column`` itself.
        """
        out = frame.copy()
        out[column] = [self.cite(v) for v in frame[ids or column]]
        return out

    def cited(self) -> list[str]:
        """Source ids cited so far, in the order of their numbers."""
        return list(self._numbers)

    def reference(self, source_id: str) -> str:
        """Write one reference as HTML: title, publisher, date and link, each when known.

        An address that is not http or https is left out: a reader could not follow it.
        """
        row = self._rows[source_id]

        def field(name: str) -> str:
            value = row.get(name)
            return "" if value is None or pd.isna(value) else str(value).strip()

        title = field("title").rstrip(".")
        parts = [f'<span class="ref-title">{esc(title)}</span>']
        parts += [esc(p) for p in (field("publisher"), published_text(field("published"))) if p]
        text = ". ".join(parts) + "."
        url = field("url")
        if urlparse(url).scheme.lower() in ("http", "https"):  # an address a reader can open
            text += f" {safe_link(url, url)}"
        return text

    def references(self, heading: str = "") -> str:
        """HTML of the reference list: every cited source, numbered as cited.

        Parameters
        ----------
        heading : str
            An optional ``<h2>`` above the list.

        Returns
        -------
        str
            '' when nothing was cited.
        """
        if not self._numbers:
            return ""
        items = "".join(
            f'<li id="ref-{n}"><span class="ref-num">[{n}]</span> {self.reference(s)}</li>'
            for s, n in self._numbers.items()
        )
        head = f"<h2>{esc(heading)}</h2>" if heading else ""
        return f'{head}<ol class="references">{items}</ol>'
