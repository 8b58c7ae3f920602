"""The named parameter sets in ``params/`` work with ``papermill -f`` as they say.

Every key a file holds is a parameter of every notebook (``title`` included: the briefing
shows it as its heading), so papermill takes the whole file without "Passed unknown
parameter". Only ``series``, which names where a build publishes, is a build-only key,
and none of the files holds it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import nbformat
import papermill as pm
import pytest
import yaml

from helpers.data.defaults import NOTEBOOKS, notebook_parameters
from helpers.paths import NOTEBOOKS_DIR, PARAMS_DIR

FILES = sorted(PARAMS_DIR.glob("*.yaml"))


def test_the_files_are_found() -> None:
    assert [p.name for p in FILES] == ["first-half-2025.yaml", "spring-2025.yaml"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_papermill_takes_every_key_without_a_warning(
    path: Path, notebook: str, tmp_path: Path, caplog
) -> None:
    """What ``papermill -f <file> notebooks/<notebook>.ipynb out.ipynb`` does before it
    runs anything: the parameters are checked against the notebook and injected."""
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = tmp_path / "out.ipynb"
    with caplog.at_level(logging.WARNING, logger="papermill"):
        pm.execute_notebook(
            str(NOTEBOOKS_DIR / f"{notebook}.ipynb"), str(out), parameters=params,
            prepare_only=True, progress_bar=False,
        )  # fmt: skip
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    injected = [
        c.source
        for c in nbformat.read(out, as_version=4).cells
        if "injected-parameters" in c.metadata.get("tags", [])
    ]
    assert len(injected) == 1
    for key, value in params.items():
        assert f"{key} = {json.dumps(value)}" in injected[0]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_files_hold_notebook_parameters_only(path: Path) -> None:
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    for notebook in NOTEBOOKS:
        names = set(notebook_parameters(NOTEBOOKS_DIR / f"{notebook}.ipynb"))
        assert set(params) <= names, f"{path.name} holds {set(params) - names} ({notebook})"
    assert params["title"]  # each named set has its own title


def test_an_unknown_key_is_what_papermill_warns_about(tmp_path: Path, caplog) -> None:
    """The premise of the test above: papermill does warn about a key the notebook lacks."""
    with caplog.at_level(logging.WARNING, logger="papermill"):
        pm.execute_notebook(
            str(NOTEBOOKS_DIR / "briefing.ipynb"), str(tmp_path / "out.ipynb"),
            parameters={"colour": "red"}, prepare_only=True, progress_bar=False,
        )  # fmt: skip
    assert [r.getMessage() for r in caplog.records] == ["Passed unknown parameter: colour"]
