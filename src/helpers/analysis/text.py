"""Shared text helpers: short labels, signs, plurals and lists of names."""

from __future__ import annotations

import re
import textwrap

TYPES_LIMIT = 5
"""Most items in a pair's 'types' text: four types and the sum of the others."""


NAMES_LIMIT = 8
"""Most names one sentence or profile line lists before counting the rest."""


_TRAILING_PARENS = re.compile(r"(?:\s*\([^()]*\))+\s*$")


# --------------------------------------------------------------------------- helpers


def short_label(name: str, width: int = 0) -> str:
    """Short display label of a stakeholder name, for charts.

    Trailing parentheticals are dropped ("Afghanistan (Taliban government)" becomes
    "Afghanistan", "EU (EU) (Brussels)" becomes "EU"); a name that is nothing but a
    parenthetical is kept whole. With ``width`` > 0 the label is cut to that many characters, ending
    in an ellipsis when cut.

    Parameters
    ----------
    name : str
        Display name from ``actors.csv``.
    width : int
        Maximum length; 0 for no limit.

    Returns
    -------
    str
    """
    name = name.strip()
    label = _TRAILING_PARENS.sub("", name) or name
    if width and len(label) > width:
        label = label[: width - 1].rstrip() + "…"
    return label


def wrap_label(label: str, width: int = 18, lines: int = 2) -> str:
    """Wrap a label onto at most ``lines`` lines of ``width`` characters (ellipsis if cut)."""
    parts = textwrap.wrap(label, width=width, break_long_words=True) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def signed(value) -> str:
    """A stance as text with its sign: '+2', '0', '−1' (true minus sign)."""
    v = int(value)
    if v > 0:
        return f"+{v}"
    if v < 0:
        return f"−{-v}"
    return "0"


def plural(n: int, word: str, plural: str | None = None) -> str:
    """'1 event', '1,204 events'; ``plural`` for irregular words ('2 countries')."""
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _of_them(n: int, word: str = "contacts") -> str:
    """'3 of them contacts', 'none of them contacts'."""
    return f"{'none' if n == 0 else n} of them {word}"


def _type_word(event_type: str) -> str:
    return event_type.replace("_", " ")


def _join_names(names: list[str], limit: int = 0, what: str = "other") -> str:
    """'A, B and C'; with ``limit``, at most that many names and then 'and 12 others'."""
    names = list(names)
    if limit and len(names) > limit:
        names = names[:limit] + [plural(len(names) - limit, what)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _types_text(counts: list[tuple[str, int]]) -> str:
    """'4 statements, 1 visit': counts by event type, largest first (as given); beyond
    :data:`TYPES_LIMIT` types, the smallest are summed ('and 12 other events')."""
    # "aid" has no plural: count aid events instead.
    words = {"aid": "aid event"}
    items = [plural(int(n), words.get(t, _type_word(t))) for t, n in counts]
    if len(items) > TYPES_LIMIT:
        rest = sum(int(n) for _, n in counts[TYPES_LIMIT - 1 :])
        items = items[: TYPES_LIMIT - 1] + [f"{rest:,} other events"]
        return ", ".join(items[:-1]) + " and " + items[-1]
    return ", ".join(items)
