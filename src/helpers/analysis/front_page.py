"""Page one of the briefing: header, Summary, Key judgements, Since the last edition, What to watch.

Every function returns plain text, and the prose sections return :data:`Line` pairs of a
sentence and the ids of the sources behind it, so the notebook can number the citations
(:class:`helpers.presentation.citations.Citations`) in the order the reader meets them.
Sentences are built from the record's structured columns (dates at their precision, actors, levels,
topics) and from the curator's own ``summary`` and ``rationale`` wording; nothing is said
that the rows do not hold.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd

from ..data.context import BriefingContext, superseded
from ..data.dataset import CONTACT_TYPES
from ..data.fingerprint import input_epoch
from ..data.periods import format_date
from ..data.settings import Settings
from .events import significant
from .names import contacts, in_focus_dyad, level_text, short_name
from .seniority import highest_contact, window_contacts
from .text import plural
from .trend import TrendCall, actor_text, date_text, event_phrase

Line = tuple[str, tuple[str, ...]]
"""A sentence (or two) and the source ids it rests on."""

TOPIC_WORDS = {
    "trade": "trade",
    "visas": "visas",
    "prisoners": "prisoners",
    "chabahar": "the Chabahar port",
    "counterterrorism": "counter-terrorism",
    "humanitarian_aid": "humanitarian aid",
    "development": "development",
    "recognition": "recognition",
    "security": "security",
    "connectivity": "connectivity",
}

VERBS = {"meeting": "met", "phone_call": "spoke by phone", "visit": "met"}

OTHER_CONTACTS = 3
"""Most further focus-dyad contacts the Summary names."""

REACTIONS = 2
"""Most statements the Summary gives in answer to a security incident."""

NEIGHBOURS = 2
"""Most of the counterpart's milestones with third parties the Summary gives."""

POSITIONS = 4
"""Most positions the Summary quotes."""

WATCH = 4
"""Most scheduled events What to watch lists."""


# --- words -----------------------------------------------------------------------------


