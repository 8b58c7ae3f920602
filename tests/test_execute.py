"""Executing notebooks: what a kernel process prints itself stays out of the terminal."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import nbformat
import pytest

pytestmark = pytest.mark.slow


def test_kernel_process_output_does_not_reach_the_builder(tmp_path):
    # A cell writes to the kernel's own stderr (fd 2), as ipykernel does when it prints a
    # shutdown traceback; a notebook output is printed normally for contrast.
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = "import os\nos.write(2, b'KERNEL-NOISE\\n')\nprint('cell output')"
    nb.cells = [nbformat.v4.new_code_cell(source)]
    notebooks, out, failed = tmp_path / "nbs", tmp_path / "out", tmp_path / "failed"
    notebooks.mkdir()
    nbformat.write(nb, notebooks / "briefing.ipynb")
    driver = textwrap.dedent(
        f"""
        from pathlib import Path
        from helpers.execute import execute_notebooks
        execute_notebooks({{}}, Path({str(out)!r}), Path({str(failed)!r}),
                          names=("briefing",), notebooks_dir=Path({str(notebooks)!r}))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", driver], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "KERNEL-NOISE" not in proc.stderr
    (cell,) = nbformat.read(out / "briefing.ipynb", as_version=4).cells
    assert [o.get("text") for o in cell.outputs] == ["cell output\n"]  # the notebook's own
