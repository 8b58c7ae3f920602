"""Dates at their precision, windows and the placement rule (helpers.data.periods)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.data.periods import (
    Window,
    format_date,
    format_event_date,
    in_window,
    loosely_dated,
    month_of,
    precision_end,
)

T = pd.Timestamp


def window(start: str, end: str) -> Window:
    return Window(T(start), T(end))


def events(*rows: tuple[str, str, str, str | None]) -> pd.DataFrame:
    """Events as load_dataset shapes them: (event_id, date, precision, end_date or None)."""
    frame = pd.DataFrame(rows, columns=["event_id", "date", "date_precision", "end_date"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    point_end = precision_end(frame["date"], frame["date_precision"])
    frame["interval_end"] = frame["end_date"].where(frame["end_date"].notna(), point_end)
    return frame.set_index("event_id", drop=False)


def ids(frame: pd.DataFrame, mask: pd.Series) -> set[str]:
    return set(frame.loc[mask.to_numpy(), "event_id"])


# --- precision_end ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "precision", "expected"),
    [
        # A day-precision date is its own interval, even on a month's last day.
        ("2025-04-22", "day", "2025-04-22"),
        ("2024-02-29", "day", "2024-02-29"),
        # Month precision runs to the month's last day: May has 31 days, April 30.
        ("2025-05-01", "month", "2025-05-31"),
        ("2025-04-01", "month", "2025-04-30"),
        # February: 2024 is a leap year (divisible by 4, not a century), 2025 is not.
        ("2024-02-01", "month", "2024-02-29"),
        ("2025-02-01", "month", "2025-02-28"),
        # Year precision runs to 31 December.
        ("2025-01-01", "year", "2025-12-31"),
        ("2024-01-01", "year", "2024-12-31"),
    ],
)
def test_precision_end(date, precision, expected):
    out = precision_end(pd.Series([T(date)]), pd.Series([precision]))
    assert out.iloc[0] == T(expected)


def test_precision_end_mixes_precisions_row_by_row():
    dates = pd.Series([T("2024-02-01"), T("2024-02-01"), T("2024-02-01")])
    precision = pd.Series(["day", "month", "year"])
    # Same date, three precisions: the day itself, end of February 2024 (leap), end of 2024.
    assert list(precision_end(dates, precision)) == [
        T("2024-02-01"),
        T("2024-02-29"),
        T("2024-12-31"),
    ]


# --- formatting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "precision", "expected"),
    [
        ("2025-04-22", "day", "22 April 2025"),
        # No leading zero on the day.
        ("2025-03-05", "day", "5 March 2025"),
        ("2025-05-01", "month", "May 2025"),
        ("2025-01-01", "year", "2025"),
    ],
)
def test_format_date(date, precision, expected):
    assert format_date(T(date), precision) == expected


def test_format_date_of_missing_date_is_empty():
    assert format_date(pd.NaT, "day") == ""


def test_format_event_date_of_a_span_gives_both_ends():
    # The aid span: starts August 2021 (month precision), ends 10 March 2025 (a day);
    # joined by a spaced en dash.
    text = format_event_date(T("2021-08-01"), "month", T("2025-03-10"))
    assert text == "August 2021 \u2013 10 March 2025"


def test_format_event_date_of_a_point_event_ignores_missing_end():
    assert format_event_date(T("2025-05-01"), "month", pd.NaT) == "May 2025"
    assert format_event_date(T("2025-04-22"), "day") == "22 April 2025"


# --- Window ----------------------------------------------------------------------------


def test_window_days_counts_both_ends():
    # March 31 + April 30 + May 31 = 92.
    assert window("2025-03-01", "2025-05-31").days == 92
    # January to May 2025: 31 + 28 + 31 + 30 + 31 = 151.
    assert window("2025-01-01", "2025-05-31").days == 151
    assert window("2025-05-15", "2025-05-15").days == 1


def test_previous_of_march_to_may_is_the_same_length_just_before():
    w = window("2025-03-01", "2025-05-31")
    prev = w.previous()
    # It ends the day before the window starts: 28 February 2025 (2025 is not a leap year).
    assert prev.end == T("2025-02-28")
    # "Same length" with both ends counted (Window.days) is 92 days. Counting back 92 days
    # ending 28 February: February 28 + January 31 = 59, December 31 -> 90, so two more
    # days of November: 29 and 30 November. (30 November would give 91 days.)
    assert prev.start == T("2024-11-29")
    assert prev.days == w.days == 92


def test_previous_of_a_one_day_window_is_the_day_before():
    prev = window("2025-05-15", "2025-05-15").previous()
    assert (prev.start, prev.end) == (T("2025-05-14"), T("2025-05-14"))
    assert prev.days == 1


def test_previous_of_a_calendar_month_is_the_whole_month_before_across_a_leap_day():
    # March 2024 is a calendar month: it is compared with all of February 2024, which has
    # 29 days in a leap year, not with the 31 days before it (30 January-29 February).
    prev = window("2024-03-01", "2024-03-31").previous()
    assert (prev.start, prev.end) == (T("2024-02-01"), T("2024-02-29"))
    assert prev.days == 29


def test_previous_of_february_is_all_of_january():
    # The February edition compares with 1-31 January (31 days), not with the 28 days
    # 4-31 January that would drop an event dated only to January.
    prev = window("2025-02-01", "2025-02-28").previous()
    assert (prev.start, prev.end) == (T("2025-01-01"), T("2025-01-31"))


def test_previous_of_a_quarter_is_the_quarter_before():
    prev = window("2025-04-01", "2025-06-30").previous()
    assert (prev.start, prev.end) == (T("2025-01-01"), T("2025-03-31"))
    prev = window("2025-01-01", "2025-12-31").previous()
    assert (prev.start, prev.end) == (T("2024-01-01"), T("2024-12-31"))


def test_whole_months_that_are_not_a_quarter_compare_by_days():
    # January-May 2025 (151 days) is not a calendar month, quarter or year: the 151 days
    # before end on 31 December 2024; December 31 + November 30 + October 31 +
    # September 30 = 122, so 29 days of August: 3-31 August 2024.
    w = window("2025-01-01", "2025-05-31")
    assert w.calendar_unit == ""
    assert (w.previous().start, w.previous().end) == (T("2024-08-03"), T("2024-12-31"))
    # February-April is three months but not a calendar quarter.
    assert window("2025-02-01", "2025-04-30").calendar_unit == ""
    assert window("2025-02-01", "2025-02-28").calendar_unit == "month"


def test_window_text_names_a_calendar_month():
    assert window("2025-02-01", "2025-02-28").text() == "February 2025"
    assert window("2025-02-01", "2025-02-27").text() == "1 February – 27 February 2025"


def test_comparison_rule_is_printed_for_both_kinds():
    assert window("2025-02-01", "2025-02-28").comparison_rule() == (
        "A calendar month is compared with the month before it (January 2025)."
    )
    assert window("2025-06-01", "2025-07-31").comparison_rule() == (
        "A period that is not a calendar month, quarter or year is compared with the "
        "61 days before it (1 April – 31 May 2025)."
    )


def test_window_label():
    assert window("2025-01-01", "2025-05-31").label() == "1 January \u2013 31 May 2025"
    assert window("2024-11-29", "2025-02-28").label() == "29 November 2024 \u2013 28 February 2025"


def test_window_iso_round_trips_from_strings():
    w = Window.from_strings("2025-01-01", "2025-05-31")
    assert w.iso() == ("2025-01-01", "2025-05-31")


# --- placement: in_window / loosely_dated -----------------------------------------------

EVENTS = events(
    ("may-month", "2025-05-01", "month", None),
    ("april-22", "2025-04-22", "day", None),
    ("aid-span", "2021-08-01", "month", "2025-03-10"),
    ("year-2025", "2025-01-01", "year", None),
)


def test_month_event_is_in_its_month_window():
    w = window("2025-05-01", "2025-05-31")
    # May event's interval 1-31 May lies inside; April 22 and the span (ends 10 March)
    # are outside; the year event's interval (all 2025) sticks out on both sides.
    assert ids(EVENTS, in_window(EVENTS, w)) == {"may-month"}
    assert ids(EVENTS, loosely_dated(EVENTS, w)) == {"year-2025"}


def test_month_event_is_in_a_longer_window_ending_with_its_month():
    w = window("2025-01-01", "2025-05-31")
    # May event: inside. 22 April: inside. Span 2021-08..2025-03-10 overlaps from 1 Jan to
    # 10 Mar, so it counts. Year event runs to 31 Dec, past 31 May: loosely dated.
    assert ids(EVENTS, in_window(EVENTS, w)) == {"may-month", "april-22", "aid-span"}
    assert ids(EVENTS, loosely_dated(EVENTS, w)) == {"year-2025"}


def test_month_event_is_not_in_half_its_month_but_loosely_dated_there():
    w = window("2025-05-15", "2025-05-31")
    # The May event may have happened 1-14 May, before the window: not placed, but listed.
    assert "may-month" not in ids(EVENTS, in_window(EVENTS, w))
    assert "may-month" in ids(EVENTS, loosely_dated(EVENTS, w))


def test_month_event_is_in_neither_list_of_a_window_it_cannot_touch():
    w = window("2025-06-01", "2025-06-30")
    assert "may-month" not in ids(EVENTS, in_window(EVENTS, w))
    assert "may-month" not in ids(EVENTS, loosely_dated(EVENTS, w))


def test_no_point_event_is_counted_in_two_disjoint_windows():
    april, may = window("2025-04-01", "2025-04-30"), window("2025-05-01", "2025-05-31")
    points = EVENTS[EVENTS["end_date"].isna()]
    both = ids(points, in_window(points, april)) & ids(points, in_window(points, may))
    assert both == set()


def test_span_counts_where_it_overlaps_and_is_never_loose():
    # The span's last day is 10 March 2025.
    on_last_day = window("2025-03-10", "2025-03-10")
    after = window("2025-03-11", "2025-05-31")
    before_start = window("2021-01-01", "2021-07-31")
    first_month = window("2021-08-01", "2021-08-31")
    assert "aid-span" in ids(EVENTS, in_window(EVENTS, on_last_day))
    assert "aid-span" in ids(EVENTS, in_window(EVENTS, first_month))
    assert "aid-span" not in ids(EVENTS, in_window(EVENTS, after))
    assert "aid-span" not in ids(EVENTS, in_window(EVENTS, before_start))
    for w in (on_last_day, after, before_start, first_month):
        assert "aid-span" not in ids(EVENTS, loosely_dated(EVENTS, w))


def test_year_event_needs_the_whole_year():
    year = window("2025-01-01", "2025-12-31")
    assert "year-2025" in ids(EVENTS, in_window(EVENTS, year))
    assert "year-2025" not in ids(EVENTS, loosely_dated(EVENTS, year))
    # The previous year cannot hold it at all.
    last_year = window("2024-01-01", "2024-12-31")
    assert "year-2025" not in ids(EVENTS, in_window(EVENTS, last_year))
    assert "year-2025" not in ids(EVENTS, loosely_dated(EVENTS, last_year))


def test_day_event_in_a_one_day_window():
    w = window("2025-04-22", "2025-04-22")
    # Only the 22 April event fits; the year event overlaps and is loose; the May event
    # and the span (ended 10 March) do not touch the day.
    assert ids(EVENTS, in_window(EVENTS, w)) == {"april-22"}
    assert ids(EVENTS, loosely_dated(EVENTS, w)) == {"year-2025"}


# --- month_of --------------------------------------------------------------------------


def test_month_of():
    months = month_of(EVENTS)
    assert months["may-month"] == pd.Period("2025-05", "M")
    assert months["april-22"] == pd.Period("2025-04", "M")
    # A span counts in the month it starts.
    assert months["aid-span"] == pd.Period("2021-08", "M")
    # A year-precision event belongs to no single month.
    assert pd.isna(months["year-2025"])


# --- interval precision (a February the source gives without a year) -------------------

INTERVALS = events(
    # China accepts a Taliban ambassador's credentials "in February": 2022 to 2025.
    ("feb-no-year", "2022-02-01", "interval", "2025-02-28"),
    # An interval that stays inside one month (22-30 April 2025).
    ("late-april", "2025-04-22", "interval", "2025-04-30"),
)


def test_interval_is_placed_only_where_all_of_it_lies():
    # 1 Feb 2022 - 28 Feb 2025 lies inside 2022-2025, so the whole record's span holds it.
    assert ids(INTERVALS, in_window(INTERVALS, window("2022-01-01", "2025-12-31"))) == {
        "feb-no-year",
        "late-april",
    }
    # January-May 2025 and February 2025 alone hold only its end: loosely dated there,
    # not counted, although a span with the same dates would count in both.
    for w in (window("2025-01-01", "2025-05-31"), window("2025-02-01", "2025-02-28")):
        assert "feb-no-year" not in ids(INTERVALS, in_window(INTERVALS, w))
        assert "feb-no-year" in ids(INTERVALS, loosely_dated(INTERVALS, w))
    # After its last possible day it is in neither list.
    after = window("2025-03-01", "2025-05-31")
    assert "feb-no-year" not in ids(INTERVALS, in_window(INTERVALS, after))
    assert "feb-no-year" not in ids(INTERVALS, loosely_dated(INTERVALS, after))
    # The one-month interval: in April, loosely dated in 1-25 April.
    april, early = window("2025-04-01", "2025-04-30"), window("2025-04-01", "2025-04-25")
    assert "late-april" in ids(INTERVALS, in_window(INTERVALS, april))
    assert "late-april" in ids(INTERVALS, loosely_dated(INTERVALS, early))


def test_interval_is_not_a_span():
    from helpers.data.periods import is_span

    both = pd.concat([EVENTS, INTERVALS])
    assert ids(both, is_span(both)) == {"aid-span"}


def test_month_of_an_interval_only_when_it_stays_in_one_month():
    months = month_of(INTERVALS)
    assert pd.isna(months["feb-no-year"])
    assert months["late-april"] == pd.Period("2025-04", "M")


def test_format_an_interval_gives_the_two_days_it_lies_between():
    text = "between 1 February 2022 and 28 February 2025"
    assert format_date(T("2022-02-01"), "interval", T("2025-02-28")) == text
    # Its end_date is not a span's end: no second dash.
    assert format_event_date(T("2022-02-01"), "interval", T("2025-02-28")) == text
