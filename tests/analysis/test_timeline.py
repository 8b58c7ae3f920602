"""Tests for helpers.analysis.timeline against the hand-built fixture in tests/fixtures/timeline.

The fixture (engagements only; actors, sources and CAMEO codes come from data/) holds,
with their Goldstein values from data/cameo.csv:

    fx-takeover               2021-08 (month)  TALIBAN              incident 192  -9.5
    fx-aid-span               2021-08 .. 2025-03-10  IND -> AFG      aid 073       +7.4
    fx-envoy-meeting-2023     2023-06-12  PRAKASH -> MUTTAQI  senior_official meeting 040 +1.0
    fx-envoy-meeting-2024     2024-06-20  PRAKASH -> MUTTAQI  senior_official meeting 040 +1.0
    fx-secretary-meeting      2025-01-08  MISRI -> MUTTAQI    secretary  meeting 044  +2.5
    fx-iran-visit             2025-01-20  ARAGHCHI -> AFG     minister   visit 042    +1.9
    fx-secretary-call         2025-01-25  MISRI -> MUTTAQI    secretary  call 041     +1.0
    fx-month-statement        2025-02 (month)  AFG_MFA -> IND   statement 051   +3.4
    fx-pak-accusation         2025-03-05  IND -> PAK          statement 112           -2.0
    fx-senior-visit           2025-04-10  PRAKASH -> MUTTAQI  senior_official visit 042 +1.9
    fx-attack                 2025-04-22  PAHALGAM_ATTACKERS -> IND  incident 180     -9.0
    fx-china-visit-scheduled  2025-05 (month, scheduled)  MUTTAQI -> CHN  visit 042  +1.9
    fx-minister-call          2025-05-15  MUTTAQI -> JAISHANKAR  minister  call 041   +1.0
    fx-year-talks             2025 (year)  MUTTAQI -> YUE     minister  meeting 040   +1.0
    fx-july-accusation        2025-07-14  AFG_MFA -> IND      statement 112           -2.0

People roll up to their state (MISRI, PRAKASH, JAISHANKAR -> IND; MUTTAQI, AFG_MFA ->
AFG; ARAGHCHI -> IRN; YUE -> CHN), so the India-Afghanistan relationship ("IND|AFG")
holds the aid span, both envoy meetings, the secretary meeting and call, the month
statement, the senior visit, the minister call and the July accusation. The record
begins with the takeover, in August 2021.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import FIXTURES

from helpers.analysis import change, intensity, memo, names, seniority, timeline
from helpers.data.context import prepare
from helpers.data.dataset import load_dataset
from helpers.data.periods import Window
from helpers.data.validation import validate_package

HEADER = (FIXTURES / "timeline" / "engagements.csv").read_text(encoding="utf-8").splitlines()[0]
TAKEOVER = (
    "fx-takeover,2021-08-01,month,,occurred,,security_incident,192,TALIBAN,,Kabul,"
    "institution,,security,Synthetic takeover.,,muttaqi-call-report,high,"
)


def engagements_text(*rows: str) -> str:
    """An engagements table with the fixture's header, the takeover and ``rows``."""
    return "\n".join([HEADER, TAKEOVER, *rows]) + "\n"


@pytest.fixture
def fixture_ctx(make_package):
    """``make(start, end)`` -> context over the timeline fixture."""
    pkg = make_package("timeline")

    def make(start: str, end: str, focus: str = "IND", counterpart: str = "AFG"):
        return prepare(start, end, focus, counterpart, str(pkg))

    return make


def test_fixture_is_a_valid_package(make_package):
    assert validate_package(make_package("timeline")) == []


# --- relationships -----------------------------------------------------------------


def test_relationship_key_puts_focus_first_and_counterpart_last():
    assert timeline.relationship_key("AFG", "IND", "IND", "AFG") == "IND|AFG"
    assert timeline.relationship_key("IND", "PAK", "IND", "AFG") == "IND|PAK"
    assert timeline.relationship_key("AFG", "IRN", "IND", "AFG") == "IRN|AFG"
    # Neither side in the dyad: alphabetical by id.
    assert timeline.relationship_key("PAK", "CHN", "IND", "AFG") == "CHN|PAK"
    # No other party, or both sides in one stakeholder: a lane of its own.
    assert timeline.relationship_key("AFG", "", "IND", "AFG") == "AFG"
    assert timeline.relationship_key("AFG", "AFG", "IND", "AFG") == "AFG"


# --- seniority and "highest-level contact since" -------------------------------------


