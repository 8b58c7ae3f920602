"""The archive: ``reports/index.json`` and ``reports/index.html`` listing every version.

Rebuilt from the manifests after every build, under a lock, and written atomically, so
two builds finishing together both appear and the index is never half-written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import TEMPLATES_DIR
from ..presentation.display import esc
from .publish import VERSION_DIR, locked, write_atomic

if TYPE_CHECKING:
    from ..data.context import BriefingContext


def edition_summary(ctx: BriefingContext) -> dict:
    """Figures the archive shows for an edition.

    Focus-dyad events, the net cooperation of those that occurred, and the briefing's
    trend call with its one-line reason (:func:`helpers.analysis.trend.trend_call`, the
    call page one prints).
    """
    from ..analysis.timeline import in_focus_dyad  # pandas-heavy: only builds reach this
    from ..analysis.trend import trend_call

    ev = ctx.events
    dyad = ev[in_focus_dyad(ev, ctx)]
    call = trend_call(ctx)
    # Net cooperation as the trend call measures it: what occurred (a scheduled visit has
    # not cooperated yet), so the two agree on the page that shows them side by side.
    occurred = dyad[dyad["status"] == "occurred"]
    return {
        "events": int(len(ev)),
        "dyad_events": int(len(dyad)),
        "dyad_net_cooperation": round(float(occurred["goldstein"].sum()), 1),
        "period": ctx.window.label(),
        "period_text": ctx.window.text(),
        "pair": [ctx.focus, ctx.counterpart],
        "pair_label": ctx.dyad_label,
        "trend_call": call.call,
        "trend_reason": call.reason,
    }


def collect(reports_dir: Path) -> list[dict]:
    """Every published version's manifest, grouped by series and edition."""
    series = []
    for sdir in sorted(
        p for p in Path(reports_dir).iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    ):
        editions = []
        for edir in sorted(p for p in sdir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            versions = []
            for vdir in edir.iterdir():
                m = VERSION_DIR.match(vdir.name)
                mf = vdir / "manifest.json"
                if m and mf.is_file():
                    try:
                        man = json.loads(mf.read_text(encoding="utf-8"))
                    except (OSError, json.JSONDecodeError):
                        continue
                    versions.append(
                        {
                            "version": int(m.group(1)),
                            "path": f"{sdir.name}/{edir.name}/{vdir.name}",
                            "outputs": sorted(man.get("outputs", {})),
                            "data_version": man.get("data_version"),
                            "data_package": man.get("data_package"),
                            "built_at": man.get("built_at"),
                            "summary": man.get("summary", {}),
                        }
                    )
            if versions:
                versions.sort(key=lambda v: v["version"])
                for v in versions:
                    v["latest"] = v is versions[-1]
                editions.append({"edition": edir.name, "versions": versions})
        prev_net = None
        for ed in editions:  # editions sort by start date: the names begin with it
            net = ed["versions"][-1]["summary"].get("dyad_net_cooperation")
            if prev_net is None or net is None:
                ed["trend"] = "none"
            else:
                ed["trend"] = "up" if net > prev_net else "down" if net < prev_net else "flat"
            ed["net_cooperation"] = net
            prev_net = net if net is not None else prev_net
        if editions:
            latest = max((ed["versions"][-1] for ed in editions), key=lambda v: v["built_at"] or "")
            series.append(
                {"series": sdir.name, "data_package": latest["data_package"], "editions": editions}
            )
    return series


def _from_own_package(series: dict) -> bool:
    """Whether a series was built from the project's own data package.

    Versions published before packages were recorded carry none: they are the project's
    unless their folder says otherwise (another package's series is ``<name>_<pair>``).
    """
    package = series.get("data_package")
    if package is None:
        return "_" not in series["series"]
    from ..data.fingerprint import package_name
    from ..paths import DATA_DIR

    try:
        return package.get("name") == package_name(DATA_DIR)
    except (OSError, ValueError):
        return False


ARROWS = {"up": "▲", "down": "▼", "flat": "▶", "none": "–"}
CALL_CLASS = {
    "improved": "improved",
    "deteriorated": "deteriorated",
    "unchanged": "unchanged",
}
"""The trend calls that get a colour; 'no call' and 'insufficient data to compare' are
grey. The word is always printed, so the page reads the same in black and white."""
OVERVIEW_COLUMNS = 6
"""Editions per row of the overview: six monthly columns fit an A4 page upright."""


def _call(ed: dict) -> tuple[str, str]:
    """Return the latest version's trend call and reason ('' and '' if not recorded)."""
    summary = ed["versions"][-1]["summary"]
    return summary.get("trend_call", ""), summary.get("trend_reason", "")


def _call_html(call: str) -> str:
    """Mark the call word for its colour; 'not recorded' for versions built before calls."""
    if not call:
        return '<span class="call none">not recorded</span>'
    return f'<span class="call {CALL_CLASS.get(call, "none")}">{esc(call)}</span>'


def _files_html(v: dict, names: tuple[str, ...] | None = None) -> str:
    """Link a version's files, by notebook: 'briefing HTML PDF · timeline HTML PDF'.

    ``names`` keeps only those notebooks' files, unlabelled (the page says whose they are).
    """
    groups: dict[str, list[str]] = {}
    for o in v["outputs"]:
        notebook, _, ext = o.rsplit("_", 1)[-1].partition(".")
        if names is None or notebook in names:
            href = esc(v["path"] + "/" + o)
            groups.setdefault(notebook, []).append(f'<a href="{href}">{esc(ext.upper())}</a>')
    return '<span class="sep"> · </span>'.join(
        f'<span class="files">{"" if names else esc(nb) + " "}{" ".join(links)}</span>'
        for nb, links in groups.items()
    )


def _pair_label(s: dict) -> str:
    """'India and Afghanistan (Taliban government)', from the latest version, else ''."""
    for ed in reversed(s["editions"]):
        label = ed["versions"][-1]["summary"].get("pair_label")
        if label:
            return label
    return ""


def _series_table(s: dict) -> str:
    """One series: its heading, the data package it comes from, and its editions."""
    package = s.get("data_package") or {}
    label = _pair_label(s)
    named = f'<p class="pair">{esc(label)}</p>' if label else ""
    rows = [f'<section class="series" id="{esc(s["series"])}"><h2>{esc(s["series"])}</h2>{named}']
    if package:
        rows.append(
            f'<p class="package">Data package <strong>{esc(package.get("name") or "(unnamed)")}'
            f"</strong>, content sha256 {esc(str(package.get('sha256', ''))[:12])}… "
            "(latest version)</p>"
        )
    rows.append(
        '<table class="editions"><thead><tr><th class="period">Edition</th>'
        '<th class="trend">Trend call (latest version)</th>'
        '<th class="net">Focus-dyad net cooperation</th><th class="versions">Versions</th>'
        "</tr></thead><tbody>"
    )
    for ed in s["editions"]:
        links = []
        for v in reversed(ed["versions"]):
            mark = " <strong>(latest)</strong>" if v["latest"] else ""
            links.append(f"<div>v{v['version']}{mark}: {_files_html(v)}</div>")
        period = ed["versions"][-1]["summary"].get("period", "")
        net = ed.get("net_cooperation")
        trend = f'<span class="{ed["trend"]}">{ARROWS[ed["trend"]]}</span>'
        call, reason = _call(ed)
        rows.append(
            f'<tr id="{esc(s["series"] + "-" + ed["edition"])}">'
            f'<td>{esc(period)}<div class="edition">{esc(ed["edition"])}</div></td>'
            f'<td>{_call_html(call)} <span class="reason">{esc(reason)}</span></td>'
            f"<td>{trend} {esc('' if net is None else net)}</td>"
            f"<td>{''.join(links)}</td></tr>"
        )
    rows.append("</tbody></table></section>")
    return "".join(rows)


def overview_html(series: list[dict]) -> str:
    """Return the portfolio at a glance: one row per series, one column per edition.

    A cell holds the latest version's trend call, linked to that edition's row below,
    and its briefing's HTML and PDF. Editions are the union over the series, in date
    order, :data:`OVERVIEW_COLUMNS` to a table; a series without an edition says
    'not built'. Empty when nothing is built.
    """
    names = sorted({ed["edition"] for s in series for ed in s["editions"]})
    if not names:
        return ""
    heading = {}
    for s in series:
        for ed in s["editions"]:
            summary = ed["versions"][-1]["summary"]
            heading.setdefault(ed["edition"], summary.get("period_text") or summary.get("period"))
    tables = []
    for first in range(0, len(names), OVERVIEW_COLUMNS):
        cols = names[first : first + OVERVIEW_COLUMNS]
        head = "".join(f"<th>{esc(heading[n] or n)}</th>" for n in cols)
        body = []
        for s in series:
            by_name = {ed["edition"]: ed for ed in s["editions"]}
            cells = []
            for n in cols:
                ed = by_name.get(n)
                if ed is None:
                    cells.append('<td class="missing">not built</td>')
                    continue
                call, _ = _call(ed)
                anchor = esc(f"#{s['series']}-{n}")
                files = _files_html(ed["versions"][-1], ("briefing",))
                cells.append(
                    f'<td><a class="to-row" href="{anchor}">{_call_html(call)}</a>'
                    f"<div>{files}</div></td>"
                )
            label = _pair_label(s)
            pair = f'<div class="pair">{esc(label)}</div>' if label else ""
            body.append(
                f'<tr><th scope="row"><a href="#{esc(s["series"])}">{esc(s["series"])}</a>'
                f"{pair}</th>{''.join(cells)}</tr>"
            )
        tables.append(
            f'<table class="overview"><thead><tr><th class="series-col">Series</th>{head}'
            f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )
    return (
        '<section class="portfolio"><h2>Portfolio at a glance</h2><p class="note">The trend '
        "call of each edition's latest version, as its briefing's page one states it: "
        "relations against the period before. Each call leads to its reason and every "
        "version below; HTML and PDF open the latest version's briefing."
        f"</p>{''.join(tables)}</section>"
    )


def index_html(series: list[dict]) -> str:
    """Return the archive page: the portfolio at a glance, then every series.

    The project's own series come first, then those of other data packages, each group
    with its own overview.
    """
    own = [s for s in series if _from_own_package(s)]
    other = [s for s in series if not _from_own_package(s)]
    body = overview_html(own) + "".join(_series_table(s) for s in own)
    if other:
        body += (
            '<section class="other-packages"><h1>Built from other data packages</h1>'
            "<p>Each data package (by the name in its datapackage.json) has series of its "
            f"own; their versions never mix with the project's.</p>{overview_html(other)}"
            f"{''.join(_series_table(s) for s in other)}</section>"
        )
    if not series:
        body = "<p>No briefings have been built yet.</p>"
    css = (TEMPLATES_DIR / "archive.css").read_text(encoding="utf-8")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Briefing archive</title><style>{css}</style></head>"
        "<body><h1>Briefing archive</h1><p>Every series (a focus and its counterpart), "
        "edition (a period) and version built here, with each edition's trend call. The "
        "arrow compares the focus dyad's net cooperation (sum of Goldstein values) with "
        f"the previous edition.</p>{body}</body></html>"
    )


def rebuild_index(reports_dir: Path) -> list[dict]:
    """Rewrite ``index.json`` and ``index.html`` from the published manifests."""
    reports_dir = Path(reports_dir)
    with locked(reports_dir / ".index.lock"):
        # Every writer holds this lock, so a temporary file seen now was left by a build
        # killed while writing the index.
        for name in ("index.json", "index.html"):
            for stale in reports_dir.glob(f".{name}.*"):
                stale.unlink(missing_ok=True)
        series = collect(reports_dir)
        write_atomic(reports_dir / "index.json", json.dumps({"series": series}, indent=2).encode())
        write_atomic(reports_dir / "index.html", index_html(series).encode("utf-8"))
    return series
