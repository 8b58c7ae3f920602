"""Executing the notebooks with papermill, side by side.

Each notebook runs in its own kernel process; the kernels do not wait for one another, so
three notebooks on two cores take little longer than the slowest one. A notebook that
raises stops the build with a message naming the notebook and the cell, and the executed
notebook (with the error in it) is kept for inspection outside the published versions.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from .paths import NOTEBOOKS_DIR

NOTEBOOKS = ("briefing", "timeline", "stakeholders")
KERNEL = "python3"


class NotebookFailed(RuntimeError):
    """A notebook raised during execution."""

    def __init__(self, notebook: str, message: str, kept: Path | None):
        self.notebook = notebook
        self.kept = kept
        super().__init__(message)


def _run_one(name: str, parameters: dict, out_dir: Path, notebooks_dir: Path) -> Path:
    import papermill as pm

    src = notebooks_dir / f"{name}.ipynb"
    dest = out_dir / f"{name}.ipynb"
    pm.execute_notebook(
        str(src),
        str(dest),
        parameters=parameters,
        kernel_name=KERNEL,
        cwd=str(out_dir),
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
    )
    return dest


def execute_notebooks(
    parameters: dict,
    out_dir: Path,
    failed_dir: Path,
    names: tuple[str, ...] = NOTEBOOKS,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    on_done: Callable[[str, float], None] | None = None,
) -> dict[str, Path]:
    """Run ``names`` with ``parameters`` into ``out_dir``; return executed notebook paths.

    Raises
    ------
    NotebookFailed
        Naming the notebook, the cell (its index and execution count) and the error;
        the executed notebook is copied into ``failed_dir``.
    """
    from papermill.exceptions import PapermillExecutionError

    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Path] = {}
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        futures = {pool.submit(_run_one, n, parameters, out_dir, notebooks_dir): n for n in names}
        failure: NotebookFailed | None = None
        for fut in as_completed(futures):
            name = futures[fut]
            try:
                results[name] = fut.result()
            except PapermillExecutionError as exc:
                kept = None
                executed = out_dir / f"{name}.ipynb"
                if executed.exists():
                    failed_dir.mkdir(parents=True, exist_ok=True)
                    kept = failed_dir / f"{name}.ipynb"
                    shutil.copyfile(executed, kept)
                where = f"cell {exc.cell_index + 1}"
                if exc.exec_count:
                    where += f" (execution count {exc.exec_count})"
                msg = f"notebook {name}.ipynb failed in {where}: {exc.ename}: {exc.evalue}"
                if kept:
                    msg += f"\n  the executed notebook with the error is kept at {kept}"
                failure = failure or NotebookFailed(name, msg, kept)
                continue
            if on_done:
                on_done(name, time.perf_counter() - started)
        if failure:
            raise failure
    return results
