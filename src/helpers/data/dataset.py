"""Loading the engagement data package into typed pandas frames.

:func:`load_dataset` validates first (see :mod:`helpers.data.validation`) and raises one
:class:`~helpers.data.validation.DataValidationError` listing every problem, so nothing
downstream ever sees bad rows. Engagements come back enriched with the Goldstein value
of their CAMEO code (never typed twice), the stakeholders their actors roll up to, and the
end of each date's uncertain interval.

Large packages
--------------
Two things keep a million-event package cheap (measured in ``benchmarks/``):

- **A typed cache.** Once a package of at least :data:`CACHE_MIN_BYTES` has been
  validated and typed, the typed tables are written as Parquet to a folder named by the
  sha256 of every data file and of the code that types them (``.cache/datasets/<key>/``;
  ``$BRIEFING_CACHE_DIR`` replaces ``.cache``). Any later load of the same bytes (the
  build's kernels, the next build, papermill) reads the cache instead of validating
  again. Editing any data file changes the key, so stale data is never read.
- **A scope.** A briefing needs only the rows a :class:`Scope` names: events near its
  window, scheduled events after it, and the focus dyad's contacts of any date (for
  "highest since"). ``load_dataset(folder, scope)`` keeps only those rows, reading them
  from the cache with a Parquet filter, so a kernel holds the window, not the record.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import resolve_data_dir
from .cache import TABLES as TABLES  # re-exported: the package's tables, in order
from .cache import (
    _cached_events,
    _cited_sources,
    _read_cache,
    _wants_cache,
    _write_cache,
    cache_key,
    dataset_cache,
)
from .fingerprint import data_file_hashes
from .memory import trim_heap
from .periods import Window, format_date, precision_end
from .validation import DataValidationError, read_package

LEVELS = ("leader", "minister", "secretary", "senior_official", "envoy", "institution")
"""Seniority from highest to lowest; an event's ``level_rank`` is its index here."""


def contact_level(level_from: pd.Series, level_to: pd.Series) -> pd.Series:
    """Rank (index in :data:`LEVELS`) of each contact: the lower of its two sides.

    A contact is as senior as its more junior side: a Foreign Secretary meeting a
    minister is a secretary-level contact. With no other side (``level_to`` empty) the
    contact takes ``level_from``.
    """
    ranks = {lvl: i for i, lvl in enumerate(LEVELS)}
    rank_from = _lookup(level_from, ranks).astype(int)
    rank_to = _lookup(level_to.fillna(""), {**ranks, "": -1}).astype(int)
    return pd.Series(np.maximum(rank_from.to_numpy(), rank_to.to_numpy()), index=level_from.index)


CONTACT_TYPES = ("meeting", "phone_call", "visit", "agreement", "recognition", "accreditation")
"""Event types in which both sides take part, as opposed to statements about the other."""

JUDGEMENT_COLUMNS = (
    "judgement_id",
    "focus",
    "counterpart",
    "as_of",
    "statement",
    "likelihood",
    "confidence",
    "evidence",
    "indicators",
)
"""Columns of the optional ``judgements`` table, for a package that does not have it."""


def rollup_map(actors: pd.DataFrame) -> dict[str, str]:
    """Map every actor to the stakeholder it acts for: the top of its ``parent_id`` chain.

    People and ministries roll up to their government; an actor with no parent (a state,
    an organisation, a group) is a stakeholder itself. This is the one roll-up used by
    every analysis.
    """
    parent = {a: p for a, p in zip(actors["actor_id"], actors["parent_id"]) if p}
    out = {}
    for actor in actors["actor_id"]:
        node, hops = actor, 0
        while node in parent and hops <= len(parent):
            node, hops = parent[node], hops + 1
        out[actor] = node
    return out


def file_hashes(data_dir: Path) -> dict[str, str]:
    """sha256 of ``datapackage.json`` and every resource file, by file name."""
    return data_file_hashes(Path(data_dir))


def data_version(hashes: dict[str, str]) -> str:
    """Short fingerprint of the whole package: 12 hex digits over all file hashes."""
    joined = "\n".join(f"{k}={v}" for k, v in sorted(hashes.items()))
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