def listing(items: list[str]) -> str:
    """Return 'a', 'a and b', 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def topics_text(topics) -> str:
    """Topics as words: ('trade', 'chabahar') -> 'trade and the Chabahar port'."""
    return listing([TOPIC_WORDS.get(t, t.replace("_", " ")) for t in topics])


def _actors(ctx: BriefingContext) -> pd.DataFrame:
    return ctx.data.actors.set_index("actor_id")


def _stakeholder(actors: pd.DataFrame, actor_id: str) -> str:
    seen = set()
    while actor_id in actors.index and actors.at[actor_id, "parent_id"] and actor_id not in seen:
        seen.add(actor_id)
        actor_id = actors.at[actor_id, "parent_id"]
    return actor_id


def person_text(ctx: BriefingContext, actor_id: str) -> str:
    """Name an actor as a reader meets it.

    A person comes with their country and a short office ("India's External Affairs
    Minister S. Jaishankar"; an office longer than four words is left out), anything else
    by its stakeholder's short name ('Afghanistan').
    """
    actors = _actors(ctx)
    top = short_name(ctx, _stakeholder(actors, actor_id))
    if actor_id not in actors.index or actors.at[actor_id, "kind"] != "person":
        return top
    name, role = str(actors.at[actor_id, "name"]), str(actors.at[actor_id, "role"] or "")
    short_role = role and len(role.split()) <= 4 and not any(c in role for c in ",;")
    return f"{top}'s {role} {name}" if short_role else f"{top}'s {name}"


def first_sentence(text: str) -> str:
    """Return the first sentence of a curated summary (up to and including its first '. ')."""
    text = str(text).strip()
    cut = text.find(". ")
    return text[: cut + 1] if cut >= 0 else text


def stance_text(stance) -> str:
    """Return a stance with its sign, minus as the true minus sign: '+2', '0', '−1'."""
    n = int(stance)
    return f"{n:+d}".replace("-", "\u2212") if n else "0"


def _sources(rows: pd.DataFrame) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for ids in rows["source_list"] for s in ids))


def _dated(row) -> str:
    return date_text(row)


def when(row) -> str:
    """Write the event's date at its precision with the right preposition.

    'on 10 December 2024', 'in January 2025', 'in 2025' or 'between 1 February 2022 and
    28 February 2025'.
    """
    if row["date_precision"] == "interval":
        return _dated(row)
    return f"{'on' if row['date_precision'] == 'day' else 'in'} {_dated(row)}"


# --- header ----------------------------------------------------------------------------


def edition_text(ctx: BriefingContext) -> str:
    """Name the edition: 'Monthly edition', 'Quarterly edition' or 'Annual edition'.

    A period that is not a calendar month, quarter or year is a 'Custom-period edition'.
    """
    unit = ctx.window.calendar_unit
    kind = {"month": "Monthly", "quarter": "Quarterly", "year": "Annual"}.get(unit, "Custom-period")
    return f"{kind} edition"


def header(ctx: BriefingContext, settings: Settings, title: str = "") -> list[str]:
    """Return the header block's lines: body, marking, title, issue date, edition, period.

    The issue date is fixed by the inputs (see
    :func:`helpers.data.fingerprint.input_epoch`). The build adds the version to the issue
    line (see :func:`helpers.presentation.prose.masthead`). ``title`` (the notebook's
    parameter) replaces the default title when given.
    """
    issued = datetime.fromtimestamp(input_epoch(ctx.data.data_dir), tz=timezone.utc)
    return [
        settings.issuing_body,
        f"Distribution: {settings.distribution}",
        title.strip()
        or f"{short_name(ctx, ctx.focus)} and {short_name(ctx, ctx.counterpart)}: "
        "engagement briefing",
        f"Issued {issued.day} {issued:%B} {issued.year} · {edition_text(ctx)}",
        f"Period: {ctx.window.text()}",
    ]


# --- summary ---------------------------------------------------------------------------


def seniority_line(ctx: BriefingContext) -> Line | None:
    """Describe the period's most senior focus-dyad contact; None when there was none.

    The line says how far back the record has none as senior, and what it covered.
    """
    best = highest_contact(ctx)
    if best is None:
        return None
    row = ctx.events.set_index("event_id").loc[best.event_id]
    a, b = person_text(ctx, row["actor_from"]), person_text(ctx, row["actor_to"])
    if row["event_type"] in VERBS:
        what = f"{a} and {b} {VERBS[row['event_type']]}"
        if row["location"] and row["event_type"] != "phone_call":
            what += f" in {row['location']}"
        what = f"{when(row)[0].upper()}{when(row)[1:]}, {what}"
    else:
        what = f"{_dated(row)}: {first_sentence(row['summary']).rstrip('.')}"
    text = (
        f"{what}: at {level_text(row['level'])} level, the most senior contact between "
        f"{short_name(ctx, ctx.focus)} and {short_name(ctx, ctx.counterpart)} "
        f"{best.since_text}."
    )
    if row["topic_list"]:
        text += f" Topics raised: {topics_text(row['topic_list'])}."
    return text, tuple(row["source_list"])


def other_contacts_line(ctx: BriefingContext, limit: int = OTHER_CONTACTS) -> Line | None:
    """Return the dyad's other contacts of the period, most senior first, in one sentence."""
    rows = window_contacts(ctx)
    best = highest_contact(ctx)
    rows = rows[rows["event_id"] != (best.event_id if best else "")]
    if rows.empty:
        return None
    rows = rows.sort_values(["level_rank", "date", "event_id"]).head(limit)
    parts = []
    for _, r in rows.sort_values(["date", "event_id"]).iterrows():
        verb = VERBS.get(r["event_type"], f"had a {r['event_type'].replace('_', ' ')}")
        part = f"{actor_text(ctx, r['actor_from'])} and {actor_text(ctx, r['actor_to'])} {verb}"
        if r["location"] and r["event_type"] != "phone_call":
            part += f" in {r['location']}"
        part += f" {when(r)}"
        if r["topic_list"]:
            part += f" (on {topics_text(r['topic_list'])})"
        parts.append(part)
    more = len(window_contacts(ctx)) - (1 if best else 0) - len(rows)
    text = "Other contacts: " + "; ".join(parts)
    text += f"; and {more:,} more." if more > 0 else "."
    return text, _sources(rows)


def security_line(ctx: BriefingContext, limit: int = REACTIONS) -> Line | None:
    """Describe the gravest security incident touching the dyad, and the answers to it.

    The answers are what the focus and the counterpart said after it on the same
    subjects (condemnations, denials).
    """
    ev = ctx.events[
        (ctx.events["status"] == "occurred") & (ctx.events["event_type"] == "security_incident")
    ]
    dyad = (ctx.focus, ctx.counterpart)
    ev = ev[ev["from_stakeholder"].isin(dyad) | ev["to_stakeholder"].isin(dyad)]
    if ev.empty:
        return None
    inc = ev.sort_values(["goldstein", "date", "event_id"]).iloc[0]
    said = ctx.events[
        (ctx.events["event_type"] == "statement")
        & (ctx.events["status"] == "occurred")
        & ctx.events["from_stakeholder"].isin(dyad)
        & (ctx.events["interval_end"] >= inc["date"])
        & ctx.events["topic_list"].map(lambda ts: bool(set(ts) & set(inc["topic_list"])))
    ]
    # The counterpart's words first: what it says is the news for the focus's readers.
    said = said.assign(_theirs=said["from_stakeholder"] != ctx.counterpart)
    said = said.sort_values(["_theirs", "date", "event_id"]).head(limit)
    text = f"{_dated(inc)}: {first_sentence(inc['summary'])}"
    for _, r in said.sort_values(["date", "event_id"]).iterrows():
        text += f" {_dated(r)}: {first_sentence(r['summary'])}"
    rows = pd.concat([ev[ev["event_id"] == inc["event_id"]], said])
    return text, _sources(rows)


def neighbours_line(ctx: BriefingContext, limit: int = NEIGHBOURS) -> Line | None:
    """Return the counterpart's milestones and recognitions with third parties in the period."""
    ev = ctx.events[ctx.events["status"] == "occurred"]
    other = ev[
        ((ev["from_stakeholder"] == ctx.counterpart) | (ev["to_stakeholder"] == ctx.counterpart))
        & ~in_focus_dyad(ev, ctx)
        & ((ev["milestone"] != "") | (ev["event_type"] == "recognition"))
        & (ev["from_stakeholder"] != ev["to_stakeholder"])
    ]
    if other.empty:
        return None
    other = other.iloc[significant(ctx, other, limit, limit)]
    parts = [f"{_dated(r)}: {first_sentence(r['summary'])}" for _, r in other.iterrows()]
    return (
        f"{short_name(ctx, ctx.counterpart)}'s other relationships: " + " ".join(parts),
        _sources(other),
    )


def positions_line(ctx: BriefingContext, limit: int = POSITIONS) -> Line | None:
    """Say why the focus engages and who objects, with the curator's rationale.

    The positions are those recorded in the period: the focus's first, then the lowest
    stances.
    """
    pos = ctx.data.positions
    pos = pos[(pos["as_of"] >= ctx.window.start) & (pos["as_of"] <= ctx.window.end)]
    pos = pos.sort_values("as_of").groupby("actor_id", sort=False).tail(1)
    if pos.empty:
        return None
    ours = pos[pos["actor_id"] == ctx.focus]
    against = pos[(pos["actor_id"] != ctx.focus) & (pos["stance"] < 0)]
    against = against.sort_values(["stance", "actor_id"])
    pos = pd.concat([ours, against]).head(limit)
    if pos.empty:
        return None
    parts = [
        f"{short_name(ctx, r['actor_id'])} ({stance_text(r['stance'])}): "
        f"{r['rationale'].rstrip('.')}"
        for _, r in pos.iterrows()
    ]
    return (
        "Stances on engaging the Taliban (−2 against to +2 for): " + "; ".join(parts) + ".",
        tuple(dict.fromkeys(s for ids in pos["source_list"] for s in ids)),
    )


def no_contact_line(ctx: BriefingContext, limit: int = 3) -> Line:
    """Say that the dyad had no contact placed in the period.

    A contact dated too loosely to place that may still fall in it is named (never a
    bare 'no contact' beside it).
    """
    pair = f"{short_name(ctx, ctx.focus)} and {short_name(ctx, ctx.counterpart)}"
    kinds = listing([t.replace("_", " ") for t in CONTACT_TYPES]).replace(" and ", " or ")
    loose = ctx.loose[contacts(ctx.loose) & in_focus_dyad(ctx.loose, ctx)]
    if loose.empty:
        return f"No {kinds} between {pair} is recorded in {ctx.window.text()}.", ()
    loose = loose.sort_values(["date", "event_id"]).head(limit)
    parts = [
        f"{first_sentence(r['summary']).rstrip('.')} ({date_text(r)})" for _, r in loose.iterrows()
    ]
    n = len(loose)
    text = (
        f"No {kinds} between {pair} can be placed in {ctx.window.text()}, but "
        f"{'one is' if n == 1 else f'{n} are'} dated too loosely to rule out: "
        + "; ".join(parts)
        + "."
    )
    return text, _sources(loose)


def trend_line(call: TrendCall) -> Line:
    """Return the trend call and its one-line reason, for the end of the Summary."""
    return f"Trend: {call.call}. {call.reason}", ()


def summary(ctx: BriefingContext, call: TrendCall | None = None) -> list[Line]:
    """Page one's Summary: the most significant developments first.

    In order: the most senior focus-dyad contact (:func:`seniority_line`) and the other
    contacts, the gravest security incident with the two sides' statements after it,
    the counterpart's milestones and recognitions with others, the positions recorded
    in the period (why the focus engages and at what cost), and the trend call. Parts the
    period has nothing for are left out; an empty period says so.
    """
    lines = [
        seniority_line(ctx),
        other_contacts_line(ctx),
        security_line(ctx),
        neighbours_line(ctx),
        positions_line(ctx),
    ]
    lines = [line for line in lines if line is not None]
    end = ctx.data.record_end
    if end is not None and ctx.window.start > end:
        lines.insert(
            0,
            (
                f"The record ends on {format_date(end, 'day')}, before this period begins, "
                f"so it cannot say what happened in {ctx.window.text()}.",
                (),
            ),
        )
    elif not any(contacts(ctx.events) & in_focus_dyad(ctx.events, ctx)):
        lines.insert(0, no_contact_line(ctx))
    if call is not None:
        lines.append(trend_line(call))
    return lines


# --- since the last edition --------------------------------------------------------------


def since_last_edition(ctx: BriefingContext, limit: int = 2) -> list[Line]:
    """Say what this edition adds to the one before it (the comparison period) in the series.

    A first edition says so. The pair's new events are named first, the most significant
    of them; other pairs' are only counted, never presented as the pair's.
    """
    prev, first = ctx.previous, ctx.data.first_date
    if first is None or prev.end < first:
        return [("This is the first edition: the record holds nothing before this period.", ())]
    if not (ctx.previous_events["date"] >= prev.start).any():
        nothing = f"Nothing is recorded in the previous edition's period ({prev.text()})"
        return [(f"{nothing}: all here is new.", ())]
    occurred = ctx.events[ctx.events["status"] == "occurred"]
    new = occurred[occurred["date"] >= ctx.window.start]
    head = f"Since the edition for {prev.text()}"
    if new.empty:
        end = ctx.data.record_end
        if end is not None and ctx.window.start > end:
            return [(f"{head}: nothing, as the record ends on {format_date(end, 'day')}.", ())]
        return [(f"{head}: nothing new is recorded.", ())]
    ours = new[in_focus_dyad(new, ctx)]
    others = len(new) - len(ours)
    pair = f"between {short_name(ctx, ctx.focus)} and {short_name(ctx, ctx.counterpart)}"
    if ours.empty:
        text, pick = f"{head}: nothing new {pair} is recorded.", ours
    else:
        pick = ours.iloc[significant(ctx, ours, limit, limit)]
        named = listing([event_phrase(ctx, r) for _, r in pick.iterrows()])
        text = f"{head}: {plural(len(ours), 'new event')}"
        text += f" {pair}" if others else ""  # all new events are the pair's: no need to say
        text += f", among them {named}." if len(ours) > len(pick) else f": {named}."
    if others:
        text += f" Elsewhere in the record: {plural(others, 'new event')}."
    return [(text, _sources(pick))]


# --- what to watch ------------------------------------------------------------------------


def what_to_watch(ctx: BriefingContext, limit: int = WATCH) -> list[Line]:
    """List the scheduled events after the period, the focus dyad's and most senior first.

    Those due in the period whose outcome the record does not hold are listed too, at
    their precision; an announcement the record shows held by the period's end is not.
    """
    ev = ctx.data.engagements
    due = (ev["status"] == "scheduled") & (ev["interval_end"] >= ctx.window.start)
    due = ev[due & ~superseded(ev, ctx.window.end)]
    if due.empty:
        return [("No scheduled event after the period is recorded.", ())]
    pick = due.iloc[significant(ctx, due, limit, limit)]
    lines = []
    for _, r in pick.iterrows():
        text = f"{_dated(r)}: {first_sentence(r['summary'])}"
        if r["interval_end"] <= ctx.window.end:
            text += " The record does not say whether it took place."
        lines.append((text, tuple(r["source_list"])))
    return lines


# --- key judgements ------------------------------------------------------------------------

STATUS_WORDS = {
    "new": "New since the last edition.",
    "revised": "Revised since the last edition",
    "reaffirmed": "Reaffirmed since the last edition.",
    "unchanged": "",
}


def evidence_numbers(ctx: BriefingContext, event_ids) -> tuple[list[int], list[str]]:
    """Find the evidence events' numbers in the event table (1 for the period's first).

    Returns the numbers, and the ids of evidence events outside the period.
    """
    keys = {e: i + 1 for i, e in enumerate(ctx.events["event_id"])}
    inside = sorted(keys[e] for e in event_ids if e in keys)
    outside = [e for e in event_ids if e not in keys]
    return inside, outside


def judgement_lines(ctx: BriefingContext, judgements: pd.DataFrame) -> list[Line]:
    """Write each judgement in force: statement, likelihood, confidence, evidence, change.

    The evidence is given by its number in the event table (and its sources), the
    change as what changed since the last edition.

    ``judgements`` has the columns of the ``judgements`` table with ``evidence_list``
    and, optionally, ``status`` and ``previous_likelihood`` / ``previous_confidence``
    (see ``helpers.data.judgements.judgements_in_force``).
    """
    frames = [ctx.data.engagements]
    cited = getattr(ctx.data, "evidence_events", None)  # evidence from before the window
    if cited is not None and len(cited):
        frames.append(cited)
    ev = pd.concat(frames).drop_duplicates("event_id").set_index("event_id")
    lines = []
    for _, j in judgements.iterrows():
        evidence = tuple(j["evidence_list"])
        inside, outside = evidence_numbers(ctx, evidence)
        text = (
            f"{j['statement'].rstrip('.')}. Likelihood: {j['likelihood']}; confidence: "
            f"{j['confidence']}."
        )
        parts = []
        if inside:
            word = "events" if len(inside) > 1 else "event"
            parts.append(f"{word} {listing([str(n) for n in inside])}")
        for e in outside:
            if e in ev.index:
                parts.append(event_phrase(ctx, ev.loc[e].to_dict()))
        unloaded = sum(e not in ev.index for e in outside)  # before the loaded periods
        if unloaded:
            parts.append(f"{unloaded:,} earlier event{'s' if unloaded != 1 else ''}")
        if parts:
            text += f" Evidence: {'; '.join(parts)}."
        status = str(j.get("status", "") or "")
        word = STATUS_WORDS.get(status, "")
        if status == "revised":
            was = f"was {j.get('previous_likelihood', '')}, {j.get('previous_confidence', '')}"
            word += f" ({was} confidence)."
        if word:
            text += f" {word}"
        sources = [s for e in evidence if e in ev.index for s in ev.at[e, "source_list"]]
        lines.append((text, tuple(dict.fromkeys(sources))))
    return lines


def indicator_lines(judgements: pd.DataFrame) -> list[Line]:
    """Say what would change each judgement, for What to watch."""
    return [(f"Indicator: {j['indicators'].rstrip('.')}.", ()) for _, j in judgements.iterrows()]


# --- filled in by the build ---------------------------------------------------------------


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}" if n else f"none {what}"


