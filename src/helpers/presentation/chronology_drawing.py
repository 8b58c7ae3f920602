"""The chronology chart's drawing steps: lane layout, lanes, incidents, events, keys.

:func:`helpers.presentation.timeline_charts.chronology_chart` calls them in this order;
each draws one kind of thing on the axes it is given.
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

from ..analysis.timeline import Chronology
from .style import GOLDSTEIN_CMAP, GOLDSTEIN_NORM, INCIDENT, INK, MUTED, goldstein_colour

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


def lane_label(label: str, aggregate: bool) -> str:
    """Wrap a lane's label to :data:`LABEL_WIDTH` characters; mark a lane drawn per month."""
    text = "\n".join(textwrap.wrap(label, LABEL_WIDTH)) or label
    return text + ("\n(per month)" if aggregate else "")


def merge_labels(
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


class LaneLayout:
    """Where each lane of a chronology sits on the y axis, in rows from the top."""

    def __init__(self, chron: Chronology) -> None:
        self.labels = [lane_label(lane.label, lane.aggregate) for lane in chron.lanes]
        # A lane is as tall as its stacked rows, or its wrapped label if that is taller.
        heights = [
            max(lane.rows, LABEL_LINE_ROWS * (text.count("\n") + 1) + 0.15)
            for lane, text in zip(chron.lanes, self.labels)
        ]
        self.total = sum(heights)
        self.top: dict[str, float] = {}
        self.height: dict[str, float] = {}
        self.pad: dict[str, float] = {}
        """Top of each lane's first row: its stacked rows are centred in the lane."""
        y = 0.0
        for lane, h in zip(chron.lanes, heights):
            self.top[lane.key], self.height[lane.key] = y, h
            self.pad[lane.key] = y + (h - lane.rows) / 2
            y += h


def draw_lane_bands(ax, chron: Chronology, lanes: LaneLayout, strip: float) -> None:
    """Label the lanes on the y axis and shade every other one."""
    ax.set_ylim(lanes.total, -strip)
    ax.set_yticks([lanes.top[lane.key] + lanes.height[lane.key] / 2 for lane in chron.lanes])
    ax.set_yticklabels(lanes.labels)
    ax.tick_params(axis="y", length=0)
    for i, lane in enumerate(chron.lanes):
        if i % 2 == 0:
            top = lanes.top[lane.key]
            ax.axhspan(top, top + lanes.height[lane.key], color="#F4F4F4", zorder=0)


def draw_incidents(ax, chron: Chronology, strip: float, char_days: float) -> None:
    """Mark the security incidents across all lanes, or as ticks in the top ``strip``.

    Across the lanes an incident is a band over its interval (a line for a single day),
    numbered above the axes when it is keyed to the event table.
    """
    window = chron.window
    lo = window.start
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
    xform = blended_transform_factory(ax.transData, ax.transAxes)
    for xd, text in merge_labels(top_labels, char_days, centred=True):
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


def draw_marks(ax, chron: Chronology, pad: dict[str, float], char_days: float) -> None:
    """Draw each single event in its lane and row, then the numbers of the keyed ones."""
    lo = chron.window.start
    inset = pd.Timedelta(days=chron.window.days * 0.003)
    labels: dict[tuple[str, int], list[tuple[float, str]]] = {}
    for m in chron.marks.itertuples():
        x = draw_mark(ax, m, pad[m.lane] + m.row + 0.5, inset)
        if m.annotate and not m.incident:
            labels.setdefault((m.lane, m.row), []).append(((x - lo) / DAY, str(m.key)))
    for (lane, row), items in labels.items():
        yc = pad[lane] + row + 0.5
        for xd, text in merge_labels(items, char_days):
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


def draw_mark(ax, m, yc: float, inset: pd.Timedelta) -> pd.Timestamp:
    """Draw one event ``m`` (a row of ``Chronology.marks``) at height ``yc``.

    A point event is a marker at noon of its day; any other is a bar over its extent
    (inset a little) with the marker in its middle. Returns the marker's x.
    """
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
    return x


def draw_monthly_bars(ax, chron: Chronology, pad: dict[str, float]) -> None:
    """Draw the lanes too dense for single events as one bar per month.

    Height: events that month; colour: their mean Goldstein value. Each bar is labelled
    with its count when the window has at most :data:`MAX_BAR_LABELS_MONTHS` months,
    else only the lane's first peak month is.
    """
    window = chron.window
    lo, hi = window.start, window.end + pd.Timedelta(days=1)
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


def draw_keys(fig: Figure, ax, chron: Chronology) -> None:
    """Add the Goldstein colour bar below the axes and the legend of shapes above."""
    sm = ScalarMappable(norm=GOLDSTEIN_NORM, cmap=mpl.colormaps[GOLDSTEIN_CMAP])
    cbar = fig.colorbar(sm, ax=ax, location="bottom", shrink=0.45, aspect=40, pad=0.02)
    cbar.set_label("Goldstein value: conflict (red) to cooperation (blue)", fontsize=7)
    cbar.set_ticks([-10, -5, 0, 5, 10])
    cbar.ax.tick_params(labelsize=6.5)
    fig.legend(
        handles=legend_handles(chron),
        loc="outside upper center",
        ncol=5,
        fontsize=6.5,
        handletextpad=0.3,
        columnspacing=1.0,
    )


def legend_handles(chron: Chronology) -> list:
    """Legend entries for what the chart shows: event types, scheduled, loose, incidents."""
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
