"""Who interacted with whom: counted events, activity, the network and the dyads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.context import BriefingContext
from ..data.dataset import CONTACT_TYPES
from .memo import per_context
from .text import _of_them, _types_text, plural, short_label

GROUP_ORDER = (
    "regional_state",
    "multilateral",
    "extra_regional",
    "non_state_armed",
    "domestic_opinion",
)
"""Stakeholder groups in display order (the ``stakeholder_group`` enumeration)."""


MAX_STAKEHOLDERS = 15
"""Most stakeholders drawn in the network, the dyad matrix and the position map: the
focus, its counterpart and the most active others (see :func:`shown_stakeholders`).
Counts and sentences still cover every stakeholder."""


MAX_PAIRS = 15
"""Most pairs the dyad table lists (the busiest)."""


# --------------------------------------------------------------------------- events


def counted_events(ctx: BriefingContext) -> pd.DataFrame:
    """The window's events that count: placed in the window and ``status`` occurred.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    DataFrame
        Rows of ``ctx.events`` with status ``occurred``, same columns, same order.
    """
    ev = ctx.events
    return ev[ev["status"] == "occurred"].reset_index(drop=True)


def scope_note(ctx: BriefingContext) -> str:
    """One sentence saying which events the annex counts and which it leaves out.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    str
        E.g. "1 January – 31 May 2025: 13 events counted. Left out: 1 scheduled event
        ...".
    """
    n = len(counted_events(ctx))
    scheduled = int((ctx.events["status"] != "occurred").sum())
    loose = len(ctx.loose)
    text = f"{ctx.window.label()}: {plural(n, 'event')} counted."
    left = []
    if scheduled:
        left.append(
            f"{plural(scheduled, 'scheduled event')} (announced, not known to have happened)"
        )
    if loose:
        left.append(
            f"{plural(loose, 'loosely dated event')} whose dates may fall outside the period"
        )
    if left:
        text += " Left out: " + " and ".join(left) + "."
    return text


# --------------------------------------------------------------------------- stakeholders


def stakeholder_order(ctx: BriefingContext) -> list[str]:
    """Every stakeholder id in display order.

    The focus first, then its counterpart, then the others by group (in
    :data:`GROUP_ORDER`) and name. Charts and tables all use this order, so the same
    data always gives the same picture.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    list of str
    """
    top = ctx.data.stakeholders
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    lead = [s for s in (ctx.focus, ctx.counterpart) if s in top.index]
    rest = sorted(
        (s for s in top.index if s not in lead),
        key=lambda s: (rank.get(top.at[s, "stakeholder_group"], len(rank)), top.at[s, "name"], s),
    )
    return lead + rest


def _describe(ctx: BriefingContext, ids) -> pd.DataFrame:
    """Name, chart label and group of each stakeholder id."""
    top = ctx.data.stakeholders
    ids = list(ids)
    return pd.DataFrame(
        {
            "stakeholder": ids,
            "name": [top.at[s, "name"] for s in ids],
            "label": [short_label(top.at[s, "name"]) for s in ids],
            "group": [top.at[s, "stakeholder_group"] for s in ids],
        }
    )


def _participation(ev: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, stakeholder taking part), each stakeholder once per event."""
    sides = pd.concat(
        [
            ev[["event_id", "event_type", "from_stakeholder"]].rename(
                columns={"from_stakeholder": "stakeholder"}
            ),
            ev[["event_id", "event_type", "to_stakeholder"]].rename(
                columns={"to_stakeholder": "stakeholder"}
            ),
        ],
        ignore_index=True,
    )
    sides = sides[sides["stakeholder"] != ""]
    return sides.drop_duplicates(["event_id", "stakeholder"]).reset_index(drop=True)


