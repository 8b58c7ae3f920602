"""Figures for the stakeholder annex: interaction network, dyad matrix, position map.

Each function takes the output of :mod:`helpers.analysis.stakeholders` and returns a
:class:`matplotlib.figure.Figure` built without pyplot, at A4 text width. Layouts are
fixed geometry computed from the data's order (no randomness), so the same data always
gives the same picture, byte for byte.

Artists that tests and readers care about carry a ``gid``: ``node-<id>`` and
``label-<id>`` for network nodes and their labels, ``edge-<a>-<b>`` for edges,
``point-<id>`` / ``pos-label-<id>`` for positions and ``move-<id>`` for movement arrows.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from ..analysis.stakeholders import GROUP_ORDER, short_label, signed, wrap_label
from .style import (
    A4_TEXT_WIDTH_IN,
    GOLDSTEIN_CMAP,
    GRID,
    HEAT_CMAP,
    INK,
    MUTED,
    PALETTE,
    new_figure,
    sequential_norm,
    styled,
)

GROUP_COLOURS = {
    "regional_state": PALETTE[0],
    "multilateral": PALETTE[1],
    "extra_regional": PALETTE[2],
    "non_state_armed": PALETTE[5],
    "domestic_opinion": PALETTE[3],
}
"""Colour of each stakeholder group, shared by the network and the position map."""


DYAD_CAPTION = (
    "Events between each pair of active stakeholders (left) and their net cooperation, the "
    "sum of the Goldstein values of those events (right). Grey cells: no events."
)
"""Caption for :func:`dyad_heatmap`."""


POSITION_CAPTION = (
    "Influence against stance toward engagement, as of the end of the period; stakeholders "
    "at the same values are listed one under another. Arrows run from a stakeholder's "
    "previous recorded position (hollow dot) to its latest; the table below gives each "
    "rationale and its sources."
)
"""Caption for :func:`position_map`."""


OTHER_GROUP = MUTED


CASING = "#9A9A9A"  # outline that keeps pale (near-zero Goldstein) edges visible


RADIAL_ABOVE = 12  # more ring nodes than this: labels turn radial so they cannot collide


SIDE_GAP_DEG = 22  # no ring node this close to the horizontal line of the middle pair


MAX_EDGE_LABELS = 20  # more edges than this: counts stay in the table, not on the lines


LABEL_WRAP = {False: 20, True: 16}  # dyad matrix: characters a label line, few or many rows


def group_colour(group: str) -> str:
    """Colour of a stakeholder group (grey for an unknown or empty group)."""
    return GROUP_COLOURS.get(group, OTHER_GROUP)


GROUP_NAMES = {
    "regional_state": "Regional state",
    "multilateral": "Multilateral",
    "extra_regional": "Extra-regional",
    "non_state_armed": "Non-state armed",
    "domestic_opinion": "Domestic opinion",
}


def group_name(group: str) -> str:
    """Legend name of a stakeholder group: 'non_state_armed' -> 'Non-state armed'."""
    return GROUP_NAMES.get(group, (group or "other").replace("_", " ").capitalize())


def _group_handles(groups: Sequence[str], marker_size: float = 7) -> list[Line2D]:
    present = [g for g in GROUP_ORDER if g in set(groups)]
    present += sorted({g for g in groups if g not in GROUP_ORDER})
    return [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=marker_size,
            markerfacecolor=group_colour(g),
            markeredgecolor="white",
            label=group_name(g),
        )
        for g in present
    ]


def _message_figure(text: str) -> Figure:
    """Make a short figure that says there is nothing to draw."""
    fig = new_figure(0.9)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", color=MUTED, transform=ax.transAxes)
    return fig


def _inch_axes(fig: Figure, left: float, bottom: float, width: float, height: float):
    """Axes placed in inches from the figure's lower left corner."""
    w, h = fig.get_size_inches()
    return fig.add_axes((left / w, bottom / h, width / w, height / h))


# --------------------------------------------------------------------------- dyad matrix


