"""The briefing's generated sections, checked against counts worked out by hand from
data/engagements.csv and data/positions.csv (the reasoning is in each test)."""

from __future__ import annotations

import pytest

from helpers.analysis import briefing
from helpers.data.context import prepare


@pytest.fixture(scope="module")
def default():
    return prepare("2025-01-01", "2025-05-31")


def test_key_points_count_engagements_and_dyad(default):
    # Placed in 1 Jan-31 May 2025: the aid span (to 22 Apr, overlaps), araghchi-kabul-visit,
    # dubai-misri-muttaqi, taliban-praise-india (January), harish-unsc-statement (10 Mar),
    # india-accuses-pakistan, prakash-kabul-visit, taliban-condemn-pahalgam,
    # pahalgam-attack (April), jaishankar-muttaqi-call, pakistan-military-alleges-strikes,
    # taliban-reject-pakistan-claims (May, occurred) = 12 occurred, plus
    # muttaqi-china-visit (May, scheduled). Not placed: the year-precision rows (Yue talks,
    # invitation, Iran visit) cross the window's end, and China's acceptance of the
    # ambassador (a February from 2022 to 2025) starts before it.
    # India-Afghanistan among the occurred: aid, Dubai, praise, Prakash visit, call = 5.
    points = briefing.key_points(default)
    assert points[0] == (
        "12 engagements recorded in the period, plus 1 scheduled event; "
        "5 between India and Afghanistan (Taliban government)."
    )


def test_counterpart_partners_ranked(default):
    # Afghanistan's counterparts among occurred events: India 5 (as above), Iran 1
    # (Araghchi), Pakistan 1 (AFG -> PAK_MIL rolls up to PAK), the Pahalgam attackers 1
    # (condemnation); China's acceptance of the ambassador is not placed in the window.
    # Ties on events go to the one with more contacts (Iran's visit is a contact; the
    # statements are not), then to display order: regional states by name (Pakistan),
    # then non-state armed groups.
    points = briefing.key_points(default)
    assert points[1] == (
        "Afghanistan (Taliban government) engaged with: India (5), Iran (1), "
        "Pakistan (1), Perpetrators of the Pahalgam attack (1)."
    )


def test_key_points_say_when_there_was_no_contact():
    # February 2025 alone: the only event placed is the aid span (not a contact); China's
    # acceptance of credentials is dated only to a February from 2022 to 2025, so it is
    # loosely dated here. No India-Afghanistan contact at all.
    ctx = prepare("2025-02-01", "2025-02-28")
    assert (
        "No contact (meeting, call, visit, agreement, recognition or accreditation) between "
        "India and Afghanistan"
    ) in " ".join(briefing.key_points(ctx))


def test_march_to_may_window_includes_the_aid_span():
    # 1 Mar-31 May: harish, accuses, prakash, condemn, pahalgam, call, pak-military,
    # reject (8) + the aid span ending 22 April (overlaps) = 9 occurred; China visit
    # scheduled = 1. India-Afghanistan: aid, Prakash, call = 3.
    ctx = prepare("2025-03-01", "2025-05-31")
    assert briefing.key_points(ctx)[0] == (
        "9 engagements recorded in the period, plus 1 scheduled event; "
        "3 between India and Afghanistan (Taliban government)."
    )


def test_empty_window_says_so():
    ctx = prepare("2030-01-01", "2030-12-31")
    points = briefing.key_points(ctx)
    assert len(points) == 1
    assert points[0].startswith("No engagements are recorded between 1 January – 31 December 2030")


def test_key_points_carry_the_highest_contact_and_change_call(default):
    # The minister-level call outranks Dubai (secretary) and Prakash (senior official).
    # Change call: previous period 3 Aug-31 Dec 2024 has no India-Afghanistan contact and
    # only the aid span (+7.4); this period has a minister-level contact (+1) and net
    # cooperation 16.2 (+8.8, at least 5: +1): total +2, improved.
    text = " ".join(briefing.key_points(default))
    assert "minister-level phone call of May 2025" in text
    assert "(3 August – 31 December 2024), relations improved" in text


def test_outlook_lists_scheduled_events_after_the_window(default):
    # Scheduled rows: China visit (May 2025, ends 31 May: not after) and Iran visit (year
    # 2025, may fall as late as 31 Dec: after). Only the Iran visit is in the outlook.
    ahead = briefing.outlook(default)
    assert list(ahead["summary"]) == ["Muttaqi is expected in Tehran 'in the coming weeks'."]


def test_sources_cited_collects_ids(default):
    cited = briefing.sources_cited(default, default.events)
    assert list(cited["source_id"]) == ["muttaqi-call-report", "post-pahalgam-analysis"]
    only_harish = default.events[default.events["event_id"] == "harish-unsc-statement"]
    assert list(briefing.sources_cited(default, only_harish)["source_id"]) == [
        "post-pahalgam-analysis"
    ]


