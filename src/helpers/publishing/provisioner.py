"""How the project's kernels start: a jupyter_client kernel provisioner.

The project's kernel spec (``briefing``, written by :func:`install_kernel_spec` into
this environment's ``share/jupyter/kernels``) names :class:`QuietProvisioner` in its
metadata; the provisioner is registered under the ``jupyter_client.kernel_provisioners``
entry point in ``pyproject.toml``. So every papermill run, build and JupyterLab session
of the project's notebooks starts its kernel here, through jupyter_client's public
provisioner interface.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Integer, Unicode

KERNEL = "briefing"
"""Name of the project's kernel spec; the notebooks' metadata names it."""

PROVISIONER = "briefing-provisioner"
"""Entry point name of :class:`QuietProvisioner`."""

KERNEL_SPEC = {
    # "python" is jupyter_client's word for the interpreter that starts the kernel.
    "argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
    "display_name": "Python 3 (briefings)",
    "language": "python",
    "metadata": {"debugger": True, "kernel_provisioner": {"provisioner_name": PROVISIONER}},
}

HOSTS: dict = {}
"""Kernel hosts (:class:`helpers.publishing.execute.KernelHost`) by the key a build configures."""


class ForkedKernel:
    """What jupyter_client needs of a kernel's ``Popen`` for a kernel forked by a host.

    The kernel is the host's child, not ours, so it cannot be waited for; the host reaps
    it, and it has ended when its process id is gone.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """Return 0 once the process has gone (its status went to the host), else None."""
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the process has gone."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel if it still runs."""
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        """Send SIGTERM."""
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """Send SIGKILL."""
        self.send_signal(signal.SIGKILL)


def tail(path: str, lines: int = 15) -> str:
    """Return the last ``lines`` lines of the text file at ``path``, indented; '' if unreadable."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


class QuietProvisioner(LocalProvisioner):
    """A local provisioner that keeps kernel noise off the terminal and pins page time.

    - What a kernel process prints itself (ipykernel's "running over TCP without
      encryption" warning, "KeyboardInterrupt caught in kernel" when jupyter_client
      interrupts it while shutting it down, tracebacks as it exits) goes to a log file,
      not to the terminal: notebook outputs travel over the kernel protocol either way,
      and those lines look like a failure of a run that succeeded. A kernel that ends on
      its own with an error status has the end of that log printed; its notebook fails
      anyway (papermill raises "Kernel died" and exits non-zero).
    - ``page_time`` becomes ``SOURCE_DATE_EPOCH`` in the kernel's environment only, so
      what the kernel writes with a date (figures' metadata) carries the build's input
      time, and this process's environment is never touched.
    - With ``kernel_host`` naming a host in :data:`HOSTS`, that host forks the kernel
      (with the notebooks' imports done); otherwise it starts as LocalProvisioner starts
      it.
    """

    output_log = Unicode(
        "", config=True, help="File for the kernel's stdout and stderr ('' for a temporary one)"
    )
    kernel_host = Unicode("", config=True, help="Key in HOSTS of the host that forks kernels")
    page_time = Integer(None, allow_none=True, config=True, help="SOURCE_DATE_EPOCH for the kernel")

    _temporary_log = ""
    _exit_status: int | None = None
    _stopped = False

    async def pre_launch(self, **kwargs):
        """LocalProvisioner's preparation, then the page time in the kernel's environment."""
        kwargs = await super().pre_launch(**kwargs)
        if self.page_time is not None:
            kwargs["env"]["SOURCE_DATE_EPOCH"] = str(self.page_time)
        return kwargs

    async def launch_kernel(self, cmd: list[str], **kwargs):
        """Fork the kernel from the configured host, or start it, writing to the log."""
        log = self.output_log
        if not log:
            fd, log = tempfile.mkstemp(prefix="kernel-", suffix=".log")
            os.close(fd)
            self._temporary_log = log
        host = HOSTS.get(self.kernel_host)
        pid = host.launch(cmd, kwargs.get("env"), kwargs.get("cwd"), log) if host else None
        if pid:
            # What LocalProvisioner.launch_kernel records of a process it starts.
            self.process = ForkedKernel(pid)
            self.pid = self.pgid = pid  # the kernel leads its own process group
            self.cwd = kwargs.get("cwd") or os.getcwd()
            return self.connection_info
        with open(log, "ab") as out:  # the kernel keeps its own copy of the file
            return await super().launch_kernel(cmd, **{**kwargs, "stdout": out, "stderr": out})

    async def poll(self) -> int | None:
        """LocalProvisioner's poll, remembering the first exit status seen."""
        status = await super().poll()
        if status is not None and self.process is not None and self._exit_status is None:
            self._exit_status = status
        return status

    async def kill(self, restart: bool = False) -> None:
        """Kill the kernel; an exit status after this is ours, not the kernel's failure."""
        self._stopped = True
        await super().kill(restart)

    async def terminate(self, restart: bool = False) -> None:
        """Terminate the kernel; an exit status after this is ours."""
        self._stopped = True
        await super().terminate(restart)

    async def cleanup(self, restart: bool = False) -> None:
        """Report a kernel that died on its own, then remove a temporary log."""
        await super().cleanup(restart)
        if restart or not self._temporary_log:
            return
        if self._exit_status not in (None, 0) and not self._stopped:
            print(
                f"the kernel ended unexpectedly (exit status {self._exit_status}); "
                f"its last output:\n{tail(self._temporary_log)}",
                file=sys.stderr,
            )
        Path(self._temporary_log).unlink(missing_ok=True)
        self._temporary_log = ""


def kernel_spec_file(prefix: str | None = None) -> Path:
    """Where this environment's ``briefing`` kernel spec lives (``<prefix>/share/jupyter``)."""
    return Path(prefix or sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL / "kernel.json"


def install_kernel_spec(prefix: str | None = None) -> Path:
    """Write the project's kernel spec into this environment, unless it is there already.

    Setuptools does not install data files with an editable install (``pip install -e``),
    so ``make install`` and every build call this. Written through a temporary file and a
    rename: builds running side by side may write it at the same moment.

    Returns
    -------
    Path
        The kernel spec file.
    """
    path = kernel_spec_file(prefix)
    text = json.dumps(KERNEL_SPEC, indent=1, sort_keys=True) + "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return path
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".kernel.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
    return path


if __name__ == "__main__":
    print(f"kernel spec {KERNEL!r}: {install_kernel_spec()}")
