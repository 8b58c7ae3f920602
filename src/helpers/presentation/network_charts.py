"""The stakeholder network chart: the ring layout, then nodes, edges and labels."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib as mpl
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..analysis.stakeholders import short_label, wrap_label
from .stakeholder_charts import (
    CASING,
    MAX_EDGE_LABELS,
    RADIAL_ABOVE,
    SIDE_GAP_DEG,
    _group_handles,
    _inch_axes,
    _message_figure,
    group_colour,
)
from .style import (
    A4_TEXT_WIDTH_IN,
    GOLDSTEIN_CMAP,
    GOLDSTEIN_NORM,
    INK,
    goldstein_colour,
    new_figure,
    styled,
)

NETWORK_CAPTION = (
    "Nodes: stakeholders active in the period, sized by their events (in brackets) and "
    "coloured by group. Lines: events between the two in either direction; width and the "
    "number on the line give the count, colour the mean Goldstein value (red conflict, blue "
    "cooperation); solid where the two had direct contact, dashed where one only acted on the "
    "other (aid, an attack), dotted where they only made statements about each other."
)
"""Caption for :func:`network_chart`."""


# --------------------------------------------------------------------------- network


NETWORK_HEIGHT_IN = {False: 2.8, True: 6.5}
"""Height of the network's drawing area in inches: wide ellipse (False) or radial ring."""

PAIR_ONLY_HEIGHT_IN = 1.3
"""Height of the drawing area when only the middle pair is drawn: no ring to make room
for, only the two nodes and their labels below."""

LABEL_ROOM_IN = 0.62
"""Room kept above and below the wide ellipse, in inches, for a ring node's label: the
largest node's radius and gap (16 pt) and three lines of 7.2 pt text (26 pt)."""

EDGE_STYLES = {"contact": "-", "act": "--", "statement": ":"}
"""Line style of an edge by what the pair did: a contact, only acts by one on the other
(aid, an attack), or only statements about each other."""

EDGE_KIND_LABELS = {
    "contact": "Contact",
    "act": "Other act, no contact",
    "statement": "Statement about the other",
}
"""Legend entry of each :data:`EDGE_STYLES` kind."""


def network_layout(
    ids: Sequence[str],
    centre: Sequence[str] = (),
    radial: bool | None = None,
    height: float | None = None,
) -> dict[str, tuple[float, float, float]]:
    """Place the network's nodes at fixed positions, in inches from the drawing's middle.

    When both ``centre`` stakeholders (the focus and its counterpart) are in ``ids`` they
    sit side by side in the middle, and the others go on two arcs, above and below,
    leaving out the :data:`SIDE_GAP_DEG` either side of the horizontal so that no edge
    from one middle node to a ring node runs through the other middle node. Otherwise
    every node goes on the ring (a lone focus or counterpart first, at the top). Ring
    nodes follow the order given, clockwise from the top left. Nothing random is
    involved: the same ids in the same order always give the same positions.

    Parameters
    ----------
    ids : sequence of str
        Node ids in display order.
    centre : sequence of str
        The two ids to put in the middle.
    radial : bool, optional
        Ring shape: a circle sized for radial labels (True) or a wide ellipse for
        horizontal ones (False). Default: radial when the ring has more than
        :data:`RADIAL_ABOVE` nodes.
    height : float, optional
        Height of the drawing area in inches (default :data:`NETWORK_HEIGHT_IN` for the
        ring shape). The wide ellipse is as high as it leaves :data:`LABEL_ROOM_IN` above
        and below; the radial circle is fixed.

    Returns
    -------
    dict
        id -> (x, y, angle): inches and, for ring nodes, the angle in radians (NaN in the
        middle).
    """
    ids = list(ids)
    mid = [s for s in centre if s in ids][:2]
    if len(mid) < 2:
        # A lone middle node would sit where chords between ring nodes cross.
        ids = mid + [s for s in ids if s not in mid]
        mid = []
    ring = [s for s in ids if s not in mid]
    if radial is None:
        radial = len(ring) > RADIAL_ABOVE
    if height is None:
        height = NETWORK_HEIGHT_IN[radial]
    a, b = (1.55, 1.55) if radial else (2.0, height / 2 - LABEL_ROOM_IN)
    pos: dict[str, tuple[float, float, float]] = {}
    n = len(ring)
    if mid:
        dx = 0.55 * a
        pos[mid[0]] = (-dx, 0.0, math.nan)
        pos[mid[1]] = (dx, 0.0, math.nan)
        gap = math.radians(SIDE_GAP_DEG)
        span = math.pi - 2 * gap
        top = (n + 1) // 2
        bottom = n - top
        thetas = [math.pi - gap - (j + 0.5) * span / top for j in range(top)]
        thetas += [-gap - (j + 0.5) * span / bottom for j in range(bottom)]
    else:
        thetas = [math.pi / 2 - 2 * math.pi * i / max(n, 1) for i in range(n)]
    for s, theta in zip(ring, thetas):
        pos[s] = (a * math.cos(theta), b * math.sin(theta), theta)
    return pos


