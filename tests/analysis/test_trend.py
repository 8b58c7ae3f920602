"""The honest trend call (fixture tests/fixtures/briefing; answers worked by hand).

Goldstein values (data/cameo.csv): aid 073 +7.4, call 041 +1.0, meeting at a third
location 044 +2.5, praise 051 +3.4, recognition 054 +6.0, condemnation 111 -2.0.
The record ends on 31 March 2025 (see test_coverage).
"""

from __future__ import annotations

import pytest

from helpers.analysis.trend import INSUFFICIENT, NO_CALL, event_phrase, trend_call
from helpers.data.context import prepare


@pytest.fixture
def ctx_of(make_package):
    pkg = make_package("briefing")

    def make(start: str, end: str, focus: str = "IND", counterpart: str = "AFG"):
        return prepare(start, end, focus, counterpart, str(pkg))

    return make


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
    # China-Afghanistan, February against January: January has nothing China-Afghanistan
    # but the record holds events then (the call can be made). February: the recognition,
    # institution level (+1 against none) and +6.0 net (+1). Total +2: improved.
    call = trend_call(ctx_of("2025-02-01", "2025-02-28", "CHN", "AFG"))
    assert call.call == "improved"
    assert call.reason == (
        "Against January 2025: the recognition from China to Afghanistan (February 2025) was "
        "more senior, at institution level, than any contact then; net cooperation +6.0 "
        "against +0.0, mostly the recognition from China to Afghanistan (February 2025)."
    )


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
