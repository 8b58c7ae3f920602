"""Where each stakeholder stands: positions as of the window's end and how they moved."""

from __future__ import annotations

import pandas as pd

from ..data.context import BriefingContext
from ..data.periods import format_date
from .memo import per_context
from .network import MAX_PAIRS, _describe, activity, shown_stakeholders, stakeholder_order
from .text import NAMES_LIMIT, _join_names, plural, signed

STANCE_WORDS = {
    -2: "opposed",
    -1: "leaning against",
    0: "neutral",
    1: "leaning for",
    2: "for",
}
"""Plain words for the stance scale (toward engagement)."""


# --------------------------------------------------------------------------- positions


@per_context
def current_positions(ctx: BriefingContext) -> pd.DataFrame:
    """Each stakeholder's position as of the window's end, with the one before it.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    DataFrame
        One row per stakeholder with a position dated on or before ``ctx.window.end``,
        in :func:`stakeholder_order`, whether or not it was active in the window.
        Columns: ``stakeholder``, ``name``, ``label``, ``group``, ``as_of``, ``stance``,
        ``influence``, ``interest``, ``rationale``, ``sources`` (tuple of source ids);
        the previous recorded position as ``prev_as_of`` (NaT if none),
        ``prev_stance``, ``prev_influence``, ``prev_interest`` (nullable integers);
        ``moved`` (it has a previous position at another point of the stance/influence
        map), ``stance_change`` (latest minus previous stance, <NA> if no previous),
        ``moved_in_window`` (the latest position is dated inside the window) and
        ``events`` (counted events it took part in; 0 when absent from the network).
    """
    pos = ctx.data.positions
    pos = pos[pos["as_of"] <= ctx.window.end].sort_values(["actor_id", "as_of"], kind="stable")
    latest = pos.groupby("actor_id").tail(1).set_index("actor_id")
    previous = pos.groupby("actor_id").nth(-2).set_index("actor_id")
    order = [s for s in stakeholder_order(ctx) if s in latest.index]
    out = _describe(ctx, order)
    out["as_of"] = pd.to_datetime(pd.Series([latest.at[s, "as_of"] for s in order], dtype=object))
    for col in ("stance", "influence", "interest", "rationale"):
        out[col] = [latest.at[s, col] for s in order]
    out["stance"] = out["stance"].astype(int)
    out["influence"] = out["influence"].astype(int)
    out["interest"] = out["interest"].astype(int)
    out["sources"] = [tuple(latest.at[s, "source_list"]) for s in order]
    out["prev_as_of"] = pd.to_datetime(
        pd.Series([previous.at[s, "as_of"] if s in previous.index else pd.NaT for s in order])
    )
    for col in ("stance", "influence", "interest"):
        out[f"prev_{col}"] = pd.array(
            [int(previous.at[s, col]) if s in previous.index else pd.NA for s in order],
            dtype="Int64",
        )
    has_prev = out["prev_as_of"].notna()
    moved = (out["prev_stance"] != out["stance"]) | (out["prev_influence"] != out["influence"])
    out["moved"] = (has_prev & moved.fillna(False)).astype(bool)
    out["stance_change"] = (out["stance"] - out["prev_stance"]).astype("Int64")
    out["moved_in_window"] = out["as_of"] >= ctx.window.start
    events = activity(ctx).set_index("stakeholder")["events"]
    out["events"] = [int(events.get(s, 0)) for s in order]
    return out


def describe_positions(ctx: BriefingContext) -> str:
    """A sentence introducing the position map (also its chart's alt text).

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    str
        Counts the positions and the moves, and names the stakeholders that are on the
        map but not in the network (no events in the window).
    """
    pos = current_positions(ctx)
    end = format_date(ctx.window.end, "day")
    if pos.empty:
        return f"No positions recorded as of {end}."
    text = (
        f"Positions of {plural(len(pos), 'stakeholder')} as of {end}; "
        f"{int(pos['moved'].sum())} moved since their previous recorded position (arrows)."
    )
    shown = shown_positions(ctx)
    if len(shown) < len(pos):
        text += (
            f" The map and table show {len(shown)} of them: the focus, its counterpart and "
            "the most active others."
        )
    silent = list(shown.loc[shown["events"] == 0, "name"])
    if silent:
        verb = "has" if len(silent) == 1 else "have"
        text += (
            f" {_join_names(silent, NAMES_LIMIT)} {verb} no events in this period, so "
            f"{'it appears' if len(silent) == 1 else 'they appear'} here but not in the network."
        )
    return text