def test_key_points_name_a_few_and_count_the_rest(default, monkeypatch):
    # Partners as in test_counterpart_partners_ranked; milestones in the window: the
    # Araghchi visit (Iran-Afghanistan), Dubai (India-Afghanistan) and the call
    # (India-Afghanistan); one incident, Pahalgam. With room for two partners, two
    # milestones and no incident, the focus dyad's two milestones are quoted (in date
    # order) and the rest counted: Pakistan and the attackers, one event each.
    monkeypatch.setattr(briefing, "KEY_PARTNERS", 2)
    monkeypatch.setattr(briefing, "KEY_MILESTONES", 2)
    monkeypatch.setattr(briefing, "KEY_INCIDENTS", 0)
    points = briefing.key_points(default)
    assert points[1] == (
        "Afghanistan (Taliban government) engaged with: India (5), Iran (1) "
        "and 2 others (2 events)."
    )
    quoted = [p for p in points if "as the sources put it" in p]
    assert [q.split(",")[0] for q in quoted] == ["January 2025", "May 2025"]
    assert "Highest-level meeting since" in quoted[0]
    assert "1 more curated milestone of the period is not quoted here." in points
    assert points[-1] == (
        "Security context: 1 more security incident is recorded in the period (see Timeline)."
    )
    assert list(briefing.key_events(default)["event_id"]) == [
        "dubai-misri-muttaqi",
        "jaishankar-muttaqi-call",
    ]


def test_outlook_lists_at_most_the_limit_and_says_so():
    # To 30 April, both scheduled visits may come after: China (May 2025) and Iran
    # (2025). Both announced visits (036, +4.0) of a minister to hosts the article does
    # not name, so institution-level; neither India-Afghanistan: the earlier-dated one,
    # Iran, is kept.
    ctx = prepare("2025-01-01", "2025-04-30")
    assert len(briefing.outlook(ctx)) == 2
    assert briefing.outlook_note(ctx, briefing.outlook(ctx)) == ""
    ahead = briefing.outlook(ctx, limit=1)
    assert list(ahead["event_id"]) == ["muttaqi-iran-visit"]
    assert briefing.outlook_note(ctx, ahead) == (
        "The table lists 1 of 2 scheduled events: those between India and Afghanistan "
        "(Taliban government) and the most senior others."
    )


def test_optional_note_is_nothing_when_empty():
    from helpers.presentation import display as ui

    assert ui.note("").markup == "" and ui.note("").text == ""
    assert ui.note("3 more <b>").markup == '<p class="note">3 more &lt;b&gt;</p>'


def test_number_column_widens_for_long_numbers():
    from helpers.presentation import display as ui

    # Up to two digits keep the notebook's width; 1,061 (four digits) needs 4 + 2.
    assert ui.number_width([1, 14], 4) == 4
    assert ui.number_width([2, 1061], 4) == 6
    assert ui.number_width([], 5) == 5


def test_briefing_lists_fewer_events_than_the_annex(default, monkeypatch):
    # The default window has 12 + 1 = 13 placed events, numbered in date order: aid 1,
    # Araghchi 2, Dubai 3, praise 4, Harish 5, accuses 6, Prakash 7, condemn 8, attack 9,
    # call 10, China visit 11, Pakistani military 12, reject 13. The briefing's 15 lists
    # them all. The chart numbers four (the curated milestones of Araghchi 2, Dubai 3 and
    # the call 10, and the Pahalgam attack 9); with room for five, the fifth is the most
    # senior other India-Afghanistan contact, the Prakash visit (7, senior official).
    assert len(briefing.event_table(default)) == 13
    monkeypatch.setattr(briefing, "EVENT_LIMIT", 5)
    table = briefing.event_table(default)
    assert list(table["key"]) == [2, 3, 7, 9, 10]
    assert list(table["event_id"]) == [
        "araghchi-kabul-visit",
        "dubai-misri-muttaqi",
        "prakash-kabul-visit",
        "pahalgam-attack",
        "jaishankar-muttaqi-call",
    ]


def test_title_is_the_title_parameter_or_the_dyad(default):
    assert briefing.title(default) == (
        "India and Afghanistan (Taliban government): engagement briefing"
    )
    assert briefing.title(default, "") == briefing.title(default)
    named = "India and the Taliban government after Pahalgam, spring 2025"
    assert briefing.title(default, named) == named
    assert briefing.title(default, f"  {named}\n") == named


def test_outlook_drops_an_announcement_once_it_is_held(held_visit_package):
    # The timeline fixture plus the Muttaqi visit to China, announced for May, held 20 May.
    pkg = held_visit_package
    # To 25 May the announcement could still fall after the period, but it was held on
    # the 20th: not in the outlook. To 10 May it was not yet held: still to come.
    assert "fx-china-visit-scheduled" not in set(
        briefing.outlook(prepare("2025-05-01", "2025-05-25", data_dir=pkg))["event_id"]
    )
    assert "fx-china-visit-scheduled" in set(
        briefing.outlook(prepare("2025-05-01", "2025-05-10", data_dir=pkg))["event_id"]
    )
