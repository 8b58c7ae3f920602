"""Publishing as a user meets it: versions, "since the last version", the archive index,
series builds, named parameter sets and byte-identical outputs.

These run real builds (papermill, nbconvert, WeasyPrint), so they are marked slow; each
uses its own temporary reports folder and, where it edits data, its own copy of it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import build_cli

from helpers.paths import PARAMS_DIR, PROJECT_ROOT
from helpers.publishing.build import BuildRequest, build

pytestmark = pytest.mark.slow
QUIET = {"progress": lambda msg: None}


def _briefing_html(version_dir: Path) -> str:
    (html,) = version_dir.glob("*_briefing.html")
    return html.read_text(encoding="utf-8")


def test_unchanged_rebuild_executes_nothing_and_an_edit_makes_a_new_version(tmp_path, make_package):
    data = make_package()
    reports = tmp_path / "reports"
    req = BuildRequest("2025-01-01", "2025-05-31", data_dir=str(data), reports_dir=reports)
    first = build(req, **QUIET)
    assert first.status == "built" and first.version == 1
    assert "Version 1 is the first version of this edition." in _briefing_html(first.path)

    again = build(req, **QUIET)
    assert again.status == "up-to-date" and again.version == 1
    assert sorted(
        p.name
        for p in (reports / "ind-afg" / "2025-01-01_2025-05-31").iterdir()
        if p.name.startswith("v")
    ) == ["v1"]

    # Edit one summary: the phone call's. The new version names that event and field.
    csv = data / "engagements.csv"
    text = csv.read_text(encoding="utf-8")
    old = "Acting Foreign Minister Muttaqi and External Affairs Minister Jaishankar speak by phone."
    assert old in text
    csv.write_text(text.replace(old, "Muttaqi and Jaishankar talk by telephone."), encoding="utf-8")
    second = build(req, **QUIET)
    assert second.status == "built" and second.version == 2
    html = _briefing_html(second.path)
    assert "Since the last version (v1)" in html
    # The call is dated to its month in data/engagements.csv: May 2025.
    assert "<li>Changed (summary): May 2025: Muttaqi and Jaishankar talk by telephone. " in html
    assert "jaishankar-muttaqi-call" not in html
    manifest = json.loads((second.path / "manifest.json").read_text())
    assert manifest["changes"] == {
        "added": [],
        "removed": [],
        "changed": {"jaishankar-muttaqi-call": ["summary"]},
    }
    assert manifest["previous_version"] == 1
    # v1 is untouched by the new build.
    assert "Version 1 is the first version of this edition." in _briefing_html(first.path)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if tag in ("script", "link") or (tag == "img" and not a.get("src", "").startswith("data:")):
            self.external.append(tag)


def test_series_build_by_month_makes_five_editions_and_an_archive(tmp_path):
    reports = tmp_path / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "helpers", "build", "--start", "2025-01-01", "--end", "2025-05-31",
         "--every", "month", "--reports-dir", str(reports)],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    editions = sorted(p.name for p in (reports / "ind-afg").iterdir() if not p.name.startswith("."))
    assert editions == [
        "2025-01-01_2025-01-31",
        "2025-02-01_2025-02-28",
        "2025-03-01_2025-03-31",
        "2025-04-01_2025-04-30",
        "2025-05-01_2025-05-31",
    ]
    assert "5/5" in proc.stderr  # the progress bar reached the end

    index = json.loads((reports / "index.json").read_text())
    (series,) = index["series"]
    assert [e["edition"] for e in series["editions"]] == editions
    # Net cooperation of India-Afghanistan events placed in each month, by hand:
    # Jan: Dubai 2.5 + praise 3.4 = 5.9 (the aid span, attested to 22 Apr, overlaps
    # Jan, Feb, Mar and Apr: +7.4 each) -> Jan 13.3, Feb 7.4, Mar 7.4, Apr Prakash 1.9 +
    # aid 7.4 = 9.3, May call 1.0. Trend against the previous edition: none, down, flat,
    # up, down.
    assert [e["net_cooperation"] for e in series["editions"]] == [13.3, 7.4, 7.4, 9.3, 1.0]
    assert [e["trend"] for e in series["editions"]] == ["none", "down", "flat", "up", "down"]

    page = (reports / "index.html").read_text(encoding="utf-8")
    links = _Links()
    links.feed(page)
    assert links.external == []  # self-contained: opens offline
    files = [h for h in links.hrefs if not h.startswith("#")]
    # Five editions, three notebooks, HTML and PDF each; and in the portfolio overview
    # each edition's briefing again, HTML and PDF.
    assert len(files) == 5 * 6 + 5 * 2
    for href in files:
        assert (reports / href).is_file(), href
    # The overview's anchors: the series, and each edition's row.
    anchors = [h for h in links.hrefs if h.startswith("#")]
    assert anchors == ["#ind-afg"] + [f"#ind-afg-{e}" for e in editions]
    for a in anchors:
        assert f'id="{a[1:]}"' in page, a
    assert page.count("(latest)") == 5


def test_named_parameter_set_with_build_and_papermill(tmp_path):
    params = PARAMS_DIR / "spring-2025.yaml"
    reports = tmp_path / "reports"
    proc = build_cli(tmp_path, "--params", str(params), "--reports-dir", str(reports), timeout=300)
    assert proc.returncode == 0, proc.stderr
    (version,) = (reports / "ind-afg" / "2025-03-01_2025-05-31").glob("v*")
    html = _briefing_html(version)
    assert "India and the Taliban government after Pahalgam, spring 2025" in html
    assert "Period: 1 March – 31 May 2025" in html

    out = tmp_path / "out.ipynb"
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("papermill")), "-f", str(params),
         str(PROJECT_ROOT / "notebooks" / "briefing.ipynb"), str(out), "--no-progress-bar"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    outputs = json.dumps(json.loads(out.read_text())["cells"])
    assert (
        "Period: 1 March \\u2013 31 May 2025" in outputs
        or "Period: 1 March – 31 May 2025" in outputs
    )


def _digests(version_dir: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(version_dir.iterdir())
        if p.suffix in (".html", ".pdf")
    }


def test_same_inputs_give_byte_identical_html_and_pdf(tmp_path):
    # Two builds of the same inputs into fresh folders; only the manifest's wall-clock
    # build time may differ.
    a = build(BuildRequest("2025-01-01", "2025-05-31", reports_dir=tmp_path / "a"), **QUIET)
    b = build(BuildRequest("2025-01-01", "2025-05-31", reports_dir=tmp_path / "b"), **QUIET)
    da, db = _digests(a.path), _digests(b.path)
    assert len(da) == 6
    assert da == db
    ma = json.loads((a.path / "manifest.json").read_text())
    mb = json.loads((b.path / "manifest.json").read_text())
    ma.pop("built_at"), mb.pop("built_at")
    assert ma == mb
    # The page's metadata holds the input-fixed time, never the wall clock, and its
    # colophon gives that day in words.
    page = _briefing_html(a.path)
    (meta,) = re.findall(r'<meta[^>]*name="briefing:input-time"[^>]*>', page)
    stamp = re.search(r'content="(\d{4})-(\d{2})-(\d{2}) \d{2}:\d{2} UTC"', meta)
    assert stamp and stamp.group(1, 2, 3) == tuple(ma["source_time"][:10].split("-"))
    day = datetime.date(*(int(x) for x in stamp.group(1, 2, 3)))
    assert f"data as last changed on {day.day}\u00a0{day:%B}\u00a0{day.year}" in page


PARAMETERS = (
    'start_date: str = "2025-01-01"\nend_date: str = "2025-05-31"\n'
    'focus: str = "IND"\ncounterpart: str = "AFG"\ndata_dir: str = ""'
)


def _parameterised_notebook(path: Path, source: str) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, path)


def test_a_notebook_is_rendered_while_another_still_executes(tmp_path):
    """The second notebook waits, inside its kernel, until the first one's PDF is in the
    staging folder. A build that rendered only once every notebook had run would never
    get there: the notebook would give up after two minutes and the build would fail."""
    reports, nbdir = tmp_path / "reports", tmp_path / "nb"
    nbdir.mkdir()
    _parameterised_notebook(nbdir / "briefing.ipynb", 'f"Period {start_date} to {end_date}"')
    staged_pdf = str(reports / "ind-afg" / "*" / ".staging-*" / "*_briefing.pdf")
    _parameterised_notebook(
        nbdir / "waits.ipynb",
        "import glob, time\n"
        "deadline = time.monotonic() + 120\n"
        f"while not glob.glob({staged_pdf!r}):\n"
        "    if time.monotonic() > deadline:\n"
        "        raise TimeoutError('the briefing was not rendered while this notebook ran')\n"
        "    time.sleep(0.05)\n"
        "time.sleep(1)  # its progress line comes first, however busy the machine\n"
        "'waited'",
    )
    lines: list[str] = []
    result = build(
        BuildRequest("2025-01-01", "2025-05-31", reports_dir=reports,
                     notebooks=("briefing", "waits"), notebooks_dir=nbdir),
        progress=lines.append,
    )  # fmt: skip
    assert result.status == "built"
    steps = [" ".join(line.split()[:2]) for line in lines if line.startswith("  ")]
    assert steps == [
        "executing 2",
        "executed briefing",
        "rendered briefing",
        "executed waits",
        "rendered waits",
    ]
    stem = "ind-afg_2025-01-01_2025-05-31_v1"
    assert sorted(p.name for p in result.path.glob(f"{stem}_*")) == [
        f"{stem}_briefing.html",
        f"{stem}_briefing.pdf",
        f"{stem}_waits.html",
        f"{stem}_waits.pdf",
    ]
    assert "waited" in (result.path / f"{stem}_waits.html").read_text(encoding="utf-8")
