"""Tests for helpers.presentation.timeline_charts: what the returned Figures actually draw.

Most use the timeline fixture described at the top of tests/analysis/test_timeline.py; the
density test generates 1000 synthetic events.
"""

from __future__ import annotations

import random

import matplotlib.dates as mdates
import pandas as pd
import pytest
from conftest import FIXTURES
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from helpers.analysis import timeline
from helpers.data.context import prepare
from helpers.presentation import timeline_charts
from helpers.presentation.display import figure_png

HEADER = (FIXTURES / "timeline" / "engagements.csv").read_text(encoding="utf-8").splitlines()[0]


@pytest.fixture
def fixture_ctx(make_package):
    pkg = make_package("timeline")

    def make(start: str, end: str):
        return prepare(start, end, "IND", "AFG", str(pkg))

    return make


def visible_texts(fig) -> list[str]:
    """Every non-empty visible text of a figure after drawing it (tick labels included)."""
    figure_png(fig, dpi=50)  # draw, so that tick labels exist
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def by_gid(fig, kind, gid):
    found = [a for a in fig.axes[0].findobj(kind) if a.get_gid() == gid]
    assert len(found) == 1, f"expected one {kind.__name__} with gid {gid}, found {len(found)}"
    return found[0]


def num(day: str) -> float:
    return mdates.date2num(pd.Timestamp(day))


# --- chronology ------------------------------------------------------------------------


def test_one_lane_per_relationship(fixture_ctx):
    # Jan-May 2025 fixture: IND-AFG, IND-PAK, IND-attackers, CHN-AFG, IRN-AFG (see
    # test_timeline.test_chronology_lanes_marks_and_numbers for the order).
    fig = timeline_charts.chronology_chart(
        timeline.chronology(fixture_ctx("2025-01-01", "2025-05-31"))
    )
    labels = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_yticklabels()]
    assert labels == [
        "India – Afghanistan",
        "India – Pakistan",
        "India – Perpetrators of the Pahalgam attack",
        "China – Afghanistan",
        "Iran – Afghanistan",
    ]


def test_scheduled_event_is_hollow_and_occurred_is_filled(fixture_ctx):
    fig = timeline_charts.chronology_chart(
        timeline.chronology(fixture_ctx("2025-01-01", "2025-05-31"))
    )
    scheduled = by_gid(fig, Line2D, "fx-china-visit-scheduled")
    assert scheduled.get_markerfacecolor() == "none"
    assert by_gid(fig, Rectangle, "fx-china-visit-scheduled").get_facecolor()[3] == 0  # no fill
    held = by_gid(fig, Line2D, "fx-minister-call")
    assert held.get_markerfacecolor() != "none"
    # A phone call is a square, a visit a triangle.
    assert held.get_marker() == timeline_charts.MARKERS["phone_call"] == "s"
    assert scheduled.get_marker() == timeline_charts.MARKERS["visit"] == "^"


def test_colour_follows_goldstein(fixture_ctx):
    fig = timeline_charts.chronology_chart(
        timeline.chronology(fixture_ctx("2025-01-01", "2025-05-31"))
    )
    # The accusation (-2.0) is on the red side of RdBu, the meeting (+2.5) on the blue.
    red, _, blue, _ = by_gid(fig, Line2D, "fx-pak-accusation").get_markerfacecolor()
    assert red > blue
    red, _, blue, _ = by_gid(fig, Line2D, "fx-secretary-meeting").get_markerfacecolor()
    assert blue > red
    assert any("Goldstein" in ax.get_xlabel() for ax in fig.axes[1:])


def test_month_precision_event_is_a_bar_over_its_month(fixture_ctx):
    fig = timeline_charts.chronology_chart(
        timeline.chronology(fixture_ctx("2025-01-01", "2025-05-31"))
    )
    bar = by_gid(fig, Rectangle, "fx-month-statement")
    x0, x1 = bar.get_x(), bar.get_x() + bar.get_width()
    # Inset by well under a day at each end, so it covers February and nothing else.
    assert num("2025-02-01") <= x0 < num("2025-02-02")
    assert num("2025-02-28") < x1 <= num("2025-03-01")
    # Its marker sits inside the month, not on its first day.
    (mx,) = by_gid(fig, Line2D, "fx-month-statement").get_xdata()
    assert num("2025-02-10") < mdates.date2num(mx) < num("2025-02-20")


def test_day_precision_event_is_a_point_not_a_bar(fixture_ctx):
    fig = timeline_charts.chronology_chart(
        timeline.chronology(fixture_ctx("2025-01-01", "2025-05-31"))
    )
    assert not [r for r in fig.axes[0].findobj(Rectangle) if r.get_gid() == "fx-minister-call"]
    (mx,) = by_gid(fig, Line2D, "fx-minister-call").get_xdata()
    assert pd.Timestamp(mx).date() == pd.Timestamp("2025-05-15").date()


