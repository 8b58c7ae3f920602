"""Stakeholder figures: what they draw, that they are deterministic, that labels stay legible.

Expected values are worked out by hand from the data (see the comments and the table at
the top of tests/analysis/test_stakeholders.py for the fixture), not read back from the code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.analysis import stakeholders as sh
from helpers.data.context import prepare
from helpers.paths import DATA_DIR
from helpers.presentation import network_charts as nc
from helpers.presentation import stakeholder_charts as sc
from helpers.presentation.display import figure_png


@pytest.fixture(scope="module")
def real():
    return prepare("2025-01-01", "2025-05-31", "IND", "AFG", "")


@pytest.fixture
def fx(make_package):
    return prepare("2025-01-01", "2025-03-31", "NORTH", "SOUTH", str(make_package("stakeholders")))


def by_gid(fig: Figure, prefix: str) -> dict:
    """Artists whose gid starts with ``prefix``, keyed by the rest of the gid."""
    found = fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix))
    return {a.get_gid()[len(prefix) :]: a for a in found}


def network(ctx) -> Figure:
    return nc.network_chart(sh.activity(ctx), sh.dyads(ctx), (ctx.focus, ctx.counterpart))


def heatmap(ctx) -> Figure:
    nodes = sh.activity(ctx)
    return sc.dyad_heatmap(
        sh.dyad_matrix(ctx, "events"),
        sh.dyad_matrix(ctx, "net_cooperation"),
        dict(zip(nodes["stakeholder"], nodes["name"])),
    )


def flat(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- network


def test_network_nodes_and_labels_on_real_data(real):
    fig = network(real)
    # Active stakeholders 1 Jan - 31 May 2025 and their counted events (worked out in
    # test_stakeholders.test_real_data_nodes_roll_up_people_and_organs). WEST,
    # IND_CRITICS and CHN have positions but no event counted in the window, so they are
    # not drawn.
    assert set(by_gid(fig, "node-")) == {
        "IND",
        "AFG",
        "PAK",
        "PAHALGAM_ATTACKERS",
        "IRN",
        "UN",
    }
    labels = {k: flat(t.get_text()) for k, t in by_gid(fig, "label-").items()}
    assert labels == {
        "IND": "India (9)",
        "AFG": "Afghanistan (8)",
        "PAK": "Pakistan (3)",
        "PAHALGAM_ATTACKERS": "Perpetrators of the Pahalgam attack (2)",
        "IRN": "Iran (1)",
        "UN": "United Nations (1)",
    }
    # Node area grows with events: IND (9) is drawn larger than PAK (3), PAK than IRN (1).
    nodes = by_gid(fig, "node-")
    assert nodes["IND"].get_sizes()[0] > nodes["PAK"].get_sizes()[0] > nodes["IRN"].get_sizes()[0]


def test_network_edges_on_real_data(real):
    fig = network(real)
    edges = by_gid(fig, "edge-")
    # Seven linked pairs (see test_stakeholders.test_real_data_alignment_summary; no
    # AFG-CHN, whose only event, the accepted credentials, is not placed in the window).
    assert set(edges) == {
        "IND-AFG",
        "IND-PAK",
        "IND-UN",
        "IND-PAHALGAM_ATTACKERS",
        "AFG-IRN",
        "AFG-PAK",
        "AFG-PAHALGAM_ATTACKERS",
    }
    # Line style by what the pair did (data/engagements.csv, 1 Jan - 31 May 2025):
    # solid for a contact: IND-AFG (Dubai, Prakash, call), AFG-IRN (Araghchi's visit);
    # dashed for an act without contact: the attackers' attack on India;
    # dotted for statements only: India's and Pakistan's military's about each other,
    # Harish at the Security Council, the Taliban rejecting Pakistan's claims and the
    # Taliban condemning the Pahalgam attackers (a statement about them, no engagement).
    styles = {k: line.get_linestyle() for k, line in edges.items()}
    assert styles == {
        "IND-AFG": "-",
        "AFG-IRN": "-",
        "IND-PAHALGAM_ATTACKERS": "--",
        "IND-PAK": ":",
        "IND-UN": ":",
        "AFG-PAK": ":",
        "AFG-PAHALGAM_ATTACKERS": ":",
    }
    # The casing under each line has its style, so the two read as one line.
    casings = {k: line.get_linestyle() for k, line in by_gid(fig, "casing-edge-").items()}
    assert casings == styles
    # The legend has one entry per line style, and none says "No contact".
    (legend,) = fig.legends
    keys = {
        t.get_text(): h.get_linestyle() for t, h in zip(legend.get_texts(), legend.legend_handles)
    }
    assert {k: v for k, v in keys.items() if v != "None"} == {
        "Contact": "-",
        "Other act, no contact": "--",
        "Statement about the other": ":",
    }
    # Width by events: IND-AFG 5 > IND-PAK 2 > a one-event pair.
    w = {k: line.get_linewidth() for k, line in edges.items()}
    assert w["IND-AFG"] > w["IND-PAK"] > w["IND-UN"] == w["AFG-PAK"]
    # Colour by mean Goldstein: IND-AFG +3.24 is on the blue (cooperation) side;
    # the attack (-9.0) on the red side.
    r, g, b, _ = edges["IND-AFG"].get_color()
    assert b > r
    r, g, b, _ = edges["IND-PAHALGAM_ATTACKERS"].get_color()
    assert r > b
    # Each edge carries its event count: 5 (IND-AFG), 2 (IND-PAK) and 1 for each of the
    # five other pairs.
    counts = sorted(
        t.get_text() for t in fig.axes[0].texts if t.get_text().isdigit() and t.get_gid() is None
    )
    assert counts == ["1"] * 5 + ["2", "5"]


def test_network_legend_keeps_groups_and_link_types_in_their_columns():
    # February 2025: only the aid span links India and Afghanistan, both regional states.
    # The legend's two columns are filled top to bottom, three rows each: the one group
    # and two blanks, then the three link types.
    fig = network(prepare("2025-02-01", "2025-02-28", "IND", "AFG", ""))
    # Only the middle pair: the drawing is 1.3 in high, with the 0.8 in key band below
    # (the full 2.8 in would leave the ring's room empty).
    assert fig.get_size_inches()[1] == pytest.approx(1.3 + 0.8)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "Regional state",
        " ",
        " ",
        "Contact",
        "Other act, no contact",
        "Statement about the other",
    ]


def test_accepted_credentials_are_drawn_as_a_contact(make_package):
    # China's acceptance of the Taliban's ambassador, dated February 2025 instead of the
    # 2022-2025 interval, is placed in 1 January - 31 May 2025. It is the pair's only
    # counted event (the talks with Yue and the invitation are dated to the year only,
    # the Beijing visit is scheduled): one contact, so a solid line, never "no contact".
    rows = (DATA_DIR / "engagements.csv").read_text(encoding="utf-8")
    dated = rows.replace(
        "china-accepts-ambassador,2022-02-01,interval,2025-02-28,",
        "china-accepts-ambassador,2025-02-01,month,,",
    )
    assert dated != rows
    ctx = prepare("2025-01-01", "2025-05-31", "CHN", "AFG", str(make_package(engagements=dated)))
    edges = by_gid(network(ctx), "edge-")
    assert edges["CHN-AFG"].get_linestyle() == "-"


def test_network_layout_is_fixed():
    pos = nc.network_layout(["A", "B", "C", "D"], centre=["A", "B"], radial=False, height=4.0)
    # Middle pair at +-0.55 * 2.0 in on the horizontal axis. Two ring nodes: one on the
    # upper arc (22..158 degrees, centre 90) and one on the lower (centre -90), on the
    # ellipse of a 4 in drawing, 2.0 in wide and 4 / 2 - 0.62 = 1.38 in high (0.62 in
    # kept for labels): straight above and below, never in line with the pair.
    assert pos["A"][:2] == pytest.approx((-1.1, 0.0))
    assert pos["B"][:2] == pytest.approx((1.1, 0.0))
    assert pos["C"][:2] == pytest.approx((0.0, 1.38), abs=1e-9)
    assert pos["D"][:2] == pytest.approx((0.0, -1.38), abs=1e-9)
    assert math.isnan(pos["A"][2])
    # The default drawing is 2.8 in high: half-height 2.8 / 2 - 0.62 = 0.78 in; the width
    # does not change.
    small = nc.network_layout(["A", "B", "C", "D"], centre=["A", "B"], radial=False)
    assert small["B"][:2] == pytest.approx((1.1, 0.0))
    assert small["C"][:2] == pytest.approx((0.0, 0.78), abs=1e-9)
    assert small["D"][:2] == pytest.approx((0.0, -0.78), abs=1e-9)
    # A lone focus goes first on the ring instead: A at the top, then B and C a third of
    # a turn apart clockwise: 90, -30, -150 degrees.
    lone = nc.network_layout(["A", "B", "C"], centre=["A", "X"], radial=False, height=4.0)
    assert lone["A"][:2] == pytest.approx((0.0, 1.38), abs=1e-9)
    assert lone["B"][:2] == pytest.approx((2.0 * math.sqrt(3) / 2, -0.69))
    assert lone["C"][:2] == pytest.approx((-2.0 * math.sqrt(3) / 2, -0.69))


@pytest.mark.parametrize("ring", range(1, 31))
def test_ring_nodes_keep_clear_of_the_middle_line(ring):
    ids = ["F", "C", *(f"R{i}" for i in range(ring))]
    pos = nc.network_layout(ids, centre=["F", "C"])
    for sid in ids[2:]:
        assert abs(math.sin(pos[sid][2])) >= math.sin(math.radians(sc.SIDE_GAP_DEG)) - 1e-9


def node_radius_in(fig: Figure, sid: str) -> float:
    return math.sqrt(by_gid(fig, "node-")[sid].get_sizes()[0] / math.pi) / 72


@pytest.mark.parametrize(
    "window",
    [
        ("2025-01-01", "2025-05-31"),
        ("2025-04-01", "2025-05-31"),
        ("2025-01-01", "2025-12-31"),
        ("2025-04-22", "2025-04-22"),
        ("2021-01-01", "2025-12-31"),
    ],
)
def test_no_edge_runs_through_another_node(window):
    # Data units are inches in both directions, so distances compare with node radii.
    ctx = prepare(*window, "IND", "AFG", "")
    fig = network(ctx)
    centres = {k: np.asarray(v.get_offsets()[0], float) for k, v in by_gid(fig, "node-").items()}
    for key, line in by_gid(fig, "edge-").items():
        (x0, x1), (y0, y1) = line.get_xdata(), line.get_ydata()
        p, q = np.array([x0, y0]), np.array([x1, y1])
        ends = {k for k, c in centres.items() if min(np.hypot(*(c - p)), np.hypot(*(c - q))) < 1e-9}
        for sid, c in centres.items():
            if sid in ends:
                continue
            t = np.clip(np.dot(c - p, q - p) / np.dot(q - p, q - p), 0, 1)
            gap = np.hypot(*(c - (p + t * (q - p))))
            assert gap > node_radius_in(fig, sid) + 0.03, f"edge {key} crosses {sid}"
    assert_legible(fig, "label-", len(centres))


def test_network_is_deterministic_and_independent_of_row_order(real, make_package):
    a = figure_png(network(real))
    b = figure_png(network(real))
    assert a == b
    # Same data with the engagement rows in reverse order: the same picture.
    lines = (DATA_DIR / "engagements.csv").read_text(encoding="utf-8").splitlines()
    reversed_rows = "\n".join([lines[0], *reversed(lines[1:])]) + "\n"
    pkg = make_package(engagements=reversed_rows)
    again = prepare("2025-01-01", "2025-05-31", "IND", "AFG", str(pkg))
    assert figure_png(network(again)) == a


def test_network_one_event_and_empty(make_package):
    pkg = str(make_package("stakeholders"))
    one = network(prepare("2025-03-15", "2025-03-15", "NORTH", "SOUTH", pkg))
    # Only the rebels' attack on Southland: two nodes, one dashed edge (an act, no contact).
    assert set(by_gid(one, "node-")) == {"SOUTH", "REBELS"}
    assert {k: v.get_linestyle() for k, v in by_gid(one, "edge-").items()} == {"SOUTH-REBELS": "--"}
    empty = network(prepare("2030-01-01", "2030-12-31", "NORTH", "SOUTH", pkg))
    texts = [t.get_text() for t in empty.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("No events in this period" in t for t in texts)
    assert by_gid(empty, "node-") == {}


# --------------------------------------------------------------------------- dyad matrix


def test_heatmap_values_on_fixture(fx):
    fig = heatmap(fx)
    counts_ax, net_ax = fig.axes[0], fig.axes[1]
    # Row labels: the active stakeholders in display order, short names.
    assert [t.get_text() for t in counts_ax.get_yticklabels()] == [
        "Northland",
        "Southland",
        "Eastland",
        "Organisation of\nNations",  # 23 characters: wrapped at 20, never cut
        "Rebel Front",
        "Critics in Northland",
    ]
    # Six pairs, each written twice (symmetric): events 2, 2, 1, 1, 1, 1 and net
    # cooperation +3.5, -4.0, +0.0, -2.0, +7.4, -9.0 (see test_stakeholders).
    assert sorted(t.get_text() for t in counts_ax.texts) == ["1"] * 8 + ["2"] * 4
    net = sorted(t.get_text() for t in net_ax.texts)
    assert net == sorted(["+3.5", "-4.0", "+0.0", "-2.0", "+7.4", "-9.0"] * 2)


def test_heatmap_deterministic_and_empty(fx, make_package):
    assert figure_png(heatmap(fx)) == figure_png(heatmap(fx))
    pkg = str(make_package("stakeholders"))
    empty = heatmap(prepare("2030-01-01", "2030-12-31", "NORTH", "SOUTH", pkg))
    texts = [t.get_text() for t in empty.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("No events in this period" in t for t in texts)


# --------------------------------------------------------------------------- position map


def cell(artist) -> tuple[int, int]:
    """The (stance, influence) cell a scatter marker sits in."""
    x, y = artist.get_offsets()[0]
    return (round(float(x)), round(float(y)))


def assert_arrow_joins(fig: Figure, sid: str) -> None:
    """The move arrow of ``sid`` runs from its hollow dot to its filled dot."""
    arrow = by_gid(fig, "move-")[sid]
    verts = arrow.get_path().vertices
    for marker in (by_gid(fig, "was-")[sid], by_gid(fig, "point-")[sid]):
        target = np.asarray(marker.get_offsets()[0], dtype=float)
        assert np.min(np.hypot(*(verts - target).T)) < 0.1


def test_position_map_arrows_on_real_data(real):
    fig = sc.position_map(sh.current_positions(real), "31 May 2025")
    # Moves as of 31 May 2025 (positions.csv): IND (+1,4) -> (+2,4); PAK (+1,4) ->
    # (-1,4); IRN (0,3) -> (+1,3). AFG, CHN, WEST, IND_CRITICS have one position each.
    assert set(by_gid(fig, "move-")) == {"IND", "PAK", "IRN"}
    was, now = by_gid(fig, "was-"), by_gid(fig, "point-")
    assert {k: cell(v) for k, v in was.items()} == {"IND": (1, 4), "PAK": (1, 4), "IRN": (0, 3)}
    assert {k: cell(v) for k, v in now.items()} == {
        "IND": (2, 4),
        "AFG": (2, 3),
        "CHN": (2, 4),
        "IRN": (1, 3),
        "PAK": (-1, 4),
        "WEST": (-1, 4),
        "IND_CRITICS": (-1, 2),
    }
    for sid in ("IND", "PAK", "IRN"):
        assert_arrow_joins(fig, sid)
    # WEST has no events in the window but is on the map, labelled by name only.
    labels = {k: flat(t.get_text()) for k, t in by_gid(fig, "pos-label-").items()}
    assert labels["WEST"] == "Western governments"
    assert labels["AFG"] == "Afghanistan"


def test_heatmap_labels_are_whole_names_inside_the_figure(real):
    fig = heatmap(real)
    canvas = FigureCanvasAgg(fig)
    fig.draw(canvas.get_renderer())
    # The six active stakeholders of 1 January - 31 May 2025, in display order (China's
    # acceptance of the ambassador is dated 2022-02 to 2025-02-28, an interval reaching
    # outside the period: not counted); the longest name, 35 characters, wraps after
    # "the" (19 characters, within 20) and is not cut to "Perpetrators of the Pah…".
    expected = ["India", "Afghanistan", "Iran", "Pakistan", "United Nations",
                "Perpetrators of the\nPahalgam attack"]  # fmt: skip
    for ax in fig.axes[:2]:
        assert [t.get_text() for t in ax.get_xticklabels()] == expected
    rows = fig.axes[0].get_yticklabels()
    assert [t.get_text() for t in rows] == expected
    box = fig.bbox
    for label in [*rows, *fig.axes[0].get_xticklabels(), *fig.axes[1].get_xticklabels()]:
        extent = label.get_window_extent(canvas.get_renderer())
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, label.get_text()
        assert box.y0 <= extent.y0 and extent.y1 <= box.y1, label.get_text()


def test_position_markers_sit_at_their_values(real):
    fig = sc.position_map(sh.current_positions(real), "31 May 2025")
    now, was = by_gid(fig, "point-"), by_gid(fig, "was-")
    xy = {k: tuple(map(float, v.get_offsets()[0])) for k, v in now.items()}
    # positions.csv as of 31 May 2025: each dot's x is its stance exactly (Pakistan's
    # -1 was drawn near -0.6, India's +2 near +1.6). Alone at its values, a dot's y is
    # its influence exactly; AFG (+2,3), IRN (+1,3) and IND_CRITICS (-1,2) are alone.
    stance = {"IND": 2, "AFG": 2, "CHN": 2, "IRN": 1, "PAK": -1, "WEST": -1, "IND_CRITICS": -1}
    assert {k: x for k, (x, _) in xy.items()} == stance
    assert xy["AFG"][1] == 3 and xy["IRN"][1] == 3 and xy["IND_CRITICS"][1] == 2
    # PAK and WEST share (-1,4), IND and CHN (+2,4): listed one under the other around 4.
    for sid in ("PAK", "WEST", "IND", "CHN"):
        assert abs(xy[sid][1] - 4) < 0.3, sid
    assert xy["PAK"][1] > xy["WEST"][1] and xy["IND"][1] > xy["CHN"][1]
    # Previous positions too: IND and PAK at +1, IRN at 0.
    assert {k: float(v.get_offsets()[0][0]) for k, v in was.items()} == {
        "IND": 1,
        "PAK": 1,
        "IRN": 0,
    }
    # Pakistan's arrow comes from the right: its label is on the left, clear of the arrow.
    labels = by_gid(fig, "pos-label-")
    assert labels["PAK"].get_horizontalalignment() == "right"
    assert labels["PAK"].get_position()[0] < -1 < labels["WEST"].get_position()[0]


def test_position_map_on_fixture(fx):
    fig = sc.position_map(sh.current_positions(fx))
    # NORTH (0,3)->(1,4); EAST (1,3)->(-1,3); ORG (0,4)->(0,5): three arrows.
    assert set(by_gid(fig, "move-")) == {"NORTH", "EAST", "ORG"}
    assert {k: cell(v) for k, v in by_gid(fig, "was-").items()} == {
        "NORTH": (0, 3),
        "EAST": (1, 3),
        "ORG": (0, 4),
    }
    for sid in ("NORTH", "EAST", "ORG"):
        assert_arrow_joins(fig, sid)
    # QUIET: no events, still a point at (-2, 2); REBELS: events, no position, absent.
    points = by_gid(fig, "point-")
    assert cell(points["QUIET"]) == (-2, 2)
    assert "REBELS" not in points
    assert figure_png(fig) == figure_png(sc.position_map(sh.current_positions(fx)))


def test_position_map_without_positions(make_package):
    pkg = str(make_package("stakeholders"))
    fig = sc.position_map(
        sh.current_positions(prepare("2020-01-01", "2020-12-31", "NORTH", "SOUTH", pkg))
    )
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
    assert any("No positions recorded" in t for t in texts)


# --------------------------------------------------------------------------- legibility

PLACES = [
    "Northland",
    "Southern Isles",
    "Eastern Provinces",
    "Westmarch",
    "Highlands",
    "Lowlands",
    "Riverlands",
    "Coastal States",
    "Mountain Tribes",
    "Desert Alliance",
]
PREFIXES = ["", "Federal Republic of ", "Kingdom of ", "Organisation for ", "Council on "]
GROUPS = ["regional_state", "multilateral", "extra_regional", "non_state_armed", "domestic_opinion"]
N_BIG = 30


def big_package(make_package):
    """30 stakeholders with long names, each with a person; many events and moves."""
    actors = ["actor_id,name,kind,country,parent_id,role,stakeholder_group"]
    for i in range(N_BIG):
        name = f"{PREFIXES[i % 5]}{PLACES[i % 10]} {i}"
        actors.append(f"S{i:02d},{name},state,,,,{GROUPS[i % 5]}")
        actors.append(f"P{i:02d},Person {i},person,,S{i:02d},,")
    head = (
        "event_id,date,date_precision,end_date,status,fulfils,event_type,cameo_code,actor_from,"
        "actor_to,location,level_from,level_to,topics,summary,milestone,source_ids,confidence,notes"
    )
    events = [head]
    for i in range(1, N_BIG):
        events.append(
            f"m{i},2025-02-{1 + i % 27:02d},day,,occurred,,meeting,044,P00,S{i:02d},,"
            "minister,minister,trade,x,,muttaqi-call-report,high,"
        )
        j = (i * 7) % N_BIG
        if j != i:
            events.append(
                f"s{i},2025-03-{1 + i % 27:02d},day,,occurred,,statement,111,S{i:02d},P{j:02d},,"
                "institution,institution,,x,,muttaqi-call-report,high,"
            )
    positions = ["actor_id,as_of,stance,influence,interest,rationale,source_ids"]
    for i in range(N_BIG):
        positions.append(
            f"S{i:02d},2025-01-01,{i % 5 - 2},{(i * 3) % 5 + 1},3,r,muttaqi-call-report"
        )
        if i % 3 == 0:
            influence = (i * 3) % 5 + 1 if i % 2 else (i % 5) + 1
            positions.append(
                f"S{i:02d},2025-04-01,{(i + 2) % 5 - 2},{influence},3,r,muttaqi-call-report"
            )
    pkg = make_package(
        actors="\n".join(actors) + "\n",
        engagements="\n".join(events) + "\n",
        positions="\n".join(positions) + "\n",
    )
    return prepare("2025-01-01", "2025-05-31", "S00", "S01", str(pkg))


def text_polygon(text, renderer) -> np.ndarray:
    """Corners, in display pixels, of a text's own (possibly rotated) box."""
    angle = text.get_rotation()
    text.set_rotation(0)
    box = text.get_window_extent(renderer)
    text.set_rotation(angle)
    # Labels rotate about their anchor: the aligned side's middle (rotation_mode anchor).
    ax_ = box.x0 if text.get_horizontalalignment() == "left" else box.x1
    ay_ = (box.y0 + box.y1) / 2
    corners = np.array([[box.x0, box.y0], [box.x1, box.y0], [box.x1, box.y1], [box.x0, box.y1]])
    if text.get_rotation_mode() != "anchor" or angle == 0:
        return corners
    t = math.radians(angle)
    rot = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
    return (corners - [ax_, ay_]) @ rot.T + [ax_, ay_]


