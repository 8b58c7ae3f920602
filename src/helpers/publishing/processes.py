"""Process helpers shared by the build's forked workers (kernel host, kernels, render
workers, series workers): end with the parent, and keep optional imports out."""

from __future__ import annotations

import os
import signal
import sys


def skip_optional_format_checkers() -> None:
    """Keep jsonschema's optional IRI checker out of this process.

    Where JupyterLab is installed, importing nbformat (through papermill) loads
    ``rfc3987_syntax`` for jsonschema's "iri" format, about 1.5 s per process (measured in
    benchmarks/). jsonschema treats it as optional and notebooks use no IRI fields, so a
    build does without it.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def exit_with_parent(parent: int) -> None:
    """Have the kernel deliver SIGKILL to this process when ``parent`` ends (Linux).

    Forked helpers (the kernel host, its kernels, render workers) hold pipes that keep
    one another waiting, so none of them would notice a build killed with SIGKILL; this
    makes them end with it. Elsewhere they end when their pipes close.
    """
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent ended before the line above took effect
        os._exit(1)
