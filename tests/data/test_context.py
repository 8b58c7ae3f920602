"""What every notebook does first (helpers.data.context.prepare), on the real data/."""

from __future__ import annotations

import pytest

from helpers.data.context import prepare
from helpers.data.parameters import ParameterError
from helpers.data.validation import DataValidationError

# Counted by hand from data/engagements.csv for 1 January - 31 May 2025 under the placement
# rule (a point event's whole interval inside the window; a span wherever it overlaps):
# - india-humanitarian-aid: span Aug 2021 - 22 Apr 2025, overlaps -> in.
# - January (month): dubai-misri-muttaqi, taliban-praise-india, araghchi-kabul-visit -> in.
# - china-accepts-ambassador: interval 1 Feb 2022 - 28 Feb 2025 (a February, year not
#   given), starts before 1 January 2025 -> loosely dated, not counted.
# - 10 March (day): harish-unsc-statement -> in.
# - April: pahalgam-attack (22nd), india-accuses-pakistan, taliban-condemn-pahalgam,
#   prakash-kabul-visit (month) -> in.
# - May (month): pakistan-military-alleges-strikes, taliban-reject-pakistan-claims,
#   jaishankar-muttaqi-call, muttaqi-china-visit (scheduled, still dated May) -> in.
# - taliban-take-kabul: August 2021 -> out.
# - Year 2025 (interval runs to 31 Dec, past 31 May): muttaqi-yue-talks,
#   china-invites-muttaqi, muttaqi-iran-visit -> loosely dated.
JAN_TO_MAY_2025 = {
    "india-humanitarian-aid",
    "dubai-misri-muttaqi",
    "taliban-praise-india",
    "araghchi-kabul-visit",
    "harish-unsc-statement",
    "pahalgam-attack",
    "india-accuses-pakistan",
    "taliban-condemn-pahalgam",
    "prakash-kabul-visit",
    "pakistan-military-alleges-strikes",
    "taliban-reject-pakistan-claims",
    "jaishankar-muttaqi-call",
    "muttaqi-china-visit",
}
LOOSE_JAN_TO_MAY_2025 = {
    "china-accepts-ambassador",
    "muttaqi-yue-talks",
    "china-invites-muttaqi",
    "muttaqi-iran-visit",
}


@pytest.fixture(scope="module")
def ctx():
    return prepare("2025-01-01", "2025-05-31")


def test_prepare_selects_the_hand_counted_events(ctx):
    assert set(ctx.events["event_id"]) == JAN_TO_MAY_2025
    assert len(ctx.events) == 13
    assert set(ctx.loose["event_id"]) == LOOSE_JAN_TO_MAY_2025


def test_previous_period_holds_only_the_aid_span(ctx):
    # The previous period ends 31 December 2024 and starts in 2024; the only event
    # placed there is the aid span (Aug 2021 - 22 Apr 2025). The China interval (Feb 2022 -
    # Feb 2025) touches it too but is not inside it.
    assert set(ctx.previous_events["event_id"]) == {"india-humanitarian-aid"}


def test_context_carries_the_dyad(ctx):
    assert (ctx.focus, ctx.counterpart) == ("IND", "AFG")
    assert ctx.dyad_label == "India and Afghanistan (Taliban government)"
    assert ctx.window.days == 151  # 31 + 28 + 31 + 30 + 31


def test_window_after_all_data_is_empty_without_error():
    # The latest interval in the data ends 31 December 2025 (year-precision events).
    ctx = prepare("2030-01-01", "2030-12-31")
    assert len(ctx.events) == 0
    assert len(ctx.loose) == 0
    assert len(ctx.previous_events) == 0


def test_bad_date_fails_before_the_data_is_read(tmp_path):
    nowhere = tmp_path / "no-such-package"
    # With good dates the missing folder is a data error ...
    with pytest.raises(DataValidationError):
        prepare("2025-01-01", "2025-05-31", data_dir=str(nowhere))
    # ... so a ParameterError here proves the dates were checked first.
    with pytest.raises(ParameterError, match="start_date '2025-02-30' is not a real calendar"):
        prepare("2025-02-30", "2025-05-31", data_dir=str(nowhere))
    with pytest.raises(ParameterError, match="start_date 2025-06-01 is after end_date"):
        prepare("2025-06-01", "2025-05-01", data_dir=str(nowhere))


def test_unknown_focus_lists_the_stakeholders():
    with pytest.raises(ParameterError) as info:
        prepare("2025-01-01", "2025-05-31", focus="JAISHANKAR")
    # A person is not a stakeholder; the valid codes are the ten top-level actors, sorted.
    assert str(info.value) == (
        "focus 'JAISHANKAR' is not a stakeholder in actors.csv; valid codes: AFG, CHN, IND, "
        "IND_CRITICS, IRN, PAHALGAM_ATTACKERS, PAK, TTP, UN, WEST"
    )


def test_other_dyad():
    other = prepare("2025-01-01", "2025-05-31", focus="PAK", counterpart="AFG")
    assert other.dyad_label == "Pakistan and Afghanistan (Taliban government)"
    # The events selected do not depend on the dyad.
    assert set(other.events["event_id"]) == JAN_TO_MAY_2025


def test_a_held_event_supersedes_its_announcement_from_the_day_it_is_held(held_visit_package):
    # The timeline fixture plus the Muttaqi visit to China, announced for May, held 20 May.
    pkg = held_visit_package
    # May: the held visit is placed; the announcement is superseded, not also placed.
    may = prepare("2025-05-01", "2025-05-31", data_dir=pkg)
    assert "fx-china-visit-held" in set(may.events["event_id"])
    assert "fx-china-visit-scheduled" not in set(may.events["event_id"])
    # To 25 May: held on the 20th, so the announcement (May, may end after the 25th) is
    # not listed as loosely dated either.
    to_25 = prepare("2025-05-01", "2025-05-25", data_dir=pkg)
    assert "fx-china-visit-scheduled" not in set(to_25.loose["event_id"])
    # To 10 May: not yet held, so the announcement still stands (loosely dated there).
    to_10 = prepare("2025-05-01", "2025-05-10", data_dir=pkg)
    assert "fx-china-visit-scheduled" in set(to_10.loose["event_id"])
    # 1 June - 1 July (31 days) has 1-31 May as its previous period: held by its end, so
    # superseded there too (without the held row the announcement would be placed there).
    june = prepare("2025-06-01", "2025-07-01", data_dir=pkg)
    assert "fx-china-visit-scheduled" not in set(june.previous_events["event_id"])
    assert "fx-china-visit-held" in set(june.previous_events["event_id"])
