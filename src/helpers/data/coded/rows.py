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
from functools import lru_cache

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
    """Return the :data:`RAW` columns of a batch read with a dataset's own column names.

    ``raw_from`` maps a raw column to the dataset's; raw columns it lacks, or whose
    dataset column the batch does not have, are empty text.
    """
    empty = pa.repeat(pa.scalar("", pa.string()), table.num_rows)
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


@lru_cache(maxsize=1 << 16)
def parse_date(text: str) -> int | None:
    """Days since 1970-01-01 of a YYYYMMDD or YYYY-MM-DD date; None if it is not one."""
    text = text.strip()
    form = "%Y%m%d" if len(text) == 8 and text.isdigit() else "%Y-%m-%d"
    try:
        return (dt.datetime.strptime(text, form).date() - _EPOCH).days
    except ValueError:
        return None


def _lookup(col: pa.Array, **judges) -> dict[str, pa.Array]:
    """Apply each ``judges[name] = (judge, type)`` to every row of ``col``.

    Each distinct value is judged once (one hash pass gives the distinct values and
    each row's index into them); None answers are nulls.
    """
    encoded = pc.dictionary_encode(col)
    index, values = encoded.indices, encoded.dictionary.to_pylist()
    return {
        name: pa.array([judge(v) for v in values], kind).take(index)
        for name, (judge, kind) in judges.items()
    }


def empty_as_null(col: pa.Array) -> pa.Array:
    """Return text with its empty values as nulls.

    The text's own buffers are reused under a new validity bitmap: nulling by
    ``if_else`` would copy every string of the column.
    """
    present = pc.greater(pc.binary_length(col), 0)
    if col.null_count or col.offset or present.offset:
        return pc.if_else(present, col, pa.scalar(None, col.type))
    return pa.Array.from_buffers(col.type, len(col), [present.buffers()[1], *col.buffers()[1:]])