def test_minister_call_of_15_may_is_highest_contact_since_august_2021(fixture_ctx):
    # Earlier IND-AFG contacts are at secretary (8 and 25 Jan 2025) or senior official
    # (2023, 2024, 10 Apr 2025) level: none at minister level or above, so the call is
    # the highest since the record begins with the August 2021 takeover.
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    best = timeline.highest_contact(ctx)
    assert best.event_id == "fx-minister-call"
    assert best.level == "minister"
    assert best.date_text == "15 May 2025"
    assert best.since_text == "since the record begins in August 2021"
    assert "India – Afghanistan" in best.sentence
    assert "since the record begins in August 2021" in best.sentence


def test_contact_history_finds_last_contact_at_same_or_higher_level(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    whole = load_dataset(ctx.data.data_dir).engagements
    hist = timeline.contact_history(whole, "IND", "AFG").set_index("event_id")
    # Contacts are occurred meetings, calls, visits, agreements: not the scheduled China
    # visit, the statements, the aid span or the incidents. Only the focus dyad's are
    # computed: not the Iran visit (Iran-Afghanistan) or the year talks (China-Afghanistan).
    assert set(hist.index) == {
        "fx-envoy-meeting-2023",
        "fx-envoy-meeting-2024",
        "fx-secretary-meeting",
        "fx-secretary-call",
        "fx-senior-visit",
        "fx-minister-call",
    }
    assert set(hist["relationship"]) == {"IND|AFG"}
    since = hist["since_text"]
    # Senior visit (10 Apr): last IND-AFG contact at senior official or above is the
    # secretary call of 25 Jan 2025 (day precision).
    assert since["fx-senior-visit"] == "since 25 January 2025"
    assert hist.loc["fx-senior-visit", "since_id"] == "fx-secretary-call"
    # Secretary call (25 Jan): last secretary-or-higher contact is the 8 Jan meeting.
    assert since["fx-secretary-call"] == "since 8 January 2025"
    # Secretary meeting: only senior-official contacts before it, which are lower.
    assert since["fx-secretary-meeting"] == "since the record begins in August 2021"
    # 2024 envoy meeting: the 2023 one is at the same level.
    assert since["fx-envoy-meeting-2024"] == "since 12 June 2023"
    # Asked for the window's contacts only, the same answers for those rows.
    some = timeline.contact_history(
        ctx.data.engagements, "IND", "AFG", ["fx-senior-visit", "fx-statement-not-a-contact"]
    )
    assert list(some["event_id"]) == ["fx-senior-visit"]
    assert some["since_id"].iloc[0] == "fx-secretary-call"


def test_contacts_of_uncertain_order_are_flagged(make_package):
    # A minister meeting known only to May 2025 may have come before or after the
    # minister call of 15 May: neither counts as "earlier" than the other, and each
    # names the other as of unknown order.
    text = engagements_text(
        "fx-may-meeting,2025-05-01,month,,occurred,,meeting,040,JAISHANKAR,MUTTAQI,,"
        "minister,minister,,Synthetic.,,muttaqi-call-report,medium,",
        "fx-call,2025-05-15,day,,occurred,,phone_call,041,MUTTAQI,JAISHANKAR,,"
        "minister,minister,,Synthetic.,,muttaqi-call-report,high,",
    )
    ctx = prepare("2025-05-01", "2025-05-31", "IND", "AFG", str(make_package(engagements=text)))
    whole = load_dataset(ctx.data.data_dir).engagements
    hist = timeline.contact_history(whole, "IND", "AFG").set_index("event_id")
    assert hist.loc["fx-call", "uncertain"] == ("fx-may-meeting",)
    assert hist.loc["fx-may-meeting", "uncertain"] == ("fx-call",)
    assert hist.loc["fx-call", "since_text"] == "since the record begins in August 2021"
    findings = timeline.window_contacts(ctx).set_index("event_id")["finding"]
    assert "fx-may-meeting" in findings["fx-call"]
    assert "not known" in findings["fx-call"]


def test_seniority_by_month(fixture_ctx):
    # IND-AFG contacts: Jan: secretary meeting + secretary call; Feb, Mar: none (the
    # month statement is not a contact); Apr: senior visit; May: minister call.
    ladder = timeline.seniority_by_month(fixture_ctx("2025-01-01", "2025-05-31"))
    assert ladder["month_label"].tolist() == [
        "January 2025",
        "February 2025",
        "March 2025",
        "April 2025",
        "May 2025",
    ]
    assert ladder["contacts"].tolist() == [2, 0, 0, 1, 1]
    assert ladder["level"].tolist() == ["secretary", "", "", "senior_official", "minister"]


def test_no_contact_means_no_highest_contact(fixture_ctx):
    # Feb-Mar 2025: the month statement and the aid span are not contacts.
    assert timeline.highest_contact(fixture_ctx("2025-02-01", "2025-03-31")) is None


# --- the real record: each side's seniority, and the articles' own milestones --------


@pytest.fixture(scope="module")
def real_ctx():
    return prepare("2025-01-01", "2025-05-31", "IND", "AFG")


def test_real_contacts_take_the_lower_side_and_the_call_is_highest_since_2021(real_ctx):
    # India-Afghanistan contacts of the record (meetings, calls, visits), by hand from
    # engagements.csv: Dubai, January 2025, Foreign Secretary and acting Foreign Minister
    # -> secretary; Prakash visit, April 2025, joint secretary and Muttaqi -> senior
    # official; the call, May 2025, minister and minister -> minister. Nothing earlier (the
    # aid and the takeover are not contacts). So the call and Dubai each have no earlier
    # contact at their level or above, and the Prakash visit's is Dubai.
    rows = timeline.window_contacts(real_ctx).set_index("event_id")
    assert rows["level"].to_dict() == {
        "dubai-misri-muttaqi": "secretary",
        "prakash-kabul-visit": "senior_official",
        "jaishankar-muttaqi-call": "minister",
    }
    assert rows["since_text"].to_dict() == {
        "dubai-misri-muttaqi": "since the record begins in August 2021",
        "prakash-kabul-visit": "since January 2025",
        "jaishankar-muttaqi-call": "since the record begins in August 2021",
    }
    assert timeline.highest_contact_sentence(real_ctx) == (
        "The most senior India – Afghanistan contact of the period was the minister-level "
        "phone call of May 2025 (Amir Khan Muttaqi → S. Jaishankar): the highest-level "
        "contact between them since the record begins in August 2021."
    )


def test_no_contact_sentence_names_loosely_dated_contacts():
    # China and Afghanistan, 1 January - 31 May 2025: no contact placed in the period,
    # but two of the pair's contacts are dated too loosely to rule out (in date order):
    # the accepted credentials (some February, 2022-2025, recorded as the interval
    # 1 February 2022 - 28 February 2025) and Muttaqi's talks with Yue (2025).
    ctx = prepare("2025-01-01", "2025-05-31", "CHN", "AFG", "")
    assert timeline.highest_contact_sentence(ctx) == (
        "No contact (meeting, call, visit, agreement, recognition or accreditation) between "
        "China and Afghanistan can be placed in 1 January – 31 May 2025, but 2 are dated "
        "too loosely to rule out: the accreditation from China to Afghanistan (between "
        "1 February 2022 and 28 February 2025) and the meeting between Amir Khan Muttaqi "
        "and Yue Xiaoyong (2025)."
    )
    # June - July 2025 holds nothing for India and Afghanistan, not even a loose contact.
    ctx = prepare("2025-06-01", "2025-07-31", "IND", "AFG", "")
    assert timeline.highest_contact_sentence(ctx) == (
        "No contact (meeting, call, visit, agreement, recognition or accreditation) between "
        "India and Afghanistan is recorded for 1 June – 31 July 2025."
    )


def test_real_milestones_agree_with_the_articles(real_ctx):
    # The articles: the call is the highest-level contact since the Taliban took power
    # (August 2021), and Dubai the highest-level meeting since then. Computed: neither
    # has an earlier India-Afghanistan contact at its level or above. Agree.
    checks = timeline.milestone_checks(real_ctx).set_index("event_id")
    assert checks.loc["jaishankar-muttaqi-call", "verdict"] == "agrees"
    assert checks.loc["dubai-misri-muttaqi", "verdict"] == "agrees"
    # China's acceptance of credentials is loosely dated here, so not checked in this
    # window; Araghchi's "nine years" reaches before the record begins: differs.
    assert "china-accepts-ambassador" not in checks.index
    assert checks.loc["araghchi-kabul-visit", "verdict"] == "differs"


def test_real_china_interval_is_listed_as_loosely_dated(real_ctx):
    # China's acceptance: 1 Feb 2022 - 28 Feb 2025, so not placed in Jan-May 2025. It is
    # one of the four loose events (with the three of year 2025); its line says so.
    lines = timeline.loose_notes(real_ctx)
    china = [line for line in lines if line.startswith("Between 1 February 2022")]
    assert china == [
        "Between 1 February 2022 and 28 February 2025: China → Afghanistan (Taliban "
        "government), accreditation (institution). Known only to that interval, so it may "
        "fall outside the period; shown on the chart, not counted."
    ]


# --- curated milestones against the record ------------------------------------------


def test_claimed_since_reads_months_years_and_spans_of_years():
    may = pd.Timestamp("2025-01-20")
    assert timeline.claimed_since("since the Taliban took power in August 2021", may) == (
        pd.Timestamp("2021-08-01"),
        "month",
    )
    assert timeline.claimed_since("first since 2019", may) == (pd.Timestamp("2019-01-01"), "year")
    # 2025 less nine years.
    assert timeline.claimed_since("First visit in nine years", may) == (
        pd.Timestamp("2016-01-01"),
        "year",
    )
    assert timeline.claimed_since("First country to accept credentials", may) == (None, "")


def test_milestone_checks_report_the_disagreement(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    checks = timeline.milestone_checks(ctx).set_index("event_id")
    # Secretary meeting claims "since August 2021"; computed: no earlier secretary-level
    # contact, so since the record begins in August 2021. Agrees.
    assert checks.loc["fx-secretary-meeting", "verdict"] == "agrees"
    # Minister call claims August 2021; computed the same. Agrees.
    assert checks.loc["fx-minister-call", "verdict"] == "agrees"
    # Iran visit claims nine years (back to 2016); the record begins in August 2021, so
    # it cannot confirm that.
    assert checks.loc["fx-iran-visit", "verdict"] == "differs"
    text = checks.loc["fx-iran-visit", "explanation"]
    assert "nine years" in text and "2016" in text and "August 2021" in text
    notes = timeline.milestone_notes(ctx)
    assert notes == [text]


def test_milestone_contradicted_by_a_later_contact(make_package):
    # Claiming "since August 2021" for the senior visit is wrong: the secretary call of
    # 25 January 2025 is a contact at a higher level after August 2021.
    text = (FIXTURES / "timeline" / "engagements.csv").read_text(encoding="utf-8")
    text = text.replace(
        "an Indian delegation visits Kabul.,,",
        "an Indian delegation visits Kabul.,Highest-level contact since August 2021,",
    )
    ctx = prepare("2025-04-01", "2025-04-30", "IND", "AFG", str(make_package(engagements=text)))
    check = timeline.milestone_checks(ctx).set_index("event_id").loc["fx-senior-visit"]
    assert check["verdict"] == "differs"
    assert "25 January 2025" in check["explanation"]


# --- placement, intensity, topics ------------------------------------------------------


def test_month_precision_event_falls_in_its_month_and_no_other(fixture_ctx):
    def ids(ctx):
        return set(ctx.events["event_id"])

    assert "fx-month-statement" in ids(fixture_ctx("2025-02-01", "2025-02-28"))
    assert "fx-month-statement" not in ids(fixture_ctx("2025-01-01", "2025-01-31"))
    assert "fx-month-statement" not in ids(fixture_ctx("2025-03-01", "2025-03-31"))
    # Counted in February and only there.
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    months = timeline.months_in_window(ctx.events, ctx.window)
    placed = months[ctx.events["event_id"] == "fx-month-statement"]
    assert placed.tolist() == [pd.Period("2025-02", "M")]
    # On the chart it is a bar over February: from 1 February to 1 March (exclusive).
    marks = timeline.chronology(ctx).marks.set_index("event_id")
    assert marks.loc["fx-month-statement", "x0"] == pd.Timestamp("2025-02-01")
    assert marks.loc["fx-month-statement", "x1"] == pd.Timestamp("2025-03-01")
    assert not marks.loc["fx-month-statement", "point"]


def test_window_cutting_a_month_lists_its_event_as_loose(fixture_ctx):
    # 10 Feb - 31 Mar only holds part of February, so the February statement may fall
    # outside: listed, not counted.
    ctx = fixture_ctx("2025-02-10", "2025-03-31")
    assert "fx-month-statement" in set(ctx.loose["event_id"])
    rows = timeline.monthly_intensity(ctx)
    assert "fx-month-statement" not in set(ctx.events["event_id"])
    # What remains: the pak accusation (5 Mar) in IND|PAK; the span has no month inside.
    assert list(zip(rows["relationship"], rows["month_label"], rows["events"])) == [
        ("IND|PAK", "March 2025", 1)
    ]
    assert any(line.startswith("February 2025:") for line in timeline.loose_notes(ctx))


def test_monthly_intensity_counts_and_net_goldstein(fixture_ctx):
    # Jan-May 2025, events that took place and have a month inside the window (the aid
    # span began in 2021; the China visit is scheduled):
    #   IND|AFG Jan: secretary meeting 2.5 + secretary call 1.0 = 2 events, +3.5
    #   IND|AFG Feb: month statement 3.4;  Apr: senior visit 1.9;  May: call 1.0
    #   IND|PAK Mar: accusation -2.0
    #   IND|PAHALGAM_ATTACKERS Apr: attack -9.0
    #   IRN|AFG Jan: Iran visit 1.9
    # Order: focus dyad, then India's other relationships (ties by label: "Pakistan" <
    # "Perpetrators"), then Afghanistan's.
    rows = timeline.monthly_intensity(fixture_ctx("2025-01-01", "2025-05-31"))
    got = list(zip(rows["relationship"], rows["month_label"], rows["events"], rows["net_text"]))
    assert got == [
        ("IND|AFG", "January 2025", 2, "+3.5"),
        ("IND|AFG", "February 2025", 1, "+3.4"),
        ("IND|AFG", "April 2025", 1, "+1.9"),
        ("IND|AFG", "May 2025", 1, "+1.0"),
        ("IND|PAK", "March 2025", 1, "-2.0"),
        ("IND|PAHALGAM_ATTACKERS", "April 2025", 1, "-9.0"),
        ("IRN|AFG", "January 2025", 1, "+1.9"),
    ]
    assert rows["relationship_label"].iloc[0] == "India – Afghanistan"


def test_intensity_note_names_what_is_left_out(fixture_ctx):
    note = timeline.intensity_note(fixture_ctx("2025-01-01", "2025-05-31"))
    # The aid span (began 2021) has no month in the window; the China visit is scheduled.
    assert "1 event of the period cannot be put in one of its months" in note
    assert "1 scheduled event is not counted" in note


def test_topic_months_for_the_focus_dyad(fixture_ctx):
    # IND-AFG topics: Feb statement: trade; Apr senior visit: security, counterterrorism;
    # May call: trade, visas. The aid span (humanitarian_aid) has no month in the window.
    grid = timeline.topic_months(fixture_ctx("2025-01-01", "2025-05-31"))
    assert grid.index.tolist() == ["trade", "counterterrorism", "security", "visas"]
    assert [str(m) for m in grid.columns] == [
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
        "2025-05",
    ]
    assert grid.loc["trade"].tolist() == [0, 1, 0, 0, 1]
    assert grid.loc["counterterrorism"].tolist() == [0, 0, 0, 1, 0]
    assert grid.loc["visas"].tolist() == [0, 0, 0, 0, 1]


# --- change against the previous period --------------------------------------------


def test_previous_period_of_march_to_may(fixture_ctx):
    # helpers.data.periods: the previous period has the same number of days and ends the day
    # before the window starts. 1 March - 31 May is 31 + 30 + 31 = 92 days; 92 days
    # back from 1 March 2025 is 29 November 2024 (1 Mar - 28 Feb = 28 days, - 31 Jan,
    # - 31 Dec = 90 days to 1 December, 2 more to 29 November).
    change = timeline.change_call(fixture_ctx("2025-03-01", "2025-05-31"))
    assert change.before.window == Window(pd.Timestamp("2024-11-29"), pd.Timestamp("2025-02-28"))
    assert "29 November 2024 – 28 February 2025" in change.reason


def test_change_call_improved(fixture_ctx):
    # Mar-May 2025 against 29 Nov 2024 - 28 Feb 2025, IND-AFG events that took place:
    #   now:    aid span 7.4 + senior visit 1.9 + minister call 1.0 = +10.3; top: minister
    #   before: aid span 7.4 + secretary meeting 2.5 + secretary call 1.0
    #           + month statement 3.4 = +14.3; top: secretary
    # Level: more senior, +1. Net: -4.0, less than 5 either way, 0. Total +1: improved.
    change = timeline.change_call(fixture_ctx("2025-03-01", "2025-05-31"))
    assert change.call == "improved"
    assert (change.level_step, change.net_step) == (1, 0)
    assert (change.now.net, change.before.net) == (10.3, 14.3)
    assert (change.now.level, change.before.level) == ("minister", "secretary")
    assert "minister against secretary" in change.reason
    assert "+10.3 against +14.3, a change of -4.0" in change.reason
    assert "rising by 5 or more" in change.reason
    assert change.reason.endswith("total +1, so improved.")


def test_change_call_deteriorated(fixture_ctx):
    # Jun-Aug 2025 is 30 + 31 + 31 = 92 days, so the previous period is the 92 days
    # 1 Mar - 31 May (31 + 30 + 31).
    #   now:    July accusation -2.0; no contact
    #   before: aid span (runs to 10 Mar) 7.4 + senior visit 1.9 + call 1.0 = +10.3;
    #           top: minister
    # Level: none after minister, -1. Net: -12.3, -1. Total -2: deteriorated.
    change = timeline.change_call(fixture_ctx("2025-06-01", "2025-08-31"))
    assert change.before.window.label() == "1 March – 31 May 2025"
    assert change.call == "deteriorated"
    assert (change.level_step, change.net_step) == (-1, -1)
    assert (change.now.net, change.before.net) == (-2.0, 10.3)
    assert "a change of -12.3" in change.reason


def test_change_call_unchanged(fixture_ctx):
    # 2024 is a calendar year: against the calendar year 2023 (not the 366 days before
    # it). Each has the aid span (7.4) and one senior-official meeting (1.0; 2023's on
    # 12 June): +8.4 both, same top level. 0 + 0: unchanged.
    change = timeline.change_call(fixture_ctx("2024-01-01", "2024-12-31"))
    assert change.before.window.label() == "1 January – 31 December 2023"
    assert change.call == "unchanged"
    assert (change.now.net, change.before.net) == (8.4, 8.4)
    assert (change.level_step, change.net_step) == (0, 0)


def test_change_call_opposite_signals_cancel(make_package):
    # Before (29 Nov - 28 Feb): a secretary-level agreement (CAMEO 057, +8.0).
    # Now (Mar-May): a minister call (+1.0). More senior: +1; net fell 7.0: -1. Total 0.
    text = engagements_text(
        "fx-deal,2025-02-10,day,,occurred,,agreement,057,MISRI,MUTTAQI,,secretary,secretary,,"
        "Synthetic.,,muttaqi-call-report,high,",
        "fx-call,2025-05-15,day,,occurred,,phone_call,041,MUTTAQI,JAISHANKAR,,minister,minister,,"
        "Synthetic.,,muttaqi-call-report,high,",
    )
    ctx = prepare("2025-03-01", "2025-05-31", "IND", "AFG", str(make_package(engagements=text)))
    change = timeline.change_call(ctx)
    assert (change.level_step, change.net_step) == (1, -1)
    assert change.call == "unchanged"


def test_new_counterparts_and_topics(fixture_ctx):
    # Mar-May relationships (took place): IND|AFG, IND|PAK (5 Mar), IND|PAHALGAM (22 Apr).
    # Previous period (29 Nov - 28 Feb): IND|AFG, IRN|AFG. New, in date order: Pakistan,
    # then the attackers.
    # IND-AFG topics now: humanitarian_aid, security, counterterrorism, trade, visas;
    # before: humanitarian_aid, trade. New: counterterrorism, security, visas.
    change = timeline.change_call(fixture_ctx("2025-03-01", "2025-05-31"))
    assert change.new_counterparts == (
        "India – Pakistan",
        "India – Perpetrators of the Pahalgam attack",
    )
    assert change.new_topics == ("counterterrorism", "security", "visas")


# --- tables and notes -----------------------------------------------------------------


def test_event_table_dates_actors_and_types(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    table = timeline.event_table(ctx).set_index("event_id")
    # Placed: the aid span, 3 January events, Feb statement, Mar accusation, Apr visit
    # and attack, May scheduled visit and call = 10. The year-precision talks are loose.
    assert len(table) == 10
    assert table["key"].tolist() == list(range(1, 11))
    assert table.loc["fx-aid-span", "date_text"] == "August 2021 – 10 March 2025"
    assert table.loc["fx-month-statement", "date_text"] == "February 2025"
    call = table.loc["fx-minister-call"]
    assert call["actors"] == "Amir Khan Muttaqi → S. Jaishankar"
    assert (call["type_text"], call["level_text"]) == ("phone call", "minister")
    assert call["sources"] == "muttaqi-call-report"
    assert table.loc["fx-china-visit-scheduled", "type_text"] == "visit (scheduled)"
    assert "fx-year-talks" not in table.index
    notes = timeline.loose_notes(ctx)
    assert len(notes) == 1
    assert notes[0].startswith("2025: Amir Khan Muttaqi → Yue Xiaoyong, meeting")


def test_chronology_lanes_marks_and_numbers(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    chron = timeline.chronology(ctx)
    # Focus dyad; India's others (ties by label); Afghanistan's others: China (the
    # scheduled visit, plus the loose talks) and Iran, one placed event each, by label.
    assert [lane.key for lane in chron.lanes] == [
        "IND|AFG",
        "IND|PAK",
        "IND|PAHALGAM_ATTACKERS",
        "CHN|AFG",
        "IRN|AFG",
    ]
    marks = chron.marks.set_index("event_id")
    # Year precision: a bar over 2025, clipped to the window.
    assert marks.loc["fx-year-talks", "x0"] == pd.Timestamp("2025-01-01")
    assert marks.loc["fx-year-talks", "x1"] == pd.Timestamp("2025-06-01")
    assert marks.loc["fx-year-talks", "loose"]
    # A span that began in 2021 starts at the window's edge.
    assert marks.loc["fx-aid-span", "x0"] == pd.Timestamp("2025-01-01")
    assert marks.loc["fx-aid-span", "x1"] == pd.Timestamp("2025-03-11")
    # Numbered: the three curated milestones and the attack, keyed to the event table
    # (secretary meeting 2, Iran visit 3, attack 8, minister call 10).
    numbered = set(chron.marks.loc[chron.marks["annotate"], "key"])
    assert numbered == {2, 3, 8, 10}
    assert chron.incidents["event_id"].tolist() == ["fx-attack"]
    key = timeline.chronology_key(ctx, chron)
    assert [line.split(".")[0] for line in key] == ["2", "3", "8", "10"]


def test_single_event_window(fixture_ctx):
    # 22 April 2025 holds only the attack; the 2025 talks may fall on it (loose).
    ctx = fixture_ctx("2025-04-22", "2025-04-22")
    assert timeline.count_sentence(ctx).startswith("1 event recorded")
    chron = timeline.chronology(ctx)
    assert [lane.key for lane in chron.lanes] == ["IND|PAHALGAM_ATTACKERS", "CHN|AFG"]
    assert timeline.highest_contact(ctx) is None
    assert timeline.change_call(ctx).call in timeline.CALLS


def test_empty_window(fixture_ctx):
    ctx = fixture_ctx("2030-01-01", "2030-12-31")
    assert timeline.count_sentence(ctx) == (
        "No engagements are recorded for 1 January – 31 December 2030."
    )
    assert timeline.chronology(ctx).empty
    assert timeline.event_table(ctx).empty
    assert timeline.monthly_intensity(ctx).empty
    assert timeline.topic_months(ctx).empty
    assert timeline.highest_contact(ctx) is None
    assert timeline.seniority_by_month(ctx)["contacts"].sum() == 0
    assert timeline.milestone_checks(ctx).empty
    assert timeline.milestone_notes(ctx) == []
    # Nothing now, nothing in 2029: no step either way.
    assert timeline.change_call(ctx).call == "unchanged"


# --- listing caps: a million events give the same legible pages as fifty --------------
#
# The window 1 January - 31 May 2025 of the fixture, numbered as in the event table:
#   1 aid span (IND-AFG aid, institution, +7.4)     6 Pakistan accusation (IND-PAK, inst., -2.0)
#   2 secretary meeting (IND-AFG contact, secretary, +2.5, milestone)
#   3 Iran visit (IRN-AFG contact, minister, +1.9, milestone)
#   4 secretary call (IND-AFG contact, secretary, +1.0)
#   5 month statement (IND-AFG statement, institution, +3.4)
#   7 senior visit (IND-AFG contact, senior official, +1.9)
#   8 attack (incident, institution, -9.0)          9 China visit (AFG-CHN, scheduled, minister)
#   10 minister call (IND-AFG contact, minister, +1.0, milestone)
# The chart numbers 2, 3, 8 and 10 (milestones and the one incident).


def test_significant_keeps_numbered_then_focus_then_others(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    numbered = {"fx-secretary-meeting", "fx-iran-visit", "fx-attack", "fx-minister-call"}
    # Six rows, four of them numbered; focus dyad capped at four rows, so its events get
    # none (the four numbered fill that share) and the two others of other relationships
    # come in: the China visit (minister) and the Pakistan accusation (institution).
    pick = timeline.significant(ctx, ctx.events, limit=6, focus_limit=4, first=numbered)
    assert list(pick + 1) == [2, 3, 6, 8, 9, 10]
    # With room for the focus dyad, its most senior contacts come first: the secretary
    # call (secretary), then the senior visit (senior official).
    pick = timeline.significant(ctx, ctx.events, limit=6, focus_limit=6, first=numbered)
    assert list(pick + 1) == [2, 3, 4, 7, 8, 10]
    # Few enough: all, in order.
    assert list(timeline.significant(ctx, ctx.events, limit=10)) == list(range(10))
    # Never more than the limit, never a row twice, the numbered ones always in.
    for limit in range(11):
        for focus_limit in (0, 3, 25):
            pick = timeline.significant(ctx, ctx.events, limit, focus_limit, first=numbered)
            assert len(pick) == len(set(pick)) == limit
            if limit >= 4:
                assert {1, 2, 7, 9} <= set(pick)


def test_event_table_lists_at_most_the_limit_and_says_so(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    table = timeline.event_table(ctx, limit=6)
    # The chart's numbers 2, 3, 8, 10, then the focus dyad's two most senior contacts.
    assert list(table["key"]) == [2, 3, 4, 7, 8, 10]
    assert table.loc[table["key"] == 7, "event_id"].item() == "fx-senior-visit"
    note = timeline.event_list_note(ctx, table)
    assert note.startswith("The table lists 6 of the period's 10 events")
    assert "The other 4 are counted in the charts and tables but not listed." in note
    assert timeline.event_list_note(ctx, timeline.event_table(ctx)) == ""


def test_loose_notes_count_what_they_do_not_list(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    # One loose event (the 2025 talks); with room for none, one line counts it.
    assert timeline.loose_notes(ctx, limit=0) == [
        "1 more loosely dated event may fall in the period; not listed and not counted."
    ]


def test_intensity_sums_the_relationships_beyond_the_lanes(fixture_ctx, monkeypatch):
    # Occurred and placed in a month: IND-AFG Jan 2 (meeting, call), Feb 1, Apr 1, May 1
    # (the aid span starts in 2021); IRN-AFG Jan 1 (+1.9); IND-PAK Mar 1; India-Pahalgam
    # attackers Apr 1 (-9.0). Lane order: focus; India's others by label (Pakistan before
    # Perpetrators); Afghanistan's (Iran). With three lanes, the last two share "Other".
    monkeypatch.setattr(names, "MAX_LANES", 3)  # the lanes
    monkeypatch.setattr(intensity, "MAX_LANES", 3)  # the note
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    table = timeline.monthly_intensity(ctx)
    rows = list(zip(table["relationship_label"], table["month_label"], table["events"]))
    assert rows == [
        ("India – Afghanistan", "January 2025", 2),
        ("India – Afghanistan", "February 2025", 1),
        ("India – Afghanistan", "April 2025", 1),
        ("India – Afghanistan", "May 2025", 1),
        ("India – Pakistan", "March 2025", 1),
        ("Other relationships", "January 2025", 1),
        ("Other relationships", "April 2025", 1),
    ]
    assert list(table["net_text"].iloc[-2:]) == ["+1.9", "-9.0"]
    assert "The 2 least prominent of its 4 relationships are summed" in (
        timeline.intensity_note(ctx)
    )


def test_listed_contacts_keep_the_most_senior(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    contacts = timeline.window_contacts(ctx)
    assert list(contacts["key"]) == [2, 4, 7, 10]
    # Two rows: the minister call, then of the two secretary-level contacts the one with
    # no earlier contact at its level (the 8 January meeting; the call's is that meeting).
    listed = timeline.listed_contacts(contacts, limit=2)
    assert list(listed["event_id"]) == ["fx-secretary-meeting", "fx-minister-call"]
    assert timeline.contacts_note(ctx, contacts, listed) == (
        "The table lists the 2 most senior of the period's 4 India – Afghanistan contacts; "
        "the other 2 are counted in the chart above."
    )
    assert timeline.contacts_note(ctx, contacts, contacts) == ""


def test_milestone_checks_capped_focus_dyad_first(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    # Milestones: secretary meeting and minister call (India-Afghanistan), Iran visit
    # (Iran-Afghanistan). One check: the focus dyad's most senior, the minister call.
    checks = timeline.milestone_checks(ctx, limit=1)
    assert list(checks["event_id"]) == ["fx-minister-call"]
    assert list(checks["key"]) == [10]
    assert timeline.milestone_notes(ctx, limit=1) == [
        "Every curated milestone checked here agrees with the record.",
        "2 more curated milestones of this period are not checked here.",
    ]


def test_finding_names_a_few_uncertain_contacts_and_counts_the_rest(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    text = seniority._finding(
        ctx, "India – Afghanistan", "minister", "since 2024", ("a", "b", "c", "d", "e")
    )
    assert "its order against a, b, c and 2 others, dated to the same interval" in text


def test_change_table_counts_new_counterparts_beyond_the_limit(fixture_ctx, monkeypatch):
    # March-May against December-February: new are India-Pakistan and India-Pahalgam
    # attackers (see test_new_counterparts_and_topics); with room for one name, the
    # other is counted.
    monkeypatch.setattr(change, "NAMES_LIMIT", 1)
    ctx = fixture_ctx("2025-03-01", "2025-05-31")
    table = timeline.change_table(ctx, timeline.change_call(ctx)).set_index("measure")
    assert table.loc["New counterparts", "now"] == "India – Pakistan and 1 more"


def test_per_context_computes_once_and_hands_out_copies(fixture_ctx):
    import gc

    calls = []

    @timeline.per_context
    def counted(ctx):
        calls.append(ctx)
        return pd.DataFrame({"n": [len(ctx.events)]})

    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    first = counted(ctx)
    first.loc[0, "n"] = -1  # a caller changing its copy changes nothing for the next
    assert counted(ctx)["n"].tolist() == [10]
    assert len(calls) == 1
    other = fixture_ctx("2025-04-22", "2025-04-22")
    assert counted(other)["n"].tolist() == [1]
    assert len(calls) == 2
    key = id(other)
    del other, calls[:]
    gc.collect()
    assert key not in memo._MEMO  # the memo goes with its context


def test_relationship_label_with_names_given(fixture_ctx):
    ctx = fixture_ctx("2025-01-01", "2025-05-31")
    names = {"IND": "Republic of India (government)", "AFG": "Afghanistan"}
    assert timeline.relationship_label(ctx, "IND|AFG", names) == "Republic of India – Afghanistan"
    # Without them, the names come from actors.csv.
    assert timeline.relationship_label(ctx, "IND|AFG") == "India – Afghanistan"
    assert timeline.relationship_label(ctx, "AFG", names) == "Afghanistan (no other party)"
