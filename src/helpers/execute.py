"""Executing the notebooks with papermill, side by side.

Each notebook runs in its own kernel process; the kernels do not wait for one another, so
three notebooks on two cores take little longer than the slowest one. A notebook that
raises stops the build with a message naming the notebook and the cell, and the executed
notebook (with the error in it) is kept for inspection outside the published versions.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
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

    def __reduce__(self):
        # Series builds run editions in worker processes; the error must cross back by
        # pickle with its message intact, or the pool reports only "terminated abruptly".
        return (type(self), (self.notebook, str(self), self.kept))


def _source_cell(executed: Path, cell_index: int) -> int:
    """1-based number of the failing cell in the notebook as written.

    Papermill's ``cell_index`` counts the cell it injects after the parameters cell, and
    the saved notebook also holds the error banners it adds; neither is in the notebook
    the author edits.
    """
    import nbformat

    added = {"injected-parameters", "papermill-error-cell-tag"}
    try:
        cells = nbformat.read(executed, as_version=4).cells
    except (OSError, ValueError):
        return cell_index + 1
    own = [c for c in cells if not added & set(c.get("metadata", {}).get("tags", []))]
    for number, cell in enumerate(own, 1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return number
    return cell_index + 1


def _skip_optional_format_checkers() -> None:
    """Keep jsonschema's optional IRI checker out of this process.

    Where JupyterLab is installed, importing nbformat (through papermill) loads
    ``rfc3987_syntax`` for jsonschema's "iri" format, about 1.5 s per process (measured in
    benchmarks/). jsonschema treats it as optional and notebooks use no IRI fields, so a
    build does without it.
    """
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


@functools.cache
def _logged_kernel_manager():
    """A kernel manager whose kernels write their own output to a log file.

    Notebook outputs travel over the kernel protocol either way; what a kernel process
    prints itself (start-up notes, tracebacks while it shuts down) would otherwise land
    in the terminal of the person building, looking like a failure of the build.
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Unicode

    class LoggedKernelManager(AsyncKernelManager):
        output_log = Unicode("", config=True, help="File for the kernel's stdout and stderr")

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if not self.output_log:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            with open(self.output_log, "ab") as log:  # the child keeps its own copy
                kw.setdefault("stdout", log)
                kw.setdefault("stderr", log)
                return await super()._async_launch_kernel(kernel_cmd, **kw)

    return LoggedKernelManager


def _tail(path: str, lines: int = 15) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


def _run_one(name: str, parameters: dict, out_dir: Path, notebooks_dir: Path) -> Path:
    import papermill as pm
    from traitlets.config import Config

    src = notebooks_dir / f"{name}.ipynb"
    dest = out_dir / f"{name}.ipynb"
    # Each kernel talks over Unix sockets in a folder of its own. Over TCP, jupyter_client
    # picks free ports and closes them before the kernel binds them, so kernels starting
    # at the same moment (three notebooks, parallel builds) can take each other's ports
    # and die with "Address already in use".
    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        log = os.path.join(sockets, "kernel.log")
        manager = _logged_kernel_manager()
        config = Config(
            {
                "KernelManager": {"transport": "ipc", "ip": os.path.join(sockets, "k")},
                manager.__name__: {"output_log": log},
            }
        )
        try:
            pm.execute_notebook(
                str(src),
                str(dest),
                parameters=parameters,
                kernel_name=KERNEL,
                # No cwd=: papermill implements it with os.chdir on the whole process, which
                # races between the notebooks' threads and can leave the process in a staging
                # folder that is later renamed. The notebooks find everything through
                # helpers.paths, so the kernel's working directory does not matter.
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                config=config,
                kernel_manager_class=manager,
            )
        except pm.PapermillExecutionError:
            raise  # a cell raised: the executed notebook says where
        except Exception as exc:  # the kernel itself failed: show what it printed
            raise RuntimeError(
                f"the kernel running {name}.ipynb failed: {exc}\n  kernel output:\n{_tail(log)}"
            ) from exc
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
        Naming the notebook, the cell (its number in the notebook as written, its
        execution count and first line) and the error;
        the executed notebook is copied into ``failed_dir``.
    """
    _skip_optional_format_checkers()
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
                where = f"cell {_source_cell(executed, exc.cell_index)}"
                first_line = next((ln for ln in (exc.source or "").splitlines() if ln.strip()), "")
                details = [f"execution count {exc.exec_count}"] if exc.exec_count else []
                if first_line:
                    details.append(f"starting {first_line.strip()[:80]!r}")
                if details:
                    where += f" ({', '.join(details)})"
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
