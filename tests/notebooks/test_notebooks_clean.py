"""What enters git is clean: notebooks without outputs, and code that ruff accepts.

Pre-commit (nbstripout, ruff) keeps this true on a developer's machine; these tests make
CI say so when a commit skipped the hooks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

# Folders that never hold committed notebooks, for the fallback outside a git checkout.
NOT_SOURCE = {".venv", ".git", "reports", "build", "dist", ".ipynb_checkpoints", "artifacts"}
# Metadata written by running a notebook (papermill, JupyterLab's execution timing,
# ipywidgets state); none of it belongs in a committed notebook.
RUN_METADATA_KEYS = {"papermill", "execution", "ExecuteTime", "widgets"}


def _notebooks() -> list[Path]:
    """Notebooks git tracks or would add (untracked and not ignored).

    Untracked notebooks are included so that a new notebook is checked before its first
    commit. Outside a git checkout (an sdist, a copied tree) every notebook outside the
    build and environment folders counts.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "*.ipynb"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        paths = [PROJECT_ROOT / p for p in listed.split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        paths = [
            p
            for p in PROJECT_ROOT.rglob("*.ipynb")
            if not NOT_SOURCE & set(p.relative_to(PROJECT_ROOT).parts)
        ]
    # A tracked file deleted in the working tree has nothing to check.
    return sorted(p for p in paths if p.is_file())


NOTEBOOKS = _notebooks()


def _rel(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


def test_the_notebooks_are_found() -> None:
    names = {_rel(p) for p in NOTEBOOKS}
    assert "notebooks/briefing.ipynb" in names
    assert {_rel(p) for p in (PROJECT_ROOT / "notebooks").glob("*.ipynb")} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_has_no_outputs_or_counts(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        if cell.get("outputs"):
            dirty.append(f"cell {i}: {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            dirty.append(f"cell {i}: execution_count {cell['execution_count']}")
        run_keys = RUN_METADATA_KEYS & set(cell.get("metadata", {}))
        if run_keys:
            dirty.append(f"cell {i}: run metadata {sorted(run_keys)}")
    run_keys = RUN_METADATA_KEYS & set(nb.get("metadata", {}))
    if run_keys:
        dirty.append(f"notebook: run metadata {sorted(run_keys)}")
    assert not dirty, f"{_rel(path)} is not stripped (run nbstripout --keep-id):\n" + "\n".join(
        dirty
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_notebook_kernel_is_python3(path: Path) -> None:
    # papermill and the build start the kernel the notebook names; anything but the
    # standard python3 spec would depend on a developer's own kernels.
    kernelspec = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"{_rel(path)}: kernelspec {kernelspec}"
    assert kernelspec.get("language", "python") == "python"


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_ruff_check() -> None:
    result = _ruff("check", "--output-format=concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _ruff("format", "--check", "--output-format=concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr
