"""Whole-column checks on Arrow text columns, shared by the validator's rules.

Each judges a column at once (Arrow or numpy), or each distinct value once when a value
must be judged by Python, so that a million rows validate in seconds.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .tables import _mask

# Patterns in which RE2 (pyarrow) accepts no string that Python's re rejects: literals,
# groups, alternation, quantifiers, classes without POSIX names, and the escapes \d \w \s
# only outside negated classes (RE2's are ASCII, Python's Unicode). RE2 then settles the
# matching values and Python's re judges only the rest; any other pattern goes to re.
_RE2_SAFE = re.compile(
    r"(?:[^\\\[(]|\((?!\?)|\(\?:|\\[dws.\-+*?()\[\]{}|^$\\/]"
    r"|\[(?!\^)(?:[^\]\\\[]|\\[dws.\-\]\\^])+\]|\[\^[^\]\\\[]+\])*"
)


def _describe_list(values) -> str:
    return ", ".join(str(v) for v in values)


def _by_value(col: pa.ChunkedArray, where: np.ndarray, test) -> np.ndarray:
    """Where ``test`` holds, among the rows ``where`` selects (False elsewhere).

    ``test`` takes the distinct values as a Series of Python strings and returns a boolean
    per value, so pandas and ``re`` judge each value as they would in a Python loop, once
    per distinct value rather than once per row.
    """
    out = np.zeros(len(col), dtype=bool)
    if not where.any():
        return out
    picked = col if where.all() else col.filter(pa.array(where))
    distinct = pc.unique(picked)
    holds = np.asarray(test(pd.Series(distinct.to_pylist(), dtype=object)), dtype=bool)
    if holds.all():
        out[where] = True
    elif holds.any():
        out[where] = _mask(pc.is_in(picked, value_set=distinct.filter(pa.array(holds))))
    return out


def _fullmatch(col: pa.ChunkedArray, pattern: str) -> np.ndarray:
    """Whether each value matches ``pattern`` in full, exactly as ``re.fullmatch`` says."""
    regex = re.compile(pattern)
    ok = np.zeros(len(col), dtype=bool)
    if _RE2_SAFE.fullmatch(pattern) and "{," not in pattern:
        try:
            ok = _mask(pc.match_substring_regex(col, f"^(?:{pattern})$"))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    return ok | _by_value(col, ~ok, lambda v: v.map(lambda x: regex.fullmatch(x) is not None))


def _fullmatch_distinct(col: pa.ChunkedArray, pattern: str) -> np.ndarray:
    """:func:`_fullmatch`, judging each distinct value once (for repetitive columns)."""
    distinct = pc.unique(col)
    ok = _fullmatch(pa.chunked_array([distinct]), pattern)
    return _mask(pc.is_in(col, value_set=distinct.filter(pa.array(ok))))


def _split_lists(col: pa.ChunkedArray, sep: str, present: np.ndarray):
    """Split semicolon lists into items, the row of each, and which rows count (non-empty)."""
    lists = pc.split_pattern(col, sep)
    items = pc.list_flatten(lists)
    counts = _int(pc.list_value_length(lists))
    rows = np.repeat(np.arange(len(col)), counts)
    return items, rows, present[rows]


def _int(values) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.int64)


def _short(value: str, width: int = 40) -> str:
    """``repr`` of a value, cut to its first ``width`` characters when longer."""
    return repr(value) if len(value) <= width else repr(value[:width]) + "…"


def _codes(col: pa.ChunkedArray) -> np.ndarray:
    """Give each row the index of its distinct value: equal values, equal numbers."""
    return _int(pc.index_in(col, value_set=pc.unique(col)))


def _known(values, keys: pa.ChunkedArray) -> pa.Array:
    """Return the distinct ``keys``, or only those among ``values`` when they are fewer.

    With fewer values than keys (a few judgements citing a million events), hashing the
    few and probing the many is cheaper than hashing the many.
    """
    if len(values) >= len(keys):
        return pc.unique(keys)
    return pc.unique(keys.filter(pc.is_in(keys, value_set=pc.unique(values))))


def _dates(col: pa.ChunkedArray) -> pd.Series:
    """Parse each value as a YYYY-MM-DD date (NaT where empty or not a date).

    Each distinct value is parsed once.
    """
    texts = pd.Series(pc.unique(col).to_pylist(), dtype=object)
    parsed = pd.to_datetime(texts.where(texts != ""), format="%Y-%m-%d", errors="coerce")
    return pd.Series(parsed.to_numpy()[_codes(col)])
