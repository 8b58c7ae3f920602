"""Signals from machine-coded events between two stakeholders, kept apart from the curated record.

Every function takes frames and returns frames or plain values; none reads files. The
coded events come from :func:`helpers.data.coded.store.read_window` (the window's rows
only), the curated events from the loaded data package. Actors are rolled up to their
stakeholders with the same ``parent_id`` roll-up the curated analyses use, passed in as
``roll`` (``rollup_map(actors)``). Counts of coded events are always labelled with the
dataset they come from; curated and coded events are never added together.

Decisions where the issue leaves room (all visible in the tests):

- A coded event is "between the two sides" when its actors roll up to the two
  stakeholders, in either direction.
- Corroboration: a curated event is corroborated by coded events on the same dyad whose
  date lies within ``days`` (3) of the curated event's uncertain interval (``date`` to
  ``interval_end``; a "May 2025" event spans the month) and whose CAMEO root (first two
  digits) is the curated code's root.
- A spike is a day in the period whose count of coded events on the dyad is more than
  ``factor`` (3) times the median daily count over every day of the period (days with no
  event count as 0). It is unreviewed when no curated event on the dyad may have
  happened that day (no interval covers it).
"""

from __future__ import annotations

import pandas as pd

QUADS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
"""QuadClass -> its name."""


def dyad_events(coded: pd.DataFrame, roll: dict[str, str], a: str, b: str) -> pd.DataFrame:
    """Coded events between stakeholders ``a`` and ``b`` (either way), with stakeholders.

    Parameters
    ----------
    coded : pandas.DataFrame
        Coded events (columns of the ``coded_events`` table).
    roll : dict
        Actor id -> stakeholder (``rollup_map(actors)``).
    a, b : str
        The two stakeholders.

    Returns
    -------
    pandas.DataFrame
        The dyad's rows with ``from_stakeholder`` and ``to_stakeholder`` added.
    """
    s1 = coded["actor1_id"].map(roll)
    s2 = coded["actor2_id"].map(roll)
    mask = ((s1 == a) & (s2 == b)) | ((s1 == b) & (s2 == a))
    out = coded[mask.fillna(False).astype(bool)].copy()
    out["from_stakeholder"] = s1[out.index]
    out["to_stakeholder"] = s2[out.index]
    out["date"] = pd.to_datetime(out["date"])
    return out.reset_index(drop=True)


def totals_by_dataset(dyad: pd.DataFrame) -> pd.DataFrame:
    """Number of coded events per dataset: columns ``dataset``, ``events``."""
    counts = dyad.groupby("dataset").size()
    return counts.rename("events").reset_index().sort_values("dataset", ignore_index=True)


def monthly_quad_counts(dyad: pd.DataFrame) -> pd.DataFrame:
    """Coded events per month (rows, 'YYYY-MM') and QuadClass (columns, by name).

    Months between the first and last with events are all listed; absent counts are 0.
    """
    names = list(QUADS.values())
    if dyad.empty:
        return pd.DataFrame(columns=names, dtype=int)
    month = dyad["date"].dt.to_period("M")
    table = pd.crosstab(month, dyad["quad_class"].map(QUADS))
    span = pd.period_range(month.min(), month.max(), freq="M")
    table = table.reindex(index=span, columns=names, fill_value=0)
    table.index = table.index.strftime("%Y-%m")
    table.index.name = "month"
    table.columns.name = None
    return table.astype(int)


def cooperation(dyad: pd.DataFrame, periods: dict[str, tuple]) -> pd.DataFrame:
    """Events, Goldstein-weighted net cooperation and tone in each period.

    Parameters
    ----------
    dyad : pandas.DataFrame
        From :func:`dyad_events`.
    periods : dict
        Label -> (first day, last day), e.g. the window and its comparison period.

    Returns
    -------
    pandas.DataFrame
        Indexed by label: ``events``; ``net_goldstein``, the sum of the events'
        Goldstein values (cooperation counts up, conflict down); ``mean_goldstein``;
        ``mean_tone`` (GDELT's AvgTone; NaN where no event has a tone).
    """
    rows = {}
    for label, (start, end) in periods.items():
        inside = dyad[(dyad["date"] >= pd.Timestamp(start)) & (dyad["date"] <= pd.Timestamp(end))]
        rows[label] = {
            "events": len(inside),
            "net_goldstein": float(inside["goldstein"].sum()),
            "mean_goldstein": float(inside["goldstein"].mean()) if len(inside) else float("nan"),
            "mean_tone": float(inside["tone"].mean()) if len(inside) else float("nan"),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _on_dyad(curated: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    f, t = curated["from_stakeholder"], curated["to_stakeholder"]
    return curated[((f == a) & (t == b)) | ((f == b) & (t == a))]


def corroboration(
    curated: pd.DataFrame, dyad: pd.DataFrame, a: str, b: str, days: int = 3
) -> pd.DataFrame:
    """For each curated event between ``a`` and ``b``, the coded events that corroborate it.

    Parameters
    ----------
    curated : pandas.DataFrame
        Typed engagements (``event_id``, ``date``, ``interval_end``, ``cameo_code``,
        ``from_stakeholder``, ``to_stakeholder``).
    dyad : pandas.DataFrame
        Coded events on the same dyad (:func:`dyad_events`).
    a, b : str
        The two stakeholders.
    days : int
        How far before and after the curated event's interval a coded event may fall.

    Returns
    -------
    pandas.DataFrame
        ``event_id``, ``cameo_code``, ``coded_matches`` (count), ``datasets`` (the
        matching events' datasets, sorted and joined by ``;``), ``corroborated``.
    """
    rows = []
    slack = pd.Timedelta(days=days)
    for ev in _on_dyad(curated, a, b).itertuples(index=False):
        near = (dyad["date"] >= ev.date - slack) & (dyad["date"] <= ev.interval_end + slack)
        match = dyad[near & (dyad["cameo_root"] == str(ev.cameo_code)[:2])]
        rows.append(
            {
                "event_id": ev.event_id,
                "cameo_code": ev.cameo_code,
                "coded_matches": len(match),
                "datasets": ";".join(sorted(set(match["dataset"]))),
                "corroborated": len(match) > 0,
            }
        )
    columns = ["event_id", "cameo_code", "coded_matches", "datasets", "corroborated"]
    return pd.DataFrame(rows, columns=columns)


def unreviewed_spikes(
    dyad: pd.DataFrame, curated: pd.DataFrame, a: str, b: str, start, end, factor: float = 3
) -> pd.DataFrame:
    """Days of the period when coded events spike and no curated event may have happened.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``events`` (coded, that day), ``median`` (the period's daily median)
        and ``urls`` (the day's distinct source URLs, sorted), one row per such day.
    """
    columns = ["date", "events", "median", "urls"]
    days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")
    inside = dyad[(dyad["date"] >= days[0]) & (dyad["date"] <= days[-1])]
    daily = inside.groupby("date").size().reindex(days, fill_value=0)
    median = float(daily.median())
    spiking = daily[daily > factor * median]
    covered = pd.Series(False, index=days)
    for ev in _on_dyad(curated, a, b).itertuples(index=False):
        covered |= (days >= ev.date) & (days <= ev.interval_end)
    rows = []
    for day, count in spiking.items():
        if covered[day]:
            continue
        urls = inside.loc[inside["date"] == day, "source_url"].dropna()
        rows.append({"date": day, "events": int(count), "median": median,
                     "urls": sorted(set(urls))})  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
