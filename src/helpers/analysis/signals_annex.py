"""What the signals annex and the briefing's signals section show, from a window's context.

:mod:`helpers.analysis.signals` computes on frames; this module reads the window's coded
events (:func:`helpers.data.coded.store.read_window`), hands them to it one dataset at a
time, and words the result. Every count names its record: "the curated record" for the
engagements, the dataset's name (GDELT, ICEWS, PLOVER/POLECAT) for machine-coded events.
No count adds the two, and no count adds two datasets: the same story is often coded by
more than one of them.

Decisions where the issue leaves room:

- Coded events are read from the first day of the comparison period less
  :data:`SLACK` days to the last day of the window plus :data:`SLACK` days, so that a
  curated event at the edge of the window can be corroborated by a coded event just
  outside it; every count of the period or the comparison period uses its own days only.
- The monthly table lists every month of the comparison period and of the period, with
  zeros, per dataset: a month with no coded event is shown, not left out.
- An unreviewed day lists its sources: the URLs (GDELT), else publisher and story id
  (ICEWS), else the publisher (POLECAT), at most :data:`SOURCES_LISTED` of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..data.context import BriefingContext
from ..data.dataset import rollup_map
from ..data.periods import Window, format_event_date
from . import signals
from .text import plural

SLACK = 3
"""Days before and after a curated event's dates in which a coded event corroborates it."""

SPIKE_FACTOR = 3
"""A day spikes when it has more than this many times the period's daily median."""

SOURCES_LISTED = 5
"""Most sources listed for an unreviewed day (the rest are counted)."""

DATASET_NAMES = {"gdelt": "GDELT", "icews": "ICEWS", "plover": "PLOVER/POLECAT"}
"""Dataset code -> the name a reader sees."""

COLUMNS = [
    "dataset", "date", "actor1_id", "actor2_id", "cameo_code", "cameo_root",
    "quad_class", "goldstein", "tone",
]  # fmt: skip
"""The columns of ``coded_events`` every signal reads."""

SOURCE_COLUMNS = ["event_id", "source_url", "publisher", "story_id"]
"""The columns that name each event and its source: read for the annex, not the briefing
(at ten million events, they are more than half of what a read decodes)."""


@dataclass
class Signals:
    """The coded events of a dyad near a window, and the curated events they are checked with."""

    ctx: BriefingContext
    dyad: pd.DataFrame
    """Coded events between the two sides (:func:`helpers.analysis.signals.dyad_events`),
    from :data:`SLACK` days before the comparison period to :data:`SLACK` days after
    the window."""
    datasets: list[str]
    """Datasets with any coded event in that span, whatever its actors, in order."""

    @property
    def periods(self) -> dict[str, Window]:
        """'period' and 'comparison' -> their windows."""
        return {"period": self.ctx.window, "comparison": self.ctx.previous}

    def of(self, dataset: str, label: str | None = None) -> pd.DataFrame:
        """Return the dyad's events of one dataset, in one period when ``label`` is given."""
        rows = self.dyad[self.dyad["dataset"] == dataset]
        if label is None:
            return rows
        w = self.periods[label]
        return rows[(rows["date"] >= w.start) & (rows["date"] <= w.end)]

    @property
    def curated(self) -> pd.DataFrame:
        """The curated events of the period between the two sides."""
        ev = self.ctx.events
        a, b = self.ctx.focus, self.ctx.counterpart
        f, t = ev["from_stakeholder"], ev["to_stakeholder"]
        return ev[((f == a) & (t == b)) | ((f == b) & (t == a))].reset_index(drop=True)


def load_signals(ctx: BriefingContext, sources: bool = True) -> Signals:
    """Read the coded events a window's annex needs and keep those between the two sides.

    Only the rows of the two sides' actors (people and groups included) are read whole,
    filtered as the Parquet file is read; of the rest, only the dataset column, for the
    datasets present near the period.

    Parameters
    ----------
    ctx : BriefingContext
        The window, the dyad and the loaded data package.
    sources : bool
        Read the :data:`SOURCE_COLUMNS` too (the annex lists sources; the briefing's
        section does not).

    Returns
    -------
    Signals
        Empty when the package has no coded events.
    """
    from ..data.coded.store import read_window

    slack = pd.Timedelta(days=SLACK)
    start, end = ctx.previous.start - slack, ctx.window.end + slack
    folder = ctx.data.data_dir
    sides = {ctx.focus, ctx.counterpart}
    ids = {actor for actor, top in rollup_map(ctx.data.actors).items() if top in sides}
    columns = COLUMNS + SOURCE_COLUMNS if sources else COLUMNS
    rows = read_window(folder, start, end, columns, actors=ids).to_pandas()
    present = read_window(folder, start, end, ["dataset"]).column("dataset").unique()
    return signals_of(ctx, rows, present.to_pylist())


