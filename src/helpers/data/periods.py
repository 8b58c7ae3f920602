"""Dates at their precision, briefing windows and the rule that places events in them.

An event's recorded ``date`` is the first day it may have happened on; its precision
says how long the uncertain interval is (a day, a month or a year), or, for precision
``interval``, that it ends on ``end_date`` (one event on a day the sources do not narrow
further, such as "in February" with no year). A span (any other event with ``end_date``)
is ongoing activity that runs from ``date`` to ``end_date``.

Placement rule, used by every analysis: a dated event belongs to a window when its whole
uncertain interval lies inside the window, so a month-precision event falls in its month
and in no other, and no event is ever counted in two disjoint windows. A span belongs to
every window it overlaps (it was ongoing there). Point events whose interval straddles
the window's edge are "loosely dated": not counted, but listed so the reader knows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DAY = pd.Timedelta(days=1)


def precision_end(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """Last day of each date's uncertain interval (the day, its month or its year)."""
    month_end = dates + pd.offsets.MonthEnd(0)
    year_end = dates + pd.offsets.YearEnd(0)
    out = dates.where(precision == "day", month_end.where(precision == "month", year_end))
    return out


def format_date(date: pd.Timestamp, precision: str, end_date=None) -> str:
    """Write a date at its precision: '22 April 2025', 'May 2025' or '2025'.

    An interval needs its ``end_date``: 'between 1 February 2022 and 28 February 2025'.
    """
    if pd.isna(date):
        return ""
    if precision == "interval":
        return f"between {format_date(date, 'day')} and {format_date(end_date, 'day')}"
    if precision == "year":
        return f"{date.year}"
    if precision == "month":
        return f"{date:%B} {date.year}"
    return f"{date.day} {date:%B} {date.year}"


def format_event_date(date: pd.Timestamp, precision: str, end_date=None) -> str:
    """Date of an event for tables: at its precision, with the end of a span."""
    text = format_date(date, precision, end_date)
    if precision != "interval" and end_date is not None and not pd.isna(end_date):
        text = f"{text} – {format_date(end_date, 'day')}"
    return text


@dataclass(frozen=True)
class Window:
    """A briefing period, both ends included."""

    start: pd.Timestamp
    end: pd.Timestamp

    @classmethod
    def from_strings(cls, start: str, end: str) -> Window:
        """Make a window from two dates as text (any form pandas reads)."""
        return cls(pd.Timestamp(start), pd.Timestamp(end))

    @property
    def days(self) -> int:
        """Number of calendar days in the window, both ends counted."""
        return (self.end - self.start).days + 1

    @property
    def calendar_unit(self) -> str:
        """Name the calendar period the window is exactly: 'month', 'quarter' or 'year'.

        The empty string for any other window.
        """
        s, e = self.start, self.end
        if s.day != 1 or e != e + pd.offsets.MonthEnd(0):
            return ""
        months = (e.year - s.year) * 12 + e.month - s.month + 1
        if months == 1:
            return "month"
        if months == 3 and s.month % 3 == 1:
            return "quarter"
        if months == 12 and s.month == 1:
            return "year"
        return ""

    def previous(self) -> Window:
        """Return the period this one is compared with.

        A calendar month, quarter or year (see :attr:`calendar_unit`) is compared with
        the one before it: February 2025 with all of January 2025, the second quarter
        with the first, whatever their numbers of days, so that an event dated only to
        its month is never cut off. Any other window is compared with the period of the
        same number of days ending the day before it starts: 1 March–31 May 2025
        (92 days) gives 29 November 2024–28 February 2025 (92 days); a one-day window
        gives the day before. Equal length keeps counts comparable between the two.
        """
        months = {"month": 1, "quarter": 3, "year": 12}.get(self.calendar_unit)
        if months:
            start = self.start - pd.DateOffset(months=months)
            return Window(pd.Timestamp(start), self.start - DAY)
        return Window(self.start - pd.Timedelta(days=self.days), self.start - DAY)

    def comparison_rule(self) -> str:
        """Return the sentence a briefing prints to say what this window is compared with."""
        unit = self.calendar_unit
        if unit:
            return (
                f"A calendar {unit} is compared with the {unit} before it "
                f"({self.previous().text()})."
            )
        return (
            f"A period that is not a calendar month, quarter or year is compared with the "
            f"{self.days:,} days before it ({self.previous().text()})."
        )

    def label(self) -> str:
        """'1 January – 31 May 2025'; both years when they differ; one date for one day."""
        s, e = self.start, self.end
        if s == e:
            return f"{s.day} {s:%B} {s.year}"
        if s.year == e.year:
            return f"{s.day} {s:%B} – {e.day} {e:%B} {e.year}"
        return f"{s.day} {s:%B} {s.year} – {e.day} {e:%B} {e.year}"

    def text(self) -> str:
        """'January 2025' for a calendar month, else :meth:`label`."""
        if self.calendar_unit == "month":
            return f"{self.start:%B} {self.start.year}"
        return self.label()

    def iso(self) -> tuple[str, str]:
        """Return the two ends as 'YYYY-MM-DD'."""
        return (f"{self.start:%Y-%m-%d}", f"{self.end:%Y-%m-%d}")


def is_span(events: pd.DataFrame) -> pd.Series:
    """Mark the spans: ongoing activity from ``date`` to ``end_date`` (not intervals)."""
    return events["end_date"].notna() & (events["date_precision"] != "interval")


def in_window(events: pd.DataFrame, window: Window) -> pd.Series:
    """Boolean mask of events placed in ``window`` by the rule in this module's docstring."""
    span = is_span(events)
    contained = (events["date"] >= window.start) & (events["interval_end"] <= window.end)
    overlaps = (events["date"] <= window.end) & (events["interval_end"] >= window.start)
    return (~span & contained) | (span & overlaps)


def loosely_dated(events: pd.DataFrame, window: Window) -> pd.Series:
    """Point events that may fall in the window but whose interval crosses its edge."""
    span = is_span(events)
    overlaps = (events["date"] <= window.end) & (events["interval_end"] >= window.start)
    return ~span & overlaps & ~in_window(events, window)


def month_of(events: pd.DataFrame) -> pd.Series:
    """Month (as a monthly Period) each event belongs to; missing for year precision.

    Day- and month-precision events fall in the month of their date and no other; a
    year-precision event cannot be placed in any one month, nor can an interval that
    crosses a month's end. A span counts in the month it starts.
    """
    months = events["date"].dt.to_period("M")
    precision = events["date_precision"]
    one_month = months == events["interval_end"].dt.to_period("M")
    return months.where((precision != "year") & ((precision != "interval") | one_month))