def overlap(p: np.ndarray, q: np.ndarray) -> bool:
    """Separating-axis test for two convex quadrilaterals."""
    for poly in (p, q):
        for k in range(4):
            edge = poly[(k + 1) % 4] - poly[k]
            axis = np.array([-edge[1], edge[0]])
            a, b = p @ axis, q @ axis
            if a.max() <= b.min() or b.max() <= a.min():
                return False
    return True


def assert_legible(fig: Figure, prefix: str, expected: int) -> None:
    canvas = FigureCanvasAgg(fig)
    fig.draw(canvas.get_renderer())
    renderer = canvas.get_renderer()
    labels = by_gid(fig, prefix)
    assert len(labels) == expected
    polys = {k: text_polygon(t, renderer) for k, t in labels.items()}
    width, height = fig.bbox.width, fig.bbox.height
    for k, poly in polys.items():
        assert poly[:, 0].min() >= 0 and poly[:, 0].max() <= width, f"{k} cut at the side"
        assert poly[:, 1].min() >= 0 and poly[:, 1].max() <= height, f"{k} cut at top/bottom"
        assert labels[k].get_fontsize() >= 6.5
    keys = sorted(polys)
    clashes = [
        (a, b) for i, a in enumerate(keys) for b in keys[i + 1 :] if overlap(polys[a], polys[b])
    ]
    assert clashes == []


