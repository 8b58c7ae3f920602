"""Building editions on a Dask distributed cluster (``briefing build --scheduler ADDRESS``).

The machine that submits plans, the workers build, the machine that submits publishes:

1. Before anything runs, the scheduler must answer within :data:`CONNECT_TIMEOUT` and
   every worker must hold the same project: the same code, notebooks and data bytes
   (:func:`environment`, compared by :func:`environment_problems`).
2. For each edition, under the edition's lock, the submitter decides what a local build
   would: up to date (nothing to send), or version ``n`` after the latest version, whose
   manifest and event snapshot go with the task (:class:`Plan`). The version number is
   printed on the pages, so it cannot be left to a worker.
3. One Dask task per edition. The worker rebuilds that edition state in a scratch reports
   folder inside its Dask work directory, runs the ordinary local build there, and
   returns every file of the version with its sha256.
4. The submitter publishes the files under the edition's lock, through the same staging
   folder and checks as a local build, and refuses if the edition moved meanwhile.

A worker that dies during an edition (the scheduler notices the lost connection) makes the
edition run again; an edition whose worker has died twice is reported failed by name,
and the others still publish. A killed worker's scratch folder lies inside its Dask work
directory, which Dask removes when the nanny starts the worker again.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from ..data.fingerprint import data_file_hashes, data_package, input_hashes, sha256_bytes
from ..paths import NOTEBOOKS_DIR, resolve_data_dir
from .build import (
    BuildRequest,
    BuildResult,
    SharedWorkers,
    _reuse,
    _series,
    _version_key,
    build,
    git_state,
    package_versions,
)
from .publish import Edition, PublishError, edition_name, edition_state, failed_dir
from .series import failed_result

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for the scheduler before saying it cannot be reached."""
ATTEMPTS = 2
"""Runs of an edition whose worker dies: the first and one retry."""
SCRATCH_PREFIX = "briefing-"
"""Name prefix of a task's scratch reports folder in the worker's Dask work directory."""
PROJECT = "engagement-briefings"


class ClusterError(RuntimeError):
    """The scheduler cannot be reached, or a worker lacks what the build needs."""


@dataclass(frozen=True)
class Plan:
    """What the submitter decided for one edition under its lock."""

    series: str
    edition: str
    version: int
    key: str
    previous: dict | None = None
    """Manifest of the latest version, which the new one follows."""
    previous_events: bytes | None = None
    """That version's ``events.json`` ("since the last version" is worked out from it)."""

    @property
    def label(self) -> str:
        """Name the edition in messages: ``"ind-afg 2025-01-01_2025-01-31"``."""
        return f"{self.series} {self.edition}"


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- before anything runs ------------------------------------------------------------------


def connect(address: str, timeout: float = CONNECT_TIMEOUT):
    """Return a ``dask.distributed.Client`` connected to the scheduler at ``address``.

    Raises
    ------
    ClusterError
        Naming the address, when Dask is not installed or the scheduler does not answer
        within ``timeout`` seconds.
    """
    try:
        from dask.distributed import Client
    except ImportError:
        raise ClusterError(
            "--scheduler needs Dask distributed: pip install -e '.[cluster]'"
        ) from None
    try:
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s: {exc}"
        ) from None


def environment(data_dir: str, notebooks: tuple[str, ...], notebooks_dir: str = "") -> dict:
    """Describe what a build here would depend on (run on each worker by ``Client.run``).

    Parameters
    ----------
    data_dir : str
        The data package folder ("" for the project's own), as the submitter names it.
    notebooks : tuple of str
        The notebooks to build.
    notebooks_dir : str
        Their folder ("" for the project's own).

    Returns
    -------
    dict
        ``project`` (version), ``inputs`` (sha256 of every data file, notebook and file
        of the package's code), ``packages``, ``git``, ``daemon`` (whether this
        process may not start child processes) and ``stale`` (the code's files changed
        since this process first looked), or ``data_error`` when the data package cannot
        be read.
    """
    import multiprocessing

    out = {
        "project": __version__,
        "packages": package_versions(),
        "git": git_state(),
        "daemon": multiprocessing.current_process().daemon,
    }
    try:
        hashes = data_file_hashes(resolve_data_dir(data_dir))
    except (OSError, ValueError) as exc:
        return {**out, "data_error": f"cannot read the data package {data_dir or 'data/'}: {exc}"}
    out["inputs"] = input_hashes(hashes, notebooks, Path(notebooks_dir or NOTEBOOKS_DIR))
    global _FIRST_CODE
    if _FIRST_CODE is None:
        _FIRST_CODE = out["inputs"]["code"]
    out["stale"] = _FIRST_CODE != out["inputs"]["code"]
    return out


