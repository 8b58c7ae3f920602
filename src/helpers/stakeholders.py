"""Stakeholder analysis: who interacted with whom in a window, and where each one stands.

Every function takes a :class:`~helpers.context.BriefingContext` and returns a frame or
plain values (text for the notebook's sentences and tables); figures live in
:mod:`helpers.stakeholder_charts`.

Rules used throughout
---------------------
- **Stakeholders** are top-level actors. People and ministries count for the government
  they roll up to, an organisation's organs for the organisation (the Security Council
  for the UN): the roll-up is :func:`helpers.dataset.rollup_map`, carried on each event as
  ``from_stakeholder`` / ``to_stakeholder``.
- **Counted events** are the window's events (placed by :mod:`helpers.periods`) that
  *occurred*. Scheduled events (announced, not known to have happened) and loosely dated
  events are left out of every count and named by :func:`scope_note`.
- **A pair's events** are all counted events from one of the two to the other, of any
  type, in either direction. Among them, **contacts** are those of a type in
  :data:`helpers.dataset.CONTACT_TYPES` (meeting, phone call, visit, agreement), in which
  both sides take part. An event within one stakeholder, or with no ``actor_to``, counts
  for that stakeholder's activity but links no pair.
- **Positions** are read as of the window's end: a stakeholder's latest position with
  ``as_of`` on or before that day, and the one recorded before it.
"""

from __future__ import annotations

import re
import textwrap

import numpy as np
import pandas as pd

from .context import BriefingContext
from .dataset import CONTACT_TYPES
from .periods import format_date
from .timeline import per_context

GROUP_ORDER = (
    "regional_state",
    "multilateral",
    "extra_regional",
    "non_state_armed",
    "domestic_opinion",
)
"""Stakeholder groups in display order (the ``stakeholder_group`` enumeration)."""

STANCE_WORDS = {
    -2: "opposed",
    -1: "leaning against",
    0: "neutral",
    1: "leaning for",
    2: "for",
}
"""Plain words for the stance scale (toward engagement)."""

MAX_STAKEHOLDERS = 15
"""Most stakeholders drawn in the network, the dyad matrix and the position map: the
focus, its counterpart and the most active others (see :func:`shown_stakeholders`).
Counts and sentences still cover every stakeholder."""

MAX_PAIRS = 15
"""Most pairs the dyad table lists (the busiest)."""

MAX_PROFILES = 8
"""Most stakeholders profiled: the first of :func:`shown_stakeholders` by activity."""

TYPES_LIMIT = 5
"""Most items in a pair's 'types' text: four types and the sum of the others."""

NAMES_LIMIT = 8
"""Most names one sentence or profile line lists before counting the rest."""

_PAREN = re.compile(r"^(?P<short>.{3,}?)\s*\([^()]*\)$")


# --------------------------------------------------------------------------- helpers


def short_label(name: str, width: int = 0) -> str:
    """Short display label of a stakeholder name, for charts.

    A trailing parenthetical is dropped ("Afghanistan (Taliban government)" becomes
    "Afghanistan"). With ``width`` > 0 the label is cut to that many characters, ending
    in an ellipsis when cut.

    Parameters
    ----------
    name : str
        Display name from ``actors.csv``.
    width : int
        Maximum length; 0 for no limit.

    Returns
    -------
    str
    """
    m = _PAREN.match(name.strip())
    label = m.group("short") if m else name.strip()
    if width and len(label) > width:
        label = label[: width - 1].rstrip() + "…"
    return label


def wrap_label(label: str, width: int = 18, lines: int = 2) -> str:
    """Wrap a label onto at most ``lines`` lines of ``width`` characters (ellipsis if cut)."""
    parts = textwrap.wrap(label, width=width, break_long_words=True) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def signed(value) -> str:
    """A stance as text with its sign: '+2', '0', '−1' (true minus sign)."""
    v = int(value)
    if v > 0:
        return f"+{v}"
    if v < 0:
        return f"−{-v}"
    return "0"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n:,} {word}s"