@per_context
def activity(ctx: BriefingContext) -> pd.DataFrame:
    """Stakeholders active in the window: the nodes of the interaction network.

    A stakeholder is active when it takes part (as ``from`` or ``to``, after roll-up) in at
    least one counted event. Each event counts once for each stakeholder in it.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    DataFrame
        Columns ``stakeholder`` (id), ``name``, ``label`` (short name for charts),
        ``group``, ``events`` (counted events it takes part in), ``contacts`` (of which
        contact types). One row per active stakeholder, in :func:`stakeholder_order`;
        empty when the window has no counted events.
    """
    parts = _participation(counted_events(ctx))
    events = parts.groupby("stakeholder").size()
    contacts = parts[parts["event_type"].isin(CONTACT_TYPES)].groupby("stakeholder").size()
    order = [s for s in stakeholder_order(ctx) if s in events.index]
    out = _describe(ctx, order)
    out["events"] = [int(events[s]) for s in order]
    out["contacts"] = [int(contacts.get(s, 0)) for s in order]
    return out


def pair_events(ctx: BriefingContext, one: str = "", other: str = "") -> pd.DataFrame:
    """The counted events that link two different stakeholders: what the edges are made of.

    Parameters
    ----------
    ctx : BriefingContext
    one, other : str
        Two stakeholder ids, to keep only the events between them (either direction);
        empty (the default) for the events of every pair.

    Returns
    -------
    DataFrame
        Rows of :func:`counted_events` with an ``actor_to`` and different stakeholders on
        the two sides, plus ``a`` and ``b`` (the pair, ``a`` first in
        :func:`stakeholder_order`) and ``a_to_b`` (True when the event runs from ``a``
        to ``b``).
    """
    ev = counted_events(ctx)
    ev = ev[(ev["to_stakeholder"] != "") & (ev["from_stakeholder"] != ev["to_stakeholder"])]
    rank = {s: i for i, s in enumerate(stakeholder_order(ctx))}
    ev = ev.copy()
    first = ev["from_stakeholder"].map(rank) < ev["to_stakeholder"].map(rank)
    ev["a"] = ev["from_stakeholder"].where(first, ev["to_stakeholder"])
    ev["b"] = ev["to_stakeholder"].where(first, ev["from_stakeholder"])
    ev["a_to_b"] = first
    if one or other:
        pair = {one, other}
        ev = ev[ev["a"].isin(pair) & ev["b"].isin(pair)]
    return ev.reset_index(drop=True)