# The code this process saw when first asked: a worker keeps the modules it imported, so
# after the files change it would build with the old code while the files say otherwise.
_FIRST_CODE: dict | None = None


def environment_problems(here: dict, there: dict) -> list[str]:
    """Say how a worker's :func:`environment` differs from the submitter's.

    Returns
    -------
    list of str
        One sentence per difference, empty when the worker can build the same bytes.
    """
    if there.get("daemon"):
        return [
            "runs as a daemonic process (a Dask nanny's default), which may not start the "
            "build's kernel host and render workers: start it with "
            "DASK_DISTRIBUTED__WORKER__DAEMON=False"
        ]
    problems = []
    if there.get("stale"):
        problems.append("runs code loaded before the project's files changed: restart it")
    if there.get("project") != here["project"]:
        problems.append(f"has project version {there.get('project')}, not {here['project']}")
    if "data_error" in there:
        return [*problems, there["data_error"]]
    mine, theirs = here["inputs"], there.get("inputs", {})
    for group in sorted(mine):
        a, b = mine[group], theirs.get(group, {})
        missing = sorted(set(a) - set(b))
        differ = sorted(k for k in set(a) & set(b) if a[k] != b[k])
        extra = sorted(set(b) - set(a))
        for what, names in (("lacks", missing), ("has other", differ), ("has extra", extra)):
            if names:
                shown = ", ".join(names[:5]) + (
                    f" and {len(names) - 5} more" if len(names) > 5 else ""
                )
                problems.append(f"{what} {group} files: {shown}")
    for name in sorted(here["packages"]):
        if there.get("packages", {}).get(name) != here["packages"][name]:
            problems.append(
                f"has {name} {there.get('packages', {}).get(name)}, not {here['packages'][name]}"
            )
    if there.get("git") != here["git"]:
        problems.append(f"has checkout {there.get('git')}, not {here['git']}")
    return problems


def check_workers(client, req: BuildRequest) -> int:
    """Check that every worker can build ``req`` as this machine would; return their number.

    Raises
    ------
    ClusterError
        Saying what is missing on which worker (or that there is no worker).
    """
    from importlib.metadata import version

    installed = client.run(version, PROJECT, on_error="return")
    if not installed:
        raise ClusterError(f"the scheduler at {client.scheduler.address} has no workers")
    problems = {
        w: [f"does not have the project ({PROJECT}) installed"]
        for w, v in installed.items()
        if isinstance(v, BaseException)
    }
    args = _environment_args(req)
    here = environment(*args)
    if "data_error" in here:
        raise ClusterError(here["data_error"])
    ready = [w for w in installed if w not in problems]
    if ready:
        states = client.run(environment, *args, workers=ready, on_error="return")
        for w, there in states.items():
            if isinstance(there, BaseException):
                problems[w] = [f"cannot import the project's helpers: {there}"]
            elif found := environment_problems(here, there):
                problems[w] = found
    if problems:
        lines = [f"  worker {w}: {p}" for w, ps in sorted(problems.items()) for p in ps]
        raise ClusterError("workers cannot build these editions:\n" + "\n".join(lines))
    return len(installed)


def _environment_args(req: BuildRequest) -> tuple:
    nb_dir = Path(req.notebooks_dir)
    return (req.data_dir, tuple(req.notebooks), "" if nb_dir == NOTEBOOKS_DIR else str(nb_dir))


