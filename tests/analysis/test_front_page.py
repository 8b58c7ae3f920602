"""Page one's sentences, on the fixture tests/fixtures/briefing (worked out by hand).

The fixture's events in date order (numbers in the first quarter of 2025's event table):
1 fx-aid (India's aid, June 2024 - 31 January 2025), 2 fx-jan-meeting (Misri and Muttaqi
in Dubai, January, secretary), 3 fx-jan-praise (15 January), 4 fx-feb-recognition (China
and Afghanistan, February), 5 fx-mar-condemn (March), 6 fx-mar-attack (5 March); before
the quarter, fx-dec-call (10 December 2024, secretary); after it, fx-apr-visit
(scheduled, April 2025). The record ends on 31 March 2025.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.analysis import front_page as fp
from helpers.analysis.partners import partners
from helpers.analysis.trend import trend_call
from helpers.data.context import prepare
from helpers.data.settings import Settings


@pytest.fixture
def q1(ctx_of):
    return ctx_of("2025-01-01", "2025-03-31")


def test_header_names_issuer_marking_date_and_edition(q1, monkeypatch):
    # 1748649600 s after the epoch is 31 May 2025, 00:00 UTC (150 days after 1 January).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748649600")
    assert fp.header(q1, Settings("South Asia Desk", "Internal")) == [
        "South Asia Desk",
        "Distribution: Internal",
        "India and Afghanistan: engagement briefing",
        "Issued 31 May 2025 · Quarterly edition",
        "Period: 1 January – 31 March 2025",
    ]
    assert fp.header(q1, Settings(), "Spring review")[2] == "Spring review"


def test_edition_text(ctx_of):
    assert fp.edition_text(ctx_of("2025-02-01", "2025-02-28")) == "Monthly edition"
    assert fp.edition_text(ctx_of("2025-01-01", "2025-12-31")) == "Annual edition"
    assert fp.edition_text(ctx_of("2025-01-10", "2025-02-20")) == "Custom-period edition"


def test_summary_most_significant_first(q1):
    # Seniority: the only India-Afghanistan contact of the quarter is the Dubai meeting
    # (secretary); the last contact as senior before it is the call of 10 December 2024.
    # Security: the attack of 5 March touches India; Afghanistan's condemnation (March,
    # shares the topic 'security', ends after the attack) answers it; the January praise
    # does not (it ends before). Third parties: China's recognition. Positions dated in the
    # quarter: India +1 (the focus) and the West -1 (against). Trend: the quarter against
    # Q4 2024: secretary both (0), net +13.3 (aid 7.4 + meeting 2.5 + praise 3.4) against
    # +8.4 (aid 7.4 + call 1.0), +4.9 < 5 (0): unchanged.
    lines = fp.summary(q1, trend_call(q1))
    assert lines == [
        (
            "In January 2025, India's Foreign Secretary Vikram Misri and Afghanistan's Acting "
            "Foreign Minister Amir Khan Muttaqi met in Dubai: at secretary level, the most "
            "senior contact between India and Afghanistan since 10 December 2024.",
            ("src-a", "src-c"),
        ),
        (
            "5 March 2025: Synthetic: attackers kill civilians at Pahalgam. March 2025: "
            "Synthetic: Kabul condemns the attack.",
            ("src-b",),
        ),
        (
            "Afghanistan's other relationships: February 2025: Synthetic: China accepts a "
            "Taliban ambassador's credentials.",
            ("src-a",),
        ),
        (
            "Stances on engaging the Taliban (−2 against to +2 for): India (+1): "
            "Synthetic: India keeps talking to Kabul to blunt Pakistan's influence; Western "
            "governments (−1): Synthetic: Western governments keep a tougher line.",
            ("src-b",),
        ),
        (
            "Trend: unchanged. Against 1 October – 31 December 2024: the most senior contact "
            "stayed at secretary level; net cooperation +13.3 against +8.4.",
            (),
        ),
    ]


def test_summary_of_a_month_without_contact_says_so(ctx_of):
    lines = fp.summary(ctx_of("2025-02-01", "2025-02-28"))
    assert lines[0] == (
        "No meeting, phone call, visit, agreement, recognition or accreditation between India and "
        "Afghanistan is recorded in February 2025.",
        (),
    )


def test_summary_beyond_the_record_says_it_cannot_know(ctx_of):
    ctx = ctx_of("2025-04-01", "2025-05-31")
    lines = fp.summary(ctx, trend_call(ctx))
    assert lines == [
        (
            "The record ends on 31 March 2025, before this period begins, so it cannot say "
            "what happened in 1 April – 31 May 2025.",
            (),
        ),
        (
            "Trend: no call. The record ends on 31 March 2025, before this period begins; no "
            "call is made.",
            (),
        ),  # fmt: skip
    ]


def test_recognition_leads_the_summary_of_china_and_afghanistan(ctx_of):
    (first, *_) = fp.summary(ctx_of("2025-02-01", "2025-02-28", "CHN", "AFG"))
    # No earlier China-Afghanistan contact: "since the record begins" in June 2024.
    assert first == (
        "February 2025: Synthetic: China accepts a Taliban ambassador's credentials: at "
        "institution level, the most senior contact between China and Afghanistan since the "
        "record begins in June 2024. Topics raised: recognition.",
        ("src-a",),
    )


def test_since_last_edition_names_the_pairs_new_events_and_counts_the_others(q1, ctx_of):
    # New in the quarter (beginning in it, occurred): meeting, praise, recognition,
    # condemnation, attack = 5. India-Afghanistan's are the meeting and the praise (both
    # named); the other three (China's recognition, the attack, Kabul's condemnation of
    # the attackers) are another pair's or a statement about a third party: counted.
    assert fp.since_last_edition(q1) == [
        (
            "Since the edition for 1 October – 31 December 2024: 2 new events between India "
            "and Afghanistan: the meeting between Vikram Misri and Amir Khan Muttaqi (January "
            "2025) and the statement by Afghanistan on India (15 January 2025). Elsewhere in "
            "the record: 3 new events.",
            ("src-a", "src-c"),
        )
    ]
    # The same quarter for China-Afghanistan: its one new event is the recognition.
    assert fp.since_last_edition(ctx_of("2025-01-01", "2025-03-31", "CHN", "AFG")) == [
        (
            "Since the edition for 1 October – 31 December 2024: 1 new event between China "
            "and Afghanistan: the recognition from China to Afghanistan (February 2025). "
            "Elsewhere in the record: 4 new events.",
            ("src-a",),
        )
    ]
    # February for China-Afghanistan: the recognition is the only new event of the
    # record, so the pair need not be named.
    assert fp.since_last_edition(ctx_of("2025-02-01", "2025-02-28", "CHN", "AFG")) == [
        (
            "Since the edition for January 2025: 1 new event: the recognition from China to "
            "Afghanistan (February 2025).",
            ("src-a",),
        )
    ]
    # March for China-Afghanistan: the attack and the condemnation are new, neither the
    # pair's.
    assert fp.since_last_edition(ctx_of("2025-03-01", "2025-03-31", "CHN", "AFG")) == [
        (
            "Since the edition for February 2025: nothing new between China and Afghanistan "
            "is recorded. Elsewhere in the record: 2 new events.",
            (),
        )
    ]


@pytest.mark.parametrize(
    ("pair", "start", "end", "line"),
    [
        # data/engagements.csv, May 2025: new and occurred are the Pakistani military's
        # claim against India, the Taliban's rejection of it (Afghanistan-Pakistan) and
        # the Jaishankar-Muttaqi call; Muttaqi's visit to China is only scheduled, and the
        # events dated to the year 2025 cannot be placed in the month.
        (
            "PAK:AFG",
            "2025-05-01",
            "2025-05-31",
            (
                "Since the edition for April 2025: 1 new event between Pakistan and "
                "Afghanistan: the statement by Afghanistan on Pakistan (May 2025). Elsewhere "
                "in the record: 2 new events.",
                ("muttaqi-call-report",),
            ),
        ),
        # April 2025: the Pahalgam attack, India's accusation of Pakistan, the Taliban's
        # condemnation and Prakash's visit to Kabul; none between China and Afghanistan.
        (
            "CHN:AFG",
            "2025-04-01",
            "2025-04-30",
            (
                "Since the edition for March 2025: nothing new between China and Afghanistan "
                "is recorded. Elsewhere in the record: 4 new events.",
                (),
            ),
        ),
    ],
)
def test_since_last_edition_of_another_pair_on_the_record(pair, start, end, line):
    focus, counterpart = pair.split(":")
    assert fp.since_last_edition(prepare(start, end, focus, counterpart)) == [line]


def test_since_last_edition_when_the_edition_before_had_nothing(ctx_of):
    # October 2024 holds only the aid span, under way since June.
    assert fp.since_last_edition(ctx_of("2024-11-01", "2024-11-30")) == [
        (
            "Nothing is recorded in the previous edition's period (October 2024): all here is new.",
            (),
        )
    ]


def test_first_edition_says_so(ctx_of):
    # The record begins in June 2024: May 2024's edition has no edition before it.
    assert fp.since_last_edition(ctx_of("2024-05-01", "2024-05-31")) == [
        ("This is the first edition: the record holds nothing before this period.", ())
    ]


def test_since_last_edition_beyond_the_record_and_in_a_quiet_month(ctx_of):
    assert fp.since_last_edition(ctx_of("2025-05-01", "2025-05-31")) == [
        ("Since the edition for April 2025: nothing, as the record ends on 31 March 2025.", ())
    ]
    # December 2024 against November, which holds only the aid span under way since June.
    assert fp.since_last_edition(ctx_of("2024-12-01", "2024-12-31")) == [
        (
            "Nothing is recorded in the previous edition's period (November 2024): "
            "all here is new.",
            (),
        )
    ]
    # January 2025 against December 2024 (the call of 10 December): the meeting and the
    # praise are new; both are named (two at most).
    assert fp.since_last_edition(ctx_of("2025-01-01", "2025-01-31"))[0][0] == (
        "Since the edition for December 2024: 2 new events: the meeting between Vikram Misri "
        "and Amir Khan Muttaqi (January 2025) and the statement by Afghanistan on India "
        "(15 January 2025)."
    )


def test_what_to_watch_lists_scheduled_events_after_the_period(q1, ctx_of):
    assert fp.what_to_watch(q1) == [
        ("April 2025: Synthetic: Muttaqi is due in Beijing.", ("src-a",))
    ]
    # In April's own edition the visit is due inside the period, outcome unknown.
    assert fp.what_to_watch(ctx_of("2025-04-01", "2025-04-30")) == [
        (
            "April 2025: Synthetic: Muttaqi is due in Beijing. The record does not say "
            "whether it took place.",
            ("src-a",),
        )
    ]
    assert fp.what_to_watch(ctx_of("2025-05-01", "2025-05-31")) == [
        ("No scheduled event after the period is recorded.", ())
    ]


def test_what_to_watch_drops_an_announcement_once_it_is_held(held_visit_package):
    # The timeline fixture's one scheduled row: Muttaqi due in Beijing in May 2025 (month
    # precision, so it may fall as late as 31 May), plus the visit held on 20 May, whose
    # ``fulfils`` names it. To 10 May it has not been held yet: still to watch. To 25 May
    # (and to 31 May) the record holds the visit itself, so the announcement is not listed,
    # and not said to have an unknown outcome either.
    def watch(end):
        return fp.what_to_watch(prepare("2025-05-01", end, data_dir=held_visit_package))

    assert watch("2025-05-10") == [
        ("May 2025: Synthetic: Muttaqi is due in Beijing in May.", ("muttaqi-call-report",))
    ]
    nothing = [("No scheduled event after the period is recorded.", ())]
    assert watch("2025-05-25") == nothing
    assert watch("2025-05-31") == nothing


JUDGEMENT = {
    "judgement_id": "j1",
    "focus": "IND",
    "counterpart": "AFG",
    "as_of": pd.Timestamp("2025-03-31"),
    "statement": "Kabul will keep talking to New Delhi.",
    "likelihood": "likely",
    "confidence": "moderate",
    "evidence_list": ("fx-jan-meeting", "fx-jan-praise", "fx-dec-call"),
    "indicators": "A further meeting would raise it.",
    "status": "revised",
    "previous_likelihood": "realistic possibility",
    "previous_confidence": "low",
}


def test_judgement_with_numbered_evidence_and_its_revision(q1):
    # Evidence: the meeting and the praise are events 2 and 3 of the quarter's table; the
    # December call is before the quarter and named in words.
    lines = fp.judgement_lines(q1, pd.DataFrame([JUDGEMENT]))
    assert lines == [
        (
            "Kabul will keep talking to New Delhi. Likelihood: likely; confidence: moderate. "
            "Evidence: events 2 and 3; the phone call between Vikram Misri and Amir Khan "
            "Muttaqi (10 December 2024). Revised since the last edition "
            "(was realistic possibility, low confidence).",
            ("src-a", "src-c", "src-b"),
        )
    ]
    assert fp.indicator_lines(pd.DataFrame([JUDGEMENT])) == [
        ("Indicator: A further meeting would raise it.", ())
    ]


def test_a_new_judgement_with_one_event(q1):
    row = JUDGEMENT | {"evidence_list": ("fx-feb-recognition",), "status": "new"}
    ((text, ids),) = fp.judgement_lines(q1, pd.DataFrame([row]))
    assert text.endswith("Evidence: event 4. New since the last edition.")
    assert ids == ("src-a",)


def test_no_judgements_table_gives_no_judgements(q1):
    assert fp.judgements_in_force(q1).empty
    assert fp.judgement_lines(q1, fp.judgements_in_force(q1)) == []


def test_version_line():
    assert fp.version_line(1, None, None) == "Version 1 is the first version of this edition."
    changes = {"added": ["a"], "changed": {"b": ["summary"], "c": ["date"]}, "removed": []}
    assert fp.version_line(3, 2, changes) == (
        "Version 3: since version 2, events of the period: 1 added, 2 changed and none "
        "removed (listed under 'Since the last version' at the end)."
    )
    nothing = {"added": [], "changed": {}, "removed": []}
    assert fp.version_line(2, 1, nothing) == (
        "Version 2: no event of the period was added, changed or removed since version 1; "
        "other inputs changed."
    )


def test_short_actors_and_loose_line(q1, ctx_of):
    actors = dict(zip(q1.events["event_id"], fp.short_actors(q1, q1.events)))
    assert actors["fx-jan-praise"] == "Afghanistan → India"
    assert actors["fx-jan-meeting"] == "Vikram Misri → Amir Khan Muttaqi"
    assert fp.loose_line(q1) == ""
    # 15 February - 15 March: the month-dated recognition (February) and condemnation
    # (March) cross its edges.
    assert fp.loose_line(ctx_of("2025-02-15", "2025-03-15")) == (
        "2 events are dated too loosely to place in the period, drawn hatched on the chart "
        "and not counted: the recognition from China to Afghanistan (February 2025) and the "
        "statement by Afghanistan on Perpetrators of the Pahalgam attack (March 2025)."
    )


def test_partners_keep_statements_apart_from_contacts(q1):
    # Afghanistan in the quarter: India - the meeting (contact), the aid (other act), the
    # praise (statement); China - the recognition (contact); the attackers - only the
    # condemnation, a statement about them, never a contact.
    got = partners(q1)[["name", "contacts", "acts", "statements"]].values.tolist()
    assert got == [
        ["India", 1, 1, 1],
        ["China", 1, 0, 0],
        ["Perpetrators of the Pahalgam attack", 0, 0, 1],
    ]


SEEDS = Path("/work/shared/seeds")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are kept outside the repository")
def test_page_one_shares_no_eight_word_run_with_the_articles():
    """Page one of the default briefing, the module's own words and the curated text it
    carries (the data's summaries and rationales) alike, shares no run of eight words with
    the articles."""
    import re

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))

    runs = set()
    for f in SEEDS.glob("*.txt"):
        w = words(f.read_text(encoding="utf-8"))
        runs |= {tuple(w[i : i + 8]) for i in range(len(w) - 7)}
    ctx = prepare("2025-01-01", "2025-05-31")
    lines = fp.summary(ctx, trend_call(ctx)) + fp.since_last_edition(ctx) + fp.what_to_watch(ctx)
    w = words(" ".join(t for t, _ in lines))
    assert len(w) > 300  # the whole of page one's prose is checked
    shared = [" ".join(w[i : i + 8]) for i in range(len(w) - 7) if tuple(w[i : i + 8]) in runs]
    assert shared == []


def test_other_contacts_by_name(ctx_of):
    # 1 December 2024 - 31 January 2025: the call of 10 December and the January meeting,
    # both secretary level. The call has no earlier contact at all (the record begins in
    # June 2024 with the aid span, not a contact), so it is the period's headline; the
    # meeting is the other contact, its people named without their offices again.
    ctx = ctx_of("2024-12-01", "2025-01-31")
    assert fp.seniority_line(ctx) == (
        "On 10 December 2024, India's Foreign Secretary Vikram Misri and Afghanistan's "
        "Acting Foreign Minister Amir Khan Muttaqi spoke by phone: at secretary level, the "
        "most senior contact between India and Afghanistan since the record begins in June "
        "2024. Topics raised: trade.",
        ("src-b",),
    )
    assert fp.other_contacts_line(ctx) == (
        "Other contacts: Vikram Misri and Amir Khan Muttaqi met in Dubai in January 2025.",
        ("src-a", "src-c"),
    )


def test_stance_as_of():
    table = pd.DataFrame(
        {"Stance": ["+2 (for)", "−1 (leaning against)"], "As of": ["31 May 2025", "30 April 2025"]}
    )
    assert list(fp.stance_as_of(table)) == [
        "+2 (for), 31 May 2025",
        "−1 (leaning against), 30 April 2025",
    ]


def test_no_contact_beside_a_loosely_dated_one_says_it_may_fall_in_the_period(ctx_of):
    # 15 February - 15 March: China's recognition is dated only to February, so it can be
    # neither placed in the period nor ruled out: never a bare "no contact" beside it.
    ctx = ctx_of("2025-02-15", "2025-03-15", "CHN", "AFG")
    assert fp.summary(ctx)[0] == (
        "No meeting, phone call, visit, agreement, recognition or accreditation between China "
        "and Afghanistan can be placed in 15 February – 15 March 2025, but one is dated too "
        "loosely to rule out: Synthetic: China accepts a Taliban ambassador's credentials "
        "(February 2025).",
        ("src-a",),
    )


def test_dates_at_their_precision():
    T = pd.Timestamp
    interval = {"date": T("2022-02-01"), "date_precision": "interval", "end_date": T("2025-02-28")}
    span = {"date": T("2021-08-01"), "date_precision": "month", "end_date": T("2025-03-10")}
    day = {"date": T("2025-04-22"), "date_precision": "day", "end_date": pd.NaT}
    assert fp.when(interval) == "between 1 February 2022 and 28 February 2025"
    assert fp.when(span) == "in August 2021 – 10 March 2025"
    assert fp.when(day) == "on 22 April 2025"
