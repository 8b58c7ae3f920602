"""From a file's raw text rows to coded events: checks, codes, actors, one shape for all.

Every reader (:mod:`.gdelt`, :mod:`.icews`, :mod:`.plover`) hands over batches of text
columns named as in :data:`RAW`, with the file line of each row. :func:`normalize`
checks each row, keeps the good ones in the shape of :data:`.store.SCHEMA` and records
the others as :class:`~.report.BadRow` with their line and the first reason found.
Checks run on whole Arrow columns, and judgements of a value (is it a real date, a
CAMEO code) are made once per distinct value, so a million rows cost seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .actors import ActorMap
from .codes import PLOVER_QUAD, PLOVER_TO_CAMEO_ROOT, QUAD_NAMES, cameo_quad, normal_cameo
from .report import BadRow
from .store import SCHEMA

RAW = [
    "event_id",
    "date",
    "actor1_code",
    "actor1_name",
    "actor1_country",
    "actor1_group",
    "actor2_code",
    "actor2_name",
    "actor2_country",
    "actor2_group",
    "cameo_code",
    "plover_type",
    "goldstein",
    "quad_class",
    "mentions",
    "sources",
    "articles",
    "tone",
    "source_url",
    "publisher",
    "story_id",
]
"""The text columns every reader hands over ('' where the dataset has no such value)."""

_EPOCH = dt.date(1970, 1, 1)


def as_raw(table: pa.Table, raw_from: dict[str, str]) -> pa.Table:
    """The :data:`RAW` columns of a batch read with a dataset's own column names.

    ``raw_from`` maps a raw column to the dataset's; raw columns it lacks, or whose
    dataset column the batch does not have, are empty text.
    """
    empty = pa.array(np.full(table.num_rows, "", dtype=object), pa.string())
    names = set(table.column_names)
    return pa.table(
        {r: table.column(raw_from[r]) if raw_from.get(r) in names else empty for r in RAW}
    )


_INT = r"^[+-]?[0-9]+$"
_FLOAT = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"


@dataclass(frozen=True)
class Source:
    """What :func:`normalize` needs to know about the file its rows come from."""

    dataset: str
    file_name: str
    labels: dict[str, str]
    """Raw column -> the dataset's own name for it, for the reasons given for bad rows."""
    plover: bool = False
    unit: str = "line"


@dataclass
class Lookups:
    """The package's tables an import consults: CAMEO codes and actors."""

    cameo: dict[str, tuple[float, int]]
    actors: ActorMap


def parse_date(text: str) -> int | None:
    """Days since 1970-01-01 of a YYYYMMDD or YYYY-MM-DD date; None if it is not one."""
    text = text.strip()
    form = "%Y%m%d" if len(text) == 8 and text.isdigit() else "%Y-%m-%d"
    try:
        return (dt.datetime.strptime(text, form).date() - _EPOCH).days
    except ValueError:
        return None


def _per_value(col: pa.Array, judge) -> np.ndarray:
    """``judge(value)`` for every row, judging each distinct value once."""
    distinct = pc.unique(col)
    answers = np.empty(len(distinct), dtype=object)
    answers[:] = [judge(v) for v in distinct.to_pylist()]
    return answers[pc.index_in(col, value_set=distinct).to_numpy(zero_copy_only=False)]