def signals_of(ctx: BriefingContext, coded: pd.DataFrame, present=None) -> Signals:
    """Keep the coded events between the two sides of ``ctx`` (see :func:`load_signals`).

    Parameters
    ----------
    ctx : BriefingContext
        The window, the dyad and the loaded data package (its actors roll up).
    coded : pandas.DataFrame
        Coded events near the window, with the :data:`COLUMNS` of ``coded_events`` (and
        the :data:`SOURCE_COLUMNS`, empty where not given).
    present : list of str, optional
        Datasets with any event near the window (default: those in ``coded``).
    """
    present = set(coded["dataset"] if present is None else present)
    datasets = [d for d in DATASET_NAMES if d in present]
    roll = rollup_map(ctx.data.actors)
    dyad = signals.dyad_events(coded, roll, ctx.focus, ctx.counterpart)
    for col in SOURCE_COLUMNS:
        if col not in dyad:
            dyad[col] = None
    return Signals(ctx, dyad, datasets)


def _number(value: float, places: int = 1) -> str:
    """'−3.8' with a true minus sign; '–' when there is no value."""
    if value is None or math.isnan(value):
        return "–"
    text = f"{abs(value):,.{places}f}"
    return f"−{text}" if value < 0 and text.strip("0.,") else text


def _events(n: int) -> str:
    """'no machine-coded events', '1 machine-coded event', '3 machine-coded events'."""
    return "no machine-coded events" if n == 0 else plural(n, "machine-coded event")


def total_sentence(name: str, n: int, period: Window, n_before: int, before: Window) -> str:
    """Say how many coded events of one dataset the two sides have, against the comparison."""
    return (
        f"{name}: {_events(n)} between the two sides, {period.label()}, against "
        f"{_events(n_before)} in the comparison period, {before.label()}."
    )


def totals(sig: Signals) -> list[str]:
    """One :func:`total_sentence` per dataset, or why there are none."""
    if not sig.datasets:
        return [
            "The data package holds no machine-coded event dated in the period or the "
            "comparison period."
        ]
    return [
        total_sentence(
            DATASET_NAMES[d],
            len(sig.of(d, "period")),
            sig.ctx.window,
            len(sig.of(d, "comparison")),
            sig.ctx.previous,
        )
        for d in sig.datasets
    ]


def curated_sentence(n: int) -> str:
    """Say how many curated events the period has, and that they are counted apart."""
    held = "holds no event" if n == 0 else f"holds {plural(n, 'event')}"
    return (
        f"The curated record {held} between the two sides in the period; curated and "
        "machine-coded events are counted apart and never added together."
    )


QUAD_COLUMNS = {
    "dataset": "Record",
    "period": "Period",
    "month": "Month",
    **{name: name.capitalize() for name in signals.QUADS.values()},
    "total": "All",
}
"""Columns of :func:`monthly_table`, with their headers."""


def _months(w: Window) -> pd.PeriodIndex:
    return pd.period_range(w.start, w.end, freq="M")


def monthly_table(sig: Signals) -> pd.DataFrame:
    """Coded events per month and QuadClass, per dataset, comparison period first.

    Every month of each period is listed (zeros included); a month that both periods
    touch is listed under each, with that period's days only.
    """
    rows = []
    for d in sig.datasets:
        for label in ("comparison", "period"):
            counts = signals.monthly_quad_counts(sig.of(d, label))
            months = _months(sig.periods[label])
            counts = counts.reindex([m.strftime("%Y-%m") for m in months], fill_value=0)
            for month, (_, row) in zip(months, counts.iterrows()):
                rows.append(
                    {
                        "dataset": DATASET_NAMES[d],
                        "period": label,
                        "month": f"{month:%B %Y}",
                        **{name: int(row.get(name, 0)) for name in signals.QUADS.values()},
                        "total": int(row.sum()),
                    }
                )
    return pd.DataFrame(rows, columns=list(QUAD_COLUMNS))


COOPERATION_COLUMNS = {
    "dataset": "Record",
    "period": "Period",
    "events": "Events",
    "net": "Net cooperation (Goldstein sum)",
    "mean": "Mean Goldstein",
    "tone": "Mean tone",
}
"""Columns of :func:`cooperation_table`, with their headers."""


