"""The signals annex's tables and sentences, worked out by hand from a few coded rows.

The curated record is the project's own (data/), India and Afghanistan: in the default
period (1 January – 31 May 2025; compared with 3 August – 31 December 2024) it holds
five events between the two sides (see ``CURATED``); in June 2025 it holds none.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis import signals_annex as sa
from helpers.data.context import prepare

NAN = float("nan")
PERIOD = "1 January – 31 May 2025"
BEFORE = "3 August – 31 December 2024"

# The curated events between India and Afghanistan in the default period, with their
# dates (an interval for the aid) and CAMEO codes, from data/engagements.csv.
CURATED = [
    ("india-humanitarian-aid", "August 2021 – 22 April 2025", "073"),
    ("dubai-misri-muttaqi", "January 2025", "044"),
    ("taliban-praise-india", "January 2025", "051"),
    ("prakash-kabul-visit", "April 2025", "042"),
    ("jaishankar-muttaqi-call", "May 2025", "041"),
]

# dataset, id, date, actor1, actor2, CAMEO, quad, Goldstein, tone, url, publisher, story
ROWS = [
    ("gdelt", "g1", "2025-05-02", "IND", "AFG", "040", 1, 1.0, 2.0, "https://e.org/1", None, None),
    ("gdelt", "g2", "2025-05-02", "MUTTAQI", "JAISHANKAR", "042", 1, 1.9, 1.0, "https://e.org/2",
     None, None),
    ("gdelt", "g3", "2025-05-20", "IND", "AFG", "190", 4, -10.0, -5.0, "https://e.org/3", None,
     None),
    ("gdelt", "g4", "2024-12-30", "IND", "AFG", "051", 1, 3.4, 0.5, "https://e.org/4", None, None),
    ("gdelt", "x1", "2025-05-02", "IND", "PAK", "040", 1, 1.0, 0.0, "https://e.org/x", None, None),
    ("icews", "i1", "2025-02-10", "IND", "AFG", "111", 3, -2.0, NAN, None, "Example Times", "77"),
    ("icews", "i2", "2025-02-10", "IND", "AFG", "112", 3, -2.0, NAN, None, "Example Times", "78"),
    ("plover", "p1", "2025-06-02", "IND", "AFG", "040", 1, NAN, NAN, None, "Example Wire", None),
]  # fmt: skip


def coded(rows=ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(
        [(d, day, a1, a2, c, c[:2], q, g, t, i, u, p, s)
         for d, i, day, a1, a2, c, q, g, t, u, p, s in rows],
        columns=sa.COLUMNS + sa.SOURCE_COLUMNS,
    )  # fmt: skip
    frame["date"] = pd.to_datetime(frame["date"]).dt.date  # as read from Parquet
    return frame


@pytest.fixture(scope="module")
def default_ctx():
    return prepare("2025-01-01", "2025-05-31", "IND", "AFG", "")


@pytest.fixture(scope="module")
def sig(default_ctx):
    return sa.signals_of(default_ctx, coded())


@pytest.fixture(scope="module")
def june():
    """June 2025 (compared with May), with two more GDELT rows and one ICEWS row."""
    extra = [
        ("gdelt", "g5", "2025-06-10", "IND", "AFG", "040", 1, 1.0, 1.0, "https://e.org/5", None,
         None),
        ("gdelt", "g6", "2025-06-10", "AFG", "IND", "040", 1, 1.0, 1.0, "https://e.org/6", None,
         None),
        ("icews", "i3", "2025-06-10", "IND", "AFG", "040", 1, 1.0, NAN, None, "Example Wire", "90"),
    ]  # fmt: skip
    return sa.signals_of(prepare("2025-06-01", "2025-06-30", "IND", "AFG", ""), coded(ROWS + extra))


def test_the_curated_events_of_the_period(sig):
    assert list(sig.curated["event_id"]) == [e for e, _, _ in CURATED]


def test_only_the_two_sides_and_every_dataset_near_the_period(sig):
    # x1 is India-Pakistan; g2 is Muttaqi -> Jaishankar, rolled up to AFG -> IND.
    assert sorted(sig.dyad["event_id"]) == ["g1", "g2", "g3", "g4", "i1", "i2", "p1"]
    assert sig.datasets == ["gdelt", "icews", "plover"]


def test_total_sentences_per_dataset(sig):
    # GDELT: g1 g2 g3 in the period, g4 (30 December 2024) before; ICEWS i1 i2; PLOVER's
    # p1 (2 June) is after the period.
    assert sa.totals(sig) == [
        f"GDELT: 3 machine-coded events between the two sides, {PERIOD}, against 1 "
        f"machine-coded event in the comparison period, {BEFORE}.",
        f"ICEWS: 2 machine-coded events between the two sides, {PERIOD}, against no "
        f"machine-coded events in the comparison period, {BEFORE}.",
        f"PLOVER/POLECAT: no machine-coded events between the two sides, {PERIOD}, against "
        f"no machine-coded events in the comparison period, {BEFORE}.",
    ]


def test_no_coded_events_says_so(default_ctx):
    empty = sa.signals_of(default_ctx, coded([]))
    assert sa.totals(empty) == [
        "The data package holds no machine-coded event dated in the period or the "
        "comparison period."
    ]
    assert sa.briefing_lines(empty) == []
    assert sa.monthly_table(empty).empty and sa.cooperation_table(empty).empty


def test_curated_sentence():
    assert sa.curated_sentence(5) == (
        "The curated record holds 5 events between the two sides in the period; curated "
        "and machine-coded events are counted apart and never added together."
    )
    assert sa.curated_sentence(0).startswith("The curated record holds no event between")


def test_monthly_table_lists_every_month_of_both_periods(sig):
    table = sa.monthly_table(sig)
    # 5 months before (August - December 2024) and 5 in the period, for each dataset.
    assert len(table) == 30
    gdelt = table[table["dataset"] == "GDELT"].set_index("month")
    quads = ["verbal cooperation", "material cooperation", "verbal conflict",
             "material conflict", "total"]  # fmt: skip
    assert gdelt.loc["December 2024", quads].tolist() == [1, 0, 0, 0, 1]  # g4
    assert gdelt.loc["December 2024", "period"] == "comparison"
    assert gdelt.loc["May 2025", quads].tolist() == [2, 0, 0, 1, 3]  # g1 g2 | g3
    icews = table[table["dataset"] == "ICEWS"].set_index("month")
    assert icews.loc["February 2025", quads].tolist() == [0, 0, 2, 0, 2]  # i1 i2
    assert table["total"].sum() == 6  # the period's 5 and g4; p1 is in neither


def test_cooperation_sentences(sig):
    # GDELT now: 1.0 + 1.9 - 10.0 = -7.1 over 3; before: g4, 3.4. ICEWS: -2 - 2 = -4.0.
    assert sa.cooperation_sentences(sig) == [
        "GDELT: net cooperation −7.1 over 3 machine-coded events in the period, against "
        "3.4 over 1 machine-coded event in the comparison period.",
        "ICEWS: net cooperation −4.0 over 2 machine-coded events in the period, against "
        "0.0 over no machine-coded events in the comparison period.",
        "PLOVER/POLECAT: net cooperation 0.0 over no machine-coded events in the period, "
        "against 0.0 over no machine-coded events in the comparison period.",
    ]


def test_cooperation_table(sig):
    rows = sa.cooperation_table(sig).to_dict("records")
    # GDELT in the period: mean Goldstein -7.1 / 3 = -2.37, mean tone (2 + 1 - 5) / 3 =
    # -0.67; ICEWS gives no tone.
    assert rows[0] == {"dataset": "GDELT", "period": "comparison", "events": "1",
                       "net": "3.4", "mean": "3.40", "tone": "0.50"}  # fmt: skip
    assert rows[1] == {"dataset": "GDELT", "period": "period", "events": "3",
                       "net": "−7.1", "mean": "−2.37", "tone": "−0.67"}  # fmt: skip
    assert rows[3]["tone"] == "–" and rows[2]["net"] == "–"  # ICEWS: no tone; none before


def test_corroboration_within_three_days_and_the_same_root(sig):
    table = sa.corroboration_table(sig)
    got = list(zip(table["cameo_code"], table["gdelt"], table["icews"], table["plover"],
                   table["corroborated"]))  # fmt: skip
    assert got == [
        ("073", 0, 0, 0, "no"),  # no coded root 07
        ("044", 0, 0, 0, "no"),  # root 04 near January: none (g4 is 05)
        ("051", 1, 0, 0, "yes"),  # g4, 30 December: within 3 days of January, root 05
        ("042", 2, 0, 0, "yes"),  # g1 g2, 2 May: within 3 days of April, root 04
        ("041", 2, 0, 1, "yes"),  # g1 g2 in May; p1, 2 June, within 3 days of 31 May
    ]
    assert list(table["date"]) == [d for _, d, _ in CURATED]
    assert sa.corroboration_columns(sig) == {
        "date": "Date", "summary": "Curated event", "cameo_code": "CAMEO",
        "gdelt": "GDELT matches", "icews": "ICEWS matches",
        "plover": "PLOVER/POLECAT matches", "corroborated": "Corroborated",
    }  # fmt: skip


RULE = (
    "A curated event is corroborated when a machine-coded event on the same pair, within 3 "
    "days of its dates, has the same CAMEO root (first two digits)."
)


def test_corroboration_sentence():
    assert sa.corroboration_sentence(3, 5) == (
        f"3 of the 5 curated events between the two sides in the period are corroborated. {RULE}"
    )
    assert sa.corroboration_sentence(1, 5) == (
        f"1 of the 5 curated events between the two sides in the period is corroborated. {RULE}"
    )
    assert sa.corroboration_sentence(0, 5) == (
        f"None of the 5 curated events between the two sides in the period is corroborated. {RULE}"
    )
    assert sa.corroboration_sentence(1, 1) == (
        f"The one curated event between the two sides in the period is corroborated. {RULE}"
    )
    assert sa.corroboration_sentence(0, 1) == (
        f"The one curated event between the two sides in the period is not corroborated. {RULE}"
    )
    assert sa.corroboration_sentence(0, 0) == (
        "The curated record holds no event between the two sides in the period to corroborate."
    )


def test_no_unreviewed_day_when_curated_events_cover_the_period(sig):
    # Every day from 1 January to 31 May lies in a curated interval: the aid runs to
    # 22 April, the visit covers April and the call May.
    assert sa.unreviewed_table(sig).empty
    assert sa.unreviewed_sentence(0) == (
        "No day of the period has more than 3 times a dataset's daily median of "
        "machine-coded events between the two sides while no curated event may fall on it."
    )


def test_unreviewed_days_in_june_with_their_sources(june):
    # June has no curated event; each dataset's daily median over 30 days is 0, so each
    # day with a coded event spikes: GDELT 10 June (g5 g6), ICEWS 10 June (i3), PLOVER
    # 2 June (p1). ICEWS names publisher and story, POLECAT the publisher only.
    assert sa.unreviewed_table(june).values.tolist() == [
        ["GDELT", "10 June 2025", "2", "0.0", "https://e.org/5; https://e.org/6"],
        ["ICEWS", "10 June 2025", "1", "0.0", "Example Wire, story 90"],
        ["PLOVER/POLECAT", "2 June 2025", "1", "0.0", "Example Wire"],
    ]
    assert sa.median_note(june) == (
        "The daily medians of GDELT, ICEWS and PLOVER/POLECAT are 0 in this period: any "
        "day with a machine-coded event counts as a spike unless a curated event may "
        "fall on it."
    )


def test_unreviewed_sentences():
    assert sa.unreviewed_sentence(3) == (
        "On 3 days of the period (counted per dataset), machine-coded events between the "
        "two sides number more than 3 times the dataset's daily median while no curated "
        "event may fall on them: candidates for the analyst to read, listed with the "
        "sources."
    )
    assert sa.unreviewed_sentence(1) == (
        "On 1 day of the period (counted per dataset), machine-coded events between the "
        "two sides number more than 3 times the dataset's daily median while no curated "
        "event may fall on it: a candidate for the analyst to read, listed with the "
        "sources."
    )


def test_a_day_lists_five_sources_and_counts_the_rest(default_ctx):
    rows = [("gdelt", f"s{k}", "2025-06-10", "IND", "AFG", "040", 1, 1.0, 0.0,
             f"https://e.org/{k}", None, None) for k in range(7)]  # fmt: skip
    june = sa.signals_of(prepare("2025-06-01", "2025-06-30", "IND", "AFG", ""), coded(rows))
    (sources,) = sa.unreviewed_table(june)["sources"]
    assert sources == "; ".join(f"https://e.org/{k}" for k in range(5)) + "; and 2 more"


def test_source_labels():
    rows = pd.DataFrame(
        {
            "source_url": ["https://e.org/a", None, None, None],
            "publisher": [None, "Example Times", "Example Wire", None],
            "story_id": [None, "77", None, None],
        }
    )
    assert sa.source_labels(rows).tolist() == [
        "https://e.org/a", "Example Times, story 77", "Example Wire", "no source given"
    ]  # fmt: skip


def test_median_note_names_only_datasets_with_a_zero_median(default_ctx):
    # GDELT on every day of June: median 1, no note; nothing else.
    rows = [("gdelt", f"d{k}", f"2025-06-{k:02d}", "IND", "AFG", "040", 1, 1.0, 0.0, "u",
             None, None) for k in range(1, 31)]  # fmt: skip
    june = sa.signals_of(prepare("2025-06-01", "2025-06-30", "IND", "AFG", ""), coded(rows))
    assert sa.median_note(june) == ""
    assert sa.median_note(sa.signals_of(june.ctx, coded(rows[:1]))) == (
        "The daily median of GDELT is 0 in this period: any day with a machine-coded event "
        "counts as a spike unless a curated event may fall on it."
    )


def test_caveats_follow_the_datasets(sig, default_ctx):
    lines = sa.caveats(sig)
    assert len(lines) == 6  # three general, GDELT's mentions, no URLs, p1's Goldstein
    assert lines[3].startswith("GDELT's counts of mentions, sources and articles")
    assert lines[4].startswith("ICEWS and POLECAT give no article addresses")
    assert lines[5] == (
        "1 machine-coded event between the two sides near the period has no Goldstein "
        "value and adds nothing to net cooperation."
    )
    only_icews = sa.signals_of(default_ctx, coded([r for r in ROWS if r[0] == "icews"]))
    assert len(sa.caveats(only_icews)) == 4  # no GDELT line, no missing Goldstein
    assert not any("GDELT" in line for line in sa.caveats(only_icews))


def test_briefing_lines(sig):
    assert sa.briefing_lines(sig) == [
        "GDELT: 3 machine-coded events between the two sides in the period.",
        "ICEWS: 2 machine-coded events between the two sides in the period.",
        "PLOVER/POLECAT: no machine-coded events between the two sides in the period.",
        f"3 of the 5 curated events between the two sides in the period are corroborated. {RULE}",
        "The signals annex shows them by month against the comparison period, and the "
        "days of coded activity that no curated event covers.",
    ]


def test_numbers_carry_a_true_minus_and_a_dash_for_none():
    assert sa._number(-3.75) == "−3.8"  # a true minus sign
    assert sa._number(-0.01) == "0.0"  # no "−0.0"
    assert sa._number(NAN) == "–" and sa._number(1234.5) == "1,234.5"


def test_load_signals_reads_only_the_two_sides_rows(make_package, default_ctx):
    import datetime as dt
    from pathlib import Path

    from helpers.data.coded.importer import import_files
    from helpers.data.coded.store import read_window
    from helpers.data.context import select
    from helpers.data.dataset import load_dataset

    folder = make_package()
    fixture = Path(__file__).parents[1] / "fixtures" / "coded" / "gdelt_v2.export.CSV"
    import_files("gdelt", [fixture], folder)
    may = (dt.date(2025, 5, 1), dt.date(2025, 5, 31))
    # Both actors India or Afghanistan: 1001 (IND->AFG) and 1007 (IND->AFG); not 1002,
    # whose source is the Taliban (TALIBAN), nor 1004 (PAK), 1006 (USA), 1009 (PAK).
    both = read_window(folder, *may, ["event_id"], actors={"IND", "AFG"})
    assert sorted(both.column("event_id").to_pylist()) == ["1001", "1007"]
    assert read_window(folder, *may, ["event_id"]).num_rows == 6
    # The annex asks for every actor that rolls up to India or Afghanistan: 1002 too.
    ctx = select(load_dataset(folder), default_ctx.window, "IND", "AFG")
    sig = sa.load_signals(ctx)
    assert sorted(sig.dyad["event_id"]) == ["1001", "1002", "1007"]
    assert sig.datasets == ["gdelt"]
    # The briefing's read leaves the sources out: the same rows, no URL.
    brief = sa.load_signals(ctx, sources=False)
    assert sorted(brief.dyad["date"].dt.day) == [15, 16, 22]  # 1001, 1002, 1007 in May
    assert brief.dyad["source_url"].isna().all()
    assert sig.dyad["source_url"].notna().all()