def test_incident_is_marked_across_all_lanes(fixture_ctx):
    fig = timeline_charts.chronology_chart(
        timeline.chronology(fixture_ctx("2025-01-01", "2025-05-31"))
    )
    ax = fig.axes[0]
    noon = num("2025-04-22 12:00")
    # axvline: x fixed in data, y from the bottom (0) to the top (1) of the axes.
    full = [
        ln
        for ln in ax.get_lines()
        if list(ln.get_ydata()) == [0, 1]
        and all(abs(mdates.date2num(x) - noon) < 1e-6 for x in ln.get_xdata())
    ]
    assert len(full) == 1
    # Its number in the event table (8) is written above the axes.
    assert "8" in [t.get_text() for t in ax.texts]


def test_milestones_are_numbered(fixture_ctx):
    fig = timeline_charts.chronology_chart(
        timeline.chronology(fixture_ctx("2025-01-01", "2025-05-31"))
    )
    # Secretary meeting 2, Iran visit 3, minister call 10 (curated milestones); attack 8.
    numbers = {t.get_text() for t in fig.axes[0].texts}
    assert numbers == {"2", "3", "8", "10"}


def test_empty_window_says_so(fixture_ctx):
    fig = timeline_charts.chronology_chart(
        timeline.chronology(fixture_ctx("2030-01-01", "2030-12-31"))
    )
    assert "No engagements are recorded for 1 January – 31 December 2030." in visible_texts(fig)


def test_single_event_window_draws_it(fixture_ctx):
    ctx = fixture_ctx("2025-04-22", "2025-04-22")
    fig = timeline_charts.chronology_chart(timeline.chronology(ctx))
    # The attack, and the 2025 talks that may fall on the day (loose, clipped bar).
    assert len(fig.axes[0].get_yticklabels()) == 2
    by_gid(fig, Line2D, "fx-attack")
    talks = by_gid(fig, Rectangle, "fx-year-talks")
    assert talks.get_hatch() == "////"
    assert (
        num("2025-04-22") <= talks.get_x() < talks.get_x() + talks.get_width() <= num("2025-04-23")
    )


def synthetic_engagements(n: int = 1000, seed: int = 7) -> str:
    """``n`` valid random events over 2025 among many stakeholders."""
    rng = random.Random(seed)
    sides = ["IND", "JAISHANKAR", "AFG", "MUTTAQI", "PAK", "IRN", "CHN", "UN", "WEST", "TTP"]
    sides += ["IND_CRITICS", "PAHALGAM_ATTACKERS"]
    kinds = [
        ("meeting", "040"),
        ("phone_call", "041"),
        ("visit", "042"),
        ("statement", "010"),
        ("statement", "111"),
        ("aid", "073"),
        ("security_incident", "180"),
        ("agreement", "057"),
    ]
    levels = ["leader", "minister", "secretary", "senior_official", "envoy", "institution"]
    rows = []
    for i in range(n):
        a, b = rng.sample(sides, 2)
        # Half the events between India and Afghanistan, so that lane is dense.
        if i % 2 == 0:
            a, b = rng.choice(["IND", "JAISHANKAR"]), rng.choice(["AFG", "MUTTAQI"])
        kind, code = rng.choice(kinds)
        day = pd.Timestamp("2025-01-01") + pd.Timedelta(days=rng.randrange(365))
        precision = "month" if i % 5 == 0 else "day"
        if precision == "month":
            day = day.replace(day=1)
        status = "scheduled" if i % 11 == 0 else "occurred"
        milestone = "Highest-level contact since August 2021" if i % 9 == 0 else ""
        level = rng.choice(levels)  # both sides alike: one draw, as before
        rows.append(
            f"syn-{i},{day:%Y-%m-%d},{precision},,{status},,{kind},{code},{a},{b},,"
            f"{level},{level},trade,Synthetic event {i}.,{milestone},"
            "muttaqi-call-report,low,"
        )
    return "\n".join([HEADER, *rows]) + "\n"


