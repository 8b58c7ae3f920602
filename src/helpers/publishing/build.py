"""Building one edition: check inputs, skip if up to date, execute, render, publish.

Order matters for trust: parameters and data are checked before any kernel starts; the
inputs are fingerprinted so that an unchanged edition is reported up to date without
executing anything; outputs are rendered into a staging folder, checked, and only then
renamed into a new version folder (:mod:`helpers.publishing.publish`).

Order matters for time too: the process that forks the kernels
(:class:`helpers.publishing.execute.KernelHost`) and the first render worker
(:class:`helpers.publishing.render.RenderPool`) start before the data is loaded, and each notebook
is rendered as soon as its kernel has finished, while the others still run.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..data.defaults import NOTEBOOKS, default, notebooks_for
from ..data.fingerprint import (
    data_file_hashes,
    data_package,
    input_epoch,
    input_hashes,
    inputs_key,
)
from ..data.memory import release_memory
from ..paths import NOTEBOOKS_DIR, PROJECT_ROOT, REPORTS_DIR, resolve_data_dir
from .publish import (
    Edition,
    PublishError,
    edition_name,
    edition_state,
    failed_dir,
    safe_name,
    same_inputs,
    series_name,
    write_atomic,
)
from .snapshot import (  # re-exported: the snapshot's fields and functions
    SNAPSHOT_FIELDS as SNAPSHOT_FIELDS,
)
from .snapshot import (
    _write_snapshot,
)
from .snapshot import diff_snapshots as diff_snapshots
from .snapshot import event_snapshot as event_snapshot
from .snapshot import read_snapshot as read_snapshot
from .snapshot import write_snapshot as write_snapshot

if TYPE_CHECKING:  # pandas-heavy modules load only when a build really runs
    from ..data.dataset import Dataset
    from ..data.parameters import Focus
    from ..data.periods import Window
    from .execute import KernelHost
    from .render import PageInfo, RenderPool

MANIFEST_SCHEMA = 1
PACKAGES = (
    "pandas",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "weasyprint",
)


def _notebook_default(name: str):
    """Return a field whose default is the notebooks' (their parameters cells), read when needed."""
    return field(default_factory=lambda: default(name))


@dataclass
class BuildRequest:
    """What to build. Dates are ISO strings; ``data_dir`` empty means the project's data.

    A parameter not given takes its default from the notebooks' parameters cells.
    """

    start_date: str = _notebook_default("start_date")
    end_date: str = _notebook_default("end_date")
    focus: str = _notebook_default("focus")
    counterpart: str = _notebook_default("counterpart")
    data_dir: str = _notebook_default("data_dir")
    title: str = _notebook_default("title")
    series: str = ""
    reports_dir: Path = REPORTS_DIR
    force: bool = False
    notebooks: tuple[str, ...] = NOTEBOOKS
    notebooks_dir: Path = NOTEBOOKS_DIR

    def parameters(self) -> dict:
        """Return the notebooks' parameters for this request (``data_dir`` made absolute)."""
        params = {
            "start_date": self.start_date,
            "end_date": self.end_date,
            "focus": self.focus,
            "counterpart": self.counterpart,
            "data_dir": str(Path(self.data_dir).resolve()) if self.data_dir else "",
            "title": self.title,
        }
        return params


@dataclass
class BuildResult:
    """What a build did: ``status`` "built" (a new ``version``), "up-to-date" or "failed".

    "up-to-date" means the inputs equal those of ``version``, which may be older than the
    latest. "failed" (from a series or portfolio executor) has version 0, nothing
    published, and its ``error`` message.
    """

    status: str
    series: str
    edition: str
    version: int
    path: Path
    seconds: float
    outputs: list[str] = field(default_factory=list)
    error: str = ""


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def git_state() -> dict:
    """Commit of the project checkout and whether its tree had uncommitted changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=5,
        ).stdout.strip()  # fmt: skip
        return {"commit": commit or "unknown", "dirty": bool(dirty)}
    except (OSError, subprocess.SubprocessError):
        return {"commit": "unknown", "dirty": False}


def package_versions() -> dict:
    """Return the versions of Python and of the :data:`PACKAGES` a build records."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _version_key(req: BuildRequest, data_hashes: dict[str, str]) -> tuple[dict, str]:
    """Return the input hashes of a request and the key a version is recognised by.

    The key covers every notebook parameter, the title among them (it is on every page):
    a new title is a new version, not "up to date".
    """
    inputs = input_hashes(data_hashes, req.notebooks, req.notebooks_dir)
    return inputs, inputs_key(inputs, req.parameters())


