"""The blocks a build adds to every page.

The colophon, the provenance metadata and "since the last version".

Built from plain values with every piece escaped (:func:`helpers.presentation.display.esc`).
"""

from __future__ import annotations

from datetime import datetime

from ..data.dataset import Dataset
from ..data.periods import Window, format_event_date
from ..presentation.display import esc


def _period(info: dict) -> str:
    params = info.get("parameters") or {}
    try:
        return Window.from_strings(params["start_date"], params["end_date"]).label()
    except (KeyError, TypeError, ValueError):
        return ""


def version_label(info: dict) -> str:
    """Short label for the page footer: 'Version 3 · 1 January – 31 May 2025'."""
    period = _period(info)
    return f"Version {info['version']}" + (f" · {period}" if period else "")


def provenance_meta(info: dict) -> dict[str, str]:
    """Everything that made the page, for the HTML's ``<meta>`` elements (and the PDF's).

    The reader's page carries only :func:`colophon_html`; this and ``manifest.json`` keep
    the whole record: series, edition, version, parameters, data version, git commit and
    the input time.
    """
    params = ", ".join(f"{k}={v}" if v else f"{k}=(default)" for k, v in info["parameters"].items())
    commit = info["git"]["commit"]
    if info["git"]["dirty"]:
        commit += " (uncommitted changes in the working tree)"
    return {
        "briefing:series": str(info["series"]),
        "briefing:edition": str(info["edition"]),
        "briefing:version": str(info["version"]),
        "briefing:parameters": params,
        "briefing:data-version": str(info["data_version"]),
        "briefing:git-commit": commit,
        "briefing:project-version": str(info["project_version"]),
        "briefing:input-time": str(info["source_time"]),
    }


def colophon_html(info: dict) -> str:
    """Return the one line that ends every page: version, period and the date of the data.

    No ids, hashes or file names: those are in :func:`provenance_meta` and the manifest.
    """
    period = _period(info)
    when = ""
    try:
        stamp = datetime.strptime(str(info["source_time"]), "%Y-%m-%d %H:%M UTC")
        when = f"data as last changed on {stamp.day}\u00a0{stamp:%B}\u00a0{stamp.year}"
    except (KeyError, ValueError):
        pass
    parts = [f"Version {info['version']}" + (f" of the edition for {period}" if period else "")]
    parts += [when] if when else []
    # The program's name and version never break (a line ended at its hyphen).
    program = f'<span class="nowrap">engagement-briefings {esc(info["project_version"])}</span>'
    return f'<p class="colophon">{esc(" · ".join(parts))} · {program}.</p>'


CHANGES_LIMIT = 25
"""Most events listed as added, as changed and as removed; the manifest lists them all."""


FIELD_WORDS = {
    "date_precision": "date precision",
    "end_date": "end date",
    "event_type": "type",
    "cameo_code": "CAMEO code",
    "actor_from": "first actor",
    "actor_to": "second actor",
    "source_ids": "sources",
}
"""Words for the event fields a reader is told changed (others: '_' read as a space)."""


def _more(total: int, what: str) -> list[str]:
    left = total - CHANGES_LIMIT
    if left <= 0:
        return []
    return [f"<li>… and {left:,} more {what} (the files published with it list them all)</li>"]


def _event_words(row) -> str:
    """'11 May 2025: Acting Foreign Minister Muttaqi and …' (date at its precision)."""
    when = format_event_date(row["date"], row["date_precision"], row.get("end_date"))
    return f"{when}: {row['summary']}" if when else str(row["summary"])


def changes_html(changes: dict | None, previous_version: int | None, data: Dataset) -> str:
    """'Since the last version': events added, changed (which fields) and removed.

    Events are named by their date and summary, fields in words; ids stay in the
    manifest. A removed event is no longer in the data, so it is counted, not named.
    """
    if changes is None:
        # Page one already says a first version is one (helpers.analysis.front_page.version_line).
        return ""
    added, changed, removed = changes["added"], changes["changed"], changes["removed"]
    shown = set(added[:CHANGES_LIMIT]) | set(list(changed)[:CHANGES_LIMIT])
    ev = data.engagements
    rows = ev[ev["event_id"].isin(shown)] if shown else ev.iloc[:0]
    names = {r["event_id"]: _event_words(r) for r in rows.to_dict("records")}
    parts = []
    for eid in added[:CHANGES_LIMIT]:
        parts.append(f"<li>Added: {esc(names.get(eid, 'an event'))}</li>")
    parts += _more(len(added), "added")
    for eid, fields in list(changed.items())[:CHANGES_LIMIT]:
        words = ", ".join(FIELD_WORDS.get(f, f.replace("_", " ")) for f in fields)
        parts.append(f"<li>Changed ({esc(words)}): {esc(names.get(eid, 'an event'))}</li>")
    parts += _more(len(changed), "changed")
    if removed:
        n = len(removed)
        parts.append(
            f"<li>Removed: {n:,} event{'s' if n != 1 else ''} of v{esc(previous_version)} "
            f"{'is' if n == 1 else 'are'} no longer in the record for this period.</li>"
        )
    body = (
        f"<ul>{''.join(parts)}</ul>"
        if parts
        else "<p>No events in this period were added, changed or removed; other inputs changed.</p>"
    )
    return (
        f'<section class="changes"><h2>Since the last version (v{esc(previous_version)})</h2>'
        f"{body}</section>"
    )
