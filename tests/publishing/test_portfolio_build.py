"""A small portfolio built as a user builds it (issue 18): two pairs by two months.

One build (``briefing build --pairs IND:AFG,PAK:AFG --every month``, April and May
2025) serves every test here: the command's lines, the published editions, the trend
calls recorded for the archive, the honest page of a month with nothing between a pair,
and the portfolio index. Expected values are worked out by hand from data/engagements.csv
and data/cameo.csv (Goldstein values in brackets).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import build_cli

pytestmark = pytest.mark.slow

PAIRS = ("ind-afg", "pak-afg")
EDITIONS = ("2025-04-01_2025-04-30", "2025-05-01_2025-05-31")
ARGS = ["--pairs", "IND:AFG,PAK:AFG", "--every", "month", "--start", "2025-04-01"]
ARGS += ["--end", "2025-05-31"]


def briefing(reports: Path, *args: str) -> subprocess.CompletedProcess:
    return build_cli(reports.parent, *args, "--reports-dir", str(reports), timeout=900)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    reports = tmp_path_factory.mktemp("portfolio") / "reports"
    return reports, briefing(reports, *ARGS, "--jobs", "2")


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_one_line_per_edition_pair_by_pair_in_date_order(portfolio):
    reports, proc = portfolio
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 4
    for line, (series, edition) in zip(lines, [(s, e) for s in PAIRS for e in EDITIONS]):
        assert line.startswith(f"built {series} {edition} v1 in "), line
        assert line.endswith(f" s: {reports / series / edition / 'v1'}"), line
    assert proc.stderr.endswith(f"index of every series and edition: {reports}/index.html\n")


def test_every_edition_is_published_whole(portfolio):
    reports, _ = portfolio
    for series in PAIRS:
        for edition in EDITIONS:
            v1 = reports / series / edition / "v1"
            names = sorted(p.name for p in v1.glob(f"{series}_{edition}_v1_*"))
            assert names == [
                f"{series}_{edition}_v1_{nb}.{ext}"
                for nb in ("briefing", "stakeholders", "timeline")
                for ext in ("html", "pdf")
            ]
            manifest = json.loads((v1 / "manifest.json").read_text())
            assert manifest["parameters"]["focus"] == series[:3].upper()
            assert manifest["parameters"]["counterpart"] == "AFG"
    assert not (reports / "_failed").exists()
    assert not list(reports.glob("*/*/.staging-*"))


def summary(reports: Path, series: str, edition: str) -> dict:
    return json.loads((reports / series / edition / "v1" / "manifest.json").read_text())["summary"]


# (series, edition): (trend call, focus-dyad events, their net cooperation), by hand.
# India-Afghanistan, April against March: March holds only Harish's statement to the
# Security Council (India-UN); between India and Afghanistan only the aid span under way
# since 2021, so there is nothing to compare with. April's events: Prakash's visit (1.9)
# and the aid span (to 22 April, 7.4) = 9.3.
# May against April: the Jaishankar-Muttaqi call (minister) beats the visit -> +1; net
# 1.0 (the call; the aid span ended in April) against 9.3: -8.3 -> -1. Score 0.
# Pakistan-Afghanistan: nothing between them in March or April (insufficient data both
# months); in May only the Taliban's rejection of the Pakistani military's claims
# (criticize, -2.0).
INSUFFICIENT = "insufficient data to compare"
CALLS = {
    ("ind-afg", EDITIONS[0]): (INSUFFICIENT, 2, 9.3),
    ("ind-afg", EDITIONS[1]): ("unchanged", 1, 1.0),
    ("pak-afg", EDITIONS[0]): (INSUFFICIENT, 0, 0.0),
    ("pak-afg", EDITIONS[1]): (INSUFFICIENT, 1, -2.0),
}
REASONS = {
    ("ind-afg", EDITIONS[0]): "Nothing between India and Afghanistan is recorded as "
    "happening in March 2025, only activity under way since earlier: the aid from India to "
    "Afghanistan (August 2021 – 22 April 2025).",
    ("ind-afg", EDITIONS[1]): "Against April 2025: the phone call between Amir Khan Muttaqi "
    "and S. Jaishankar (May 2025) was more senior, at minister level, than the visit "
    "between Anand Prakash and Amir Khan Muttaqi (April 2025); net cooperation +1.0 against "
    "+9.3",  # then the events that moved it
    ("pak-afg", EDITIONS[0]): "Nothing between Pakistan and Afghanistan is recorded as "
    "happening in March 2025.",
    ("pak-afg", EDITIONS[1]): "Nothing between Pakistan and Afghanistan is recorded as "
    "happening in April 2025.",
}


def test_the_archive_records_each_editions_trend_call_and_reason(portfolio):
    reports, _ = portfolio
    for (series, edition), (call, events, net) in CALLS.items():
        s = summary(reports, series, edition)
        assert (s["trend_call"], s["dyad_events"], s["dyad_net_cooperation"]) == (
            call, events, net,
        ), (series, edition)  # fmt: skip
        assert s["trend_reason"].startswith(REASONS[series, edition]), (series, edition)
    pak_may = summary(reports, "pak-afg", EDITIONS[1])
    assert pak_may["trend_reason"] == REASONS["pak-afg", EDITIONS[1]]
    assert pak_may["pair_label"] == "Pakistan and Afghanistan (Taliban government)"
    assert pak_may["period_text"] == "May 2025"


def test_a_month_with_nothing_between_the_pair_says_so(portfolio):
    reports, _ = portfolio
    v1 = reports / "pak-afg" / EDITIONS[0] / "v1"
    page = text_of((v1 / f"pak-afg_{EDITIONS[0]}_v1_briefing.html").read_text("utf-8"))
    assert (
        "No meeting, phone call, visit, agreement, recognition or accreditation between "
        "Pakistan and Afghanistan is recorded in April 2025."
    ) in page
    assert (
        "Trend: insufficient data to compare. Nothing between Pakistan and Afghanistan is "
        "recorded as happening in March 2025."
    ) in page


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def test_the_index_lists_every_pair_and_edition_with_its_call_and_links(portfolio):
    reports, _ = portfolio
    page = (reports / "index.html").read_text(encoding="utf-8")
    overview = page[page.index('<section class="portfolio">') :]
    overview = overview[: overview.index("</section>")]
    heads = re.findall(r"<th>([^<]+)</th>", overview)
    assert heads == ["April 2025", "May 2025"]
    rows = overview.split('<tr><th scope="row">')[1:]
    assert [re.search(r'href="#([^"]+)"', r).group(1) for r in rows] == list(PAIRS)
    assert [re.findall(r'<span class="call [a-z]+">([^<]+)</span>', r) for r in rows] == [
        [INSUFFICIENT, "unchanged"],
        [INSUFFICIENT, INSUFFICIENT],
    ]
    assert "India and Afghanistan (Taliban government)" in rows[0]
    assert "Pakistan and Afghanistan (Taliban government)" in rows[1]
    # Each edition's row below gives the reason in full.
    words = text_of(page)
    assert f"{INSUFFICIENT} {REASONS['ind-afg', EDITIONS[0]]}" in words
    assert words.count(REASONS["pak-afg", EDITIONS[1]]) == 1

    links = Links()
    links.feed(page)
    files = [h for h in links.hrefs if not h.startswith("#")]
    # Per edition: three notebooks' HTML and PDF, and the briefing's again in the overview.
    assert len(files) == 4 * 6 + 4 * 2
    assert len(set(files)) == 4 * 6
    for href in files:
        assert (reports / href).is_file(), href
    for series in PAIRS:
        for edition in EDITIONS:
            for ext in ("html", "pdf"):
                assert f"{series}/{edition}/v1/{series}_{edition}_v1_briefing.{ext}" in files
    for anchor in (h[1:] for h in links.hrefs if h.startswith("#")):
        assert f'id="{anchor}"' in page, anchor


def test_the_same_portfolio_again_is_up_to_date(portfolio):
    reports, first = portfolio
    assert first.returncode == 0, first.stderr
    again = briefing(reports, *ARGS)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert [line.split(" (")[0] for line in lines] == ["up to date: same as v1"] * 4
    assert [line.split("(")[1].split(",")[0] for line in lines] == [
        f"{s} {e}" for s in PAIRS for e in EDITIONS
    ]


def test_a_failing_edition_is_reported_and_the_others_publish(tmp_path):
    """A notebook that raises for one pair only: that pair's editions fail, by name;
    the other pair's publish, and nothing of the failed ones is left but _failed/."""
    import nbformat

    from helpers.cli import result_line
    from helpers.publishing.build import BuildRequest
    from helpers.publishing.series import build_requests, plan_builds

    failing = Path(__file__).parents[1] / "fixtures" / "notebooks_failing" / "briefing.ipynb"
    source = nbformat.read(failing, as_version=4)
    params = next(c for c in source.cells if "parameters" in c.metadata.get("tags", []))
    nb = nbformat.v4.new_notebook(metadata=source.metadata)
    raising = 'if focus == "PAK":\n    raise RuntimeError("no briefing for PAK today")'
    nb.cells = [params, nbformat.v4.new_code_cell(raising), nbformat.v4.new_code_cell("1 + 1")]
    folder = tmp_path / "nb"
    folder.mkdir()
    nbformat.write(nb, folder / "briefing.ipynb")
    reports = tmp_path / "reports"
    request = BuildRequest(
        start_date="2025-04-01", end_date="2025-05-31", reports_dir=reports,
        notebooks=("briefing",), notebooks_dir=folder,
    )  # fmt: skip
    plan = plan_builds(request, "month", [("PAK", "AFG"), ("IND", "AFG")])
    results = build_requests(plan, jobs=2)
    assert [(r.status, r.series, r.edition) for r in results] == [
        ("failed", "pak-afg", EDITIONS[0]),
        ("failed", "pak-afg", EDITIONS[1]),
        ("built", "ind-afg", EDITIONS[0]),
        ("built", "ind-afg", EDITIONS[1]),
    ]
    for r in results[:2]:
        assert "RuntimeError: no briefing for PAK today" in r.error
        assert result_line(r).startswith(f"failed pak-afg {r.edition}: notebook briefing.ipynb")
    assert not list(reports.glob("pak-afg/*/v*"))
    assert not list(reports.glob("*/*/.staging-*"))
    assert sorted(p.parent.name for p in reports.glob("ind-afg/*/v1")) == list(EDITIONS)
    index = json.loads((reports / "index.json").read_text())
    assert [s["series"] for s in index["series"]] == ["ind-afg"]
