"""One place for chart fonts, sizes and colours.

Every figure function builds a :class:`matplotlib.figure.Figure` directly (no pyplot, so
no global state leaks between figures) inside :func:`styled`, and sizes itself from the
A4 text width here so that charts render at print size without rescaling.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.colors import Normalize, TwoSlopeNorm
from matplotlib.figure import Figure

from .display import DPI  # defined there so that text-only code need not import matplotlib

A4_TEXT_WIDTH_IN = 6.7  # 170 mm: A4 less 20 mm margins each side

FONT_FAMILY = "DejaVu Sans"  # ships with matplotlib: identical glyphs on every machine
BASE_SIZE = 8.5

# Okabe-Ito: distinguishable with the common forms of colour blindness.
PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]
INK = "#222222"
MUTED = "#777777"
GRID = "#DDDDDD"
INCIDENT = "#B2182B"

# Goldstein scale on a diverging, colour-blind-safe map (ColorBrewer RdBu):
# red for conflict, blue for cooperation, pale at zero.
GOLDSTEIN_CMAP = "RdBu"
GOLDSTEIN_NORM = TwoSlopeNorm(vmin=-10, vcenter=0, vmax=10)
HEAT_CMAP = "Blues"

RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT_FAMILY],
    "font.size": BASE_SIZE,
    "axes.titlesize": BASE_SIZE + 1.5,
    "axes.titleweight": "bold",
    "axes.labelsize": BASE_SIZE,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": BASE_SIZE - 0.5,
    "ytick.labelsize": BASE_SIZE - 0.5,
    "legend.fontsize": BASE_SIZE - 1,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "svg.hashsalt": "engagement-briefings",
    "path.simplify": True,
}


@contextmanager
def styled():
    """Apply the project's chart style for the figures built inside the block."""
    with mpl.rc_context(RC):
        yield


def new_figure(height_in: float, width_in: float = A4_TEXT_WIDTH_IN) -> Figure:
    """A blank figure at print size, not registered with pyplot."""
    return Figure(figsize=(width_in, height_in), layout="constrained")


def goldstein_colour(value: float):
    """RGBA colour of a Goldstein value on the diverging scale."""
    return mpl.colormaps[GOLDSTEIN_CMAP](GOLDSTEIN_NORM(value))


def sequential_norm(vmax: float) -> Normalize:
    return Normalize(vmin=0, vmax=max(vmax, 1))
