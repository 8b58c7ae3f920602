"""Figures for the timeline annex: each takes analysis output and returns a Figure.

The data come from :mod:`helpers.analysis.timeline`; nothing here reads the data package or
decides what counts. Figures are sized for the A4 text width and built inside
:func:`helpers.presentation.style.styled`, without pyplot. Every figure also copes with no data: it
then says so in words instead of drawing empty axes.
"""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from ..analysis.timeline import Chronology, HighestContact, chart_numbers
from ..data.dataset import LEVELS
from ..data.periods import Window
from .chronology_drawing import (
    MARKER_SIZE,
    ROW_IN,
    RUG_ROWS,
    LaneLayout,
    draw_incidents,
    draw_keys,
    draw_lane_bands,
    draw_marks,
    draw_monthly_bars,
)
from .chronology_drawing import (
    MARKERS as MARKERS,
)
from .style import (
    GRID,
    HEAT_CMAP,
    INK,
    MUTED,
    new_figure,
    sequential_norm,
    styled,
)

CHRONOLOGY_CAPTION = (
    "One lane per relationship. Shape: event type; colour: Goldstein value, from "
    "conflict (red) to cooperation (blue); hollow: scheduled, not yet held; bar: an event "
    "known only to its month or year, or a span, over the time it may have taken; hatched: "
    "loosely dated, may fall outside the period, not counted; red line or band: security "
    "incident."
)
"""What the chronology's marks mean; :func:`chronology_caption` adds what is numbered."""
SENIORITY_CAPTION = (
    "Most senior level of contact (meeting, call, visit, agreement, recognition or "
    "accreditation) between the two sides in each month; grey dots: months without contact."
)
TOPICS_CAPTION = (
    "Events between the two sides tagged with each topic, by month; an event may carry "
    "several topics."
)


def chronology_caption(chron: Chronology) -> str:
    """Return the chronology's caption: what its marks mean and which events carry a number.

    Only some events are numbered on the chart (security incidents, curated milestones
    and the most senior contact, as :func:`helpers.timeline.chronology` chooses them); the
    caption says so and how many, so that it promises no more than the chart gives.
    """
    n = len(chart_numbers(chron))
    if n == 0:
        return (
            f"{CHRONOLOGY_CAPTION} No event is numbered: no security incident, curated "
            "milestone or most senior contact is drawn on its own."
        )
    which = "event carries its" if n == 1 else "events carry their"
    return (
        f"{CHRONOLOGY_CAPTION} Numbered: security incidents, curated milestones and the most "
        f"senior contact; these {n:,} {which} number{'s' if n != 1 else ''} in the event table."
    )


def message_figure(text: str, height_in: float = 1.0) -> Figure:
    """Make a figure that only says ``text``: a chart's stand-in when there is nothing to draw."""
    with styled():
        fig = new_figure(height_in)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, text, ha="center", va="center", color=MUTED, wrap=True)
    return fig


