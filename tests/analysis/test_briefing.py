"""The briefing's generated sections, checked against counts worked out by hand from
data/engagements.csv and data/positions.csv (the reasoning is in each test)."""

from __future__ import annotations

import pytest

from helpers.analysis import briefing
from helpers.data.context import prepare


@pytest.fixture(scope="module")
def default():
    return prepare("2025-01-01", "2025-05-31")


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