def dyad_heatmap(
    counts: pd.DataFrame, net: pd.DataFrame, labels: Mapping[str, str] | None = None
) -> Figure:
    """Dyad matrix as two heat maps: events between each pair, and their net cooperation.

    Parameters
    ----------
    counts : DataFrame
        Square, symmetric: :func:`helpers.analysis.stakeholders.dyad_matrix` with ``"events"``.
    net : DataFrame
        Same shape: ``dyad_matrix(ctx, "net_cooperation")`` (sum of Goldstein values).
    labels : mapping, optional
        Stakeholder id -> display label; defaults to the ids.

    Returns
    -------
    Figure
        Cells are annotated with their values when there are at most 12 stakeholders.
        A short message figure when the matrices are empty.
    """
    with styled():
        if counts.empty:
            return _message_figure("No events in this period: no pairs to compare.")
        ids = list(counts.index)
        n = len(ids)
        labels = labels or {}
        many = n > 12
        side = min(2.7, 0.34 * n + 0.25)
        tick_size = 7 if not many else 6 if n <= 20 else 5.5
        names, label_h = _matrix_labels(ids, labels, many, tick_size)
        fig = new_figure(side + label_h + 0.85)
        axes = fig.subplots(1, 2, sharey=True)
        counts_v = counts.to_numpy(dtype=float)
        net_v = net.reindex(index=ids, columns=ids).to_numpy(dtype=float)
        linked = np.nan_to_num(counts_v) > 0
        m = max(float(np.nanmax(np.abs(np.where(linked, net_v, 0.0)))), 1.0)
        panels = (
            (
                axes[0],
                np.where(linked, counts_v, np.nan),
                mpl.colormaps[HEAT_CMAP],
                sequential_norm(float(np.nanmax(counts_v))),
                "Events between the pair",
                "{:.0f}",
            ),
            (
                axes[1],
                np.where(linked, net_v, np.nan),
                mpl.colormaps[GOLDSTEIN_CMAP],
                TwoSlopeNorm(vmin=-m, vcenter=0, vmax=m),
                "Net cooperation (sum of Goldstein)",
                "{:+.1f}",
            ),
        )
        for ax, values, cmap, norm, title, fmt in panels:
            cmap = cmap.with_extremes(bad="#F4F4F4")
            ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="equal")
            ax.set_title(title, fontsize=8, loc="left")
            _matrix_ticks(ax, names, many, tick_size)
            if n <= 12:
                _write_cells(ax, values, linked, cmap, norm, fmt)
            bar = fig.colorbar(
                ScalarMappable(norm=norm, cmap=cmap),
                ax=ax,
                location="bottom",
                shrink=0.8,
                aspect=25,
                pad=0.02,
            )
            bar.ax.tick_params(labelsize=6.5, length=2)
        axes[1].tick_params(labelleft=False)
        return fig


def _matrix_labels(
    ids: list[str], labels: Mapping[str, str], many: bool, tick_size: float
) -> tuple[list[str], float]:
    """Return the dyad matrix's tick labels and the height in inches its column labels need.

    Whole names, wrapped onto lines, never cut: a reader must know every row.
    """
    names = ["\n".join(textwrap.wrap(short_label(labels.get(s, s)), LABEL_WRAP[many])) for s in ids]
    longest = max(len(line) for x in names for line in x.split("\n"))
    lines = max(x.count("\n") + 1 for x in names)
    char_in = 0.55 * tick_size / 72  # average glyph width in inches
    # Column labels are slanted (few stakeholders) or vertical (many).
    label_h = 0.15 + longest * char_in * (1.0 if many else 0.82)
    label_h += (lines - 1) * 1.2 * tick_size / 72
    return names, label_h


def _matrix_ticks(ax, names: list[str], many: bool, tick_size: float) -> None:
    """Label a matrix's rows and columns and draw white lines between its cells.

    Column labels are slanted for a few stakeholders and vertical for many.
    """
    n = len(names)
    ax.set_xticks(
        range(n),
        names,
        rotation=90 if many else 55,
        ha="center" if many else "right",
        rotation_mode="default" if many else "anchor",
        fontsize=tick_size,
    )
    ax.set_yticks(range(n), names, fontsize=tick_size)
    ax.tick_params(length=0)
    ax.set_xticks(np.arange(-0.5, n), minor=True)
    ax.set_yticks(np.arange(-0.5, n), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.0)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _write_cells(ax, values: np.ndarray, linked: np.ndarray, cmap, norm, fmt: str) -> None:
    """Write each linked pair's value in its cell, white on dark colours, else ink."""
    n = len(values)
    for i in range(n):
        for j in range(n):
            if i == j or not linked[i, j]:
                continue
            v = values[i, j]
            rgba = cmap(norm(v))
            dark = (0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]) < 0.5
            ax.text(
                j,
                i,
                fmt.format(v),
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if dark else INK,
            )


