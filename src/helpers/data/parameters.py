"""Checking notebook and build parameters before anything runs.

The notebooks call :func:`check_parameters` in the cell after their parameters cell, and
the build calls it before starting a kernel, so a typo gives one clear message and no
output at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..errors import ParameterError
from .periods import Window

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object, name: str) -> pd.Timestamp:
    """Parse an ISO date parameter, naming the parameter in any error."""
    text = str(value).strip()
    if not ISO_DATE.match(text):
        raise ParameterError(f"{name} {text!r} is not a date in the form YYYY-MM-DD")
    try:
        return pd.Timestamp(pd.to_datetime(text, format="%Y-%m-%d"))
    except (ValueError, OverflowError):
        raise ParameterError(f"{name} {text!r} is not a real calendar date") from None


def parse_window(start_date: object, end_date: object) -> Window:
    """Make the briefing window from two ISO dates; the start may not be after the end."""
    start = parse_date(start_date, "start_date")
    end = parse_date(end_date, "end_date")
    if start > end:
        raise ParameterError(
            f"start_date {start:%Y-%m-%d} is after end_date {end:%Y-%m-%d}; "
            "the period must run forward"
        )
    return Window(start, end)


@dataclass(frozen=True)
class Focus:
    """The dyad a briefing is about: the focus stakeholder and its counterpart."""

    focus: str
    counterpart: str


def check_focus(focus: object, counterpart: object, stakeholder_ids) -> Focus:
    """Check that focus and counterpart are distinct top-level stakeholder ids."""
    valid = sorted(stakeholder_ids)
    listing = ", ".join(valid)
    f, c = str(focus).strip(), str(counterpart).strip()
    for name, value in (("focus", f), ("counterpart", c)):
        if value not in valid:
            raise ParameterError(
                f"{name} {value!r} is not a stakeholder in actors.csv; valid codes: {listing}"
            )
    if f == c:
        raise ParameterError(f"focus and counterpart are both {f!r}; choose two stakeholders")
    return Focus(f, c)


PAIR = re.compile(r"^[A-Za-z0-9_-]+$")


def parse_pairs(text: object, where: str = "--pairs") -> list[tuple[str, str]]:
    """Parse a portfolio's pairs, ``'IND:AFG,PAK:AFG'``, into (focus, counterpart) tuples.

    Only the form is checked here; whether the codes are stakeholders is checked against
    the data (:func:`check_focus`), once, before a portfolio builds.

    Parameters
    ----------
    text : object
        Comma-separated ``FOCUS:COUNTERPART`` items; spaces around items are ignored.
    where : str
        Where the value came from, for the message ('--pairs', 'params/x.yaml, key pairs').

    Returns
    -------
    list of tuple of str
        The pairs in the order given.

    Raises
    ------
    ParameterError
        An empty value, an item that is not two codes joined by one ':', or a pair given
        twice; the message names ``where`` and the item.
    """
    raw = str(text).strip()
    if not raw:
        raise ParameterError(f"{where} is empty; give pairs as FOCUS:COUNTERPART,...")
    pairs: list[tuple[str, str]] = []
    for item in (part.strip() for part in raw.split(",")):
        sides = item.split(":")
        if len(sides) != 2 or not all(PAIR.match(s.strip()) for s in sides):
            raise ParameterError(
                f"{where}: {item!r} in {raw!r} is not a pair; write FOCUS:COUNTERPART "
                "(two actor codes joined by ':', pairs separated by ',', e.g. IND:AFG,PAK:AFG)"
            )
        pair = (sides[0].strip(), sides[1].strip())
        if pair in pairs:
            raise ParameterError(f"{where}: the pair {item!r} is given twice in {raw!r}")
        pairs.append(pair)
    return pairs