def _of_them(n: int, word: str = "contacts") -> str:
    """'3 of them contacts', 'none of them contacts'."""
    return f"{'none' if n == 0 else n} of them {word}"


def _type_word(event_type: str) -> str:
    return event_type.replace("_", " ")


def _join_names(names: list[str], limit: int = 0, what: str = "other") -> str:
    """'A, B and C'; with ``limit``, at most that many names and then 'and 12 others'."""
    names = list(names)
    if limit and len(names) > limit:
        names = names[:limit] + [_plural(len(names) - limit, what)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _types_text(counts: list[tuple[str, int]]) -> str:
    """'4 statements, 1 visit': counts by event type, largest first (as given); beyond
    :data:`TYPES_LIMIT` types, the smallest are summed ('and 12 other events')."""
    # "aid" has no plural: count aid events instead.
    words = {"aid": "aid event"}
    items = [_plural(int(n), words.get(t, _type_word(t))) for t, n in counts]
    if len(items) > TYPES_LIMIT:
        rest = sum(int(n) for _, n in counts[TYPES_LIMIT - 1 :])
        items = items[: TYPES_LIMIT - 1] + [f"{rest:,} other events"]
        return ", ".join(items[:-1]) + " and " + items[-1]
    return ", ".join(items)


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
    text = f"{ctx.window.label()}: {_plural(n, 'event')} counted."
    left = []
    if scheduled:
        left.append(
            f"{_plural(scheduled, 'scheduled event')} (announced, not known to have happened)"
        )
    if loose:
        left.append(
            f"{_plural(loose, 'loosely dated event')} whose dates may fall outside the period"
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
        f" Drawn: the {len(nodes)} most active; the other {_plural(len(rest), 'stakeholder')} "
        f"(at most {_plural(int(rest['events'].max()), 'event')} each) are counted here "
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
        f"{_plural(len(nodes), 'stakeholder')} took part in {_plural(n, 'counted event')}, "
        f"linking {_plural(len(edges), 'pair')}."
    )
    if len(edges):
        top = edges.iloc[0]
        text += (
            f" The busiest pair is {top['a_name']} and {top['b_name']} "
            f"({_plural(int(top['events']), 'event')}, {_of_them(int(top['contacts']))})."
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
        f"{_plural(len(edges), 'linked pair')} among {_plural(n_active, 'active stakeholder')}; "
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
        f"Positions of {_plural(len(pos), 'stakeholder')} as of {end}; "
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


# --------------------------------------------------------------------------- profiles


def _tally(frame: pd.DataFrame, key: str, value: str) -> dict[str, dict]:
    """For each ``key``, the counts of its ``value``s, most first, then by value."""
    counts = frame.groupby([key, value]).size().rename("n").reset_index()
    counts = counts.assign(_n=-counts["n"], _v=counts[value].astype(str))
    counts = counts.sort_values([key, "_n", "_v"], kind="stable")
    out: dict[str, dict] = {}
    for k, v, n in zip(counts[key], counts[value], counts["n"]):
        out.setdefault(k, {})[v] = int(n)
    return out


def profiles(ctx: BriefingContext) -> pd.DataFrame:
    """A profile of the most active stakeholders: at most :data:`MAX_PROFILES`.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    DataFrame
        One row per stakeholder of ``shown_stakeholders(ctx, limit=MAX_PROFILES)``
        (every active one when there are at most :data:`MAX_PROFILES`), in
        :func:`stakeholder_order`. Columns:
        ``stakeholder``, ``name``, ``group``, ``events``, ``contacts``, ``by_type``
        (dict event type -> count), ``counterparts`` (dict stakeholder id -> events with
        it), ``topics`` (dict topic -> events), ``people`` (dict actor id -> events: the
        actors rolling up to it, other than itself, that acted for it in the window), and
        its latest position as of the window's end: ``as_of``, ``stance``,
        ``influence``, ``interest``, ``rationale``, ``sources`` (missing values when it
        has none). Dicts run from the most frequent to the least.
    """
    ev = counted_events(ctx)
    nodes = activity(ctx)
    nodes = nodes[nodes["stakeholder"].isin(shown_stakeholders(ctx, limit=MAX_PROFILES))]
    positions = current_positions(ctx).set_index("stakeholder")

    f, t = ev["from_stakeholder"], ev["to_stakeholder"]
    pairs = pd.concat(
        [
            pd.DataFrame({"s": f, "other": t}),
            pd.DataFrame({"s": t[f != t], "other": f[f != t]}),
        ]
    )
    pairs = pairs[(pairs["other"] != "") & (pairs["other"] != pairs["s"])]
    sides = pd.concat(
        [
            ev[["event_id", "event_type", "topic_list", side]].rename(columns={side: "s"})
            for side in ("from_stakeholder", "to_stakeholder")
        ]
    )
    sides = sides[sides["s"] != ""].drop_duplicates(["event_id", "s"])
    topics = sides[["s", "topic_list"]].explode("topic_list").dropna(subset=["topic_list"])
    acting = pd.concat(
        [
            ev[["event_id", actor, side]].set_axis(["event_id", "actor", "s"], axis=1)
            for actor, side in (("actor_from", "from_stakeholder"), ("actor_to", "to_stakeholder"))
        ]
    )
    acting = acting[(acting["actor"] != "") & (acting["actor"] != acting["s"])]
    acting = acting.drop_duplicates(["event_id", "actor"])
    by_type = _tally(sides, "s", "event_type")
    counterparts = _tally(pairs, "s", "other")
    topic_counts = _tally(topics, "s", "topic_list")
    people = _tally(acting, "s", "actor")

    rows = []
    for node in nodes.itertuples(index=False):
        s = node.stakeholder
        row = {
            "stakeholder": s,
            "name": node.name,
            "group": node.group,
            "events": int(node.events),
            "contacts": int(node.contacts),
            "by_type": by_type.get(s, {}),
            "counterparts": counterparts.get(s, {}),
            "topics": topic_counts.get(s, {}),
            "people": people.get(s, {}),
        }
        if s in positions.index:
            p = positions.loc[s]
            row.update(
                as_of=p["as_of"],
                stance=int(p["stance"]),
                influence=int(p["influence"]),
                interest=int(p["interest"]),
                rationale=p["rationale"],
                sources=tuple(p["sources"]),
            )
        else:
            row.update(
                as_of=pd.NaT,
                stance=pd.NA,
                influence=pd.NA,
                interest=pd.NA,
                rationale="",
                sources=(),
            )
        rows.append(row)
    columns = [
        "stakeholder",
        "name",
        "group",
        "events",
        "contacts",
        "by_type",
        "counterparts",
        "topics",
        "people",
        "as_of",
        "stance",
        "influence",
        "interest",
        "rationale",
        "sources",
    ]
    return pd.DataFrame(rows, columns=columns)


def _counts_text(counts: dict, names) -> str:
    """'India 5, Iran 1': at most :data:`NAMES_LIMIT` names, then 'and 12 others (30)'."""
    items = list(counts.items())
    text = ", ".join(f"{names(k)} {n}" for k, n in items[:NAMES_LIMIT])
    rest = items[NAMES_LIMIT:]
    if rest:
        text += f" and {_plural(len(rest), 'other')} ({sum(n for _, n in rest)})"
    return text


def profile_sections(ctx: BriefingContext) -> list[tuple[str, list[str]]]:
    """The profiles as text: a title and bullet lines for each profiled stakeholder.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    list of (str, list of str)
        ``(name, lines)`` per row of :func:`profiles`, in :func:`stakeholder_order`;
        empty when the window has no counted events. Counterparts and people acting for
        it name at most :data:`NAMES_LIMIT` each and count the rest.
    """
    names = ctx.data.name_of
    out = []
    for p in profiles(ctx).itertuples(index=False):
        lines = [
            f"Events: {p.events}, {_of_them(p.contacts)}. By type: "
            + ", ".join(f"{_type_word(t)} {n}" for t, n in p.by_type.items())
            + "."
        ]
        if p.counterparts:
            lines.append("Counterparts: " + _counts_text(p.counterparts, names) + ".")
        else:
            lines.append("Counterparts: none (its events involve no other stakeholder).")
        if p.topics:
            lines.append(
                "Topics: " + ", ".join(f"{_type_word(k)} {n}" for k, n in p.topics.items()) + "."
            )
        else:
            lines.append("Topics: none recorded.")
        if p.people:
            lines.append("Acting for it: " + _counts_text(p.people, names) + ".")
        else:
            lines.append("Acting for it: no individual or body below it is named.")
        if pd.isna(p.as_of):
            lines.append("Position: none recorded as of the end of the period.")
        else:
            lines.append(
                f"Position as of {format_date(p.as_of, 'day')}: stance {signed(p.stance)} "
                f"({STANCE_WORDS.get(int(p.stance), '')}), influence {p.influence}, "
                f"interest {p.interest}. {p.rationale} [{'; '.join(p.sources)}]"
            )
        out.append((p.name, lines))
    return out


def describe_profiles(ctx: BriefingContext) -> str:
    """A sentence introducing the profiles.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    str
    """
    n = len(activity(ctx))
    if n == 0:
        return (
            "No stakeholder took part in a counted event in this period, so there are no profiles."
        )
    shown = len(shown_stakeholders(ctx, limit=MAX_PROFILES))
    who = f"the {_plural(n, 'stakeholder')}"
    if shown < n:
        who = f"the {shown} most active of the {n} stakeholders"
    return (
        f"Profiles of {who} that took part in counted events, "
        "in the order of the tables; people and ministries count for the stakeholder they act for."
    )


# --------------------------------------------------------------------------- alignment


def counterpart_engagement(ctx: BriefingContext) -> pd.DataFrame:
    """Who had events with the focus's counterpart, most first.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    DataFrame
        Columns ``stakeholder``, ``name``, ``events`` (counted events between it and
        ``ctx.counterpart``, either direction), ``contacts``. Sorted by events, then
        contacts (most first), then display order; only stakeholders with at least one
        such event.
    """
    edges = dyads(ctx)
    cp = ctx.counterpart
    mine = edges[(edges["a"] == cp) | (edges["b"] == cp)]
    rows = [
        {
            "stakeholder": e.b if e.a == cp else e.a,
            "name": e.b_name if e.a == cp else e.a_name,
            "events": int(e.events),
            "contacts": int(e.contacts),
        }
        for e in mine.itertuples(index=False)
    ]
    out = pd.DataFrame(rows, columns=["stakeholder", "name", "events", "contacts"])
    rank = {s: i for i, s in enumerate(stakeholder_order(ctx))}
    out["_r"] = out["stakeholder"].map(rank)
    out = out.sort_values(["events", "contacts", "_r"], ascending=[False, False, True])
    return out.drop(columns="_r").reset_index(drop=True)


def stance_moves(ctx: BriefingContext) -> pd.DataFrame:
    """Stakeholders whose stance changed between their last two positions (as of the end).

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    DataFrame
        The rows of :func:`current_positions` with a non-zero ``stance_change``, plus
        ``direction``: "toward" (stance rose, toward engagement) or "away".
    """
    pos = current_positions(ctx)
    moved = pos[pos["stance_change"].fillna(0) != 0].copy()
    moved["direction"] = ["toward" if c > 0 else "away" for c in moved["stance_change"]]
    return moved.reset_index(drop=True)


def _move_text(m) -> str:
    when = f"{format_date(m.prev_as_of, 'day')} → {format_date(m.as_of, 'day')}"
    text = f"{m.name} (stance {signed(m.prev_stance)} → {signed(m.stance)}, {when}"
    if not m.moved_in_window:
        text += ", before this period"
    return text + ")"


def _one_way_text(e) -> str:
    if e.relation == "statements both ways":
        return f"{e.a_name} ↔ {e.b_name}, statements both ways"
    src, dst = (e.a_name, e.b_name) if e.a_to_b else (e.b_name, e.a_name)
    return f"{src} → {dst}, {e.types}"


def alignment_summary(ctx: BriefingContext) -> list[str]:
    """A few sentences on alignment in the window, generated from the data.

    In order: who engaged the counterpart most (events with it, either direction); who
    moved toward or away from engagement (stance change between the previous recorded
    position and the latest as of the window's end); which relationships were one-way
    (see :func:`dyads`); and which stakeholders have positions but no events.

    Parameters
    ----------
    ctx : BriefingContext

    Returns
    -------
    list of str
        Plain sentences; the notebook escapes them on display.
    """
    out = []
    cp_name = ctx.name(ctx.counterpart)
    if counted_events(ctx).empty:
        out.append(
            f"No events were recorded in this period ({ctx.window.label()}), "
            "so there are no interactions to summarise."
        )
    else:
        eng = counterpart_engagement(ctx)
        if eng.empty:
            out.append(f"No stakeholder had events with {cp_name} in this period.")
        else:
            best = int(eng["events"].iloc[0])
            leaders = eng[eng["events"] == best]
            rest = eng[eng["events"] < best]
            if len(leaders) == 1:
                lead = leaders.iloc[0]
                text = (
                    f"{lead['name']} engaged {cp_name} most: "
                    f"{_plural(best, 'event')} with it, {_of_them(int(lead['contacts']))}."
                )
            else:
                text = (
                    f"{_join_names(list(leaders['name']))} engaged {cp_name} most, "
                    f"with {_plural(best, 'event')} each."
                )
            if len(rest):
                shown = [f"{r.name} ({r.events})" for r in rest.head(4).itertuples(index=False)]
                if len(rest) > 4:
                    shown.append(f"{len(rest) - 4} others")
                text += " Then " + _join_names(shown) + "."
            out.append(text)

    moves = stance_moves(ctx)
    toward = moves[moves["direction"] == "toward"]
    away = moves[moves["direction"] == "away"]
    if len(toward):
        out.append(
            "Moved toward engagement: "
            + _join_names([_move_text(m) for m in toward.itertuples(index=False)], NAMES_LIMIT)
            + "."
        )
    if len(away):
        out.append(
            "Moved away from engagement: "
            + _join_names([_move_text(m) for m in away.itertuples(index=False)], NAMES_LIMIT)
            + "."
        )
    if moves.empty:
        out.append(
            f"No stakeholder's recorded stance changed as of {format_date(ctx.window.end, 'day')}."
        )

    edges = dyads(ctx)
    if len(edges):
        one_way = edges[edges["one_way"]]
        if len(one_way):
            out.append(
                "One-way relationships, with no meeting, phone call, visit or agreement "
                "between the two: "
                + "; ".join(
                    _one_way_text(e) for e in one_way.head(NAMES_LIMIT).itertuples(index=False)
                )
                + (
                    f"; and {_plural(len(one_way) - NAMES_LIMIT, 'more pair')}"
                    if len(one_way) > NAMES_LIMIT
                    else ""
                )
                + "."
            )
        else:
            out.append("Every linked pair also had direct contact in this period.")

    pos = current_positions(ctx)
    silent = pos[pos["events"] == 0]
    if len(silent):
        verb = "has a recorded position" if len(silent) == 1 else "have recorded positions"
        names = _join_names(list(silent["name"]), NAMES_LIMIT)
        out.append(f"{names} {verb} but no events in this period.")
    return out