# -- on the submitter, under each edition's lock -------------------------------------------


def plan(req: BuildRequest) -> Plan | BuildResult:
    """Decide, under the edition's lock, what a build of ``req`` must make.

    ``req`` comes from :func:`helpers.publishing.series.plan_builds` (its pair checked).
    Returns a :class:`BuildResult` when a version with the same inputs exists already.
    """
    t0 = time.perf_counter()
    data_dir = resolve_data_dir(req.data_dir)
    hashes = data_file_hashes(data_dir)
    series = _series(req, req.focus, req.counterpart, data_package(data_dir, hashes))
    ed = Edition(Path(req.reports_dir), series, edition_name(req.start_date, req.end_date))
    _, key = _version_key(req, hashes)
    with ed.lock():
        versions, same = edition_state(ed, key, req.force)
        if same is not None:
            return _reuse(req, ed, same, t0)
        if not versions:
            return Plan(series, ed.edition, 1, key)
        latest = ed.version_path(versions[-1])
        events = latest / "events.json"
        return Plan(
            series,
            ed.edition,
            versions[-1] + 1,
            key,
            previous=ed.manifest(versions[-1]),
            previous_events=events.read_bytes() if events.is_file() else None,
        )


def publish_returned(
    req: BuildRequest, p: Plan, files: dict[str, bytes], hashes: dict
) -> BuildResult:
    """Publish a worker's files as version ``p.version``, under the edition's lock.

    Raises
    ------
    PublishError
        If a file does not match its hash or path, or the edition moved since ``p`` was
        planned (another build published a version meanwhile); nothing is published then.
    """
    from .archive import rebuild_index

    t0 = time.perf_counter()
    ed = Edition(Path(req.reports_dir), p.series, p.edition)
    with ed.lock():
        versions, same = edition_state(ed, p.key, req.force)
        if same is not None:  # another build published the same inputs meanwhile
            return _reuse(req, ed, same, t0)
        latest = versions[-1] if versions else None
        planned = p.previous["version"] if p.previous else None
        if latest != planned:
            raise PublishError(
                f"{p.label} moved while it was built (latest v{latest}, planned after "
                f"v{planned}): nothing published; build again"
            )
        staging = ed.new_staging()
        try:
            for rel, data in files.items():
                target = (staging / rel).resolve()
                if staging.resolve() not in target.parents or sha256_bytes(data) != hashes[rel]:
                    raise PublishError(f"{p.label}: returned file {rel!r} is unsafe or damaged")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            final = ed.publish(staging, p.version)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    rebuild_index(Path(req.reports_dir))
    outputs = sorted(json.loads(files["manifest.json"])["outputs"])
    return BuildResult(
        "built", p.series, p.edition, p.version, final, time.perf_counter() - t0, outputs
    )


# -- on a worker -----------------------------------------------------------------------------

# One thread per worker process runs every build. The kernel host and render workers
# it forks are told to die with the thread that forked them (PR_SET_PDEATHSIG is kept per
# thread), and Dask's own task threads come and go; this one lives as long as the process.
_BUILDER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-build")
_WORKERS: SharedWorkers | None = None


def build_task(fields: dict, p: Plan, topic: str) -> dict:
    """Build one edition on a Dask worker and return its files (the cluster's task).

    Parameters
    ----------
    fields : dict
        The :class:`BuildRequest`'s fields, without ``reports_dir``.
    p : Plan
        The version to build and the one it follows.
    topic : str
        Dask event topic on which the start is announced, with the worker's address and
        process id (the submitter counts attempts from it).

    Returns
    -------
    dict
        ``files`` (path inside the version folder -> bytes) and ``sha256`` of each, or
        ``error`` (the build's message) and ``failed`` (the executed notebooks a local
        build would keep in ``_failed/``).
    """
    from dask.distributed import get_worker

    worker = get_worker()
    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=worker.local_directory))
    try:
        worker.log_event(topic, {"edition": p.label, "worker": worker.address, "pid": os.getpid()})
        return _BUILDER.submit(_build_in, fields, p, scratch).result()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


