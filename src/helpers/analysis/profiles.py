"""Profiles of the most active stakeholders."""

from __future__ import annotations

import pandas as pd

from ..data.context import BriefingContext
from ..data.periods import format_date
from .network import activity, counted_events, shown_stakeholders
from .positions import STANCE_WORDS, current_positions
from .text import NAMES_LIMIT, _of_them, _type_word, plural, signed

MAX_PROFILES = 8
"""Most stakeholders profiled: the first of :func:`shown_stakeholders` by activity."""


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
    """Profile the most active stakeholders: at most :data:`MAX_PROFILES`.

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
    nodes = activity(ctx)
    nodes = nodes[nodes["stakeholder"].isin(shown_stakeholders(ctx, limit=MAX_PROFILES))]
    positions = current_positions(ctx).set_index("stakeholder")
    tallies = _tallies(counted_events(ctx))
    rows = []
    for node in nodes.itertuples(index=False):
        s = node.stakeholder
        row = {
            "stakeholder": s,
            "name": node.name,
            "group": node.group,
            "events": int(node.events),
            "contacts": int(node.contacts),
            **{column: tally.get(s, {}) for column, tally in tallies.items()},
        }
        row.update(_position_fields(positions, s))
        rows.append(row)
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS)


PROFILE_COLUMNS = [
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
"""Columns of :func:`profiles`, in order."""


def _tallies(ev: pd.DataFrame) -> dict[str, dict[str, dict]]:
    """Tally the counted events ``ev`` per stakeholder for the profiles' dict columns.

    Returns ``by_type``, ``counterparts``, ``topics`` and ``people``, each a
    :func:`_tally` (stakeholder -> value -> events, most first).
    """
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
    return {
        "by_type": _tally(sides, "s", "event_type"),
        "counterparts": _tally(pairs, "s", "other"),
        "topics": _tally(topics, "s", "topic_list"),
        "people": _tally(acting, "s", "actor"),
    }


def _position_fields(positions: pd.DataFrame, stakeholder: str) -> dict:
    """Return a stakeholder's latest position as profile fields (missing values if none)."""
    if stakeholder not in positions.index:
        return {
            "as_of": pd.NaT,
            "stance": pd.NA,
            "influence": pd.NA,
            "interest": pd.NA,
            "rationale": "",
            "sources": (),
        }
    p = positions.loc[stakeholder]
    return {
        "as_of": p["as_of"],
        "stance": int(p["stance"]),
        "influence": int(p["influence"]),
        "interest": int(p["interest"]),
        "rationale": p["rationale"],
        "sources": tuple(p["sources"]),
    }


def _counts_text(counts: dict, names) -> str:
    """'India 5, Iran 1': at most :data:`NAMES_LIMIT` names, then 'and 12 others (30)'."""
    items = list(counts.items())
    text = ", ".join(f"{names(k)} {n}" for k, n in items[:NAMES_LIMIT])
    rest = items[NAMES_LIMIT:]
    if rest:
        text += f" and {plural(len(rest), 'other')} ({sum(n for _, n in rest)})"
    return text


def profile_sections(ctx: BriefingContext) -> list[tuple[str, list[str]]]:
    """Write the profiles as text: a title and bullet lines per profiled stakeholder.

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
    """Introduce the profiles in a sentence.

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
    who = f"the {plural(n, 'stakeholder')}"
    if shown < n:
        who = f"the {shown} most active of the {n} stakeholders"
    return (
        f"Profiles of {who} that took part in counted events, "
        "in the order of the tables; people and ministries count for the stakeholder they act for."
    )
