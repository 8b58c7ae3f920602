"""What the record covers: the last day its sources can speak for.

A briefing of a period the sources never reached must say so instead of reading the
silence as a change in relations. The record does not declare its coverage, so it is
derived from the sources: a source reports up to the latest event it is cited for (the
end of that event's uncertain interval, or of its span), and never after it was
published (the end of its ``published`` interval: a source dated '2025-05' can speak for
nothing after 31 May 2025). Scheduled events say nothing about what happened and do not
count. The record ends where the source that reaches furthest ends.
"""

from __future__ import annotations

import pandas as pd


def published_end(published: str) -> pd.Timestamp | None:
    """Last day a ``published`` value ('2025', '2025-05' or '2025-05-14') may fall on.

    Returns None for an empty value.
    """
    text = str(published or "").strip()
    if not text:
        return None
    day = pd.Timestamp({4: f"{text}-01-01", 7: f"{text}-01"}.get(len(text), text))
    if len(text) == 4:
        return day + pd.offsets.YearEnd(0)
    if len(text) == 7:
        return day + pd.offsets.MonthEnd(0)
    return day


def source_coverage(engagements: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Return the last day each source speaks for.

    Parameters
    ----------
    engagements : DataFrame
        Typed engagements with ``status``, ``interval_end`` and ``source_ids``
        (';'-separated), the whole record.
    sources : DataFrame
        Sources with ``source_id`` and ``published``.

    Returns
    -------
    DataFrame
        ``source_id`` and ``covers_to``: the latest ``interval_end`` of the occurred events
        citing the source, no later than the end of its publication interval; missing
        when no occurred event cites it.
    """
    occ = engagements[engagements["status"] == "occurred"]
    cited = (
        occ[["interval_end"]]
        .assign(source_id=occ["source_ids"].astype(str).str.split(";"))
        .explode("source_id")
    )
    latest = cited.groupby("source_id")["interval_end"].max()
    out = sources[["source_id", "published"]].copy()
    out["covers_to"] = out["source_id"].map(latest)
    limit = out["published"].map(published_end)
    capped = [
        min(c, lim) if pd.notna(c) and lim is not None else c
        for c, lim in zip(out["covers_to"], limit)
    ]
    out["covers_to"] = pd.to_datetime(pd.Series(capped, index=out.index, dtype="object"))
    return out[["source_id", "covers_to"]].reset_index(drop=True)


def record_end(engagements: pd.DataFrame, sources: pd.DataFrame) -> pd.Timestamp | None:
    """Return the last day any source speaks for (see :func:`source_coverage`); None if none."""
    ends = source_coverage(engagements, sources)["covers_to"].dropna()
    return None if ends.empty else pd.Timestamp(ends.max())
