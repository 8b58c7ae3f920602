"""Figures for the timeline annex: each takes analysis output and returns a Figure.

The data come from :mod:`helpers.analysis.timeline`; nothing here reads the data package or
decides what counts. Figures are sized for the A4 text width and built inside
:func:`helpers.presentation.style.styled`, without pyplot. Every figure also copes with no data: it
then says so in words instead of drawing empty axes.
"""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import blended_transform_factory

from ..analysis.timeline import Chronology, HighestContact, chart_numbers
from ..data.dataset import LEVELS
from ..data.periods import Window
from .style import (
    GOLDSTEIN_CMAP,
    GOLDSTEIN_NORM,
    GRID,
    HEAT_CMAP,
    INCIDENT,
    INK,
    MUTED,
    goldstein_colour,
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

DAY = pd.Timedelta(days=1)

MARKERS = {
    "meeting": "o",
    "phone_call": "s",
    "visit": "^",
    "agreement": "D",
    "statement": "v",
    "aid": "P",
    "recognition": "*",
    "accreditation": "p",
    "invitation": "h",
    "security_incident": "X",
}
"""Marker shape of each event type (filled shapes, so that scheduled ones can be hollow)."""

ROW_IN = 0.27
"""Height of one stacked row of a lane, in inches."""

LABEL_WIDTH = 24
"""Characters per line of a lane label before it wraps."""

LABEL_LINE_ROWS = 0.45
"""Rows of lane height each line of a lane label needs."""

RUG_ROWS = 0.6
"""Height, in lane rows, of the strip of incident ticks when incidents are too many for
lines across the lanes."""

MARKER_SIZE = 6.5
MAX_BAR_LABELS_MONTHS = 12
"""Aggregated lanes write each month's count only when the window has this few months."""


def chronology_caption(chron: Chronology) -> str:
    """The chronology's caption: what its marks mean and which events carry a number.

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
        f"senior contact; these {n:,} {which} event-table number{'s' if n != 1 else ''} "
        "and are listed below the chart."
    )


def message_figure(text: str, height_in: float = 1.0) -> Figure:
    """A figure that only says ``text``: what a chart shows when there is nothing to draw."""
    with styled():
        fig = new_figure(height_in)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, text, ha="center", va="center", color=MUTED, wrap=True)
    return fig


def _lane_label(label: str, aggregate: bool) -> str:
    text = "\n".join(textwrap.wrap(label, LABEL_WIDTH)) or label
    return text + ("\n(per month)" if aggregate else "")


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


def _merge_labels(
    items: list[tuple[float, str]], char: float, centred: bool = False
) -> list[tuple[float, str]]:
    """Join labels that would overlap along x into one ('3, 4'), so none overlap.

    ``items`` are (x, text) with x in days; ``char`` is the width of one character in
    days. Labels start at x (or are centred on it) and are compared by their extent,
    with one character of space between.
    """

    def extent(x: float, text: str) -> tuple[float, float]:
        width = (len(text) + 1) * char
        return (x - width / 2, x + width / 2) if centred else (x, x + width + 2 * char)

    out: list[tuple[float, str]] = []
    for x, text in sorted(items, key=lambda item: item[0]):
        if out and extent(x, text)[0] < extent(*out[-1])[1]:
            out[-1] = (out[-1][0], f"{out[-1][1]}, {text}")
        else:
            out.append((x, text))
    return out


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
    lo, hi = window.start, window.end + pd.Timedelta(days=1)
    # Days taken by one character of a 7 pt label (about 0.06 in on a ~5.2 in axis).
    char_days = window.days * 0.06 / 5.2
    ylabels = [_lane_label(lane.label, lane.aggregate) for lane in chron.lanes]
    # A lane is as tall as its stacked rows, or its wrapped label if that is taller.
    heights = [
        max(lane.rows, LABEL_LINE_ROWS * (text.count("\n") + 1) + 0.15)
        for lane, text in zip(chron.lanes, ylabels)
    ]
    total = sum(heights)
    top, pad, height = {}, {}, {}
    y = 0.0
    for lane, h in zip(chron.lanes, heights):
        top[lane.key], height[lane.key] = y, h
        pad[lane.key] = y + (h - lane.rows) / 2  # top of the first row
        y += h
    inset = pd.Timedelta(days=window.days * 0.003)

    with styled():
        # Incidents too many for lines are ticks in a strip above the first lane, inside
        # the axes so that the legend above keeps clear of them.
        strip = RUG_ROWS if chron.incident_mode == "rug" and len(chron.incidents) else 0.0
        fig = new_figure((total + strip) * ROW_IN + 1.9)
        ax = fig.add_subplot()
        _date_axis(ax, window)
        ax.set_ylim(total, -strip)
        ax.set_yticks([top[lane.key] + height[lane.key] / 2 for lane in chron.lanes])
        ax.set_yticklabels(ylabels)
        ax.tick_params(axis="y", length=0)
        for i, lane in enumerate(chron.lanes):
            if i % 2 == 0:
                ax.axhspan(
                    top[lane.key], top[lane.key] + height[lane.key], color="#F4F4F4", zorder=0
                )
        xform = blended_transform_factory(ax.transData, ax.transAxes)

        # Incidents: a band over their interval (a line for a single day) across all
        # lanes; when there are too many for that, a tick each along the top.
        top_labels = []
        if strip:
            # One artist for all the ticks, built column-wise: thousands of patches (or
            # of per-tick date conversions) would take a second.
            x0 = mdates.date2num(chron.incidents["x0"].to_numpy())
            x1 = mdates.date2num(chron.incidents["x1"].to_numpy())
            wide = np.maximum(x1 - x0, window.days * 0.003)
            left, right = x0 + (x1 - x0 - wide) / 2, x0 + (x1 - x0 + wide) / 2
            y0, y1 = np.full(len(left), -0.9 * strip), np.full(len(left), -0.1 * strip)
            corners = [(left, y0), (right, y0), (right, y1), (left, y1)]
            ax.add_collection(
                PolyCollection(
                    np.stack([np.column_stack(c) for c in corners], axis=1),
                    facecolor=INCIDENT,
                    alpha=0.5,
                    linewidth=0,
                    gid="incident-rug",
                ),
                autolim=False,
            )
        for inc in chron.incidents.itertuples() if not strip else ():
            x = inc.x0 + (inc.x1 - inc.x0) / 2
            if inc.point:
                ax.axvline(x, color=INCIDENT, linewidth=1.1, alpha=0.8, zorder=1)
            else:
                ax.axvspan(inc.x0, inc.x1, color=INCIDENT, alpha=0.10, zorder=0.5, linewidth=0)
            if inc.annotate:
                top_labels.append(((x - lo) / DAY, str(inc.key)))
        for xd, text in _merge_labels(top_labels, char_days, centred=True):
            ax.text(
                lo + pd.Timedelta(days=xd),
                1.01,
                text,
                transform=xform,
                ha="center",
                va="bottom",
                color=INCIDENT,
                fontsize=7,
                fontweight="bold",
            )

        # Single events.
        labels: dict[tuple[str, int], list[tuple[float, str]]] = {}
        for m in chron.marks.itertuples():
            yc = pad[m.lane] + m.row + 0.5
            colour = goldstein_colour(m.goldstein)
            marker = MARKERS.get(m.event_type, "o")
            if m.point:
                x = m.x0 + pd.Timedelta(hours=12)
            else:
                x = m.x0 + (m.x1 - m.x0) / 2
                # Inset a little so that bars of consecutive months stay apart.
                x0, x1 = m.x0 + inset, m.x1 - inset
                bar = Rectangle(
                    (mdates.date2num(x0), yc - 0.3),
                    mdates.date2num(x1) - mdates.date2num(x0),
                    0.6,
                    facecolor="none" if m.scheduled else colour,
                    edgecolor=MUTED if m.loose else INK,
                    linewidth=0.6,
                    linestyle=(0, (2, 2)) if m.scheduled or m.loose else "-",
                    hatch="////" if m.loose else None,
                    alpha=0.5 if m.loose else 0.85,
                    zorder=2,
                    gid=m.event_id,
                )
                ax.add_patch(bar)
            if m.scheduled:
                # Hollow: a ring in the event's colour inside a thin dark outline, so that
                # pale colours near zero stay visible.
                ax.plot(
                    [x],
                    [yc],
                    marker=marker,
                    markersize=MARKER_SIZE + 3.0,
                    markerfacecolor="none",
                    markeredgecolor=INK,
                    markeredgewidth=0.8,
                    linestyle="none",
                    alpha=0.6 if m.loose else 1.0,
                    zorder=3,
                    clip_on=False,
                )
            ax.plot(
                [x],
                [yc],
                marker=marker,
                markersize=MARKER_SIZE,
                markerfacecolor="none" if m.scheduled else colour,
                markeredgecolor=colour if m.scheduled else INK,
                markeredgewidth=1.6 if m.scheduled else 0.6,
                linestyle="none",
                alpha=0.6 if m.loose else 1.0,
                zorder=3,
                clip_on=False,  # a marker on the window's first or last day stays whole
                gid=m.event_id,
            )
            if m.annotate and not m.incident:
                labels.setdefault((m.lane, m.row), []).append(((x - lo) / DAY, str(m.key)))
        for (lane, row), items in labels.items():
            yc = pad[lane] + row + 0.5
            for xd, text in _merge_labels(items, char_days):
                ax.annotate(
                    text,
                    (mdates.date2num(lo + pd.Timedelta(days=xd)), yc),
                    xytext=(5, 2),
                    textcoords="offset points",
                    ha="left",
                    va="bottom",
                    fontsize=7,
                    fontweight="bold",
                    color=INK,
                    zorder=4,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
                )

        # Aggregated lanes: one bar per month.
        n_months = len(pd.period_range(window.start, window.end, freq="M"))
        lane_of = {lane.key: lane for lane in chron.lanes}
        for key, grp in chron.monthly.groupby("lane"):
            lane = lane_of[key]
            base = pad[key] + lane.rows - 0.1
            peak = grp["events"].max()
            for r in grp.itertuples():
                start = max(r.month.start_time, lo)
                end = min(r.month.end_time.normalize() + pd.Timedelta(days=1), hi)
                height = (lane.rows - 0.35) * r.events / peak
                ax.add_patch(
                    Rectangle(
                        (mdates.date2num(start), base - height),
                        mdates.date2num(end) - mdates.date2num(start),
                        height,
                        facecolor=goldstein_colour(r.mean_goldstein),
                        edgecolor=INK,
                        linewidth=0.4,
                        zorder=2,
                        gid=f"{key}:{r.month}",
                    )
                )
                if n_months <= MAX_BAR_LABELS_MONTHS or r.events == peak:
                    ax.text(
                        start + (end - start) / 2,
                        base - height - 0.05,
                        f"{int(r.events):,}",
                        ha="center",
                        va="bottom",
                        fontsize=6.5,
                        color=INK,
                        zorder=4,
                    )
                    if n_months > MAX_BAR_LABELS_MONTHS:
                        break  # only the first peak month

        sm = ScalarMappable(norm=GOLDSTEIN_NORM, cmap=mpl.colormaps[GOLDSTEIN_CMAP])
        cbar = fig.colorbar(sm, ax=ax, location="bottom", shrink=0.45, aspect=40, pad=0.02)
        cbar.set_label("Goldstein value: conflict (red) to cooperation (blue)", fontsize=7)
        cbar.set_ticks([-10, -5, 0, 5, 10])
        cbar.ax.tick_params(labelsize=6.5)
        fig.legend(
            handles=_legend_handles(chron),
            loc="outside upper center",
            ncol=5,
            fontsize=6.5,
            handletextpad=0.3,
            columnspacing=1.0,
        )
    return fig


def _legend_handles(chron: Chronology) -> list:
    handles = []
    present = [t for t in MARKERS if t in set(chron.marks["event_type"])]
    for t in present:
        handles.append(
            Line2D(
                [],
                [],
                marker=MARKERS[t],
                linestyle="none",
                markerfacecolor="#BBBBBB",
                markeredgecolor=INK,
                markeredgewidth=0.6,
                markersize=MARKER_SIZE - 1,
                label=t.replace("_", " "),
            )
        )
    if chron.marks["scheduled"].any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markerfacecolor="none",
                markeredgecolor=INK,
                markersize=MARKER_SIZE - 1,
                label="scheduled (hollow)",
            )
        )
    if chron.marks["loose"].any():
        handles.append(
            Patch(
                facecolor="#DDDDDD",
                edgecolor=MUTED,
                hatch="////",
                linestyle=":",
                label="loosely dated, not counted",
            )
        )
    if len(chron.incidents):
        where = "all lanes" if chron.incident_mode == "lines" else "tick on top"
        handles.append(Patch(facecolor=INCIDENT, alpha=0.35, label=f"incident ({where})"))
    return handles


def seniority_chart(
    ladder: pd.DataFrame, window: Window, highest: HighestContact | None = None
) -> Figure:
    """The most senior level of focus-dyad contact in each month of the window.

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
        return message_figure(f"No contact between the two sides is recorded for {window.label()}.")
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