def _pair_keys(ev: pd.DataFrame) -> np.ndarray:
    """Give each event a number for its undirected relationship (pair, or one side alone)."""
    a = ev["from_stakeholder"].to_numpy(dtype=object)
    b = ev["to_stakeholder"].to_numpy(dtype=object)
    codes, uniques = pd.factorize(np.concatenate([a, b]))
    ca, cb = codes[: len(a)], codes[len(a) :]
    alone = (b == "") | (ca == cb)
    lo = np.where(alone, ca, np.minimum(ca, cb))
    hi = np.where(alone, -1, np.maximum(ca, cb))
    return lo * (len(uniques) + 1) + hi + 1


def latest_contacts(ev: pd.DataFrame, before: pd.Timestamp) -> np.ndarray:
    """Mask of the contacts that "highest since" can still reach back to from ``before`` on.

    For every relationship and every level, the occurred contacts (meeting, call, visit,
    agreement) whose whole interval ends before ``before`` and that are the latest of
    that level (greatest ``date``, then greatest ``interval_end``; all ties kept). The
    latest earlier contact at a level or higher, for any contact on or after ``before``,
    is always one of these, so a briefing needs no other contact before its periods.
    """
    old = (
        ev["event_type"].isin(CONTACT_TYPES)
        & (ev["status"] == "occurred")
        & (ev["interval_end"] < before)
    ).to_numpy()
    keep = np.zeros(len(ev), dtype=bool)
    if not old.any():
        return keep
    keys = ev.loc[old, ["date", "interval_end", "level_rank"]]
    keys = keys.assign(pair=_pair_keys(ev[old]), row=np.flatnonzero(old))
    group = ["pair", "level_rank"]
    keys = keys[keys["date"] == keys.groupby(group)["date"].transform("max")]
    keys = keys[keys["interval_end"] == keys.groupby(group)["interval_end"].transform("max")]
    keep[keys["row"].to_numpy()] = True
    return keep


CONTACT_KEYS = [
    "event_id",
    "date",
    "date_precision",
    "end_date",
    "interval_end",
    "status",
    "event_type",
    "level",
    "level_rank",
    "from_stakeholder",
    "to_stakeholder",
]
"""The columns of an event that "the highest-level contact since ..." reads."""


def _day(ts: pd.Timestamp):
    import pyarrow as pa

    return pa.scalar(ts.to_pydatetime(), pa.timestamp("us"))


