"""Sizes a reader can hold (issue 14, point 2).

- No module of ``src/helpers`` has more than :data:`MODULE_LIMIT` lines.
- No function has more than :data:`FUNCTION_LIMIT` lines. Figure-drawing code (the chart
  modules, ``presentation/*charts*.py``) has its own limit, :data:`CHART_FUNCTION_LIMIT`;
  after their split into named drawing steps it is the same 80.

A function's length counts from its ``def`` line to its last line, docstring and
comments included, decorators not: what a reader has to hold to read it. Nested
functions count within the function around them as well as on their own.

:data:`KNOWN_LONG` names the functions still over the limit, with their length today
(none at present), for a function that another branch is reshaping. A listed function that grows
fails, and so does one that no longer needs its entry, so the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import helpers

PACKAGE = Path(helpers.__file__).resolve().parent

MODULE_LIMIT = 600
FUNCTION_LIMIT = 80
CHART_FUNCTION_LIMIT = 80

KNOWN_LONG: dict[str, int] = {}


def is_chart_module(rel: str) -> bool:
    """Whether the module at ``rel`` (relative to the package) draws figures."""
    path = Path(rel)
    return path.parent.name == "presentation" and "charts" in path.stem


def module_lengths(root: Path) -> dict[str, int]:
    """Lines of every module below ``root``, by path relative to it."""
    return {
        path.relative_to(root).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(root.rglob("*.py"))
    }


def function_lengths(root: Path) -> dict[str, int]:
    """Lines of every function below ``root``, as ``'module.py:name' -> lines``.

    Two functions of one name in one module (a method of two classes, say) keep the
    longer length.
    """
    out: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                key = f"{rel}:{node.name}"
                out[key] = max(out.get(key, 0), node.end_lineno - node.lineno + 1)
    return out


def too_long(lengths: dict[str, int], known: dict[str, int]) -> list[str]:
    """Functions over their limit, and entries of ``known`` that are wrong or unneeded."""
    found = []
    for key, n in sorted(lengths.items()):
        limit = CHART_FUNCTION_LIMIT if is_chart_module(key.split(":")[0]) else FUNCTION_LIMIT
        if key in known:
            if n > known[key]:
                found.append(f"{key}: {n} lines, more than the {known[key]} it is allowed")
            elif n <= limit:
                found.append(f"{key}: {n} lines, within {limit}: drop it from KNOWN_LONG")
        elif n > limit:
            found.append(f"{key}: {n} lines (limit {limit})")
    found += [f"{key}: in KNOWN_LONG but not found" for key in sorted(set(known) - set(lengths))]
    return found


def test_no_module_is_over_the_limit():
    over = {m: n for m, n in module_lengths(PACKAGE).items() if n > MODULE_LIMIT}
    assert over == {}


def test_no_function_is_over_the_limit():
    assert too_long(function_lengths(PACKAGE), KNOWN_LONG) == []


def test_the_chart_limit_is_stated_and_no_looser_than_a_screen():
    assert CHART_FUNCTION_LIMIT == 80
    assert is_chart_module("presentation/timeline_charts.py")
    assert is_chart_module("presentation/network_charts.py")
    assert not is_chart_module("presentation/display.py")
    assert not is_chart_module("analysis/charts.py")


def _write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _function(name: str, lines: int) -> str:
    """Source of a function of exactly ``lines`` lines."""
    return f"def {name}():\n" + "    x = 1\n" * (lines - 1)


def test_lengths_count_from_def_to_last_line(tmp_path):
    _write(
        tmp_path,
        "a.py",
        "import os\n\n\n@staticmethod\n" + _function("f", 3) + "\n\nclass C:\n"
        "    def g(self):\n        '''Doc.'''\n        return 1\n",
    )
    # f: def + 2 lines (the decorator is not counted); C.g: def, docstring, return
    assert function_lengths(tmp_path) == {"a.py:f": 3, "a.py:g": 3}
    assert module_lengths(tmp_path) == {"a.py": 13}


@pytest.mark.parametrize(
    ("files", "known", "expected"),
    [
        # 81 lines in an analysis module: one over
        ({"analysis/x.py": _function("f", 81)}, {}, ["analysis/x.py:f: 81 lines (limit 80)"]),
        # exactly 80 passes, in a chart module too
        (
            {"analysis/x.py": _function("f", 80), "presentation/charts.py": _function("g", 80)},
            {},
            [],
        ),
        # a chart module over its own limit
        (
            {"presentation/x_charts.py": _function("draw", 81)},
            {},
            ["presentation/x_charts.py:draw: 81 lines (limit 80)"],
        ),
        # a known long function may not grow ...
        (
            {"data/t.py": _function("read", 90)},
            {"data/t.py:read": 84},
            ["data/t.py:read: 90 lines, more than the 84 it is allowed"],
        ),
        # ... and leaves the list once split
        (
            {"data/t.py": _function("read", 40)},
            {"data/t.py:read": 84},
            ["data/t.py:read: 40 lines, within 80: drop it from KNOWN_LONG"],
        ),
        # a stale entry fails too
        (
            {"data/t.py": _function("read", 40)},
            {"data/t.py:gone": 84},
            ["data/t.py:gone: in KNOWN_LONG but not found"],
        ),
    ],
)
def test_too_long_reports_each_case(tmp_path, files, known, expected):
    for name, text in files.items():
        _write(tmp_path, name, text)
    assert too_long(function_lengths(tmp_path), known) == expected