def _matches(col: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(col, pattern).to_numpy(zero_copy_only=False).astype(bool)


class _Reasons:
    """The first reason each row is bad for (None while it is good)."""

    def __init__(self, raw: dict[str, pa.Array], source: Source):
        self.raw, self.source = raw, source
        self.reason = np.full(len(raw["event_id"]), None, dtype=object)

    def flag(self, mask: np.ndarray, column: str, why: str) -> None:
        rows = np.flatnonzero(mask & (self.reason == None))  # noqa: E711 - elementwise
        if not len(rows):
            return
        label = self.source.labels.get(column, column)
        values = self.raw[column].take(pa.array(rows)).to_pylist()
        for row, value in zip(rows, values):
            self.reason[row] = f"{label} {value!r} {why}" if value else f"{label} is empty"

    @property
    def good(self) -> np.ndarray:
        return self.reason == None  # noqa: E711 - elementwise


def _numbers(raw: dict, reasons: _Reasons, column: str, whole: bool) -> pa.Array:
    """A numeric column, null where empty; non-numbers are flagged."""
    col = pc.utf8_trim_whitespace(raw[column])
    present = pc.not_equal(col, "").to_numpy(zero_copy_only=False).astype(bool)
    ok = _matches(col, _INT if whole else _FLOAT)
    reasons.flag(present & ~ok, column, "is not a whole number" if whole else "is not a number")
    kept = pc.if_else(pa.array(present & ok), col, pa.scalar(None, pa.string()))
    return pc.cast(kept, pa.int64() if whole else pa.float64())


def _codes(raw: dict, reasons: _Reasons, source: Source) -> tuple[np.ndarray, np.ndarray]:
    """CAMEO code ('' for PLOVER's CRIME) and PLOVER category of every row."""
    if source.plover:
        kinds = _per_value(raw["plover_type"], lambda v: v.strip().upper())
        known = np.array([k in PLOVER_TO_CAMEO_ROOT for k in kinds], dtype=bool)
        reasons.flag(~known, "plover_type", "is not a PLOVER event category")
        roots = [PLOVER_TO_CAMEO_ROOT.get(k, "") for k in kinds]
        cameo = np.array([f"{r}0" if r else "" for r in roots], dtype=object)
        return cameo, kinds
    cameo = _per_value(raw["cameo_code"], normal_cameo)
    reasons.flag(cameo == None, "cameo_code", "is not a CAMEO event code")  # noqa: E711
    return np.where(cameo == None, "", cameo), np.full(len(raw["cameo_code"]), "", dtype=object)  # noqa: E711


def _quad_of_dataset(raw: dict, reasons: _Reasons) -> np.ndarray:
    def judge(v: str):
        v = v.strip().upper()
        if not v:
            return 0
        if v in QUAD_NAMES:
            return QUAD_NAMES[v]
        return int(v) if v in ("1", "2", "3", "4") else -1

    quad = _per_value(raw["quad_class"], judge).astype(np.int64)
    reasons.flag(quad < 0, "quad_class", "is not a QuadClass (1-4)")
    return quad


def _text(values) -> pa.Array:
    """Text with empty values as nulls."""
    arr = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    arr = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _goldstein_and_quad(cameo, kinds, own_gold, own_quad, lookups: Lookups):
    """Goldstein value, where it comes from, and QuadClass of every row.

    Goldstein: ``cameo.csv``'s value for the code, else the dataset's own. QuadClass:
    ``cameo.csv``'s, else the dataset's own, else the CAMEO root's (PLOVER: its own
    quad category). Worked out once per distinct (code, category).
    """
    table = lookups.cameo
    pairs = np.char.add(np.char.add(cameo.astype(str), "|"), kinds.astype(str))
    distinct, index = np.unique(pairs, return_inverse=True)

    def by_code(pair: str) -> tuple[float, int, int]:
        code, kind = pair.split("|")
        gold, quad = table.get(code, (np.nan, 0))
        fallback = PLOVER_QUAD.get(kind, 0) if kind else (cameo_quad(int(code[:2])) if code else 0)
        return gold, quad, fallback

    answers = np.array([by_code(p) for p in distinct], dtype=float).reshape(-1, 3)[index]
    listed = ~np.isnan(answers[:, 0])
    own = own_gold.to_numpy(zero_copy_only=False)
    gold = np.where(listed, answers[:, 0], own)
    origin = np.where(listed, "cameo.csv", np.where(np.isnan(own), "", "dataset"))
    quad = answers[:, 1].astype(np.int64)
    quad = np.where(quad == 0, own_quad, quad)
    quad = np.where(quad == 0, answers[:, 2].astype(np.int64), quad)
    return (
        pa.array(gold, pa.float64(), from_pandas=True),
        _text(origin),
        pa.array(np.where(quad == 0, None, quad), pa.int8()),
    )


def normalize(
    raw: pa.Table, lines: np.ndarray, source: Source, lookups: Lookups, bad: list[BadRow]
) -> pa.Table:
    """Check a batch of raw rows and return its good rows as coded events.

    Parameters
    ----------
    raw : pyarrow.Table
        Text columns named as in :data:`RAW`, no nulls.
    lines : numpy.ndarray
        File line (or JSON record number) of each row.
    source : Source
        The dataset and file the rows come from.
    lookups : Lookups
        The package's CAMEO table and actors; states new to the package are added to
        ``lookups.actors``.
    bad : list of BadRow
        Appended with each bad row, its line and the first reason found.

    Returns
    -------
    pyarrow.Table
        The good rows, with the columns of :data:`.store.SCHEMA`.
    """
    raw = {c: raw.column(c).combine_chunks() for c in RAW}
    reasons = _Reasons(raw, source)
    ids = pc.utf8_trim_whitespace(raw["event_id"])
    reasons.flag(pc.equal(ids, "").to_numpy(zero_copy_only=False).astype(bool), "event_id", "")
    days = _per_value(raw["date"], parse_date)
    reasons.flag(days == None, "date", "is not a real date (YYYYMMDD or YYYY-MM-DD)")  # noqa: E711
    cameo, kinds = _codes(raw, reasons, source)
    numbers = {
        col: _numbers(raw, reasons, col, whole)
        for col, whole in (("goldstein", False), ("mentions", True), ("sources", True),
                           ("articles", True), ("tone", False))
    }  # fmt: skip
    own_quad = _quad_of_dataset(raw, reasons)

    good = reasons.good
    for row in np.flatnonzero(~good):
        bad.append(BadRow(int(lines[row]), reasons.reason[row], source.unit))
    keep = pa.array(good)
    raw = {c: v.filter(keep) for c, v in raw.items()}
    numbers = {k: v.filter(keep) for k, v in numbers.items()}
    cameo, kinds = cameo[good], kinds[good]
    gold, origin, quad = _goldstein_and_quad(
        cameo, kinds, numbers["goldstein"], own_quad[good], lookups
    )
    sides = {}
    for side in ("actor1", "actor2"):
        sides[f"{side}_id"] = lookups.actors.map(
            raw[f"{side}_country"], raw[f"{side}_group"], raw[f"{side}_name"]
        )
    n = len(raw["event_id"])
    cameo_arr = _text(cameo)
    columns = {
        "dataset": pa.array([source.dataset] * n, pa.string()),
        "event_id": pc.utf8_trim_whitespace(raw["event_id"]),
        "date": pa.array(days[good].astype(np.int32), pa.int32()).cast(pa.date32()),
        **{
            f"{side}_{part}": _text(raw[f"{side}_{part}"])
            for side in ("actor1", "actor2")
            for part in ("code", "name", "country")
        },
        **sides,
        "cameo_code": cameo_arr,
        "cameo_root": pc.utf8_slice_codeunits(cameo_arr, 0, 2),
        "plover_type": _text(kinds),
        "goldstein": gold,
        "goldstein_from": origin,
        "quad_class": quad,
        "mentions": numbers["mentions"],
        "sources": numbers["sources"],
        "articles": numbers["articles"],
        "tone": numbers["tone"],
        "source_url": _text(raw["source_url"]),
        "publisher": _text(raw["publisher"]),
        "story_id": _text(raw["story_id"]),
        "source_file": pa.array([source.file_name] * n, pa.string()),
        "source_line": pa.array(lines[good].astype(np.int64), pa.int64()),
    }
    return pa.table({f.name: columns[f.name] for f in SCHEMA}, schema=SCHEMA)
