"""The analyst judgements in force for a relationship at a date, and what changed.

A judgement is a row of the optional ``judgements`` table; its versions are the rows
that share a ``judgement_id``, each dated by ``as_of`` (the primary key is the pair). A
later version revises the judgement from its ``as_of`` on; nothing is ever deleted, so
a past edition can be rebuilt with the judgements it showed. A judgement is about the
relationship between ``focus`` and ``counterpart``, whichever of the two a briefing
takes as its focus.

Likelihood uses the words of the UK Professional Head of Intelligence Assessment's
probability yardstick; confidence is rated apart from it (ICD 203). Both enumerations
live in ``data/datapackage.json``; :data:`LIKELIHOODS` and :data:`CONFIDENCES` copy them,
in order, and a test ties each copy to the schema.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .dataset import Dataset

LIKELIHOODS = (
    "remote chance",
    "highly unlikely",
    "unlikely",
    "realistic possibility",
    "likely",
    "highly likely",
    "almost certain",
)
"""The probability yardstick, from least to most likely."""

CONFIDENCES = ("high", "moderate", "low")
"""Analytic confidence, from most to least."""

COMPARED = ("statement", "likelihood", "confidence", "evidence", "indicators")
"""The columns whose difference makes a new version a revision rather than a
reaffirmation."""

STATUSES = ("new", "revised", "reaffirmed", "unchanged")
"""How the judgement in force compares with the one in force at the earlier date:
``new`` (none then), ``revised`` (a later version that differs in :data:`COMPARED`),
``reaffirmed`` (a later version that does not), ``unchanged`` (the same version)."""


def _day(value, name: str) -> pd.Timestamp:
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ParameterError(f"{name} {value!r} is not a date") from None
    if pd.isna(day):
        raise ParameterError(f"{name} {value!r} is not a date")
    return day.normalize()


def _in_force(versions: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The latest version of each judgement with ``as_of`` on or before ``day``."""
    known = versions[versions["as_of"] <= day]
    latest = known.groupby("judgement_id", sort=False)["as_of"].transform("max")
    return known[known["as_of"] == latest].set_index("judgement_id")


def judgements_in_force(
    data: Dataset | pd.DataFrame,
    focus: str,
    counterpart: str,
    period_end,
    since=None,
) -> pd.DataFrame:
    """The judgements about a relationship in force at a period's end.

    Parameters
    ----------
    data : Dataset or DataFrame
        A loaded package, or its ``judgements`` frame (``as_of`` typed).
    focus, counterpart : str
        The two stakeholders; a judgement recorded with them the other way round is
        about the same relationship and is included.
    period_end : str or Timestamp
        Last day of the period: each judgement's latest version with ``as_of`` on or
        before it is the one in force. A judgement first made later is left out.
    since : str or Timestamp or None
        End of the previous edition's period, to say what changed since; None when
        there is no previous edition (every judgement is then ``new``). Must not be
        after ``period_end``.

    Returns
    -------
    DataFrame
        One row per judgement, in the order judgements first appear in the file, with
        the table's columns (``evidence_list`` a tuple of event ids) and:

        - ``version``: 1 for a judgement's first version, 2 for its second, ...;
        - ``status``: one of :data:`STATUSES`, comparing with the version in force at
          ``since``; ``changed`` is True for ``new`` and ``revised``;
        - ``changed_fields``: the :data:`COMPARED` columns that differ from that
          version (a tuple; empty unless ``revised``);
        - ``previous_as_of``, ``previous_likelihood``, ``previous_confidence``: that
          version's (NaT and empty strings when there was none).

    Raises
    ------
    ParameterError
        When ``period_end`` or ``since`` is not a date, or ``since`` is after
        ``period_end``.
    """
    end = _day(period_end, "period_end")
    before = None if since is None else _day(since, "since")
    if before is not None and before > end:
        raise ParameterError(
            f"since {before:%Y-%m-%d} is after period_end {end:%Y-%m-%d}; "
            "the previous edition must end before this one"
        )
    table = data.judgements if isinstance(data, Dataset) else data
    pair = {focus, counterpart}
    dyad = table["focus"].isin(pair) & table["counterpart"].isin(pair)
    dyad &= table["focus"] != table["counterpart"]
    versions = table[dyad].reset_index(drop=True)
    versions = versions.assign(
        _order=versions.groupby("judgement_id", sort=False).ngroup(),
        version=versions.groupby("judgement_id")["as_of"].rank(method="first").astype(int),
    )
    now = _in_force(versions, end)
    then = _in_force(versions, before) if before is not None else now.iloc[0:0]
    had = now.index.isin(then.index)
    previous = then.reindex(now.index)
    same_version = had & (previous["as_of"] == now["as_of"]).to_numpy()
    differs = {
        c: had & (previous[c].astype(object).fillna("") != now[c].astype(object)).to_numpy()
        for c in COMPARED
    }
    changed_fields = [
        tuple(c for c in COMPARED if differs[c][i]) if had[i] and not same_version[i] else ()
        for i in range(len(now))
    ]
    status = np.select(
        [~had, same_version, np.array([bool(f) for f in changed_fields], dtype=bool)],
        ["new", "unchanged", "revised"],
        default="reaffirmed",
    )
    out = now.assign(
        status=status,
        changed=np.isin(status, ("new", "revised")),
        changed_fields=changed_fields,
        previous_as_of=previous["as_of"].to_numpy(),
        previous_likelihood=previous["likelihood"].astype(object).fillna("").to_numpy(),
        previous_confidence=previous["confidence"].astype(object).fillna("").to_numpy(),
    )
    out = out.sort_values("_order", kind="stable").drop(columns="_order")
    return out.reset_index()


def cited_events(data: Dataset, evidence: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """The events a judgement cites, in the order it cites them.

    Parameters
    ----------
    data : Dataset
        A loaded package; its :attr:`~helpers.data.dataset.Dataset.evidence_events` hold every
        cited event, also those outside a scoped load's window.
    evidence : sequence of str
        Event ids, as in a judgement's ``evidence_list``.

    Returns
    -------
    DataFrame
        One row per id, with the columns of ``data.engagements`` (``date``,
        ``date_precision``, ``summary``, ``source_list``, ...).
    """
    events = data.evidence_events if data.evidence_events is not None else data.engagements
    by_id = events.drop_duplicates("event_id").set_index("event_id", drop=False)
    return by_id.loc[list(evidence)].reset_index(drop=True)
