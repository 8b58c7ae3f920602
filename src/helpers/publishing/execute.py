"""Executing the notebooks with papermill, side by side.

Each notebook runs in its own kernel process; the kernels do not wait for one another, so
three notebooks on two cores take little longer than the slowest one. A notebook that
raises stops the build with a message naming the notebook and the cell, and the executed
notebook (with the error in it) is kept for inspection outside the published versions.

A build starts its kernels from a :class:`KernelHost`: one process that imports ipykernel
and what the notebooks import (pandas, matplotlib, the helpers) once, then forks a kernel
for each notebook. Each kernel is still an ordinary ipykernel talking to papermill over
ZeroMQ, but it starts with those imports done instead of repeating them.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from ..data.defaults import NOTEBOOKS
from ..paths import NOTEBOOKS_DIR
from .processes import exit_with_parent, skip_optional_format_checkers


class NotebookFailed(RuntimeError):
    """A notebook raised during execution."""

    def __init__(self, notebook: str, message: str, kept: Path | None):
        self.notebook = notebook
        self.kept = kept
        super().__init__(message)

    def __reduce__(self):
        """Pickle with the notebook, the message and the kept copy."""
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


def notebook_imports(paths: Iterable[Path]) -> list[str]:
    """Modules imported by the code cells of the notebooks at ``paths``, sorted.

    ``from pkg import name`` lists both ``pkg`` and ``pkg.name``, since ``name`` may be a
    module; the host skips names that are not. A notebook that cannot be read is left
    out: papermill reports it when it runs.
    """
    import ast

    found: set[str] = set()
    for path in paths:
        try:
            nb = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            try:
                tree = ast.parse(src)
            except SyntaxError:
                continue  # the kernel reports it when the cell runs
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module)
                    found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(found)


class KernelHost:
    """A process that imports what the notebooks import once, then forks their kernels.

    Started before the build loads and checks the data, so the imports overlap with
    that. Kernels are forked as they are asked for; a request made while the host is
    still importing waits for it. :meth:`close` ends it, and its kernels with it; so
    does the end of the build process.

    Parameters
    ----------
    modules
        Module names to import before forking (see :func:`notebook_imports`); names
        that fail to import are skipped, and the notebook meets the error itself.
    """

    shared = False
    """True when the host serves build after build (see :class:`.build.SharedWorkers`)."""

    def __init__(self, modules: Iterable[str]):
        self._log = tempfile.NamedTemporaryFile(prefix="kernel-host-", suffix=".log")
        code = f"from helpers.publishing.execute import _host_main; _host_main({os.getpid()})"
        self._proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self._lock = threading.Lock()
        self._send({"preload": sorted(modules)})

    def _send(self, message: dict) -> None:
        self._proc.stdin.write(json.dumps(message).encode() + b"\n")
        self._proc.stdin.flush()

    def preload_data(self, data_dir, start: str, end: str, focus: str, counterpart: str) -> None:
        """Have the host load a window's data and select its events before it forks kernels.

        The kernels' ``prepare`` then finds them in memory (see
        :func:`helpers.data.context.remember_context`), shared copy-on-write by every kernel,
        instead of each reading and selecting them again. Ask only after the build has
        validated the package (and so written its typed cache).
        """
        with self._lock:
            try:
                self._send({"data": [str(data_dir), start, end, focus, counterpart]})
            except OSError:
                pass  # the host died: kernels start the usual way and load for themselves

    def can_run(self, kernel_cmd: list[str]) -> bool:
        """Whether ``kernel_cmd`` is this interpreter running ipykernel, as the host does."""
        try:
            same = os.path.samefile(kernel_cmd[0], sys.executable)
        except (OSError, IndexError):
            return False
        return same and kernel_cmd[1:3] == ["-m", "ipykernel_launcher"]

    def launch(self, kernel_cmd: list[str], env: dict | None, cwd, log: str) -> int | None:
        """Fork a kernel for ``kernel_cmd``; its process id, or None if the host cannot.

        The kernel runs with ``env`` (the environment jupyter_client prepared, with the
        build's ``SOURCE_DATE_EPOCH``), in ``cwd``, writing its own output to ``log``.
        """
        if not self.can_run(kernel_cmd):
            return None
        request = {
            "argv": kernel_cmd[3:],
            "env": dict(os.environ if env is None else env),
            "cwd": str(cwd) if cwd else "",
            "log": log,
        }
        with self._lock:
            try:
                self._send(request)
                reply = self._proc.stdout.readline()
            except OSError:
                reply = b""
        if not reply:  # the host died (its log says why): start the kernel the usual way
            return None
        return int(json.loads(reply)["pid"])

    def close(self) -> None:
        """End the host at once; kernels still running end with it.

        Not by closing its input: processes forked from this one since the host started
        (render workers) hold that pipe open too. The host keeps nothing worth a clean
        exit.
        """
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        self._log.close()

    def __enter__(self) -> KernelHost:
        """Use the host in a ``with`` block."""
        return self

    def __exit__(self, *exc) -> None:
        """Close the host (see :meth:`close`)."""
        self.close()


def _host_main(parent: int) -> None:
    """Run the kernel host's own loop (see :class:`KernelHost`) in the host process."""
    exit_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the build, which ends us
    # As ipykernel_launcher does: no current folder on sys.path while importing (the
    # kernel adds it back), and the inline backend unless the environment chose one.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    requests = sys.stdin.buffer
    modules = json.loads(requests.readline() or b'{"preload": []}')["preload"]
    import ipykernel.kernelapp  # noqa: F401

    for name in modules:
        try:
            __import__(name)
        except Exception:  # noqa: BLE001, S112 - the notebook will meet the error itself
            continue
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # ended kernels are reaped at once
    host = os.getpid()
    for line in requests:
        request = json.loads(line)
        if "data" in request:
            _preload(*request["data"])
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _become_kernel(request, host)
        sys.stdout.write(json.dumps({"pid": pid}) + "\n")
        sys.stdout.flush()
    os._exit(0)  # kernels still running end with us (exit_with_parent)


def _preload(data_dir: str, start: str, end: str, focus: str, counterpart: str) -> None:
    """In the host: load a window's data so that kernels forked later share it."""
    try:
        import gc

        from ..analysis.timeline import compute_shared
        from ..data.context import remember_context

        gc.unfreeze()  # a shared host's previous window may go now
        compute_shared(remember_context(start, end, focus, counterpart, data_dir))
        # Kernels forked from here share these pages until they write to them; the
        # cyclic collector writes to every object it visits, so keep it off them.
        gc.collect()
        gc.freeze()
    except Exception:  # noqa: BLE001 - the kernels load for themselves and meet any error
        import traceback

        traceback.print_exc()


def _become_kernel(request: dict, host: int) -> None:
    """In a child of the host: become the ipykernel that ``request`` describes."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()  # its own process group, as jupyter_client starts kernels
        exit_with_parent(host)
        log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(null), os.close(log)
        env = dict(request["env"], JPY_PARENT_PID=str(host))
        os.environ.clear()
        os.environ.update(env)
        if request["cwd"]:
            os.chdir(request["cwd"])
        from ipykernel import kernelapp

        sys.argv = ["ipykernel_launcher", *request["argv"]]
        app = kernelapp.IPKernelApp.instance()  # as launch_new_instance does
        app.initialize(request["argv"])
        _trim_after_each_cell(app.shell)
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - a kernel that cannot start reports to its log
        import traceback

        traceback.print_exc()
    finally:
        # No exit handlers: every output has been sent, and IPython's (clearing the
        # namespace, collecting garbage) made each notebook wait 0.2-0.5 s longer for
        # its kernel to end.
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _trim_after_each_cell(shell) -> None:
    """Hand the memory a cell freed back to the system when it ends (glibc only).

    The heap keeps freed memory for reuse; three kernels side by side each holding what
    their largest cell once needed is what makes a million-event build's peak.
    """
    from ..data.memory import trim_heap

    shell.events.register("post_run_cell", lambda _result: trim_heap())


def _run_one(
    name: str,
    parameters: dict,
    out_dir: Path,
    notebooks_dir: Path,
    host: str = "",
    page_time: int | None = None,
) -> Path:
    import papermill as pm
    from traitlets.config import Config

    from .provisioner import KERNEL, QuietProvisioner, tail

    src = notebooks_dir / f"{name}.ipynb"
    dest = out_dir / f"{name}.ipynb"
    # Each kernel talks over Unix sockets in a folder of its own. Over TCP, jupyter_client
    # picks free ports and closes them before the kernel binds them, so kernels starting
    # at the same moment (three notebooks, parallel builds) can take each other's ports
    # and die with "Address already in use".
    with tempfile.TemporaryDirectory(prefix="kernel-") as sockets:
        log = os.path.join(sockets, "kernel.log")
        config = Config(
            {
                "KernelManager": {"transport": "ipc", "ip": os.path.join(sockets, "k")},
                QuietProvisioner.__name__: {
                    "output_log": log,
                    "kernel_host": host,
                    "page_time": page_time,
                },
            }
        )
        try:
            pm.execute_notebook(
                str(src),
                str(dest),
                parameters=parameters,
                # The project's kernel spec: its metadata selects QuietProvisioner, which
                # reads the configuration above.
                kernel_name=KERNEL,
                # No cwd=: papermill implements it with os.chdir on the whole process, which
                # races between the notebooks' threads and can leave the process in a staging
                # folder that is later renamed. The notebooks find everything through
                # helpers.paths, so the kernel's working directory does not matter.
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                config=config,
            )
        except pm.PapermillExecutionError:
            raise  # a cell raised: the executed notebook says where
        except Exception as exc:  # the kernel itself failed: show what it printed
            raise RuntimeError(
                f"the kernel running {name}.ipynb failed: {exc}\n  kernel output:\n{tail(log)}"
            ) from exc
    settle_record(dest, f"notebooks/{name}.ipynb")
    return dest


CLOCK_KEYS = ("start_time", "end_time", "duration")
"""Papermill's timings, in the notebook's and in each cell's ``papermill`` metadata."""


def settle_record(path: Path, published_as: str) -> None:
    """Take what depends on the clock or the machine out of an executed notebook.

    The same inputs then give the same bytes, in any build, on this machine or on a
    cluster's worker: papermill's timings and the kernel's ``execution`` times go (the
    manifest says when the version was built), the cell papermill adds gets a fixed id in
    place of a random one, and ``output_path`` names the file in the version folder
    instead of the staging folder it was written to.
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    record = nb.metadata.get("papermill", {})
    for key in CLOCK_KEYS:
        record.pop(key, None)
    if "output_path" in record:
        record["output_path"] = published_as
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for key in CLOCK_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    nbformat.write(nb, path)


def execute_notebooks(
    parameters: dict,
    out_dir: Path,
    failed_dir: Path,
    names: tuple[str, ...] = NOTEBOOKS,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    on_done: Callable[[str, float], None] | None = None,
    host: KernelHost | None = None,
    page_time: int | None = None,
) -> dict[str, Path]:
    """Run ``names`` with ``parameters`` into ``out_dir``; return executed notebook paths.

    Parameters
    ----------
    parameters
        Papermill parameters, the same for every notebook.
    out_dir, failed_dir
        Where executed notebooks go, and where a failed one is kept.
    names, notebooks_dir
        Which notebooks, and where they are.
    on_done
        Called as ``on_done(name, seconds)`` as each notebook finishes, in this thread.
    host
        Fork the kernels from this :class:`KernelHost`.
    page_time
        ``SOURCE_DATE_EPOCH`` of the kernels (their environment only), so that what they
        write with a date carries the build's input time.

    Raises
    ------
    NotebookFailed
        Naming the notebook, the cell (its number in the notebook as written, its
        execution count and first line) and the error;
        the executed notebook is copied into ``failed_dir``.
    RuntimeError
        A kernel died or could not start: naming the notebook, with the kernel's output.
    """
    from .provisioner import HOSTS, install_kernel_spec

    skip_optional_format_checkers()
    install_kernel_spec()  # an environment installed before the spec existed has none
    out_dir.mkdir(parents=True, exist_ok=True)
    key = ""
    if host is not None:
        key = str(id(host))
        HOSTS[key] = host
    run = functools.partial(
        _run_one, out_dir=out_dir, notebooks_dir=notebooks_dir, host=key, page_time=page_time
    )
    try:
        return _execute_all(run, parameters, out_dir, failed_dir, names, on_done)
    finally:
        HOSTS.pop(key, None)


def _execute_all(
    run: Callable[[str, dict], Path],
    parameters: dict,
    out_dir: Path,
    failed_dir: Path,
    names: tuple[str, ...],
    on_done: Callable[[str, float], None] | None,
) -> dict[str, Path]:
    from papermill.exceptions import PapermillExecutionError

    results: dict[str, Path] = {}
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        futures = {pool.submit(run, n, parameters): n for n in names}
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