# --------------------------------------------------------------------------- position map

_LINE_IN = 0.118  # height of one label line at 6.8 pt, in inches


_GAP_IN = 0.045


_GHOST_IN = 0.13


_WRAP = (16, 3)  # label width in characters and lines: what fits between two stances
LABEL_ROOM = 0.6  # stance units right of the grid, for the labels of the +2 column


def _cell_items(positions: pd.DataFrame) -> dict[tuple[int, int], list[tuple[str, str, int, str]]]:
    """List what each (stance, influence) cell holds, in drawing order.

    Items are ``(kind, id, label lines, side)``: kind "now" for a latest position, "was"
    for the previous position of one that moved. ``side`` is the side of its dot a label
    goes on: the right, or the left when the stakeholder's arrow comes from the right (so
    that no arrow runs under its own label) and the gap to the left is free, that is no
    label of the stance to its left, at the same influence, reaches into it.
    """
    cells: dict[tuple[int, int], list[tuple[str, str, int, str]]] = {}
    from_right = set()
    for p in positions.itertuples(index=False):
        lines = wrap_label(p.label, *_WRAP).count("\n") + 1
        key = (int(p.stance), int(p.influence))
        cells.setdefault(key, []).append(("now", p.stakeholder, lines, "R"))
        if p.moved and int(p.prev_stance) > int(p.stance):
            from_right.add(p.stakeholder)
    for (s, i), items in cells.items():
        left = cells.get((s - 1, i), [])
        if s > -2 and not any(k == "now" and side == "R" for k, _, _, side in left):
            items[:] = [
                (k, sid, n, "L" if sid in from_right else side) for k, sid, n, side in items
            ]
    for p in positions[positions["moved"]].itertuples(index=False):
        key = (int(p.prev_stance), int(p.prev_influence))
        cells.setdefault(key, []).append(("was", p.stakeholder, 0, "R"))
    return cells


def _item_height(kind: str, lines: int) -> float:
    return (_GHOST_IN if kind == "was" else max(lines * _LINE_IN, 0.13)) + _GAP_IN


def position_map(positions: pd.DataFrame, as_of_label: str = "") -> Figure:
    """Position map: influence against stance, with arrows where a stakeholder moved.

    Each stakeholder with a position as of the window's end is a filled dot at its
    stance and influence, labelled with its short name and coloured by group. Where its
    previous recorded position sits elsewhere on the map, a hollow dot marks that
    previous position and an arrow runs from it to the current one. Several stakeholders
    at the same values are listed one under another, centred on the influence, so
    nothing overlaps; the figure grows taller when a point holds many. Rationale and
    sources go in the companion table (:func:`helpers.analysis.stakeholders.positions_table`),
    keyed by the label.

    Parameters
    ----------
    positions : DataFrame
        :func:`helpers.analysis.stakeholders.current_positions`.
    as_of_label : str
        Date the positions are read at, for the legend (e.g. "31 May 2025").

    Returns
    -------
    Figure
        A short message figure when there are no positions.
    """
    with styled():
        if positions.empty:
            return _message_figure("No positions recorded as of the end of this period.")
        cells = _cell_items(positions)
        tallest = max(sum(_item_height(k, n) for k, _, n, _ in items) for items in cells.values())
        unit = max(0.62, tallest + 0.12)  # inches per influence step
        left, right, bottom, top_pad = 0.62, 0.12, 1.15, 0.08
        ax_h = 5 * unit
        width = A4_TEXT_WIDTH_IN
        fig = new_figure(ax_h + bottom + top_pad)
        fig.set_layout_engine("none")
        ax = _inch_axes(fig, left, bottom, width - left - right, ax_h)
        _stance_grid(ax)
        colour = dict(zip(positions["stakeholder"], positions["group"].map(group_colour)))
        label = dict(zip(positions["stakeholder"], positions["label"]))
        where = _draw_cells(ax, cells, 1.0 / unit, colour, label)
        for p in positions[positions["moved"]].itertuples(index=False):
            start, end = where[("was", p.stakeholder)], where[("now", p.stakeholder)]
            ax.add_patch(
                FancyArrowPatch(
                    start,
                    end,
                    arrowstyle="-|>",
                    mutation_scale=8,
                    color=colour[p.stakeholder],
                    linewidth=1.1,
                    shrinkA=3.5,
                    shrinkB=4.0,
                    zorder=4,
                    gid=f"move-{p.stakeholder}",
                )
            )
        _position_legend(fig, list(positions["group"]), as_of_label, left / width)
        return fig


