"""Series and portfolio builds: many editions, planned and checked once, then built.

Two steps, so that another executor can take the second one's place:

1. **Planning** (:func:`plan_builds`): the ordered list of :class:`BuildRequest` for a
   set of focus–counterpart pairs × periods (calendar months or quarters with
   ``every``, else the single window). The data package and every pair are checked
   once, before anything runs, so a bad input fails the whole command at once and
   publishes nothing.
2. **Executing** (:func:`build_requests`): builds the planned requests and returns one
   :class:`BuildResult` per request, in the requests' order. This one is local, a pool of
   worker processes with a progress bar; a cluster executor is a second implementation
   with the same signature and the same results.

An edition that fails while building does not stop the others: its result has status
"failed" and its error, and nothing of it is published (:func:`helpers.publishing.build.build`).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..data.dataset import Scope, load_dataset
from ..data.parameters import check_focus, parse_window
from ..data.periods import Window
from ..errors import ParameterError
from .build import BuildRequest, BuildResult, SharedWorkers, build
from .processes import exit_with_parent
from .publish import edition_name, safe_name, series_name


def split_periods(start: str, end: str, every: str) -> list[tuple[str, str]]:
    """Calendar months or quarters covering ``start``..``end``, clipped to it."""
    window = parse_window(start, end)
    freq = {"month": "MS", "quarter": "QS"}[every]
    first = window.start.to_period("M" if every == "month" else "Q").start_time
    starts = pd.date_range(first, window.end, freq=freq)
    out = []
    for s in starts:
        e = s + (pd.offsets.MonthEnd(1) if every == "month" else pd.offsets.QuarterEnd(1))
        s2, e2 = max(s, window.start), min(e, window.end)
        out.append((f"{s2:%Y-%m-%d}", f"{e2:%Y-%m-%d}"))
    return out


def plan_builds(
    request: BuildRequest,
    every: str | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
) -> list[BuildRequest]:
    """Return the editions to build, in order, after checking every input once.

    Parameters
    ----------
    request : BuildRequest
        The window (``start_date``..``end_date``), data, title, reports folder and
        ``force`` every edition shares; its focus and counterpart are the single pair
        when ``pairs`` is None.
    every : {"month", "quarter"} or None
        One edition per calendar month or quarter of the window (clipped to it); None
        for one edition of the whole window.
    pairs : sequence of (focus, counterpart), optional
        A portfolio (:func:`helpers.data.parameters.parse_pairs`).

    Returns
    -------
    list of BuildRequest
        Pair by pair in the order given, and each pair's periods in date order.

    Raises
    ------
    ParameterError
        A bad date or window, an unknown stakeholder code or a focus equal to its
        counterpart (naming the pair), a hand-named ``series`` shared by several pairs.
    DataValidationError
        The data package breaks its schema; nothing is built.
    PublishError
        A ``series`` name that is not a safe folder name.
    """
    window = parse_window(request.start_date, request.end_date)
    periods = (
        split_periods(request.start_date, request.end_date, every) if every else [window.iso()]
    )
    pairs = list(pairs) if pairs is not None else [(request.focus, request.counterpart)]
    if request.series:
        safe_name(request.series, "series")
        if len(pairs) > 1:
            raise ParameterError(
                f"series {request.series!r} names one pair's folder; a portfolio of "
                f"{len(pairs)} pairs cannot share it: leave series out"
            )
    # Validates once (and writes the typed cache of a large package) before any worker.
    whole = Scope(Window.from_strings(periods[0][0], periods[-1][1]))
    data = load_dataset(request.data_dir, whole)
    checked = []
    for focus, counterpart in pairs:
        try:
            checked.append(check_focus(focus, counterpart, data.stakeholders.index))
        except ParameterError as exc:
            if len(pairs) == 1:
                raise
            raise ParameterError(f"pair {focus}:{counterpart}: {exc}") from None
    return [
        replace(request, focus=d.focus, counterpart=d.counterpart, start_date=s, end_date=e)
        for d in checked
        for s, e in periods
    ]


_WORKERS: SharedWorkers | None = None


def _quiet_build(req: BuildRequest) -> BuildResult:
    """One edition in a series worker, with the worker's kernel host and render pool."""
    global _WORKERS
    if _WORKERS is None:
        _WORKERS = SharedWorkers()
        # Ended as the worker process ends, before multiprocessing's own clean-up (which
        # runs lower priorities later): that stops the render pool's queue feeder, and
        # the workers would wait for the end-of-jobs message for ever.
        from multiprocessing.util import Finalize

        Finalize(None, _WORKERS.close, exitpriority=100)
    return build(req, progress=lambda msg: None, workers=_WORKERS)


def failed_result(
    req: BuildRequest, error: BaseException | str, seconds: float = 0.0
) -> BuildResult:
    """Return the result of an edition that failed: status "failed", version 0, its error.

    The series is the request's own or the pair's plain folder (``ind-afg``); ``error``
    is the whole message (a failed notebook's names its cell and the exception).
    """
    series = req.series or series_name(req.focus, req.counterpart)
    edition = edition_name(req.start_date, req.end_date)
    message = str(error).strip() or type(error).__name__
    return BuildResult(
        "failed", series, edition, 0, Path(req.reports_dir) / series / edition, seconds,
        error=message,
    )  # fmt: skip


def build_requests(requests: Sequence[BuildRequest], jobs: int = 0) -> list[BuildResult]:
    """Build planned requests side by side on this machine, with a progress bar.

    Parameters
    ----------
    requests : sequence of BuildRequest
        From :func:`plan_builds` (already checked).
    jobs : int
        Editions built at once; 0 means one per core, at most one per request.

    Returns
    -------
    list of BuildResult
        One per request, in the requests' order: "built", "up-to-date", or "failed"
        with its error (the other editions still build and publish).
    """
    if not requests:
        return []
    from tqdm import tqdm

    jobs = jobs or min(len(requests), os.cpu_count() or 2)
    results: dict[int, BuildResult] = {}
    bar = tqdm(
        total=len(requests), desc=f"{len(requests)} editions", unit="edition", file=sys.stderr
    )
    ctx = mp.get_context("fork")
    t0 = time.perf_counter()
    # Workers wait on a queue they hold both ends of: without exit_with_parent, a killed
    # command would leave them (and the kernels of the builds they run) behind.
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=ctx, initializer=exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        futures = {pool.submit(_quiet_build, r): i for i, r in enumerate(requests)}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as exc:  # noqa: BLE001 - one edition's failure is its result
                results[i] = failed_result(requests[i], exc, time.perf_counter() - t0)
            r = requests[i]
            bar.set_postfix_str(f"{r.focus}:{r.counterpart} {r.start_date} {results[i].status}")
            bar.update(1)
    bar.close()
    return [results[i] for i in range(len(requests))]


def build_series(
    start: str, end: str, every: str, common: dict, jobs: int = 0
) -> list[BuildResult]:
    """Build every edition of one pair's series; returns results in period order.

    ``common`` holds the other :class:`BuildRequest` fields. Kept for callers of the
    one-pair series: :func:`plan_builds` then :func:`build_requests`.
    """
    request = BuildRequest(start_date=start, end_date=end, **common)
    return build_requests(plan_builds(request, every=every), jobs=jobs)