def cooperation_table(sig: Signals) -> pd.DataFrame:
    """Events, Goldstein-weighted net cooperation and tone per dataset and period, as text."""
    rows = []
    for d in sig.datasets:
        spans = {label: (w.start, w.end) for label, w in sig.periods.items()}
        coop = signals.cooperation(sig.of(d), spans)
        for label in ("comparison", "period"):
            r = coop.loc[label]
            rows.append(
                {
                    "dataset": DATASET_NAMES[d],
                    "period": label,
                    "events": f"{int(r['events']):,}",
                    "net": _number(r["net_goldstein"]) if r["events"] else "–",
                    "mean": _number(r["mean_goldstein"], 2),
                    "tone": _number(r["mean_tone"], 2),
                }
            )
    return pd.DataFrame(rows, columns=list(COOPERATION_COLUMNS))


def cooperation_sentence(name: str, net: float, n: int, net_before: float, n_before: int) -> str:
    """Compare one dataset's net cooperation in the period with the comparison period."""
    return (
        f"{name}: net cooperation {_number(net)} over {_events(n)} in the period, against "
        f"{_number(net_before)} over {_events(n_before)} in the comparison period."
    )


def cooperation_sentences(sig: Signals) -> list[str]:
    """One :func:`cooperation_sentence` per dataset."""
    out = []
    for d in sig.datasets:
        now, before = sig.of(d, "period"), sig.of(d, "comparison")
        out.append(
            cooperation_sentence(
                DATASET_NAMES[d],
                float(now["goldstein"].sum()),
                len(now),
                float(before["goldstein"].sum()),
                len(before),
            )
        )
    return out


def corroboration_table(sig: Signals) -> pd.DataFrame:
    """Each curated event of the period between the two sides, with its coded matches.

    Columns: ``date`` and ``summary`` of the curated event, ``cameo_code``, one column
    per dataset (its matching coded events, :func:`helpers.analysis.signals.corroboration`)
    and ``corroborated`` ('yes' when any dataset has a match).
    """
    cur = sig.curated
    out = pd.DataFrame(
        {
            "date": [
                format_event_date(d, p, e)
                for d, p, e in zip(cur["date"], cur["date_precision"], cur["end_date"])
            ],
            "summary": cur["summary"],
            "cameo_code": cur["cameo_code"],
        }
    )
    any_match = pd.Series(False, index=out.index)
    for d in sig.datasets:
        table = signals.corroboration(cur, sig.of(d), sig.ctx.focus, sig.ctx.counterpart, SLACK)
        out[d] = table["coded_matches"].astype(int).to_numpy()
        any_match |= table["corroborated"].to_numpy()
    out["corroborated"] = ["yes" if m else "no" for m in any_match]
    return out


def corroboration_columns(sig: Signals) -> dict[str, str]:
    """Headers of :func:`corroboration_table` for this annex's datasets."""
    return {
        "date": "Date",
        "summary": "Curated event",
        "cameo_code": "CAMEO",
        **{d: f"{DATASET_NAMES[d]} matches" for d in sig.datasets},
        "corroborated": "Corroborated",
    }


def corroboration_sentence(corroborated: int, curated: int) -> str:
    """Say how many curated events machine-coded events corroborate, and by what rule."""
    if curated == 0:
        return (
            "The curated record holds no event between the two sides in the period to corroborate."
        )
    if curated == 1:
        verb = "is" if corroborated else "is not"
        count = f"The one curated event between the two sides in the period {verb}"
    else:
        some = "None" if corroborated == 0 else f"{corroborated:,}"
        verb = "are" if corroborated > 1 else "is"
        count = (
            f"{some} of the {curated:,} curated events between the two sides in the period {verb}"
        )
    return (
        f"{count} corroborated. A curated event is corroborated when a machine-coded event "
        f"on the same pair, within {SLACK} days of its dates, has the same CAMEO root (first "
        "two digits)."
    )


def source_labels(rows: pd.DataFrame) -> pd.Series:
    """Say where each coded event was reported: URL, else publisher and story id, else publisher."""
    labels = []
    for url, pub, story in zip(rows["source_url"], rows["publisher"], rows["story_id"]):
        if isinstance(url, str) and url:
            labels.append(url)
        elif isinstance(pub, str) and pub and isinstance(story, str) and story:
            labels.append(f"{pub}, story {story}")
        else:
            labels.append(pub if isinstance(pub, str) and pub else "no source given")
    return pd.Series(labels, index=rows.index, dtype=object)


def _listed(sources: list[str]) -> str:
    shown = "; ".join(sources[:SOURCES_LISTED])
    more = len(sources) - SOURCES_LISTED
    return f"{shown}; and {more:,} more" if more > 0 else shown


SPIKE_COLUMNS = {
    "dataset": "Record",
    "date": "Date",
    "events": "Coded events",
    "median": "Daily median",
    "sources": "Sources",
}
"""Columns of :func:`unreviewed_table`, with their headers."""