def network_chart(nodes: pd.DataFrame, edges: pd.DataFrame, centre: Sequence[str] = ()) -> Figure:
    """Interaction network: stakeholders as nodes, linked pairs as edges.

    Node area grows with the stakeholder's events in the window (the number in its
    label); node colour is its group. Edge width grows with the pair's events, edge
    colour is their mean Goldstein value (red conflict, blue cooperation), and its line
    style (:func:`edge_kind`) says what the pair did: solid for at least one contact,
    dashed for acts of one on the other without contact, dotted for statements about
    each other only. Each edge is labelled with its event count
    (up to :data:`MAX_EDGE_LABELS` edges; beyond that the counts would hide the lines).

    Parameters
    ----------
    nodes : DataFrame
        :func:`helpers.analysis.stakeholders.activity`: ``stakeholder``, ``label``, ``group``,
        ``events``.
    edges : DataFrame
        :func:`helpers.analysis.stakeholders.dyads`: ``a``, ``b``, ``events``, ``contacts``,
        ``statements``, ``mean_goldstein``.
    centre : sequence of str
        Stakeholders drawn in the middle (the focus and its counterpart).

    Returns
    -------
    Figure
        A short message figure when ``nodes`` is empty.
    """
    with styled():
        if nodes.empty:
            return _message_figure("No events in this period: no network to draw.")
        ids = list(nodes["stakeholder"])
        mid = [s for s in centre if s in ids][:2]
        mid = mid if len(mid) == 2 else []
        radial = len(ids) - len(mid) > RADIAL_ABOVE
        ax_h = NETWORK_HEIGHT_IN[radial] if len(ids) > len(mid) else PAIR_ONLY_HEIGHT_IN
        band = 0.8  # legend and colour bar
        fig = new_figure(ax_h + band)
        fig.set_layout_engine("none")
        width = A4_TEXT_WIDTH_IN
        ax = _inch_axes(fig, 0, band, width, ax_h)
        ax.set_xlim(-width / 2, width / 2)
        ax.set_ylim(-ax_h / 2, ax_h / 2)
        ax.set_axis_off()

        pos = network_layout(ids, centre, radial, ax_h)
        top = max(int(nodes["events"].max()), 1)
        size = {s: 50 + 450 * n / top for s, n in zip(nodes["stakeholder"], nodes["events"])}
        _draw_edges(ax, edges, pos, mid)
        for s, label, group, n in zip(
            nodes["stakeholder"], nodes["label"], nodes["group"], nodes["events"]
        ):
            _draw_node(ax, s, pos[s], size[s], group_colour(group))
            _label_node(ax, s, pos[s], size[s], label, int(n), radial)
        _draw_network_keys(fig, list(nodes["group"]), width, ax_h + band)
        return fig


def edge_kind(contacts: int, statements: int, events: int) -> str:
    """Say what a linked pair did, as a key of :data:`EDGE_STYLES`.

    Parameters
    ----------
    contacts, statements, events : int
        The pair's contacts, statements and events (:func:`helpers.analysis.stakeholders.dyads`).

    Returns
    -------
    str
        "contact" with at least one contact; else "statement" when every event was a
        statement about the other (a condemnation of attackers is not engagement with
        them); else "act" (aid, an attack, an invitation, with or without statements).
    """
    if contacts > 0:
        return "contact"
    return "statement" if statements == events else "act"


# Dash and dot lengths in points, the same for a line's casing and its core (not scaled
# by line width), so that the gaps of the two line up.
_DASH_RC = {
    "lines.scale_dashes": False,
    "lines.dashed_pattern": [6.0, 3.0],
    "lines.dotted_pattern": [1.6, 1.8],
}