_REPORTS = "\x00reports\x00"  # in a worker's message: the submitter's reports folder


def _build_in(fields: dict, p: Plan, scratch: Path) -> dict:
    global _WORKERS
    if p.previous is not None:  # the edition as the submitter saw it: its latest version
        before = scratch / p.series / p.edition / f"v{p.previous['version']}"
        before.mkdir(parents=True)
        (before / "manifest.json").write_text(json.dumps(p.previous), encoding="utf-8")
        if p.previous_events is not None:
            (before / "events.json").write_bytes(p.previous_events)
    req = BuildRequest(**fields, reports_dir=scratch, force=True)  # the submitter checked
    if _WORKERS is None:
        _WORKERS = SharedWorkers()
        # Closed as the worker process ends, before multiprocessing joins its children
        # (the render workers would otherwise wait for more pages for ever).
        from multiprocessing.util import Finalize

        Finalize(None, _WORKERS.close, exitpriority=100)
    try:
        result = build(req, progress=lambda msg: None, workers=_WORKERS)
    except Exception as exc:  # noqa: BLE001 - returned to the submitter, which reports it
        kept = failed_dir(scratch, p.series, p.edition)
        failed = {str(f.relative_to(kept)): f.read_bytes() for f in kept.rglob("*") if f.is_file()}
        # The message names the kept notebooks by the submitter's reports folder, where
        # they will be.
        message = (str(exc).strip() or type(exc).__name__).replace(str(scratch), _REPORTS)
        return {"error": message, "failed": failed}
    if (result.series, result.edition, result.version) != (p.series, p.edition, p.version):
        made = f"{result.series} {result.edition} v{result.version}"
        return {"error": f"built {made}, not {p.label} v{p.version}"}
    files = {
        str(f.relative_to(result.path)): f.read_bytes()
        for f in sorted(result.path.rglob("*"))
        if f.is_file()
    }
    hashes = {k: sha256_bytes(v) for k, v in files.items()}
    return {"files": files, "sha256": hashes, "seconds": result.seconds}


# -- the run ---------------------------------------------------------------------------------


@dataclass
class _Edition:
    request: BuildRequest
    plan: Plan
    fields: dict
    starts: int = 0
    future: object = None
    history: list = field(default_factory=list)


def build_on_cluster(
    requests: list[BuildRequest],
    address: str,
    progress=_progress,
    on_start=None,
    timeout: float = CONNECT_TIMEOUT,
) -> list[BuildResult]:
    """Build ``requests`` on the Dask cluster at ``address``; results in request order.

    Parameters
    ----------
    requests : list of BuildRequest
        The editions, from :func:`helpers.publishing.series.plan_builds` (checked).
    address : str
        The scheduler, ``tcp://HOST:PORT``.
    progress : callable
        Called with one line per event (started, published, failed).
    on_start : callable, optional
        Called as ``on_start(label, worker, pid, attempt)`` when a worker starts an
        edition (``pid``: the worker's process).
    timeout : float
        Seconds to wait for the scheduler.

    Returns
    -------
    list of BuildResult
        One per request, in order: "built", "up-to-date", or "failed" with its error
        (the other editions still publish), as from
        :func:`helpers.publishing.series.build_requests`.

    Raises
    ------
    ClusterError
        Before anything runs: the scheduler does not answer, or a worker cannot build.
    """
    if not requests:
        return []
    client = connect(address, timeout)
    try:
        progress(f"{check_workers(client, requests[0])} Dask workers at {address} are ready")
        return _run(client, requests, progress, on_start)
    finally:
        client.close()