def _reuse(req: BuildRequest, ed: Edition, n: int, t0: float) -> BuildResult:
    """Answer "up to date" with version ``n``, re-indexing anyway.

    A build killed after publishing but before indexing leaves a version the index does
    not list, and the next build is this one.
    """
    from .archive import rebuild_index

    rebuild_index(Path(req.reports_dir))
    return BuildResult(
        "up-to-date", ed.series, ed.edition, n, ed.version_path(n), time.perf_counter() - t0
    )


def _series(req: BuildRequest, focus: str, counterpart: str, package: dict) -> str:
    return (
        safe_name(req.series, "series") if req.series else series_name(focus, counterpart, package)
    )


def _up_to_date(req: BuildRequest, t0: float) -> BuildResult | None:
    """Find the published version whose inputs equal this request's, without loading data.

    Returns None when there is none or anything is unclear (the full path decides).

    Equal keys mean equal data bytes, notebooks, code and parameters, all of which were
    validated when that version was built, so nothing needs checking again.
    """
    if req.force:
        return None
    try:
        from datetime import date

        start, end = date.fromisoformat(req.start_date), date.fromisoformat(req.end_date)
        if start > end:
            return None
        data_dir = resolve_data_dir(req.data_dir)
        hashes = data_file_hashes(data_dir)
        package = data_package(data_dir, hashes)
        series = _series(req, req.focus.strip(), req.counterpart.strip(), package)
        edition = edition_name(start.isoformat(), end.isoformat())
        for name in req.notebooks:
            safe_name(name, "notebook")
        ed = Edition(Path(req.reports_dir), series, edition)
        if not ed.path.is_dir():
            return None
        _, key = _version_key(req, hashes)
    except (OSError, ValueError, KeyError, TypeError, PublishError):
        return None
    with ed.lock():
        same = same_inputs(ed, ed.versions(), key)
        return None if same is None else _reuse(req, ed, same, t0)


def _start_workers(notebooks: list[Path]):
    """Start a kernel host with the notebooks' imports and a render pool.

    The pool has a render worker per notebook, at most one per core.
    """
    from .execute import KernelHost, notebook_imports
    from .render import RenderPool

    host = KernelHost(notebook_imports(notebooks))
    try:
        return host, RenderPool(min(len(notebooks), os.cpu_count() or 1))
    except BaseException:
        host.close()
        raise


class SharedWorkers:
    """A kernel host and a render pool kept for one build after another.

    A series worker builds its editions in a row; with these, each edition does not pay
    again for the host's imports and the render workers' warm-up (about 2.5 s of CPU).
    They are started by the first build that needs them, and again after a build that
    failed (which may leave kernels or pages behind). :meth:`close` ends them.
    """

    def __init__(self) -> None:
        self.host = self.pool = None
        self._notebooks: tuple = ()

    def get(self, notebooks: list[Path]):
        """Return the host and pool for ``notebooks``, starting them (again) if needed."""
        if self.host is not None and tuple(notebooks) != self._notebooks:
            self.close()  # other notebooks: other imports
        if self.host is None:
            self._notebooks = tuple(notebooks)
            self.host, self.pool = _start_workers(notebooks)
            self.host.shared = self.pool.shared = True
        return self.host, self.pool

    def close(self, cancel: bool = False) -> None:
        """Close the host and the pool (``cancel``: drop the pages still queued)."""
        if self.host is not None:
            self.host.close()
            self.pool.close(cancel=cancel)
        self.host = self.pool = None


def with_coded_notebooks(req: BuildRequest) -> BuildRequest:
    """Return ``req`` with the signals annex added when its package holds coded events.

    Only a request for the default notebooks changes; a request that names its own
    notebooks builds those.
    """
    if req.notebooks != NOTEBOOKS:
        return req
    names = notebooks_for(resolve_data_dir(req.data_dir))
    return req if names == req.notebooks else replace(req, notebooks=names)


def build(
    req: BuildRequest, progress=_progress, workers: SharedWorkers | None = None
) -> BuildResult:
    """Build one edition (see the module docstring).

    Raises on bad input; publishes nothing unless every step succeeded. With
    ``workers``, the kernel host and render pool are theirs, and stay open for the next
    build.
    """
    t0 = time.perf_counter()
    req = with_coded_notebooks(req)
    quick = _up_to_date(req, t0)
    if quick is not None:
        return quick
    from ..data.parameters import parse_window

    window = parse_window(req.start_date, req.end_date)
    if req.series:
        safe_name(req.series, "series")
    for name in req.notebooks:  # names become file names in staging and _failed/
        safe_name(name, "notebook")
    # The kernels' host and the render workers start before the data loads: their
    # imports overlap with loading and checking it, and neither holds a copy of it.
    notebooks = [Path(req.notebooks_dir) / f"{name}.ipynb" for name in req.notebooks]
    if workers is not None:
        try:
            return _build_checked(req, window, *workers.get(notebooks), progress, t0)
        except BaseException:
            workers.close(cancel=True)  # no kernel or page of this build may linger
            raise
    host, pool = _start_workers(notebooks)
    with host, pool:
        return _build_checked(req, window, host, pool, progress, t0)


