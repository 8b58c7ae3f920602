"""Defaults live once: in the notebooks' parameters cells, read by everything else.

The command line, the build request, ``context.prepare`` and (through the command line)
the Makefile take the defaults from :mod:`helpers.data.defaults`, which asks papermill; the
notebook list is declared once, in ``helpers.data.defaults.NOTEBOOKS``. The tests below change
the notebooks' defaults and see every reader follow, and look through the source for a
copy of a default or of the list.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import papermill
import pytest

from helpers import cli
from helpers.data import context, defaults
from helpers.errors import ParameterError
from helpers.paths import NOTEBOOKS_DIR, PACKAGE_DIR, PROJECT_ROOT
from helpers.publishing import build, execute

# Worked out by hand from the briefing's parameters cell.
PROJECT_DEFAULTS = {
    "start_date": "2025-01-01",
    "end_date": "2025-05-31",
    "focus": "IND",
    "counterpart": "AFG",
    "data_dir": "",
    "title": "",
}
CELL = (
    'start_date: str = "2024-02-01"  # First day\n'
    'end_date: str = "2024-02-29"  # Last day\n'
    'focus: str = "{focus}"  # Focus\n'
)


def write_notebook(path: Path, parameters: str) -> Path:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "p",
        "metadata": {"tags": ["parameters"]},
        "outputs": [],
        "source": parameters,
    }
    nb = {
        "cells": [cell],
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder and an empty in-process memo."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(cache))
    monkeypatch.setattr(defaults, "_KNOWN", {})
    return cache


def test_the_defaults_are_the_notebooks() -> None:
    assert defaults.parameter_defaults() == PROJECT_DEFAULTS
    for name in defaults.NOTEBOOKS + defaults.CODED_NOTEBOOKS:
        path = NOTEBOOKS_DIR / f"{name}.ipynb"
        assert defaults.notebook_parameters(path) == papermill.inspect_notebook(str(path))


def test_the_notebook_list_is_the_notebooks_folder() -> None:
    # The signals annex is built only for a package with coded events (CODED_NOTEBOOKS).
    listed = defaults.NOTEBOOKS + defaults.CODED_NOTEBOOKS
    assert sorted(listed) == sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))
    assert defaults.CODED_NOTEBOOKS == ("signals",)
    assert defaults.NOTEBOOKS[0] == "briefing"  # listed first in the archive and index
    assert execute.NOTEBOOKS is defaults.NOTEBOOKS
    assert build.BuildRequest().notebooks is defaults.NOTEBOOKS


def test_readers_follow_the_notebooks(monkeypatch, capsys) -> None:
    """Change the notebooks' defaults and every reader changes with them."""
    changed = dict(PROJECT_DEFAULTS, start_date="2025-03-01", focus="PAK", title="T")
    monkeypatch.setattr(defaults, "parameter_defaults", lambda *a, **k: dict(changed))
    req = build.BuildRequest()
    assert (req.start_date, req.end_date, req.focus, req.counterpart, req.title) == (
        "2025-03-01",
        "2025-05-31",
        "PAK",
        "AFG",
        "T",
    )
    assert build.BuildRequest(focus="IRN").focus == "IRN"  # given beats default
    # The title is a notebook parameter: the build passes it to the notebooks.
    assert req.parameters()["title"] == "T"
    assert cli.defaults()["focus"] == "PAK"
    assert cli._resolve(cli._parser().parse_args(["build"]))["start_date"] == "2025-03-01"
    with pytest.raises(SystemExit):
        cli.main(["build", "--help"])
    assert "(default 2025-03-01)" in capsys.readouterr().out
    ctx = context.prepare()
    assert (ctx.focus, ctx.counterpart) == ("PAK", "AFG")
    assert str(ctx.window.start.date()) == "2025-03-01"