@dataclass(frozen=True)
class Scope:
    """The rows of the record a briefing of ``window`` can use.

    - events whose interval overlaps the previous period or the window (everything
      placed in either, and the loosely dated ones at the window's edges);
    - scheduled events that may fall after the window's end (the outlook);
    - before the previous period, only the :func:`latest_contacts`, which are all that
      "the highest-level contact since ..." needs to look back to the record's start.
      They are kept apart, as :attr:`Dataset.earlier_contacts`, with
      :data:`CONTACT_KEYS` only.
    """

    window: Window

    @property
    def cut(self) -> pd.Timestamp:
        """First day of the previous period: the history is what ends before it."""
        return self.window.previous().start

    def near(self, ev: pd.DataFrame) -> pd.Series:
        """Rows of typed engagements ``ev`` whose interval overlaps the two periods."""
        return (ev["interval_end"] >= self.cut) & (ev["date"] <= self.window.end)

    def mask(self, ev: pd.DataFrame) -> pd.Series:
        """Rows of typed engagements ``ev`` near the window, or scheduled after it."""
        end = self.window.end
        return self.near(ev) | ((ev["status"] == "scheduled") & (ev["interval_end"] > end))

    def split(self, ev: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Split ``ev`` into the scope's rows and its earlier contacts (see the class)."""
        earlier = ev.loc[latest_contacts(ev, self.cut), CONTACT_KEYS]
        return ev[self.mask(ev)].reset_index(drop=True), earlier.reset_index(drop=True)

    def read(self, folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`split` of a typed cache folder, reading little more than the scope.

        The cache keeps the engagements sorted by date in row groups, so Parquet's
        statistics skip every group outside the two periods; scheduled events and the
        contacts' key columns have files of their own.
        """
        import pyarrow.dataset as ds
        import pyarrow.parquet as pq

        c, end = ds.field, self.window.end
        near = pq.read_table(
            folder / "engagements.parquet",
            filters=(c("interval_end") >= _day(self.cut)) & (c("date") <= _day(end)),
        ).to_pandas()
        ahead = pq.read_table(
            folder / "scheduled.parquet", filters=c("interval_end") > _day(end)
        ).to_pandas()
        ahead = ahead[~self.near(ahead)]  # those are in ``near`` already
        rows = pd.concat([near, ahead], ignore_index=True) if len(ahead) else near
        rows = rows.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)
        old = pq.read_table(
            folder / "contacts.parquet", filters=c("interval_end") < _day(self.cut)
        ).to_pandas()
        return rows, old[latest_contacts(old, self.cut)].reset_index(drop=True)


@dataclass
class Dataset:
    """The validated package as typed frames."""

    engagements: pd.DataFrame
    """Every event, or with a :attr:`scope` only the rows the scope names."""
    actors: pd.DataFrame
    sources: pd.DataFrame
    positions: pd.DataFrame
    cameo: pd.DataFrame
    data_dir: Path
    hashes: dict[str, str]
    judgements: pd.DataFrame = field(
        default_factory=lambda: _no_judgements().assign(evidence_list=pd.Series(dtype=object))
    )
    """Analyst judgements, every version, in file order (empty when the package has
    none); ``as_of`` typed, ``evidence_list`` added. See :mod:`helpers.data.judgements`."""
    evidence_events: pd.DataFrame | None = None
    """The engagements the judgements cite, whatever the :attr:`scope` (with the same
    columns as :attr:`engagements`), so a briefing can show evidence from before its
    window; None only for a Dataset built by hand."""
    earlier_contacts: pd.DataFrame | None = None
    """With a :attr:`scope`, the contacts before its periods that "since" can reach
    (:data:`CONTACT_KEYS` columns only); None when ``engagements`` is the whole record."""
    first_date: pd.Timestamp | None = None
    """Date of the record's earliest event (whatever the scope); None when it is empty."""
    first_precision: str = "day"
    record_end: pd.Timestamp | None = None
    """Last day the sources speak for, whatever the scope (see :mod:`helpers.data.coverage`)."""
    scope: Scope | None = field(default=None)
    """None when ``engagements`` holds the whole record."""

    @property
    def version(self) -> str:
        """The data version: a short hash of the data files' hashes."""
        return data_version(self.hashes)

    @functools.cached_property
    def contact_record(self) -> pd.DataFrame:
        """Every event "the highest-level contact since ..." may compare, in date order.

        The whole record without a scope; with one, its rows and its earlier contacts
        (whose columns other than :data:`CONTACT_KEYS` are missing). Worked out once per
        load: a Dataset is not changed once loaded.
        """
        if self.earlier_contacts is None or self.earlier_contacts.empty:
            return self.engagements
        both = pd.concat([self.earlier_contacts, self.engagements], ignore_index=True)
        return both.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)

    @property
    def record_start(self) -> str:
        """Month (or year) in which the whole record begins: 'August 2021'; '' if empty."""
        if self.first_date is None:
            return ""
        precision = "year" if self.first_precision == "year" else "month"
        return format_date(self.first_date, precision)

    @property
    def stakeholders(self) -> pd.DataFrame:
        """Top-level actors (no parent), indexed by ``actor_id``."""
        top = self.actors[self.actors["parent_id"] == ""]
        return top.set_index("actor_id", drop=False)

    def name_of(self, actor_id: str) -> str:
        """Display name of an actor id (the id itself if unknown)."""
        names = dict(zip(self.actors["actor_id"], self.actors["name"]))
        return names.get(actor_id, actor_id)


def _split(values: pd.Series) -> pd.Series:
    return values.map(lambda v: tuple(v.split(";")) if v else ())


def _lookup(values: pd.Series, mapping) -> pd.Series:
    """Return ``values.map(mapping)``, looking up each distinct value once.

    A million rows hold a few hundred actors or codes.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    found = pd.Series(uniques, dtype=object).map(mapping).to_numpy()
    return pd.Series(found[codes], index=values.index)


def _typed(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Type the validated text tables.

    The list columns are added after scoping, in :func:`load_dataset`, so only the rows
    kept pay for them. The tables are typed in place and taken out of ``tables``: a copy
    of a million text rows would be a few hundred MB more at the moment memory peaks.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    cameo = tables.pop("cameo")
    cameo["goldstein"] = cameo["goldstein"].astype(float)
    cameo["quad_class"] = cameo["quad_class"].astype(int)

    actors = tables.pop("actors")
    roll = rollup_map(actors)
    actors["stakeholder"] = actors["actor_id"].map(roll)

    ev = tables.pop("engagements")
    ev["date"] = pd.to_datetime(ev["date"], format="%Y-%m-%d")
    ev["end_date"] = pd.to_datetime(ev["end_date"].where(ev["end_date"] != ""), format="%Y-%m-%d")
    point_end = precision_end(ev["date"], ev["date_precision"])
    ev["interval_end"] = ev["end_date"].where(ev["end_date"].notna(), point_end)
    lookup = cameo.set_index("cameo_code")
    ev["goldstein"] = _lookup(ev["cameo_code"], lookup["goldstein"]).astype(float)
    ev["quad_class"] = _lookup(ev["cameo_code"], lookup["quad_class"]).astype(int)
    ev["cameo_label"] = _lookup(ev["cameo_code"], lookup["label"])
    ev["from_stakeholder"] = _lookup(ev["actor_from"], roll)
    ev["to_stakeholder"] = _lookup(ev["actor_to"], roll).fillna("")
    ev["level_rank"] = contact_level(ev["level_from"], ev["level_to"])
    ev["level"] = _lookup(ev["level_rank"], dict(enumerate(LEVELS)))
    # By date, then event id, sorted by Arrow: no Python string per row. (Arrow compares
    # UTF-8 bytes, which orders text as Python does, by code point.)
    keys = pa.table({"date": ev["date"].to_numpy(), "id": pa.array(ev["event_id"], pa.string())})
    order = pc.sort_indices(keys, sort_keys=[("date", "ascending"), ("id", "ascending")])
    order = order.to_numpy()
    del keys
    if (order != np.arange(len(ev))).any():  # files in date order need no copy
        # Column by column, each old one dropped once its sorted copy exists: the
        # whole frame taken at once would hold two copies of a million rows.
        columns = {}
        for col in list(ev.columns):
            columns[col] = ev[col].take(order).reset_index(drop=True)
            del ev[col]
            trim_heap()  # or the freed column stays in the heap, and the peak is two copies
        ev = pd.DataFrame(columns)
    ev = ev.reset_index(drop=True)

    pos = tables.pop("positions")
    pos["as_of"] = pd.to_datetime(pos["as_of"], format="%Y-%m-%d")
    for col in ("stance", "influence", "interest"):
        pos[col] = pos[col].astype(int)
    pos = pos.sort_values(["actor_id", "as_of"], kind="stable").reset_index(drop=True)
    judgements = tables.pop("judgements", None)
    if judgements is None:  # an optional table, which the package does not declare
        judgements = _no_judgements()
    judgements["as_of"] = pd.to_datetime(judgements["as_of"], format="%Y-%m-%d")
    out = {
        "engagements": ev,
        "actors": actors,
        "sources": tables.pop("sources"),
        "positions": pos,
        "cameo": cameo,
        "judgements": judgements.reset_index(drop=True),
    }
    return {name: _as_text(frame) for name, frame in out.items()}


def _no_judgements() -> pd.DataFrame:
    """Return an empty judgements table, typed as a loaded one is."""
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in JUDGEMENT_COLUMNS})
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as pandas' Arrow-backed ``str``, as the typed cache gives them back.

    Both ways of loading (validating, or reading the cache) then give the same dtypes,
    and a million summaries take a third of the memory of Python strings.
    """
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].astype("str")
    return frame