def test_thirty_stakeholders_stay_legible(make_package):
    ctx = big_package(make_package)
    nodes = sh.activity(ctx)
    # S00's person meets each of the 29 others: every stakeholder is active.
    assert len(nodes) == N_BIG
    assert_legible(network(ctx), "label-", N_BIG)
    positions = sh.current_positions(ctx)
    assert len(positions) == N_BIG
    assert_legible(sc.position_map(positions), "pos-label-", N_BIG)
    # Every i divisible by 3 has a second position at another stance: 10 arrows.
    assert len(by_gid(sc.position_map(positions), "move-")) == 10
    # The matrix keeps MAX_STAKEHOLDERS (15): the focus S00 (29 events), its counterpart
    # S01, and 13 of the 23 others with 3 events (a meeting, a statement made and one
    # received); S05, S10, S15, S20 and S25 have only their meeting and are left out.
    matrix = heatmap(ctx)
    assert len(matrix.axes[0].get_yticklabels()) == sh.MAX_STAKEHOLDERS == 15
    ids = list(sh.dyad_matrix(ctx, "events").index)
    assert {"S00", "S01"} <= set(ids)
    assert not {"S05", "S10", "S15", "S20", "S25"} & set(ids)
    assert "the matrix shows the 15 most active stakeholders" in sh.describe_dyads(ctx).lower()


def test_group_colours_are_fixed():
    # The same group always gets the same colour, whatever else is drawn.
    assert sc.group_colour("regional_state") == "#0072B2"
    assert sc.group_colour("no_such_group") == sc.OTHER_GROUP
    assert sc.group_name("non_state_armed") == "Non-state armed"


def test_network_caption_names_the_three_line_styles():
    assert flat(nc.NETWORK_CAPTION).endswith(
        "solid where the two had direct contact, dashed where one only acted on the other "
        "(aid, an attack), dotted where they only made statements about each other."
    )