def _np(mask) -> np.ndarray:
    """Return a boolean Arrow array (nulls as False) as numpy."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False).astype(bool)


def _matches(col: pa.Array, pattern: str) -> np.ndarray:
    return _np(pc.match_substring_regex(col, pattern))


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
    """Return a numeric column, null where empty; non-numbers are flagged.

    Arrow's cast settles a column whose values are all numbers at once; only a column
    with a bad value is searched value by value.
    """
    col = raw[column]
    kind = pa.int64() if whole else pa.float64()
    try:
        return pc.cast(empty_as_null(col), kind)
    except pa.ArrowInvalid:
        pass
    present = pc.not_equal(col, "")
    ok = _matches(col, _INT if whole else _FLOAT)
    reasons.flag(
        _np(present) & ~ok, column, "is not a whole number" if whole else "is not a number"
    )
    kept = pc.if_else(pa.array(_np(present) & ok), col, pa.scalar(None, pa.string()))
    return pc.cast(kept, kind)


@lru_cache(maxsize=1024)
def _plover_kind(value: str) -> str | None:
    kind = value.strip().upper()
    return kind if kind in PLOVER_TO_CAMEO_ROOT else None


def _codes(raw: dict, reasons: _Reasons, source: Source) -> tuple[pa.Array, pa.Array]:
    """CAMEO code ('' for PLOVER's CRIME) and PLOVER category ('' if none) of every row."""
    if source.plover:
        kind = _lookup(raw["plover_type"], kind=(_plover_kind, pa.string()))["kind"]
        reasons.flag(_np(kind.is_null()), "plover_type", "is not a PLOVER event category")
        kind = pc.fill_null(kind, "")
        root = pc.fill_null(_lookup(kind, r=(PLOVER_TO_CAMEO_ROOT.get, pa.string()))["r"], "")
        cameo = pc.if_else(pc.equal(root, ""), "", pc.binary_join_element_wise(root, "0", ""))
        return cameo, kind
    cameo = _lookup(raw["cameo_code"], c=(normal_cameo, pa.string()))["c"]
    reasons.flag(_np(cameo.is_null()), "cameo_code", "is not a CAMEO event code")
    return pc.fill_null(cameo, ""), pa.repeat(pa.scalar("", pa.string()), len(cameo))


@lru_cache(maxsize=1024)
def _quad_name(value: str) -> int | None:
    value = value.strip().upper()
    if not value:
        return None
    if value in QUAD_NAMES:
        return QUAD_NAMES[value]
    return int(value) if value in ("1", "2", "3", "4") else -1


def _quad_of_dataset(raw: dict, reasons: _Reasons) -> pa.Array:
    quad = _lookup(raw["quad_class"], q=(_quad_name, pa.int64()))["q"]
    wrong = _np(pc.equal(quad, -1))
    reasons.flag(wrong, "quad_class", "is not a QuadClass (1-4)")
    return pc.if_else(pa.array(wrong), pa.scalar(None, pa.int64()), quad)


def _text(values) -> pa.Array:
    """Text with empty values as nulls."""
    arr = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    return empty_as_null(arr)


def _goldstein_and_quad(cameo, kinds, own_gold, own_quad, lookups: Lookups):
    """Goldstein value, where it comes from, and QuadClass of every row.

    Goldstein: ``cameo.csv``'s value for the code, else the dataset's own. QuadClass:
    ``cameo.csv``'s, else the dataset's own, else the CAMEO root's (PLOVER: its own
    quad category). Worked out once per distinct (code, category).
    """
    table = lookups.cameo

    def fallback(pair: str) -> int | None:
        code, kind = pair.split("|")
        if kind:
            return PLOVER_QUAD.get(kind)
        return cameo_quad(int(code[:2])) if code else None

    # A CAMEO dataset has no categories: its code alone is the key, and no joined text
    # is built for every row.
    plover = pc.any(pc.not_equal(kinds, "")).as_py()
    pairs = pc.binary_join_element_wise(cameo, kinds, "|") if plover else cameo
    found = _lookup(
        pairs,
        gold=(lambda p: table.get(p.split("|")[0], (None, None))[0], pa.float64()),
        quad=(lambda p: table.get(p.split("|")[0], (None, None))[1], pa.int64()),
        root=(lambda p: fallback(p if plover else f"{p}|"), pa.int64()),
    )
    listed = found["gold"].is_valid()
    gold = pc.if_else(listed, found["gold"], own_gold)
    origin = pc.if_else(
        listed,
        "cameo.csv",
        pc.if_else(own_gold.is_valid(), "dataset", pa.scalar(None, pa.string())),
    )
    quad = pc.coalesce(found["quad"], own_quad, found["root"])
    return gold, origin, pc.cast(quad, pa.int8())


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
    raw["event_id"] = pc.utf8_trim_whitespace(raw["event_id"])
    reasons.flag(_np(pc.equal(raw["event_id"], "")), "event_id", "")
    days = _lookup(raw["date"], d=(parse_date, pa.int32()))["d"]
    reasons.flag(_np(days.is_null()), "date", "is not a real date (YYYYMMDD or YYYY-MM-DD)")
    cameo, kinds = _codes(raw, reasons, source)
    parsed = {
        col: _numbers(raw, reasons, col, whole)
        for col, whole in (("goldstein", False), ("mentions", True), ("sources", True),
                           ("articles", True), ("tone", False))
    }  # fmt: skip
    parsed.update(cameo=cameo, kinds=kinds, days=days, own_quad=_quad_of_dataset(raw, reasons))

    good = reasons.good
    for row in np.flatnonzero(~good):
        bad.append(BadRow(int(lines[row]), reasons.reason[row], source.unit))
    if not good.all():
        keep = pa.array(good)
        # only the text columns stored as they are: the others are parsed already
        raw = {c: raw[c].filter(keep) for c in _KEPT_AS_TEXT}
        parsed = {c: v.filter(keep) for c, v in parsed.items()}
    return _assemble(raw, parsed, lines[good], source, lookups)


_KEPT_AS_TEXT = [
    "event_id",
    *(
        f"{side}_{part}"
        for side in ("actor1", "actor2")
        for part in ("code", "name", "country", "group")
    ),
    "source_url",
    "publisher",
    "story_id",
]
"""Raw columns stored as text (the others are parsed into :func:`normalize`'s values)."""


def _assemble(raw: dict, parsed: dict, lines: np.ndarray, source: Source, lookups: Lookups):
    """Return the good rows in the shape of :data:`.store.SCHEMA`."""
    gold, origin, quad = _goldstein_and_quad(
        parsed["cameo"], parsed["kinds"], parsed["goldstein"], parsed["own_quad"], lookups
    )
    n = len(raw["event_id"])
    cameo = _text(parsed["cameo"])
    columns = {
        "dataset": pa.repeat(pa.scalar(source.dataset, pa.string()), n),
        "event_id": raw["event_id"],
        "date": parsed["days"].cast(pa.date32()),
        **{
            f"{side}_{part}": _text(raw[f"{side}_{part}"])
            for side in ("actor1", "actor2")
            for part in ("code", "name", "country")
        },
        **{
            f"{side}_id": lookups.actors.map(
                raw[f"{side}_country"], raw[f"{side}_group"], raw[f"{side}_name"]
            )
            for side in ("actor1", "actor2")
        },
        "cameo_code": cameo,
        "cameo_root": pc.utf8_slice_codeunits(cameo, 0, 2),
        "plover_type": _text(parsed["kinds"]),
        "goldstein": gold,
        "goldstein_from": origin,
        "quad_class": quad,
        **{k: parsed[k] for k in ("mentions", "sources", "articles", "tone")},
        **{k: _text(raw[k]) for k in ("source_url", "publisher", "story_id")},
        "source_file": pa.repeat(pa.scalar(source.file_name, pa.string()), n),
        "source_line": pa.array(lines.astype(np.int64), pa.int64()),
    }
    return pa.table({f.name: columns[f.name] for f in SCHEMA}, schema=SCHEMA)