def shown_positions(ctx: BriefingContext) -> pd.DataFrame:
    """The :func:`current_positions` rows the position map and its table show: those of
    :func:`shown_stakeholders` among the stakeholders with a position (all of them when
    there are at most :data:`MAX_STAKEHOLDERS`)."""
    pos = current_positions(ctx)
    keep = shown_stakeholders(ctx, pos["stakeholder"])
    return pos[pos["stakeholder"].isin(keep)].reset_index(drop=True)


def _fmt_position(stance, influence) -> str:
    return f"stance {signed(stance)}, influence {int(influence)}"


def positions_table(positions: pd.DataFrame) -> pd.DataFrame:
    """The position map's companion table: one row per point, as display text.

    Parameters
    ----------
    positions : DataFrame
        Output of :func:`current_positions`.

    Returns
    -------
    DataFrame
        Columns ``Stakeholder`` (the chart label), ``Stance``, ``Influence``,
        ``Interest``, ``As of``, ``Moved from``, ``Events``, ``Rationale``, ``Sources``.
    """
    rows = []
    for p in positions.itertuples(index=False):
        moved = ""
        if p.moved:
            moved = (
                f"{_fmt_position(p.prev_stance, p.prev_influence)} "
                f"({format_date(p.prev_as_of, 'day')})"
            )
        rows.append(
            {
                "Stakeholder": p.label,
                "Stance": f"{signed(p.stance)} ({STANCE_WORDS.get(int(p.stance), '')})",
                "Influence": str(int(p.influence)),
                "Interest": str(int(p.interest)),
                "As of": format_date(p.as_of, "day"),
                "Moved from": moved,
                "Events": str(int(p.events)),
                "Rationale": p.rationale,
                "Sources": "; ".join(p.sources),
            }
        )
    columns = [
        "Stakeholder",
        "Stance",
        "Influence",
        "Interest",
        "As of",
        "Moved from",
        "Events",
        "Rationale",
        "Sources",
    ]
    return pd.DataFrame(rows, columns=columns)


def dyads_table(edges: pd.DataFrame, limit: int = MAX_PAIRS) -> pd.DataFrame:
    """The dyad matrix as a table: one row per linked pair, as display text.

    Parameters
    ----------
    edges : DataFrame
        Output of :func:`dyads` or :func:`network`, busiest pair first.
    limit : int
        Most pairs listed: the first ``limit`` rows (default :data:`MAX_PAIRS`).

    Returns
    -------
    DataFrame
        Columns ``Pair``, ``Events``, ``A → B``, ``B → A`` (as "India → Pakistan: 1"
        text), ``Contacts``, ``Net cooperation``, ``Mean Goldstein``, ``Types``,
        ``Relation``.
    """
    rows = []
    for e in edges.head(limit).itertuples(index=False):
        rows.append(
            {
                "Pair": f"{e.a_name} – {e.b_name}",
                "Events": f"{int(e.events):,}",
                "A → B": f"{e.a_label} → {e.b_label}: {int(e.a_to_b):,}",
                "B → A": f"{e.b_label} → {e.a_label}: {int(e.b_to_a):,}",
                "Contacts": f"{int(e.contacts):,}",
                "Net cooperation": f"{e.net_cooperation:+.1f}",
                "Mean Goldstein": f"{e.mean_goldstein:+.1f}",
                "Types": e.types,
                "Relation": e.relation + (" (one-way)" if e.one_way else ""),
            }
        )
    columns = [
        "Pair",
        "Events",
        "A → B",
        "B → A",
        "Contacts",
        "Net cooperation",
        "Mean Goldstein",
        "Types",
        "Relation",
    ]
    return pd.DataFrame(rows, columns=columns)