def test_thousand_events_stay_legible(make_package):
    pkg = make_package(engagements=synthetic_engagements())
    ctx = prepare("2025-01-01", "2025-12-31", "IND", "AFG", str(pkg))
    assert len(ctx.events) == 1000
    chron = timeline.chronology(ctx)
    fig = timeline_charts.chronology_chart(chron)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # 12 stakeholders give far more than MAX_LANES relationships: the rest are merged.
    assert len(labels) == timeline.MAX_LANES
    assert labels[-1] == "Other relationships\n(per month)"
    # ~500 India-Afghanistan events: drawn as counts per month, not 500 markers.
    assert labels[0] == "India – Afghanistan\n(per month)"
    assert len(fig.axes[0].get_lines()) < 300
    texts = visible_texts(fig)
    # Lane labels, ticks, legend, colour bar, at most MAX_KEYS numbers and 12 counts
    # per aggregated lane: bounded whatever the number of events.
    assert len(texts) < 9 * 12 + timeline.MAX_KEYS + 60
    # One kind in eight is a security incident, ~125 of them: far more than
    # MAX_INCIDENT_LINES, so they are ticks on top, not lines across every lane.
    assert chron.incident_mode == "rug"
    assert not [ln for ln in fig.axes[0].get_lines() if list(ln.get_ydata()) == [0, 1]]
    # The ticks are one artist with a path per incident, not a patch each.
    rugs = [c for c in fig.axes[0].collections if c.get_gid() == "incident-rug"]
    assert len(rugs) == 1 and len(rugs[0].get_paths()) == len(chron.incidents) > 100
    # Each tick is centred on its incident's interval, at least 0.3% of the window wide
    # (a day here is 0.27%), and inside the strip above the lanes (negative y).
    for path, inc in zip(rugs[0].get_paths(), chron.incidents.itertuples()):
        (left, low), (right, high) = path.vertices.min(axis=0), path.vertices.max(axis=0)
        middle = mdates.date2num(inc.x0 + (inc.x1 - inc.x0) / 2)
        assert (left + right) / 2 == pytest.approx(middle)
        assert right - left >= max(365 * 0.003, (inc.x1 - inc.x0).days) - 1e-9
        assert -timeline_charts.RUG_ROWS < low < high < 0
    assert not fig.axes[0].patches or len(fig.axes[0].patches) < 200
    # Event numbers are bold (monthly counts are not); merged ones read "3, 4".
    numbers = [
        n
        for t in fig.axes[0].texts
        if t.get_fontweight() == "bold"
        for n in t.get_text().split(", ")
    ]
    assert 0 < len(numbers) <= timeline.MAX_KEYS


# --- seniority ladder and topic heat map ------------------------------------------------


def test_seniority_chart_places_each_month_at_its_level(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    fig = timeline_charts.seniority_chart(
        timeline.seniority_by_month(ctx), ctx.window, timeline.highest_contact(ctx)
    )
    # Levels top to bottom: leader 0, minister 1, secretary 2, senior official 3, ...
    # Contacts: Jan secretary (2), Apr senior official (3), May minister (1).
    dots = by_gid(fig, Line2D, "contact-months")
    assert list(dots.get_ydata()) == [2, 3, 1]
    assert [pd.Timestamp(x).month for x in dots.get_xdata()] == [1, 4, 5]
    # Feb and Mar: no contact, on the bottom row (6).
    none = by_gid(fig, Line2D, "no-contact-months")
    assert list(none.get_ydata()) == [6, 6]
    assert any("since the record begins in August 2021" in t for t in visible_texts(fig))


def test_seniority_chart_without_contact_says_so(fixture_ctx):
    ctx = fixture_ctx("2025-02-01", "2025-03-31")
    fig = timeline_charts.seniority_chart(timeline.seniority_by_month(ctx), ctx.window)
    assert "No contact between the two sides can be placed in 1 February – 31 March 2025." in (
        visible_texts(fig)
    )


def test_topic_heatmap_rows_and_counts(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    fig = timeline_charts.topic_heatmap(timeline.topic_months(ctx), ctx.window)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "trade",
        "counterterrorism",
        "security",
        "visas",
    ]
    # Five non-zero cells (trade Feb and May, counterterrorism Apr, security Apr, visas
    # May), each with one event.
    assert sorted(t.get_text() for t in ax.texts) == ["1"] * 5


def test_topic_heatmap_empty(fixture_ctx):
    ctx = fixture_ctx("2030-01-01", "2030-12-31")
    fig = timeline_charts.topic_heatmap(timeline.topic_months(ctx), ctx.window)
    assert any(t.startswith("No topics are recorded") for t in visible_texts(fig))


def test_chronology_caption_says_which_events_are_numbered():
    ctx = prepare("2025-01-01", "2025-05-31", "IND", "AFG", "")
    chron = timeline.chronology(ctx)
    # Numbered on the chart: the Pahalgam attack (9, the incident), the curated
    # milestones Araghchi's visit (2) and Dubai (3), and the call (10, the most senior
    # contact and a milestone): 4 of the table's 13 events. (China's acceptance of the
    # ambassador, dated 2022-02 to 2025-02-28, reaches outside the period: not numbered.)
    assert timeline.chart_numbers(chron) == [2, 3, 9, 10]
    fig = timeline_charts.chronology_chart(chron)
    written = sorted(int(t.get_text()) for t in fig.findobj(Text) if t.get_text().isdigit()
                     and t.get_fontweight() == "bold")  # fmt: skip
    assert written == [2, 3, 9, 10]
    caption = timeline_charts.chronology_caption(chron)
    assert caption.startswith(timeline_charts.CHRONOLOGY_CAPTION)
    assert caption.endswith(
        "Numbered: security incidents, curated milestones and the most senior contact; "
        "these 4 events carry their numbers in the event table."
    )
    # The old caption promised numbers for every event in the table.
    assert "Numbers refer to the event table" not in caption