def _build_checked(
    req: BuildRequest,
    window: Window,
    host: KernelHost,
    pool: RenderPool,
    progress: Callable[[str], None],
    t0: float,
) -> BuildResult:
    from ..data.dataset import Scope, load_dataset
    from ..data.parameters import check_focus

    data = load_dataset(req.data_dir, Scope(window))  # validates, or reads the typed cache
    release_memory()  # validating a large package leaves its heap high while the host loads
    dyad = check_focus(req.focus, req.counterpart, data.stakeholders.index)
    # Kernels forked later share the host's copy of the data and of the window's analyses.
    host.preload_data(data.data_dir, *window.iso(), dyad.focus, dyad.counterpart)
    package = data_package(data.data_dir, data.hashes)
    series = _series(req, dyad.focus, dyad.counterpart, package)
    edition = edition_name(*window.iso())
    inputs, key = _version_key(req, data.hashes)
    ed = Edition(Path(req.reports_dir), series, edition)

    with ed.lock():
        versions, same = edition_state(ed, key, req.force)
        if same is not None:
            return _reuse(req, ed, same, t0)
        previous = ed.manifest(versions[-1]) if versions else None
        _check_same_package(ed, previous, package)
        pool.start()  # the data is good and a build will run: warm up the renderers
        n = (versions[-1] + 1) if versions else 1
        progress(f"building {series} {edition} as version {n}")
        job = VersionJob(
            request=req,
            window=window,
            dyad=dyad,
            edition=ed,
            version=n,
            staging=ed.new_staging(),
            inputs=inputs,
            key=key,
            previous=previous,
            package=package,
            page_time=input_epoch(data.data_dir),
        )
        try:
            pages = _pages(job, data)
            # The kernels load their own: at a million events this copy is ~400 MB, and
            # this is its last reference.
            del data
            release_memory()
            result = _build_into(job, pages, _serialised(progress), host, pool)
            final = ed.publish(job.staging, n)
        except BaseException:
            import shutil

            pool.close(cancel=True)  # no worker may still be writing into staging
            shutil.rmtree(job.staging, ignore_errors=True)
            raise
    from .archive import rebuild_index

    rebuild_index(Path(req.reports_dir))
    progress(f"published {final}")
    return BuildResult("built", series, edition, n, final, time.perf_counter() - t0, result)


def _check_same_package(ed: Edition, previous: dict | None, package: dict) -> None:
    """Refuse to add a version of another data package to an edition (``--series``).

    Series named automatically differ by package (:func:`helpers.publishing.publish.series_name`);
    a series named by hand could otherwise mix two packages' versions.
    """
    before = (previous or {}).get("data_package")
    if before and before.get("name") != package["name"]:
        raise PublishError(
            f"series {ed.series!r} holds versions built from data package "
            f"{before.get('name')!r}; this build reads {package['name']!r}: choose another "
            "--series (or leave it out)"
        )


def _slots(n: int, previous: dict | None, changes: dict | None) -> dict[str, str]:
    """Say what the briefing's page one leaves for the build: the version and its changes."""
    from ..analysis.front_page import version_line

    before = previous["version"] if previous else None
    return {"version": f" · Version {n}", "changes": version_line(n, before, changes)}


def _serialised(progress):
    """``progress`` made safe to call from the render pool's thread as well as this one."""
    import threading

    lock = threading.Lock()

    def say(msg: str) -> None:
        with lock:
            progress(msg)

    return say


@dataclass(frozen=True)
class VersionJob:
    """One new version of an edition, once its inputs have been checked."""

    request: BuildRequest
    window: Window
    dyad: Focus
    edition: Edition
    version: int
    staging: Path
    inputs: dict
    """sha256 of every input (:func:`helpers.data.fingerprint.input_hashes`)."""
    key: str
    """The key the version is recognised by (:func:`_version_key`)."""
    previous: dict | None
    """Manifest of the latest version before this one."""
    package: dict
    """The data package it is built from (:func:`helpers.data.fingerprint.data_package`)."""
    page_time: int
    """The input time that dates every page and figure (see
    :func:`helpers.data.fingerprint.input_epoch`)."""