def _evidence_ids(judgements: pd.DataFrame) -> list[str]:
    """Every event id the judgements cite, sorted."""
    return sorted({e for text in judgements["evidence"] if text for e in text.split(";")})


def _cache_frames(typed: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Return the typed tables plus the two the cache keeps ready: scheduled, contacts."""
    ev = typed["engagements"]
    return {
        **typed,
        "scheduled": ev[ev["status"] == "scheduled"],
        "contacts": ev.loc[
            ev["event_type"].isin(CONTACT_TYPES) & (ev["status"] == "occurred"), CONTACT_KEYS
        ],
    }


# --- loading ----------------------------------------------------------------------

_REMEMBERED: dict[tuple, Dataset] = {}


def remember(data_dir: str | Path | None, scope: Scope) -> Dataset:
    """Load a scope and keep it in this process for :func:`load_dataset` to hand out.

    The build's kernel host calls this before forking the kernels, so they share one
    copy of the data (copy-on-write) instead of each loading it. A remembered load is
    handed out only for the same folder, scope and file hashes, so data changed since
    is loaded afresh.
    """
    data = load_dataset(data_dir, scope)
    _REMEMBERED.clear()
    _REMEMBERED[(data.data_dir, scope)] = data
    return data


def _remembered(folder: Path, scope: Scope | None, hashes: dict | None) -> Dataset | None:
    data = _REMEMBERED.get((folder, scope))
    return data if data is not None and hashes is not None and data.hashes == hashes else None


def load_dataset(data_dir: str | Path | None = None, scope: Scope | None = None) -> Dataset:
    """Validate and load the data package.

    Parameters
    ----------
    data_dir : str or Path or None
        Folder with ``datapackage.json``; empty or None means the project's ``data/``.
    scope : Scope or None
        Keep only the engagements one briefing can use (see :class:`Scope`), and the
        sources they or the positions cite; None keeps the whole record. Actors,
        positions and CAMEO codes are always whole.

    Returns
    -------
    Dataset
        Typed frames. ``engagements`` gains ``interval_end``, ``goldstein``,
        ``quad_class``, ``cameo_label``, ``from_stakeholder``, ``to_stakeholder``,
        ``level_rank``, ``topic_list`` and ``source_list``.

    Raises
    ------
    DataValidationError
        Listing every problem with file, line, column and value.
    """
    folder = resolve_data_dir(data_dir)
    try:
        hashes = file_hashes(folder)
    except (OSError, ValueError):
        hashes = None  # unreadable package: validation names the problem
    known = _remembered(folder, scope, hashes)
    if known is not None:
        return known
    typed, meta, evidence, hashes = _load_typed(folder, hashes, scope)
    ev = typed["engagements"]
    for events in (ev, evidence):
        events["topic_list"] = _split(events["topics"])
        events["source_list"] = _split(events["source_ids"])
    typed["positions"]["source_list"] = _split(typed["positions"]["source_ids"])
    typed["judgements"]["evidence_list"] = _split(typed["judgements"]["evidence"])
    if scope is not None:  # the sources the scope's events, the evidence and positions cite
        ids = {
            s
            for lists in (
                ev["source_list"],
                evidence["source_list"],
                typed["positions"]["source_list"],
            )
            for t in lists
            for s in t
        }
        typed["sources"] = _cited_sources(typed["sources"], ids)
    return Dataset(
        **typed,
        evidence_events=evidence,
        data_dir=folder,
        hashes=hashes,
        first_date=pd.Timestamp(meta["first_date"]) if meta["first_date"] else None,
        first_precision=meta["first_precision"],
        record_end=pd.Timestamp(meta["record_end"]) if meta.get("record_end") else None,
        scope=scope,
    )


def _load_typed(folder: Path, hashes: dict | None, scope: Scope | None):
    """Load the package's typed tables: from the typed cache, or validated and typed afresh.

    Returns ``(typed, meta, evidence, hashes)``: the tables (a scope's rows only), the
    record's first date and size, the engagements the judgements cite, and the file
    hashes (read once the package validated, when they could not be before).

    Raises
    ------
    DataValidationError
        When the package is read afresh and breaks a rule.
    """
    cached = None
    key = ""
    if hashes is not None and _wants_cache(folder, hashes):
        key = cache_key(hashes)
        cached = _read_cache(key, scope)
    if cached is not None:
        typed, meta = cached
        cited = _evidence_ids(typed["judgements"])
        if scope is None:
            ev = typed["engagements"]
            evidence = ev[ev["event_id"].isin(cited)].reset_index(drop=True)
        else:
            evidence = _cached_events(dataset_cache() / key, cited)
    else:
        tables, problems = read_package(folder)
        if problems:
            raise DataValidationError(problems, folder)
        if hashes is None:  # the package is readable now that it validated
            hashes = file_hashes(folder)
        typed = _typed(tables)
        del tables
        ev = typed["engagements"]
        first = None if ev.empty else ev.iloc[0]
        meta = {
            "first_date": "" if first is None else f"{first['date']:%Y-%m-%d}",
            "first_precision": "day" if first is None else first["date_precision"],
            "events": len(ev),
            "record_end": _record_end_text(ev, typed["sources"]),
        }
        if key:
            _write_cache(_cache_frames(typed), meta, key)
        cited = _evidence_ids(typed["judgements"])
        evidence = ev[ev["event_id"].isin(cited)].reset_index(drop=True)
        if scope is not None:
            typed["engagements"], typed["earlier_contacts"] = scope.split(ev)
        del ev
    return typed, meta, evidence, hashes


def _record_end_text(ev: pd.DataFrame, sources: pd.DataFrame) -> str:
    """Return the whole record's :func:`helpers.data.coverage.record_end` as an ISO date.

    The empty string when there is none.
    """
    from .coverage import record_end

    end = record_end(ev, sources)
    return "" if end is None else f"{end:%Y-%m-%d}"
