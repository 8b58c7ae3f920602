"""The parameters cell documents itself, the same way in every notebook.

Each notebook has one cell tagged ``parameters`` holding only lines of the form
``name: type = literal  # description`` (papermill's own fixture style), so that
``papermill --help-notebook`` lists every parameter with its type, default and
description. The notebooks share one set of parameters, and the command line's defaults
are the briefing's.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from helpers import cli
from helpers.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
EXPECTED_NAMES = ["start_date", "end_date", "focus", "counterpart", "data_dir", "title"]
LINE = re.compile(r"^(\w+): (\w+) = (.+?)  # (.+)$")


class Param(NamedTuple):
    name: str
    type: str
    default: str  # source text of the literal, as papermill shows it
    help: str


def _parameter_cells(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]


def _source(cell: dict) -> str:
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def parse_parameters(path: Path) -> list[Param]:
    """The parameters cell as (name, type, default, help), one per non-blank line."""
    (cell,) = _parameter_cells(path)
    params = []
    for line in _source(cell).splitlines():
        if not line.strip():
            continue
        match = LINE.match(line)
        assert match, f"{path.name}: not 'name: type = literal  # description': {line!r}"
        params.append(Param(*match.groups()))
    return params


def _papermill() -> list[str]:
    papermill = Path(sys.executable).parent / "papermill"
    return [str(papermill)] if papermill.exists() else [sys.executable, "-m", "papermill"]


@pytest.fixture(scope="module")
def help_outputs() -> dict[Path, tuple[int, str, str]]:
    """``papermill --help-notebook`` for every notebook, from the venv's papermill.

    Started together: each run spends seconds importing papermill.
    """
    procs = {
        path: subprocess.Popen(
            [*_papermill(), "--help-notebook", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in NOTEBOOKS
    }
    outputs = {}
    for path, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        outputs[path] = (proc.returncode, out, err)
    return outputs


def test_the_notebooks_are_found() -> None:
    assert NOTEBOOKS_DIR / "briefing.ipynb" in NOTEBOOKS


def test_line_pattern_worked_example() -> None:
    # papermill's fixture line, split by hand.
    match = LINE.match('a: float = 2.25  # Variable a "quoted"')
    assert match and match.groups() == ("a", "float", "2.25", 'Variable a "quoted"')
    assert LINE.match('b: str = "x"') is None  # no description
    assert LINE.match('c = "x"  # no type') is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell(path: Path) -> None:
    cells = _parameter_cells(path)
    assert len(cells) == 1, f"{path.name}: {len(cells)} cells tagged 'parameters'"
    assert cells[0]["cell_type"] == "code"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_are_typed_literals_with_descriptions(path: Path) -> None:
    params = parse_parameters(path)
    assert [p.name for p in params] == EXPECTED_NAMES
    (cell,) = _parameter_cells(path)
    # Only annotated assignments of a plain literal: a computed value here would keep
    # its old value when papermill replaces the cell.
    tree = ast.parse(_source(cell))
    assert len(tree.body) == len(params)
    for node, param in zip(tree.body, params, strict=True):
        assert isinstance(node, ast.AnnAssign) and node.simple, ast.dump(node)
        assert isinstance(node.target, ast.Name) and node.target.id == param.name
        assert isinstance(node.annotation, ast.Name) and node.annotation.id == param.type
        assert node.value is not None
        try:
            value = ast.literal_eval(node.value)
        except ValueError:
            pytest.fail(f"{path.name}: {param.name} = {param.default} is not a plain literal")
        assert type(value).__name__ == param.type, f"{param.name}: {value!r} is not {param.type}"
        assert ast.literal_eval(param.default) == value
        assert param.help.strip() == param.help and len(param.help) >= 10
    assert all(p.type == "str" for p in params), [(p.name, p.type) for p in params]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_help_lists_every_parameter(path: Path, help_outputs) -> None:
    params = parse_parameters(path)
    returncode, out, err = help_outputs[path]
    assert returncode == 0, err
    assert f"Parameters inferred for notebook '{path}'" in out
    assert "Unknown type" not in out
    # papermill prints "  name: type (default value)" and then the description, on the
    # same line when the definition is short and on the next, indented, when not.
    for p in params:
        entry = re.compile(
            rf"^  {p.name}: {p.type} \(default {re.escape(p.default)}\)\s+{re.escape(p.help)}$",
            re.MULTILINE,
        )
        assert entry.search(out), f"{path.name}: no entry for {p} in:\n{out}"
    listed = re.findall(r"^  (\w+): ", out, re.MULTILINE)
    assert listed == [p.name for p in params]


def test_notebooks_share_the_parameters() -> None:
    signatures = {
        path.name: [(p.name, p.type, p.default) for p in parse_parameters(path)]
        for path in NOTEBOOKS
    }
    briefing = signatures["briefing.ipynb"]
    for name, signature in signatures.items():
        assert signature == briefing, f"{name} differs from briefing.ipynb"


def test_cli_defaults_are_the_briefing_defaults() -> None:
    params = parse_parameters(NOTEBOOKS_DIR / "briefing.ipynb")
    assert cli.defaults() == {p.name: ast.literal_eval(p.default) for p in params}
    # The values, worked out by hand: tests/test_defaults.py (PROJECT_DEFAULTS).