def _date_axis(ax, window: Window) -> None:
    lo, hi = window.start, window.end + pd.Timedelta(days=1)
    ax.set_xlim(lo, hi)
    months = len(pd.period_range(lo, window.end, freq="M"))
    if window.days <= 14:
        # Short windows: one tick per day (never hours), labelled '22 Apr'.
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, window.days // 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    if months <= 36:
        ax.xaxis.set_minor_locator(mdates.MonthLocator())
    else:
        ax.xaxis.set_minor_locator(mdates.YearLocator())
    ax.grid(True, which="minor", axis="x", color=GRID, linewidth=0.6)
    ax.grid(True, which="major", axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def chronology_chart(chron: Chronology) -> Figure:
    """Events on a time axis, one lane per relationship.

    Marker shape gives the event type and colour its Goldstein value (colour bar below).
    A scheduled event is hollow; a loosely dated one (not counted) is hatched and faint.
    An event known only to its month or year is a bar over that month or year, clipped
    to the window; a span is a bar over its length. Security incidents are marked across
    all lanes. Numbered events are keyed to the event table; lanes too dense for single
    events show a bar per month (height: events, colour: mean Goldstein value).

    Parameters
    ----------
    chron : Chronology
        From :func:`helpers.analysis.timeline.chronology`.

    Returns
    -------
    Figure
    """
    if chron.empty:
        return message_figure(f"No engagements are recorded for {chron.window.label()}.")

    window = chron.window
    # Days taken by one character of a 7 pt label (about 0.06 in on a ~5.2 in axis).
    char_days = window.days * 0.06 / 5.2
    lanes = LaneLayout(chron)
    with styled():
        # Incidents too many for lines are ticks in a strip above the first lane, inside
        # the axes so that the legend above keeps clear of them.
        strip = RUG_ROWS if chron.incident_mode == "rug" and len(chron.incidents) else 0.0
        fig = new_figure((lanes.total + strip) * ROW_IN + 1.9)
        ax = fig.add_subplot()
        _date_axis(ax, window)
        draw_lane_bands(ax, chron, lanes, strip)
        draw_incidents(ax, chron, strip, char_days)
        draw_marks(ax, chron, lanes.pad, char_days)
        draw_monthly_bars(ax, chron, lanes.pad)
        draw_keys(fig, ax, chron)
    return fig


def seniority_chart(
    ladder: pd.DataFrame, window: Window, highest: HighestContact | None = None
) -> Figure:
    """Draw the most senior level of focus-dyad contact in each month of the window.

    Parameters
    ----------
    ladder : DataFrame
        From :func:`helpers.analysis.timeline.seniority_by_month`.
    window : Window
        The briefing window (fixes the time axis).
    highest : HighestContact, optional
        From :func:`helpers.analysis.timeline.highest_contact`; its "since" finding is written
        beside the most senior point.

    Returns
    -------
    Figure
        Levels from leader (top) to institution, and a bottom row for months without
        contact; one dot per month.
    """
    if ladder.empty or (ladder["contacts"] == 0).all():
        # "Can be placed": a loosely dated contact may still fall in the window.
        return message_figure(
            f"No contact between the two sides can be placed in {window.label()}."
        )
    rows = [*LEVELS, "no contact"]
    with styled():
        fig = new_figure(2.3)
        ax = fig.add_subplot()
        _date_axis(ax, window)
        mid = [m.start_time + (m.end_time - m.start_time) / 2 for m in ladder["month"]]
        rank = ladder["level_rank"].fillna(len(LEVELS)).astype(float)
        has = ladder["contacts"] > 0
        x_has = [x for x, h in zip(mid, has) if h]
        ax.plot(
            x_has,
            rank[has],
            marker="o",
            linestyle="none",
            markersize=MARKER_SIZE + 1,
            markerfacecolor="#0072B2",
            markeredgecolor=INK,
            markeredgewidth=0.6,
            zorder=3,
            gid="contact-months",
        )
        x_none = [x for x, h in zip(mid, has) if not h]
        ax.plot(
            x_none,
            [len(LEVELS)] * len(x_none),
            marker="o",
            linestyle="none",
            markersize=3,
            color=MUTED,
            zorder=3,
            gid="no-contact-months",
        )
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([r.replace("_", " ") for r in rows])
        ax.grid(True, axis="y", color=GRID, linewidth=0.6)
        if highest is not None:
            best = int(rank[has].min())
            first = next(x for x, r, h in zip(mid, rank, has) if h and r == best)
            right = (first - window.start) / (window.end - window.start) > 0.55
            ax.annotate(
                f"highest-level contact\n{highest.since_text}",
                (mdates.date2num(first), best),
                xytext=(-8 if right else 8, -4),
                textcoords="offset points",
                ha="right" if right else "left",
                va="top",
                fontsize=7,
                color=INK,
            )
        ax.set_ylabel("Most senior level")
    return fig


def topic_heatmap(grid: pd.DataFrame, window: Window, max_cells_with_text: int = 160) -> Figure:
    """Topics raised by month: a heat map of event counts, counts written in the cells.

    Parameters
    ----------
    grid : DataFrame
        From :func:`helpers.analysis.timeline.topic_months` (topics by months).
    window : Window
        The briefing window (for the empty message).
    max_cells_with_text : int
        Above this many cells the counts are not written (a colour bar is drawn instead).

    Returns
    -------
    Figure
    """
    if grid.empty or int(grid.to_numpy().sum()) == 0:
        return message_figure(f"No topics are recorded for the two sides in {window.label()}.")
    values = grid.to_numpy()
    n_rows, n_cols = values.shape
    write = values.size <= max_cells_with_text
    with styled():
        fig = new_figure(0.25 * n_rows + 1.0)
        ax = fig.add_subplot()
        norm = sequential_norm(values.max())
        mesh = ax.pcolormesh(values, cmap=HEAT_CMAP, norm=norm, edgecolors="white", linewidth=0.8)
        ax.set_ylim(n_rows, 0)
        ax.set_yticks([i + 0.5 for i in range(n_rows)])
        ax.set_yticklabels([str(t).replace("_", " ") for t in grid.index])
        step = max(1, -(-n_cols // 12))
        ticks = list(range(0, n_cols, step))
        ax.set_xticks([i + 0.5 for i in ticks])
        ax.set_xticklabels([_month_tick(grid.columns[i], i == 0) for i in ticks])
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        if write:
            cmap = mpl.colormaps[HEAT_CMAP]
            for r in range(n_rows):
                for c in range(n_cols):
                    v = int(values[r, c])
                    if v:
                        dark = sum(cmap(norm(v))[:3]) / 3 < 0.5
                        ax.text(
                            c + 0.5,
                            r + 0.5,
                            f"{v:,}",
                            ha="center",
                            va="center",
                            fontsize=7,
                            color="white" if dark else INK,
                        )
        else:
            cbar = fig.colorbar(mesh, ax=ax, location="right", shrink=0.8, aspect=20)
            cbar.set_label("events", fontsize=7)
    return fig


def _month_tick(month: pd.Period, first: bool) -> str:
    text = f"{month.start_time:%b}"
    return f"{text}\n{month.year}" if first or month.month == 1 else text
