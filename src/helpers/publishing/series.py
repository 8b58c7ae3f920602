"""Series builds: one edition per month or quarter, built side by side with a progress bar.

Data and parameters are checked once before any edition starts, so a bad input fails
the whole command at once and publishes nothing.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed

import pandas as pd

from ..data.dataset import Scope, load_dataset
from ..data.parameters import check_focus, parse_window
from ..data.periods import Window
from .build import BuildRequest, BuildResult, SharedWorkers, build
from .processes import exit_with_parent


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


def build_series(
    start: str, end: str, every: str, common: dict, jobs: int = 0
) -> list[BuildResult]:
    """Build every edition of the series; returns results in period order."""
    periods = split_periods(start, end, every)
    # Validates once (and writes the typed cache of a large package) before any worker.
    whole = Scope(Window.from_strings(periods[0][0], periods[-1][1]))
    data = load_dataset(common.get("data_dir", ""), whole)
    check_focus(common["focus"], common["counterpart"], data.stakeholders.index)
    jobs = jobs or min(len(periods), os.cpu_count() or 2)
    requests = [BuildRequest(start_date=s, end_date=e, **common) for s, e in periods]
    from tqdm import tqdm

    results: dict[int, BuildResult] = {}
    bar = tqdm(
        total=len(requests), desc=f"{len(requests)} editions", unit="edition", file=sys.stderr
    )
    ctx = mp.get_context("fork")
    # Workers wait on a queue they hold both ends of: without exit_with_parent, a killed
    # command would leave them (and the kernels of the builds they run) behind.
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=ctx, initializer=exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        futures = {pool.submit(_quiet_build, r): i for i, r in enumerate(requests)}
        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = fut.result()
            bar.set_postfix_str(f"{requests[i].start_date} {results[i].status}")
            bar.update(1)
    bar.close()
    return [results[i] for i in range(len(requests))]