def unreviewed_table(sig: Signals) -> pd.DataFrame:
    """Days of the period when one dataset's coded events spike with no curated event.

    See :func:`helpers.analysis.signals.unreviewed_spikes`; each dataset's days are
    found apart, against its own median.
    """
    rows = []
    w = sig.ctx.window
    for d in sig.datasets:
        coded = sig.of(d, "period")
        # unreviewed_spikes lists a day's distinct ``source_url``: give it the label
        # that names the source for datasets without URLs too.
        coded = coded.assign(source_url=source_labels(coded))
        spikes = signals.unreviewed_spikes(
            coded, sig.curated, sig.ctx.focus, sig.ctx.counterpart, w.start, w.end, SPIKE_FACTOR
        )
        for s in spikes.itertuples(index=False):
            rows.append(
                {
                    "dataset": DATASET_NAMES[d],
                    "date": f"{s.date.day} {s.date:%B %Y}",
                    "events": f"{s.events:,}",
                    "median": _number(s.median),
                    "sources": _listed(list(s.urls)),
                }
            )
    return pd.DataFrame(rows, columns=list(SPIKE_COLUMNS))


def unreviewed_sentence(days: int) -> str:
    """Say on how many days of the period coded activity spikes with no curated event."""
    if days == 0:
        return (
            f"No day of the period has more than {SPIKE_FACTOR} times a dataset's daily "
            "median of machine-coded events between the two sides while no curated event "
            "may fall on it."
        )
    them, what = ("it", "a candidate") if days == 1 else ("them", "candidates")
    return (
        f"On {plural(days, 'day')} of the period (counted per dataset), machine-coded "
        f"events between the two sides number more than {SPIKE_FACTOR} times the "
        f"dataset's daily median while no curated event may fall on {them}: {what} for "
        "the analyst to read, listed with the sources."
    )


def _and(names: list[str]) -> str:
    """'GDELT', 'GDELT and ICEWS', 'GDELT, ICEWS and PLOVER/POLECAT'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def median_note(sig: Signals) -> str:
    """Warn when a dataset's daily median is 0, where any day with an event spikes."""
    zero = []
    w = sig.ctx.window
    days = pd.date_range(w.start, w.end, freq="D")
    for d in sig.datasets:
        daily = sig.of(d, "period").groupby("date").size().reindex(days, fill_value=0)
        if daily.median() == 0:
            zero.append(DATASET_NAMES[d])
    if not zero:
        return ""
    medians = "median" if len(zero) == 1 else "medians"
    return (
        f"The daily {medians} of {_and(zero)} {'is' if len(zero) == 1 else 'are'} 0 in "
        "this period: any day with a machine-coded event counts as a spike unless a "
        "curated event may fall on it."
    )


def caveats(sig: Signals) -> list[str]:
    """Return the caveats of machine-coded events, in plain words, for the datasets shown."""
    out = [
        "Machine coding makes mistakes: software reads news text, and may take a "
        "reference to a past event for a new one or give an action to the wrong actor.",
        "One story reported by many outlets, or told again over several days, can be "
        "coded as many events; the counts here are of coded events, not of distinct "
        "happenings.",
        "Datasets are counted apart: the same story is often coded by more than one of "
        "them, so their counts are not added.",
    ]
    if "gdelt" in sig.datasets:
        out.append(
            "GDELT's counts of mentions, sources and articles grow with the volume of "
            "news and are not normalised; this annex counts events and does not weigh "
            "them by mentions."
        )
    if "icews" in sig.datasets or "plover" in sig.datasets:
        out.append(
            "ICEWS and POLECAT give no article addresses, only the publisher (and, for "
            "ICEWS, a story number), and no tone."
        )
    missing = int(sig.dyad["goldstein"].isna().sum())
    if missing:
        has, adds = ("has", "adds") if missing == 1 else ("have", "add")
        out.append(
            f"{plural(missing, 'machine-coded event')} between the two sides near the "
            f"period {has} no Goldstein value and {adds} nothing to net cooperation."
        )
    return out


def briefing_lines(sig: Signals) -> list[str]:
    """Return the briefing's signals section: a line per dataset, one on corroboration.

    Empty when the data package has no coded event near the period (the briefing then
    shows no section).
    """
    if not sig.datasets:
        return []
    lines = [
        f"{DATASET_NAMES[d]}: {_events(len(sig.of(d, 'period')))} between the two sides "
        "in the period."
        for d in sig.datasets
    ]
    table = corroboration_table(sig)
    lines.append(corroboration_sentence(int((table["corroborated"] == "yes").sum()), len(table)))
    lines.append(
        "The signals annex shows them by month against the comparison period, and the "
        "days of coded activity that no curated event covers."
    )
    return lines