@dataclass(frozen=True)
class VersionPages:
    """What the data gives a version besides its notebooks: page blocks and summaries."""

    pages: dict[str, PageInfo]
    info: dict
    changes: dict | None
    summary: dict


def _pages(job: VersionJob, data: Dataset) -> VersionPages:
    """Make everything a version needs from the data.

    That is the snapshot of the window's events (written into staging), "since the last
    version", provenance and the archive's summary.
    """
    from ..data.context import select
    from .archive import edition_summary
    from .provenance import changes_html, colophon_html, provenance_meta, version_label
    from .render import PageInfo

    req, ed, previous = job.request, job.edition, job.previous
    ctx = select(data, job.window, job.dyad.focus, job.dyad.counterpart)
    prev_file = None
    if previous:
        prev_file = ed.version_path(previous["version"]) / "events.json"
    changes = _write_snapshot(ctx.events, prev_file, job.staging / "events.json")
    info = {
        "series": ed.series,
        "edition": ed.edition,
        "version": job.version,
        "parameters": req.parameters(),
        "data_version": data.version,
        "data_package": {k: job.package[k] for k in ("name", "sha256")},
        "git": git_state(),
        "project_version": __version__,
        "source_time": datetime.fromtimestamp(job.page_time, tz=timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"
        ),
    }
    title_base = req.title or f"{ctx.dyad_label}"
    label = version_label(info)
    pages = {}
    for name in req.notebooks:
        appendix = ""
        if name == "briefing":
            appendix += changes_html(changes, previous["version"] if previous else None, data)
        appendix += colophon_html(info)
        pages[name] = PageInfo(
            title=f"{title_base} — {name} — {job.window.label()}",
            page_time=job.page_time,
            appendix_html=appendix,
            version_label=label,
            slots=_slots(job.version, previous, changes) if name == "briefing" else {},
            meta=tuple(provenance_meta(info).items()),
        )
    return VersionPages(pages, info, changes, edition_summary(ctx))


def _build_into(
    job: VersionJob,
    pages: VersionPages,
    progress: Callable[[str], None],
    host: KernelHost,
    pool: RenderPool,
) -> list[str]:
    """Execute and render the notebooks into ``job.staging`` and write the manifest.

    Returns the names of the files written.
    """
    from .execute import execute_notebooks

    req, ed, n = job.request, job.edition, job.version
    progress(f"  executing {len(req.notebooks)} notebooks side by side")
    nb_dir = job.staging / "notebooks"
    rendering = {}

    def render(name: str, seconds: float) -> None:
        """Render an executed notebook now, while the other notebooks still run."""
        progress(f"  executed {name} ({seconds:.1f} s)")
        stem = f"{ed.series}_{ed.edition}_v{n}_{name}"
        files = (job.staging / f"{stem}.html", job.staging / f"{stem}.pdf")
        rendered = pool.submit(nb_dir / f"{name}.ipynb", pages.pages[name], *files)
        rendering[name] = (stem, rendered)
        rendered.add_done_callback(
            lambda done: done.exception() or progress(f"  rendered {name} (HTML, PDF)")
        )

    executed = execute_notebooks(
        req.parameters(),
        nb_dir,
        failed_dir(Path(req.reports_dir), ed.series, ed.edition),
        names=req.notebooks,
        notebooks_dir=Path(req.notebooks_dir),
        on_done=render,
        host=host,
        page_time=job.page_time,
    )
    if not host.shared:
        host.close()  # every kernel has ended: free its memory while the pages render
    outputs = {}
    for name in req.notebooks:
        stem, rendered = rendering[name]
        html_hash, pdf_hash = rendered.result()  # raises the worker's error, if any
        outputs[f"{stem}.html"] = html_hash
        outputs[f"{stem}.pdf"] = pdf_hash
    if not pool.shared:  # (a shared pool has written every page: each job has answered)
        pool.close()
    previous = job.previous
    manifest = {
        "schema": MANIFEST_SCHEMA,
        **pages.info,
        "inputs": job.inputs,
        "inputs_key": job.key,
        "title": req.title,
        "packages": package_versions(),
        "built_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "previous_version": previous["version"] if previous else None,
        "changes": pages.changes,
        "summary": pages.summary,
        "outputs": outputs,
        "notebooks": {k: f"notebooks/{k}.ipynb" for k in executed},
    }
    write_atomic(
        job.staging / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True).encode()
    )
    return sorted(outputs)