def test_defaults_are_read_from_the_notebooks_given(tmp_path, own_cache) -> None:
    write_notebook(tmp_path / "a.ipynb", CELL.format(focus="PAK"))
    write_notebook(tmp_path / "b.ipynb", CELL.format(focus="PAK") + "extra: int = 3  # More\n")
    assert defaults.parameter_defaults(tmp_path, ("a", "b")) == {
        "start_date": "2024-02-01",
        "end_date": "2024-02-29",
        "focus": "PAK",
        "extra": 3,
    }


def test_notebooks_that_disagree_are_an_error(tmp_path, own_cache) -> None:
    write_notebook(tmp_path / "a.ipynb", CELL.format(focus="PAK"))
    write_notebook(tmp_path / "b.ipynb", CELL.format(focus="IRN"))
    with pytest.raises(ParameterError) as info:
        defaults.parameter_defaults(tmp_path, ("a", "b"))
    assert str(info.value) == (
        f"{tmp_path / 'b.ipynb'}: focus defaults to 'IRN', but a.ipynb gives 'PAK'; "
        "the notebooks must agree"
    )


def test_a_changed_notebook_is_read_again(tmp_path, own_cache) -> None:
    path = write_notebook(tmp_path / "a.ipynb", CELL.format(focus="PAK"))
    assert defaults.parameter_defaults(tmp_path, ("a",))["focus"] == "PAK"
    write_notebook(path, CELL.format(focus="CHN"))
    assert defaults.parameter_defaults(tmp_path, ("a",))["focus"] == "CHN"
    assert len(list((own_cache / "parameters").glob("*.json"))) == 2


def test_a_cached_answer_needs_no_papermill(tmp_path, own_cache) -> None:
    """The command line starts without importing papermill once the cache holds the answer."""
    write_notebook(tmp_path / "a.ipynb", CELL.format(focus="PAK"))
    code = (
        "import sys\n"
        "from helpers.data.defaults import parameter_defaults\n"
        "print(parameter_defaults(sys.argv[1], ('a',))['focus'])\n"
        "print('papermill' in sys.modules)\n"
    )
    env = dict(os.environ, BRIEFING_CACHE_DIR=str(own_cache))

    def run() -> list[str]:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.split()

    assert run() == ["PAK", "True"]  # empty cache: papermill answers
    assert run() == ["PAK", "False"]  # from the cache, papermill not even imported


# -- no copies ----------------------------------------------------------------------------


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def copies(source: str, values: set[str], lists: set[tuple]) -> list[tuple[int, object]]:
    """(line, value) of every string constant in ``values`` and every tuple or list of
    strings in ``lists``, docstrings aside."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in skip and node.value in values:
            found.append((node.lineno, node.value))
        elif isinstance(node, (ast.Tuple, ast.List)) and all(
            isinstance(e, ast.Constant) for e in node.elts
        ):
            value = tuple(e.value for e in node.elts)
            if value in lists:
                found.append((node.lineno, value))
    return found


def test_copies_are_found() -> None:
    source = (
        '"""Docstring mentioning "IND" is fine."""\n'
        'FOCUS = "IND"\n'
        "def f(x='2025-01-01'):\n"
        '    """IND"""\n'
        '    return ["briefing", "timeline", "stakeholders"], ("briefing",)\n'
    )
    values, lists = {"IND", "2025-01-01"}, {("briefing", "timeline", "stakeholders")}
    assert copies(source, values, lists) == [
        (2, "IND"),
        (3, "2025-01-01"),
        (5, ("briefing", "timeline", "stakeholders")),
    ]


def test_no_copy_of_a_default_or_of_the_notebook_list() -> None:
    values = {v for v in PROJECT_DEFAULTS.values() if v}
    lists = {defaults.NOTEBOOKS, tuple(sorted(defaults.NOTEBOOKS))}
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        where = path.relative_to(PROJECT_ROOT)
        hits = copies(path.read_text(encoding="utf-8"), values, lists)
        if path.name == "defaults.py":  # the one declaration of the list
            hits = [h for h in hits if h[1] != defaults.NOTEBOOKS]
        if hits:
            found[str(where)] = hits
    assert found == {}
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert [v for v in values if v in makefile] == []
