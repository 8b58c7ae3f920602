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
    """Figures the archive shows for an edition: focus-dyad events and net cooperation."""
    from ..analysis.timeline import in_focus_dyad  # pandas-heavy: only builds reach this

    ev = ctx.events
    dyad = ev[in_focus_dyad(ev, ctx)]
    return {
        "events": int(len(ev)),
        "dyad_events": int(len(dyad)),
        "dyad_net_cooperation": round(float(dyad["goldstein"].sum()), 1),
        "period": ctx.window.label(),
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
            series.append({"series": sdir.name, "editions": editions})
    return series


ARROWS = {"up": "▲", "down": "▼", "flat": "▶", "none": "–"}


def index_html(series: list[dict]) -> str:
    rows = []
    for s in series:
        rows.append(
            f"<h2>{esc(s['series'])}</h2><table><thead><tr><th>Edition</th><th>Period</th>"
            "<th>Focus-dyad net cooperation</th><th>Versions</th></tr></thead><tbody>"
        )
        for ed in s["editions"]:
            links = []
            for v in reversed(ed["versions"]):
                files = " ".join(
                    f'<a href="{esc(v["path"] + "/" + o)}">{esc(o.rsplit("_", 1)[-1])}</a>'
                    for o in v["outputs"]
                )
                mark = " <strong>(latest)</strong>" if v["latest"] else ""
                links.append(f"<div>v{v['version']}{mark}: {files}</div>")
            period = ed["versions"][-1]["summary"].get("period", "")
            net = ed.get("net_cooperation")
            trend = f'<span class="{ed["trend"]}">{ARROWS[ed["trend"]]}</span>'
            rows.append(
                f"<tr><td>{esc(ed['edition'])}</td><td>{esc(period)}</td>"
                f"<td>{trend} {esc('' if net is None else net)}</td>"
                f"<td>{''.join(links)}</td></tr>"
            )
        rows.append("</tbody></table>")
    body = "".join(rows) or "<p>No briefings have been built yet.</p>"
    css = (TEMPLATES_DIR / "archive.css").read_text(encoding="utf-8")
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Briefing archive</title><style>{css}</style></head>"
        "<body><h1>Briefing archive</h1><p>Every series, edition and version built here; "
        "the arrow compares the focus dyad's net cooperation (sum of Goldstein values) "
        f"with the previous edition.</p>{body}</body></html>"
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
