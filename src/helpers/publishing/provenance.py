"""The blocks a build adds to every page: provenance and "since the last version".

Built from plain values with every piece escaped (:func:`helpers.presentation.display.esc`).
"""

from __future__ import annotations

from ..data.dataset import Dataset
from ..presentation.display import esc


def version_label(info: dict) -> str:
    """Short label for the page footer: 'ind-afg · 2025-01-01_2025-05-31 · v3'."""
    return f"{info['series']} · {info['edition']} · v{info['version']}"


def provenance_html(info: dict) -> str:
    """The provenance block that ends every HTML page and PDF."""
    params = ", ".join(f"{k}={v}" if v else f"{k}=(default)" for k, v in info["parameters"].items())
    commit = info["git"]["commit"]
    if info["git"]["dirty"]:
        commit += " (uncommitted changes in the working tree)"
    rows = [
        ("Series", info["series"]),
        ("Edition", info["edition"]),
        ("Version", f"v{info['version']}"),
        ("Parameters", params),
        ("Data version", info["data_version"]),
        ("Git commit", commit),
        ("Project version", info["project_version"]),
        ("Input time", info["source_time"]),
    ]
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows)
    return (
        '<section class="provenance"><h2>Provenance</h2>'
        f"<dl>{items}</dl>"
        "<p>Input time is fixed by the inputs (SOURCE_DATE_EPOCH or the newest data file), "
        "so the same inputs give the same pages; the manifest.json beside this file records "
        "the wall-clock build time and the hash of every input and output.</p></section>"
    )


CHANGES_LIMIT = 25
"""Most events listed as added, as changed and as removed; the manifest lists them all."""


def _more(total: int, what: str) -> list[str]:
    left = total - CHANGES_LIMIT
    if left <= 0:
        return []
    return [f"<li>… and {left:,} more {what} (all are listed in the version's manifest.json)</li>"]


def changes_html(changes: dict | None, previous_version: int | None, data: Dataset) -> str:
    """'Since the last version': events added, changed (which fields) and removed."""
    if changes is None:
        return (
            '<section class="changes"><h2>Since the last version</h2>'
            "<p>This is the first version of this edition.</p></section>"
        )
    added, changed, removed = changes["added"], changes["changed"], changes["removed"]
    shown = set(added[:CHANGES_LIMIT])
    ev = data.engagements
    rows = ev[ev["event_id"].isin(shown)] if shown else ev.iloc[:0]
    names = dict(zip(rows["event_id"], rows["summary"]))
    parts = []
    for eid in added[:CHANGES_LIMIT]:
        parts.append(f"<li>Added: <strong>{esc(eid)}</strong> — {esc(names.get(eid, ''))}</li>")
    parts += _more(len(added), "added")
    for eid, fields in list(changed.items())[:CHANGES_LIMIT]:
        parts.append(
            f"<li>Changed: <strong>{esc(eid)}</strong> (fields: {esc(', '.join(fields))})</li>"
        )
    parts += _more(len(changed), "changed")
    for eid in removed[:CHANGES_LIMIT]:
        parts.append(f"<li>Removed: <strong>{esc(eid)}</strong></li>")
    parts += _more(len(removed), "removed")
    body = (
        f"<ul>{''.join(parts)}</ul>"
        if parts
        else "<p>No events in this period were added, changed or removed; other inputs changed.</p>"
    )
    return (
        f'<section class="changes"><h2>Since the last version (v{esc(previous_version)})</h2>'
        f"{body}</section>"
    )
