"""A Dask scheduler and workers on this machine, as subprocesses, for trying a cluster build.

The tests and the benchmark build through it; a user can too, to see what
``briefing build --scheduler`` does before setting up machines. Each process starts in
a session of its own, so that stopping it stops the nanny, its worker and every process
a build forked there.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SETTINGS = {
    # A nanny's worker is otherwise daemonic, and may not start the kernel host and
    # render workers a build forks (Dask's ``distributed.worker.daemon``).
    "DASK_DISTRIBUTED__WORKER__DAEMON": "False",
    # Run an edition again once if its worker dies; give up after the second death.
    "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
}


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextmanager
def local_cluster(root: Path, workers: int = 2, timeout: float = 120) -> Iterator[str]:
    """Run ``dask scheduler`` and ``workers`` single-threaded ``dask worker``s on 127.0.0.1.

    Parameters
    ----------
    root : Path
        Folder for their logs (``scheduler.log``, ``worker-N.log``) and the workers' Dask
        work directories (``worker-N/``).
    workers : int
        How many workers.
    timeout : float
        Seconds to wait for the workers to join.

    Yields
    ------
    str
        The scheduler's address, once every worker has joined. The processes are
        stopped when the block ends, however it ends.
    """
    from dask.distributed import Client

    dask = Path(sys.executable).with_name("dask")
    env = {**os.environ, **SETTINGS}
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []
    root.mkdir(parents=True, exist_ok=True)

    def start(log: str, *args: str) -> None:
        with open(root / log, "wb") as out:
            procs.append(
                subprocess.Popen(
                    [str(dask), *args, "--no-dashboard"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            )

    try:
        start("scheduler.log", "scheduler", "--host", "127.0.0.1", "--port", str(port))
        for n in range(1, workers + 1):
            start(
                f"worker-{n}.log", "worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                "--local-directory", str(root / f"worker-{n}"),
            )  # fmt: skip
        with Client(address, timeout=timeout, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=timeout)
        yield address
    finally:
        _stop(procs)