def _stance_grid(ax) -> None:
    """Set the map's axes: stance -2..+2 across, influence 1..5 up, banded stance columns."""
    # Room right of the +2 column for the labels of its dots, which sit at +2.
    ax.set_xlim(-2.5, 2.5 + LABEL_ROOM)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(
        range(-2, 3),
        [f"{signed(s)}\n{w}" for s, w in zip(range(-2, 3), ("opposed", "", "neutral", "", "for"))],
    )
    ax.set_yticks(range(1, 6))
    ax.set_xticks(np.arange(-2.5, 3), minor=True)
    ax.set_yticks(np.arange(0.5, 6), minor=True)
    ax.grid(which="minor", color=GRID, linewidth=0.8)
    ax.tick_params(which="both", length=0)
    ax.set_xlabel("Stance toward engagement (−2 opposed … +2 for)")
    ax.set_ylabel("Influence (1 little … 5 great)")
    for spine in ax.spines.values():
        spine.set_visible(False)
    for s in (-2, 0, 2):  # banded columns make each stance cell plain to see
        ax.axvspan(s - 0.5, s + 0.5, color="#F6F6F6", zorder=0, linewidth=0)


def _draw_cells(
    ax, cells: dict, per_in: float, colour: dict, label: dict
) -> dict[tuple[str, str], tuple[float, float]]:
    """Draw each cell's items (see :func:`_cell_items`) down the cell, centred on its row.

    ``per_in`` is data units per inch, vertically. A latest position is a dot in its
    group's colour with its label beside it; a previous one a hollow dot. Returns where
    each ``(kind, stakeholder)`` dot was drawn, for the arrows.
    """
    where: dict[tuple[str, str], tuple[float, float]] = {}
    for (s, i), items in sorted(cells.items()):
        total = sum(_item_height(k, n) for k, _, n, _ in items) * per_in
        y = i + total / 2
        for kind, sid, n, side in items:
            h = _item_height(kind, n) * per_in
            yc = y - h / 2
            x = float(s)  # the dot sits at its stance; the label goes beside it
            where[(kind, sid)] = (x, yc)
            if kind == "now":
                _draw_latest(ax, sid, x, yc, side, colour[sid], label[sid])
            else:
                ax.scatter(
                    [x],
                    [yc],
                    s=26,
                    facecolors="white",
                    edgecolors=colour[sid],
                    linewidths=1.1,
                    zorder=5,
                    gid=f"was-{sid}",
                )
            y -= h
    return where


def _draw_latest(ax, sid: str, x: float, yc: float, side: str, colour, label: str) -> None:
    """Draw a latest position: a filled dot, and its label on the ``side`` of the cell."""
    ax.scatter(
        [x],
        [yc],
        s=32,
        color=colour,
        edgecolors="white",
        linewidths=0.8,
        zorder=5,
        gid=f"point-{sid}",
    )
    ax.text(
        x + (0.07 if side == "R" else -0.07),
        yc,
        wrap_label(label, *_WRAP),
        ha="left" if side == "R" else "right",
        va="center",
        multialignment="left" if side == "R" else "right",
        fontsize=6.8,
        color=INK,
        zorder=6,
        linespacing=1.05,
        gid=f"pos-label-{sid}",
        bbox={"boxstyle": "square,pad=0.05", "fc": "white", "ec": "none", "alpha": 0.8},
    )


def _position_legend(fig: Figure, groups: list[str], as_of_label: str, x: float) -> None:
    """Add the legend of groups, latest and previous positions and moves at bottom left."""
    handles = _group_handles(groups, marker_size=6)
    when = f" ({as_of_label})" if as_of_label else ""
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=6,
            markerfacecolor=INK,
            markeredgecolor="white",
            label=f"Latest position{when}",
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markersize=5.5,
            markerfacecolor="white",
            markeredgecolor=INK,
            label="Previous position",
        ),
        Line2D([], [], color=INK, linewidth=1.1, marker=">", markersize=4, label="Move"),
    ]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(x, 0.04 / fig.get_size_inches()[1]),
        ncols=4,
        fontsize=6.8,
        columnspacing=1.2,
        handletextpad=0.4,
    )