def _draw_edges(ax, edges: pd.DataFrame, pos: dict, mid: list[str]) -> None:
    """Draw each linked pair as a cased line, labelled with its count when few enough.

    Width grows with the pair's events, colour is their mean Goldstein value, line
    style is the pair's :func:`edge_kind`. A count label sits along the line, kept
    clear of the labels of the middle pair ``mid``.
    """
    emax = max(int(edges["events"].max()), 1) if len(edges) else 1
    for e in edges.itertuples(index=False):
        (x0, y0, _), (x1, y1, _) = pos[e.a][:3], pos[e.b][:3]
        lw = 1.3 + 4.2 * (e.events - 1) / (emax - 1) if emax > 1 else 1.8
        colour = goldstein_colour(e.mean_goldstein)
        style = EDGE_STYLES[edge_kind(int(e.contacts), int(e.statements), int(e.events))]
        for width_, col, z, tag in ((lw + 0.8, CASING, 1, "casing-"), (lw, colour, 2, "")):
            with mpl.rc_context(_DASH_RC):
                line = Line2D(
                    [x0, x1],
                    [y0, y1],
                    linewidth=width_,
                    linestyle=style,
                    color=col,
                    solid_capstyle="butt",
                    dash_capstyle="butt",
                    zorder=z,
                    gid=f"{tag}edge-{e.a}-{e.b}",
                )
            ax.add_line(line)
        if len(edges) > MAX_EDGE_LABELS:
            continue
        t = (
            0.68
            if e.a in mid and e.b not in mid
            else 0.32
            if e.b in mid and e.a not in mid
            else 0.5
        )
        ax.text(
            x0 + t * (x1 - x0),
            y0 + t * (y1 - y0),
            str(int(e.events)),
            ha="center",
            va="center",
            fontsize=6.5,
            color=INK,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9},
        )


def _draw_node(ax, s: str, at: tuple[float, float, float], size: float, colour) -> None:
    """Draw stakeholder ``s`` as a dot of area ``size`` (points squared) in its colour."""
    x, y, _ = at
    ax.scatter(
        [x],
        [y],
        s=size,
        color=colour,
        edgecolors="white",
        linewidths=1.0,
        zorder=5,
        gid=f"node-{s}",
    )


def _label_node(
    ax, s: str, at: tuple[float, float, float], size: float, label: str, n: int, radial: bool
) -> None:
    """Write a node's label and event count beside its dot.

    A middle node's label goes below it, in bold on a white box; a ring node's points
    away from the middle: along the radius when ``radial``, else wrapped and aligned to
    the side it is on.
    """
    x, y, theta = at
    r = math.sqrt(size / math.pi) + 3.5  # marker radius in points, plus a gap
    style = {"fontsize": 7.2, "color": INK, "zorder": 6, "gid": f"label-{s}"}
    if math.isnan(theta):
        ax.annotate(
            wrap_label(label, 18, 3) + f" ({n})",
            (x, y),
            xytext=(0, -r),
            textcoords="offset points",
            ha="center",
            va="top",
            fontweight="bold",
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
            **style,
        )
        return
    c, si = math.cos(theta), math.sin(theta)
    offset = (r * c, r * si)
    if radial:
        deg = math.degrees(theta)
        ax.annotate(
            short_label(label, 22) + f" ({n})",
            (x, y),
            xytext=offset,
            textcoords="offset points",
            ha="left" if c >= 0 else "right",
            va="center",
            rotation=deg if c >= 0 else deg + 180,
            rotation_mode="anchor",
            **{**style, "fontsize": 6.6},
        )
        return
    ha = "left" if c > 0.3 else "right" if c < -0.3 else "center"
    va = "bottom" if si > 0.3 else "top" if si < -0.3 else "center"
    ax.annotate(
        wrap_label(label, 17, 3) + f" ({n})",
        (x, y),
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        multialignment=ha,
        **style,
    )


def _draw_network_keys(fig: Figure, groups: list[str], width: float, fig_h: float) -> None:
    """Add the legend of groups and link types, and the Goldstein colour bar, below.

    The legend fills its two columns top to bottom: groups in the first, link types in
    the second, each padded with blank entries to the same length (with more than four
    groups, the groups run on into the second column).
    """
    nodes = _group_handles(groups)
    with mpl.rc_context(_DASH_RC):
        links = [
            Line2D([], [], color=INK, linewidth=1.5, linestyle=EDGE_STYLES[k], label=label)
            for k, label in EDGE_KIND_LABELS.items()
        ]
    rows = max(len(nodes), len(links))
    if rows <= 4:
        nodes += [Line2D([], [], linestyle="none", label=" ")] * (rows - len(nodes))
    handles = nodes + links
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.15 / width, 0.02 / fig_h),
        ncols=2,
        fontsize=6.8,
        handlelength=2.2,
        columnspacing=1.2,
        title="Group (node) · link type (edge)",
        title_fontsize=6.8,
        alignment="left",
    )
    cax = _inch_axes(fig, 3.9, 0.42, 2.5, 0.12)
    bar = fig.colorbar(
        ScalarMappable(norm=GOLDSTEIN_NORM, cmap=GOLDSTEIN_CMAP),
        cax=cax,
        orientation="horizontal",
    )
    bar.set_ticks([-10, -5, 0, 5, 10])
    bar.ax.tick_params(labelsize=6.5, length=2)
    bar.set_label("Edge colour: mean Goldstein (conflict − / + cooperation)", fontsize=6.8)
    bar.ax.xaxis.set_label_position("top")
