"""Unit tests of :mod:`helpers.analysis.text`: the one short-name rule and plural helper."""

from __future__ import annotations

import pytest

from helpers.analysis import names, text


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Afghanistan (Taliban government)", "Afghanistan"),
        # every trailing parenthetical goes, not only the last
        ("EU (EU) (Brussels)", "EU"),
        # a parenthetical inside the name stays
        ("Foo (a) bar (b)", "Foo (a) bar"),
        # a two-letter short name keeps no trailing space
        ("UN (United Nations)", "UN"),
        ("  India  ", "India"),
        # nothing but a parenthetical: kept whole rather than emptied
        ("(unnamed)", "(unnamed)"),
    ],
)
def test_short_label_drops_trailing_parentheticals(name, short):
    assert text.short_label(name) == short


def test_the_timeline_and_the_charts_shorten_a_name_alike():
    # Both used to have their own rule: 'EU' in the timeline, 'EU (EU)' in the charts.
    lookup = {"EU": "EU (EU) (Brussels)", "X": "(unnamed)"}
    assert names.short_name(None, "EU", lookup) == "EU" == text.short_label(lookup["EU"])
    assert names.short_name(None, "X", lookup) == "(unnamed)"
    assert names.short_name(None, "NOBODY", lookup) == "NOBODY"  # unknown id: the id


def test_short_label_cuts_to_width_with_an_ellipsis():
    assert text.short_label("Afghanistan (Taliban government)", width=6) == "Afgha…"
    assert text.short_label("Iran", width=6) == "Iran"


@pytest.mark.parametrize(
    ("n", "args", "expected"),
    [
        (1, ("event",), "1 event"),
        (0, ("event",), "0 events"),
        (1204, ("event",), "1,204 events"),
        (2, ("country", "countries"), "2 countries"),
        (1, ("country", "countries"), "1 country"),
    ],
)
def test_plural(n, args, expected):
    assert text.plural(n, *args) == expected


def _definitions(name: str) -> list[str]:
    """Modules of ``helpers`` that define ``name`` at top level (def or assignment)."""
    import ast
    from pathlib import Path

    import helpers

    root = Path(helpers.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined = {node.name}
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                defined = {t.id for t in targets if isinstance(t, ast.Name)}
            else:
                continue
            if name in defined:
                found.append(str(path.relative_to(root)))
    return found


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("NAMES_LIMIT", "analysis/text.py"),
        ("plural", "analysis/text.py"),
        ("_plural", None),
        ("short_label", "analysis/text.py"),
        ("sha256_file", "data/fingerprint.py"),
    ],
)
def test_one_of_each(name, home):
    assert _definitions(name) == ([home] if home else [])