def version_line(version: int, previous_version: int | None, changes: dict | None) -> str:
    """Say what this version of an edition changes against the one before, in a line.

    Parameters
    ----------
    version : int
        This version's number.
    previous_version : int or None
        The version before it, None for the first.
    changes : dict or None
        ``added``, ``changed`` and ``removed`` event ids of the period (as the build's
        snapshot comparison gives them); None for the first version.
    """
    if previous_version is None or changes is None:
        return f"Version {version} is the first version of this edition."
    added, changed, removed = (len(changes[k]) for k in ("added", "changed", "removed"))
    if not (added or changed or removed):
        return (
            f"Version {version}: no event of the period was added, changed or removed since "
            f"version {previous_version}; other inputs changed."
        )
    counts = [_count(added, "added"), _count(changed, "changed"), _count(removed, "removed")]
    return (
        f"Version {version}: since version {previous_version}, events of the period: "
        f"{listing(counts)} (listed under 'Since the last version' at the end)."
    )


def judgements_in_force(ctx: BriefingContext) -> pd.DataFrame:
    """Return the analyst's judgements on the dyad in force at the period's end.

    Each says whether it changed since the previous edition's period ended; the frame is
    empty when the data package has no ``judgements`` table.
    """
    table = getattr(ctx.data, "judgements", None)
    if table is None or len(table) == 0:
        return pd.DataFrame(columns=["statement", "likelihood", "confidence", "evidence_list"])
    from ..data.judgements import judgements_in_force as in_force

    return in_force(ctx.data, ctx.focus, ctx.counterpart, ctx.window.end, ctx.previous.end)