@per_context
def dyads(ctx: BriefingContext) -> pd.DataFrame:
    """Every pair of stakeholders linked by counted events: the edges of the network.

    An edge counts **all** counted events between the two, whatever their type and
    direction (a statement by one about the other, aid, a meeting ...); ``contacts``
    says how many of them were contacts in which both took part. So for India and the
    Taliban government over 1 January – 31 May 2025 the edge carries 5 events (the aid
    span, the Dubai meeting, the Taliban's praise of India, the Prakash visit and the
    phone call), 3 of them contacts.

    A relationship is **one-way** when the two had no contact in the window and either
    every event between them was a statement (talk *about* each other, not *with* each
    other) or every event ran in one direction.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    DataFrame
        One row per pair, columns: ``a``, ``b`` (ids, ``a`` first in
        :func:`stakeholder_order`), ``a_name``, ``b_name``, ``a_label``, ``b_label``,
        ``events``, ``a_to_b``, ``b_to_a`` (events by direction), ``contacts``,
        ``statements``, ``net_cooperation`` (sum of Goldstein values), ``mean_goldstein``,
        ``types`` (e.g. "2 statements, 1 visit"), ``one_way`` (bool) and ``relation``:
        "contact", "statements both ways", "one direction" or "no contact". Sorted by
        events (most first), then display order. Empty (with these columns) when no
        counted event links two stakeholders.
    """
    ev = pair_events(ctx)
    columns = [
        "a",
        "b",
        "a_name",
        "b_name",
        "a_label",
        "b_label",
        "events",
        "a_to_b",
        "b_to_a",
        "contacts",
        "statements",
        "net_cooperation",
        "mean_goldstein",
        "types",
        "one_way",
        "relation",
    ]
    if ev.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    rank = {s: i for i, s in enumerate(stakeholder_order(ctx))}
    names = ctx.data.stakeholders["name"]
    ev = ev.assign(
        _contact=ev["event_type"].isin(CONTACT_TYPES),
        _statement=ev["event_type"] == "statement",
    )
    out = (
        ev.groupby(["a", "b"], sort=False)
        .agg(
            events=("event_id", "size"),
            a_to_b=("a_to_b", "sum"),
            contacts=("_contact", "sum"),
            statements=("_statement", "sum"),
            net_cooperation=("goldstein", "sum"),
            mean_goldstein=("goldstein", "mean"),
        )
        .reset_index()
    )
    for col in ("events", "a_to_b", "contacts", "statements"):
        out[col] = out[col].astype(int)
    out["b_to_a"] = out["events"] - out["a_to_b"]
    out["a_name"] = out["a"].map(names)
    out["b_name"] = out["b"].map(names)
    out["a_label"] = out["a_name"].map(short_label)
    out["b_label"] = out["b_name"].map(short_label)
    by_type = ev.groupby(["a", "b", "event_type"]).size().rename("n").reset_index()
    by_type = by_type.assign(_n=-by_type["n"]).sort_values(["a", "b", "_n", "event_type"])
    types = {
        pair: _types_text(list(zip(grp["event_type"], grp["n"])))
        for pair, grp in by_type.groupby(["a", "b"], sort=False)
    }
    out["types"] = [types[(a, b)] for a, b in zip(out["a"], out["b"])]
    n, forward = out["events"], out["a_to_b"]
    out["relation"] = np.select(
        [
            out["contacts"] > 0,
            (out["statements"] == n) & (forward > 0) & (n - forward > 0),
            (forward == 0) | (forward == n),
        ],
        ["contact", "statements both ways", "one direction"],
        "no contact",
    ).astype(object)
    out["one_way"] = out["relation"].isin(["statements both ways", "one direction"])
    out = out[columns]
    out["_ra"] = out["a"].map(rank)
    out["_rb"] = out["b"].map(rank)
    out = out.sort_values(["events", "_ra", "_rb"], ascending=[False, True, True])
    return out.drop(columns=["_ra", "_rb"]).reset_index(drop=True)


def dyad_matrix(ctx: BriefingContext, value: str = "events") -> pd.DataFrame:
    """Square, symmetric matrix of a pair measure between the active stakeholders.

    Parameters
    ----------
    ctx : BriefingContext
    value : {"events", "contacts", "net_cooperation", "mean_goldstein"}
        The :func:`dyads` column to spread. A pair with no events is 0 for counts and
        net cooperation and NaN for the mean; the diagonal is always NaN (events within
        one stakeholder link no pair).

    Returns
    -------
    DataFrame
        Rows and columns are the ids of the nodes of :func:`network` (at most
        :data:`MAX_STAKEHOLDERS`), in that order; empty when the window has no counted
        events.
    """
    allowed = ("events", "contacts", "net_cooperation", "mean_goldstein")
    if value not in allowed:
        raise ValueError(f"value {value!r} is not one of: {', '.join(allowed)}")
    ids = list(network(ctx)[0]["stakeholder"])
    fill = float("nan") if value == "mean_goldstein" else 0.0
    mat = pd.DataFrame(fill, index=pd.Index(ids, name=None), columns=ids, dtype=float)
    edges = dyads(ctx)
    for row in edges[edges["a"].isin(ids) & edges["b"].isin(ids)].itertuples(index=False):
        v = float(getattr(row, value))
        mat.at[row.a, row.b] = v
        mat.at[row.b, row.a] = v
    for s in ids:
        mat.at[s, s] = float("nan")
    return mat


