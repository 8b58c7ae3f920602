"""The honest trend call (fixture tests/fixtures/briefing; answers worked by hand).

Goldstein values (data/cameo.csv): aid 073 +7.4, call 041 +1.0, meeting at a third
location 044 +2.5, praise 051 +3.4, recognition 054 +6.0, condemnation 111 -2.0.
The record ends on 31 March 2025 (see test_coverage).
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis.trend import INSUFFICIENT, NO_CALL, event_phrase, trend_call
from helpers.data.context import prepare


def said(call) -> tuple:
    """The call, its reason and the events it names."""
    return call.call, call.reason, call.event_ids


def test_a_period_beyond_the_record_makes_no_call(ctx_of):
    call = trend_call(ctx_of("2025-04-01", "2025-05-31"))
    assert call.call == NO_CALL
    assert (
        call.reason
        == "The record ends on 31 March 2025, before this period begins; no call is made."
    )


def test_a_period_partly_beyond_the_record_makes_no_call(ctx_of):
    call = trend_call(ctx_of("2025-03-01", "2025-04-30"))
    assert call.call == NO_CALL
    assert call.reason == (
        "The record ends on 31 March 2025, before this period ends on 30 April 2025; no call "
        "is made on a period the record covers only in part."
    )


def test_nothing_in_the_comparison_period_is_insufficient_data_not_deteriorated(ctx_of):
    # November 2024 is compared with October 2024, which holds only the aid span that
    # began in June 2024: an activity under way, not a record of October.
    call = trend_call(ctx_of("2024-11-01", "2024-11-30"))
    assert call.call == INSUFFICIENT == "insufficient data to compare"
    assert call.reason == (
        "Nothing is recorded as happening in October 2024, only activity under way since "
        "earlier: the aid from India to Afghanistan (June 2024 – 31 January 2025)."
    )
    assert call.event_ids == ("fx-aid",)


def test_february_compares_with_all_of_january_and_names_the_events(ctx_of):
    # January: the month-dated Dubai meeting (secretary, +2.5), the praise (+3.4), the aid
    # span (+7.4, ends 31 January) = +13.3. February, India-Afghanistan: nothing (China's
    # recognition is China-Afghanistan). Level: none after secretary, -1. Net 0 - 13.3,
    # -1. Total -2: deteriorated. Drivers of the fall, largest first: aid 7.4, praise 3.4.
    call = trend_call(ctx_of("2025-02-01", "2025-02-28"))
    assert call.call == "deteriorated"
    assert call.reason == (
        "Against January 2025: nothing matched the meeting between Vikram Misri and Amir "
        "Khan Muttaqi (January 2025), at secretary level, as there was no contact at all; "
        "net cooperation +0.0 against +13.3, mostly the aid from India to Afghanistan "
        "(June 2024 – 31 January 2025) and the statement by Afghanistan on India "
        "(15 January 2025)."
    )
    assert call.event_ids == ("fx-jan-meeting", "fx-aid", "fx-jan-praise")
    assert call.rule.startswith(
        "A calendar month is compared with the month before it (January 2025). One point if "
        "the most senior contact (meeting, call, visit, agreement, recognition or accreditation) "
        "between India and Afghanistan is more senior"
    )


def test_recognition_is_a_contact_in_the_call(ctx_of):
    # China-Afghanistan, March against February: February holds the recognition
    # (institution level, +6.0), March nothing between China and Afghanistan. Level: none
    # after institution, -1; net 0 - 6.0 = -6.0, -1. Total -2: deteriorated. Were the
    # recognition not a contact, the reason would say "no contact in either period".
    assert said(trend_call(ctx_of("2025-03-01", "2025-03-31", "CHN", "AFG"))) == (
        "deteriorated",
        "Against February 2025: nothing matched the recognition from China to Afghanistan "
        "(February 2025), at institution level, as there was no contact at all; net "
        "cooperation +0.0 against +6.0, mostly the recognition from China to Afghanistan "
        "(February 2025).",
        ("fx-feb-recognition",),
    )


def test_a_pair_with_nothing_in_the_comparison_period_is_insufficient(ctx_of):
    # China-Afghanistan, February against January: January holds the Dubai meeting and
    # the praise (India-Afghanistan) and the aid span ends in it, but nothing between
    # China and Afghanistan. Other pairs' events do not make a comparison for this one.
    call = trend_call(ctx_of("2025-02-01", "2025-02-28", "CHN", "AFG"))
    assert call.call == INSUFFICIENT
    assert call.reason == (
        "Nothing between China and Afghanistan is recorded as happening in January 2025."
    )
    assert call.event_ids == ()
    assert call.rule.endswith(
        "and none when nothing between China and Afghanistan is recorded in the period "
        "compared with."
    )


def test_an_empty_comparison_period_names_only_the_pairs_activity_under_way(ctx_of):
    # November 2024 against October 2024, which holds only India's aid span (under way
    # since June): China-Afghanistan has no activity under way to name, India-Afghanistan
    # has the aid (test above).
    call = trend_call(ctx_of("2024-11-01", "2024-11-30", "CHN", "AFG"))
    assert call.call == INSUFFICIENT
    assert call.reason == "Nothing is recorded as happening in October 2024."
    assert call.event_ids == ()


def test_same_level_and_small_net_change_is_unchanged(ctx_of):
    # January against December 2024: secretary both (Dec call, Jan meeting): 0. Net +13.3
    # against +8.4 (call 1.0 + aid 7.4): +4.9, under 5: 0. Unchanged, no drivers named.
    call = trend_call(ctx_of("2025-01-01", "2025-01-31"))
    assert call.call == "unchanged"
    assert call.reason == (
        "Against December 2024: the most senior contact stayed at secretary level; net "
        "cooperation +13.3 against +8.4."
    )


def test_event_phrase_names_people_and_speaks_of_ministries_as_their_state(ctx_of):
    ctx = ctx_of("2025-03-01", "2025-03-31")
    row = ctx.events.set_index("event_id").loc["fx-mar-condemn"].copy()
    row["event_id"] = "fx-mar-condemn"
    assert event_phrase(ctx, row) == (
        "the statement by Afghanistan on Perpetrators of the Pahalgam attack (March 2025)"
    )


def test_fixture_is_a_valid_package(make_package):
    from helpers.data.validation import validate_package

    assert validate_package(make_package("briefing")) == []


# --- the data package (data/engagements.csv; Goldstein values from data/cameo.csv) ----------
# The record's 2025 events by month: January: the Dubai meeting (Misri-Muttaqi), the
# Taliban's praise of India, Araghchi's visit to Kabul (Iran-Afghanistan); February:
# nothing begins (China's accreditation is known only to 1 February 2022 - 28 February
# 2025); March: Harish's statement to the Security Council (India-UN) only; April: the
# Pahalgam attack, India's accusation of Pakistan, the Taliban's condemnation, Prakash's
# visit to Kabul; May: the Pakistani military's claim against India, the Taliban's
# rejection of it (Afghanistan-Pakistan), the Jaishankar-Muttaqi call, and Muttaqi's
# visit to China (scheduled). Nothing begins in December 2024. India's aid is a span from
# August 2021 to 22 April 2025.


@pytest.mark.parametrize(
    ("pair", "month", "reason"),
    [
        # December 2024 holds nothing at all; the aid under way is India's, not China's.
        ("CHN:AFG", "2025-01", "Nothing is recorded as happening in December 2024."),
        # January holds three events, none between China and Afghanistan.
        (
            "CHN:AFG",
            "2025-02",
            "Nothing between China and Afghanistan is recorded as happening in January 2025.",
        ),
        # April holds four events, none between Pakistan and Afghanistan (India's
        # accusation is India-Pakistan); May's rejection of the Pakistani military's
        # claims is not compared with anything.
        (
            "PAK:AFG",
            "2025-05",
            "Nothing between Pakistan and Afghanistan is recorded as happening in April 2025.",
        ),
        # March holds only Harish's statement to the Security Council: between India and
        # Afghanistan, only the aid under way since August 2021.
        (
            "IND:AFG",
            "2025-04",
            "Nothing between India and Afghanistan is recorded as happening in March 2025, "
            "only activity under way since earlier: the aid from India to Afghanistan "
            "(August 2021 – 22 April 2025).",
        ),
    ],
)
def test_calls_on_the_record_speak_of_their_pair(pair, month, reason):
    focus, counterpart = pair.split(":")
    month = pd.Period(month, "M")
    start, end = (str(t.date()) for t in (month.start_time, month.end_time))
    call = trend_call(prepare(start, end, focus, counterpart))
    assert (call.call, call.reason) == (INSUFFICIENT, reason)


def test_a_pair_with_a_contact_in_the_comparison_period_gets_a_call():
    # Iran-Afghanistan, February 2025 against January: Araghchi's visit to Kabul (visit
    # 042, +1.9; minister and institution, so institution level) and nothing in February.
    # Level: none after institution, -1; net 0 - 1.9, under 5, 0. Total -1: deteriorated.
    assert said(trend_call(prepare("2025-02-01", "2025-02-28", "IRN", "AFG"))) == (
        "deteriorated",
        "Against January 2025: nothing matched the visit between Abbas Araghchi and "
        "Afghanistan (January 2025), at institution level, as there was no contact at all; "
        "net cooperation +0.0 against +1.9.",
        ("araghchi-kabul-visit",),
    )
