"""What every notebook does first: check its parameters, load the data, select the window.

A notebook's cell after its ``parameters`` cell is
``ctx = prepare(start_date, end_date, focus, counterpart, data_dir)``. Parameters are
checked before the data is read, so a bad date fails at once with a clear message.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .dataset import Dataset, Scope, load_dataset, remember
from .defaults import with_defaults
from .parameters import check_focus, parse_window
from .periods import Window, in_window, loosely_dated


@dataclass
class BriefingContext:
    """Parameters, data and the events of the window and the previous period."""

    window: Window
    focus: str
    counterpart: str
    data: Dataset
    events: pd.DataFrame
    """Events placed in the window (see :mod:`helpers.data.periods`)."""
    loose: pd.DataFrame
    """Point events that may fall in the window but whose dates cross its edge."""
    previous_events: pd.DataFrame
    """Events placed in the previous period of the same length."""

    @property
    def previous(self) -> Window:
        return self.window.previous()

    def name(self, actor_id: str) -> str:
        return self.data.name_of(actor_id)

    @property
    def dyad_label(self) -> str:
        return f"{self.name(self.focus)} and {self.name(self.counterpart)}"


def superseded(events: pd.DataFrame, end: pd.Timestamp) -> pd.Series:
    """Scheduled events that an occurred event ``fulfils`` by ``end`` (its whole interval).

    Once the announced event is recorded as held, the held row carries it: the
    announcement is not also counted, listed as loosely dated or shown as still to come
    in a period that ends after the held event. Before that, the announcement stands.
    """
    held = events[
        (events["fulfils"] != "")
        & (events["status"] == "occurred")
        & (events["interval_end"] <= end)
    ]
    return (events["status"] == "scheduled") & events["event_id"].isin(held["fulfils"])


def select(data: Dataset, window: Window, focus: str, counterpart: str) -> BriefingContext:
    """Build the context for already-loaded data."""
    ev = before = data.engagements
    if (ev["fulfils"] != "").any():  # rare: most records hold no announced-then-held pair
        ev = ev[~superseded(ev, window.end)]
        before = before[~superseded(before, window.previous().end)]
    return BriefingContext(
        window=window,
        focus=focus,
        counterpart=counterpart,
        data=data,
        events=ev[in_window(ev, window)].reset_index(drop=True),
        loose=ev[loosely_dated(ev, window)].reset_index(drop=True),
        previous_events=before[in_window(before, window.previous())].reset_index(drop=True),
    )


def prepare(
    start_date: str | None = None,
    end_date: str | None = None,
    focus: str | None = None,
    counterpart: str | None = None,
    data_dir: str | None = None,
) -> BriefingContext:
    """Check parameters, load and validate the data, and select the window's events.

    A parameter left out takes the notebooks' default (their parameters cells; the
    notebooks themselves always pass all five).

    Only the rows the window can use are loaded (see :class:`helpers.data.dataset.Scope`), so a
    kernel holds the window and its previous period, not the whole record.

    Raises
    ------
    ParameterError
        A date that does not parse, a start after the end, or an unknown focus or
        counterpart (the message lists the valid codes).
    DataValidationError
        The data package breaks its schema (every problem listed).
    """
    p = with_defaults(
        start_date=start_date,
        end_date=end_date,
        focus=focus,
        counterpart=counterpart,
        data_dir=data_dir,
    )
    window = parse_window(p["start_date"], p["end_date"])
    data = load_dataset(p["data_dir"], Scope(window))
    dyad = check_focus(p["focus"], p["counterpart"], data.stakeholders.index)
    known = _PREPARED.get((window, dyad.focus, dyad.counterpart))
    if known is not None and known.data is data:  # data is the remembered load
        return known
    return select(data, window, dyad.focus, dyad.counterpart)


_PREPARED: dict[tuple, BriefingContext] = {}


def remember_context(
    start_date: str, end_date: str, focus: str, counterpart: str, data_dir: str = ""
) -> BriefingContext:
    """Prepare a context and keep it in this process for :func:`prepare` to hand out.

    The build's kernel host calls this before forking the kernels, so they share one
    selected window (copy-on-write) instead of each copying it out of the shared data.
    It is handed out only while its data is the remembered load
    (:func:`helpers.data.dataset.remember`), that is, for the same folder, scope and file
    hashes.
    """
    window = parse_window(start_date, end_date)
    remember(data_dir, Scope(window))
    ctx = prepare(start_date, end_date, focus, counterpart, data_dir)
    _PREPARED.clear()
    _PREPARED[(ctx.window, ctx.focus, ctx.counterpart)] = ctx
    return ctx