def shown_stakeholders(ctx: BriefingContext, candidates=None, limit: int = 0) -> list[str]:
    """The stakeholders the annex draws: at most :data:`MAX_STAKEHOLDERS`.

    Parameters
    ----------
    ctx : BriefingContext
    candidates : sequence of str, optional
        Stakeholder ids to choose from; by default the active ones (:func:`activity`).
    limit : int
        How many at most; 0 means :data:`MAX_STAKEHOLDERS`.

    Returns
    -------
    list of str
        All candidates when there are few enough; otherwise the focus and its
        counterpart, then the others with the most counted events (then in display
        order). In :func:`stakeholder_order` either way.
    """
    limit = limit or MAX_STAKEHOLDERS
    order = stakeholder_order(ctx)
    ids = list(activity(ctx)["stakeholder"]) if candidates is None else list(candidates)
    if len(ids) <= limit:
        return [s for s in order if s in set(ids)]
    events = activity(ctx).set_index("stakeholder")["events"]
    rank = {s: i for i, s in enumerate(order)}
    lead = {ctx.focus, ctx.counterpart}
    best = sorted(
        ids, key=lambda s: (s not in lead, -int(events.get(s, 0)), rank.get(s, len(rank)))
    )
    keep = set(best[:limit])
    return [s for s in order if s in keep]


def network(ctx: BriefingContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of the interaction network as drawn.

    Returns
    -------
    (DataFrame, DataFrame)
        The :func:`activity` rows of :func:`shown_stakeholders`, and the :func:`dyads`
        rows between two of them. With :data:`MAX_STAKEHOLDERS` or fewer active
        stakeholders, these are the whole of both.
    """
    nodes, edges = activity(ctx), dyads(ctx)
    keep = shown_stakeholders(ctx)
    nodes = nodes[nodes["stakeholder"].isin(keep)].reset_index(drop=True)
    edges = edges[edges["a"].isin(keep) & edges["b"].isin(keep)].reset_index(drop=True)
    return nodes, edges


def _left_out(ctx: BriefingContext, nodes: pd.DataFrame) -> str:
    """A sentence on the active stakeholders not drawn ('' when all are)."""
    active = activity(ctx)
    rest = active[~active["stakeholder"].isin(nodes["stakeholder"])]
    if rest.empty:
        return ""
    return (
        f" Drawn: the {len(nodes)} most active; the other {plural(len(rest), 'stakeholder')} "
        f"(at most {plural(int(rest['events'].max()), 'event')} each) are counted here "
        "but not drawn."
    )


def describe_network(ctx: BriefingContext) -> str:
    """A sentence describing the interaction network (also its chart's alt text).

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    str
        Says so plainly when the window has no counted events.
    """
    nodes, edges = activity(ctx), dyads(ctx)
    if nodes.empty:
        return f"No events in this period ({ctx.window.label()}), so there is no network to draw."
    n = len(counted_events(ctx))
    text = (
        f"{plural(len(nodes), 'stakeholder')} took part in {plural(n, 'counted event')}, "
        f"linking {plural(len(edges), 'pair')}."
    )
    if len(edges):
        top = edges.iloc[0]
        text += (
            f" The busiest pair is {top['a_name']} and {top['b_name']} "
            f"({plural(int(top['events']), 'event')}, {_of_them(int(top['contacts']))})."
        )
    return text + _left_out(ctx, network(ctx)[0])


def describe_dyads(ctx: BriefingContext) -> str:
    """A sentence introducing the dyad matrix (also its chart's alt text).

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    str
    """
    edges = dyads(ctx)
    if edges.empty:
        return (
            f"No events between two stakeholders in this period ({ctx.window.label()}), "
            "so no pairs to compare."
        )
    contact = int((edges["contacts"] > 0).sum())
    n_active = len(activity(ctx))
    text = (
        f"{plural(len(edges), 'linked pair')} among {plural(n_active, 'active stakeholder')}; "
        f"{contact} of them had direct contact. Net cooperation is the sum of the Goldstein "
        "values of the pair's events (each from −10, conflict, to +10, cooperation)."
    )
    nodes, drawn = network(ctx)
    notes = []
    if len(nodes) < n_active:
        notes.append(f"the matrix shows the {len(nodes)} most active stakeholders")
    if len(drawn) > MAX_PAIRS:
        notes.append(f"the table lists the {MAX_PAIRS} busiest of their {len(drawn)} pairs")
    if notes:
        text += " " + "; ".join(notes).capitalize() + "."
    return text
