"""Loading the engagement data package into typed pandas frames.

:func:`load_dataset` validates first (see :mod:`helpers.validation`) and raises one
:class:`~helpers.validation.DataValidationError` listing every problem, so nothing
downstream ever sees bad rows. Engagements come back enriched with the Goldstein value
of their CAMEO code (never typed twice), the stakeholders their actors roll up to, and the
end of each date's uncertain interval.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .fingerprint import data_file_hashes
from .paths import resolve_data_dir
from .periods import precision_end
from .validation import DataValidationError, read_package

LEVELS = ("leader", "minister", "secretary", "senior_official", "envoy", "institution")
"""Seniority from highest to lowest; an event's ``level_rank`` is its index here."""

CONTACT_TYPES = ("meeting", "phone_call", "visit", "agreement")
"""Event types in which both sides take part, as opposed to statements about the other."""


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


@dataclass
class Dataset:
    """The validated package as typed frames."""

    engagements: pd.DataFrame
    actors: pd.DataFrame
    sources: pd.DataFrame
    positions: pd.DataFrame
    cameo: pd.DataFrame
    data_dir: Path
    hashes: dict[str, str]

    @property
    def version(self) -> str:
        return data_version(self.hashes)

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


def load_dataset(data_dir: str | Path | None = None) -> Dataset:
    """Validate and load the data package.

    Parameters
    ----------
    data_dir : str or Path or None
        Folder with ``datapackage.json``; empty or None means the project's ``data/``.

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
    tables, problems = read_package(folder)
    if problems:
        raise DataValidationError(problems, folder)

    cameo = tables["cameo"].copy()
    cameo["goldstein"] = cameo["goldstein"].astype(float)
    cameo["quad_class"] = cameo["quad_class"].astype(int)

    actors = tables["actors"].copy()
    roll = rollup_map(actors)
    actors["stakeholder"] = actors["actor_id"].map(roll)

    ev = tables["engagements"].copy()
    ev["date"] = pd.to_datetime(ev["date"], format="%Y-%m-%d")
    ev["end_date"] = pd.to_datetime(ev["end_date"].where(ev["end_date"] != ""), format="%Y-%m-%d")
    point_end = precision_end(ev["date"], ev["date_precision"])
    ev["interval_end"] = ev["end_date"].where(ev["end_date"].notna(), point_end)
    lookup = cameo.set_index("cameo_code")
    ev["goldstein"] = ev["cameo_code"].map(lookup["goldstein"]).astype(float)
    ev["quad_class"] = ev["cameo_code"].map(lookup["quad_class"]).astype(int)
    ev["cameo_label"] = ev["cameo_code"].map(lookup["label"])
    ev["from_stakeholder"] = ev["actor_from"].map(roll)
    ev["to_stakeholder"] = ev["actor_to"].map(roll).fillna("")
    ev["level_rank"] = ev["level"].map({lvl: i for i, lvl in enumerate(LEVELS)}).astype(int)
    ev["topic_list"] = _split(ev["topics"])
    ev["source_list"] = _split(ev["source_ids"])
    ev = ev.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)

    pos = tables["positions"].copy()
    pos["as_of"] = pd.to_datetime(pos["as_of"], format="%Y-%m-%d")
    for col in ("stance", "influence", "interest"):
        pos[col] = pos[col].astype(int)
    pos["source_list"] = _split(pos["source_ids"])
    pos = pos.sort_values(["actor_id", "as_of"], kind="stable").reset_index(drop=True)

    return Dataset(
        engagements=ev,
        actors=actors,
        sources=tables["sources"].copy(),
        positions=pos,
        cameo=cameo,
        data_dir=folder,
        hashes=file_hashes(folder),
    )