def short_actors(ctx: BriefingContext, events: pd.DataFrame) -> pd.Series:
    """Write each event's sides in a few words, for a narrow column.

    People by name, anything else by its stakeholder's short name ('Vikram Misri → Amir
    Khan Muttaqi', 'Afghanistan → India', 'Afghanistan' when there is no other side).
    """
    names: dict[str, str] = {}

    def name(actor_id: str) -> str:
        if actor_id not in names:
            names[actor_id] = actor_text(ctx, actor_id)
        return names[actor_id]

    return pd.Series(
        [
            f"{name(a)} → {name(b)}" if b else name(a)
            for a, b in zip(events["actor_from"], events["actor_to"].fillna(""))
        ],
        index=events.index,
        dtype=object,
    )


def loose_line(ctx: BriefingContext, limit: int = 3) -> str:
    """Say in a sentence which events are dated too loosely to place in the period.

    How many, the first few in words, and that they are drawn but not counted ('' if
    none).
    """
    if ctx.loose.empty:
        return ""
    pick = ctx.loose.iloc[significant(ctx, ctx.loose, limit, limit)]
    named = [event_phrase(ctx, r) for _, r in pick.iterrows()]
    more = len(ctx.loose) - len(pick)
    if more:
        named.append(f"{more:,} more")
    n = len(ctx.loose)
    return (
        f"{n:,} event{'s are' if n != 1 else ' is'} dated too loosely to place in the "
        f"period, drawn hatched on the chart and not counted: {listing(named)}."
    )


def stance_as_of(positions: pd.DataFrame) -> pd.Series:
    """Join each row's ``Stance`` and ``As of``: '+2 (for), 31 May 2025'.

    One narrow column then holds both, and the rationale gets the room.
    """
    return positions["Stance"].astype(str) + ", " + positions["As of"].astype(str)