def _run(client, requests, progress, on_start) -> list[BuildResult]:
    results: dict[int, BuildResult] = {}
    todo: dict[int, _Edition] = {}
    for i, req in enumerate(requests):
        p = plan(req)
        if isinstance(p, BuildResult):
            results[i] = p
            continue
        fields = {k: v for k, v in asdict(req).items() if k not in ("reports_dir", "force")}
        fields["data_dir"] = str(Path(req.data_dir).resolve()) if req.data_dir else ""
        if Path(req.notebooks_dir) == NOTEBOOKS_DIR:  # the worker's own checkout
            del fields["notebooks_dir"]
        todo[i] = _Edition(req, p, fields)
    failures = _submit_and_publish(client, todo, results, progress, on_start)
    for i, why in failures.items():
        results[i] = failed_result(requests[i], why)
    return [results[i] for i in range(len(requests))]


def _submit_and_publish(client, todo, results, progress, on_start) -> dict[int, str]:
    """Send each edition, count its starts, retry once on a lost worker, publish."""
    from dask.distributed import KilledWorker

    topic = f"briefing-{uuid.uuid4().hex}"
    started: queue.Queue = queue.Queue()
    client.subscribe_topic(topic, lambda event: started.put(event[1]))
    by_label = {e.plan.label: i for i, e in todo.items()}

    def submit(i: int) -> None:
        e = todo[i]
        e.future = client.submit(
            build_task, e.fields, e.plan, topic, key=f"briefing-{uuid.uuid4().hex}", pure=False
        )

    for i in todo:
        submit(i)
    failures: dict[int, str] = {}
    pending = set(todo)
    lost = "its worker was lost twice while building it"
    while pending:
        try:
            msg = started.get(timeout=0.1)
        except queue.Empty:
            msg = None
        if msg is not None and by_label.get(msg["edition"]) in pending:
            i = by_label[msg["edition"]]
            e = todo[i]
            e.starts += 1
            progress(f"  {e.plan.label}: started on {msg['worker']} (attempt {e.starts})")
            if e.starts > ATTEMPTS:  # the scheduler retries more often than we do
                e.future.cancel()
                failures[i] = lost
                pending.discard(i)
            elif on_start is not None:
                on_start(e.plan.label, msg["worker"], msg["pid"], e.starts)
        for i in [i for i in pending if todo[i].future.done()]:
            e = todo[i]
            status = e.future.status
            if status == "error" and isinstance(e.future.exception(), KilledWorker):
                if e.starts < ATTEMPTS:  # the scheduler gave up before our retry
                    e.starts = max(e.starts, 1)
                    submit(i)
                    continue
                failures[i] = lost
            elif status == "error":
                failures[i] = f"{type(e.future.exception()).__name__}: {e.future.exception()}"
            elif status == "finished":
                why = _publish_one(e, e.future.result(), results, i, progress)
                if why:
                    failures[i] = why
            else:
                failures[i] = f"the task ended as {status}"
            pending.discard(i)
    client.unsubscribe_topic(topic)
    for i, why in sorted(failures.items()):
        progress(f"failed {todo[i].plan.label}: {why}")
    return failures


def _publish_one(e: _Edition, returned: dict, results: dict, i: int, progress) -> str | None:
    """Publish what a task returned; return why not, if it was not."""
    req, p = e.request, e.plan
    if "error" in returned:
        if returned.get("failed"):
            kept = failed_dir(Path(req.reports_dir), p.series, p.edition)
            shutil.rmtree(kept, ignore_errors=True)
            for rel, data in returned["failed"].items():
                (kept / rel).parent.mkdir(parents=True, exist_ok=True)
                (kept / rel).write_bytes(data)
        return returned["error"].replace(_REPORTS, str(req.reports_dir))
    try:
        results[i] = publish_returned(req, p, returned["files"], returned["sha256"])
    except Exception as exc:  # noqa: BLE001 - this edition fails, the others publish
        return str(exc) if isinstance(exc, PublishError) else f"{type(exc).__name__}: {exc}"
    publishing = results[i].seconds
    results[i].seconds += returned["seconds"]  # the worker's build, then publishing
    progress(
        f"published {results[i].path} (built in {returned['seconds']:.2f} s, "
        f"published in {publishing:.2f} s)"
    )
    return None
