"""The benchmark suite: how fast and how big the briefing build is, as ratios.

The machine is shared and noisy, so every claim is a ratio of two sides measured in the
same run, interleaved (A, B, C, A, B, C, ... with the order rotated every round), each
side's median over ``--runs`` rounds after a warm-up round that is thrown away. Every
command is timed whole, as a subprocess, with the peak resident memory of its whole
process tree (the build and its kernels), sampled every 50 ms with psutil.

Measurements (``--only`` takes these names):

chain    default build (``briefing build --force``) / the plain chain of the same tools,
         one process each, notebook after notebook: papermill, nbconvert, weasyprint
floor    default build / the notebooks' code executed with no rendering, as fast as it
         can go (see ``FLOOR``)
rebuild  unchanged rebuild ("up to date") / default build
scale    build on the largest generated package / default build, and its peak memory
series   twelve monthly editions as one ``--every month`` series / twelve single builds
growth   build time, peak memory and where the time goes at each ``--sizes``
profile  what the parts cost: imports, kernel start, validation and loading per size,
         Parquet reads, time per notebook cell per size

Usage::

    python benchmarks/run.py                 # everything (make bench)
    python benchmarks/run.py --quick         # 3 rounds, shorter time limits
    python benchmarks/run.py --only chain,rebuild --runs 7
    python benchmarks/run.py --skip-series --sizes 1000,10000

Raw timings go to ``benchmarks/results/<timestamp>.json``; the table goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import psutil

from helpers.data.defaults import NOTEBOOKS, parameter_defaults

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DATA_ROOT = BENCH_DIR / "data"
RESULTS_DIR = BENCH_DIR / "results"
BIN = Path(sys.executable).parent
PY = sys.executable

# The notebooks and their default period and dyad, from the notebooks (helpers.data.defaults).
ALL_NOTEBOOKS = NOTEBOOKS
PARAMS = {
    k: v
    for k, v in parameter_defaults().items()
    if k in ("start_date", "end_date", "focus", "counterpart")
}
SERIES = ("2024-01-01", "2024-12-31")
NAMES = ("chain", "floor", "rebuild", "scale", "series", "growth", "profile")
TARGETS = {  # name: (what, A side, B side, target ratio)
    "chain": ("default build / plain chain", "build", "chain", 0.5),
    "floor": ("default build / execution floor", "build", "floor", 1.3),
    "rebuild": ("unchanged rebuild / default build", "rebuild", "build", 0.1),
    "scale": ("build on {n} events / default build", "size:{n}", "build", 2.0),
    "scale_new": ("same, new data (no typed cache) / default", "new:{n}", "build", 2.0),
    "series": ("12-month series / 12 single builds", "series", "singles", 0.6),
}
MEMORY_TARGET = 1.5e9  # bytes, peak RSS of the whole build tree on the largest package
PACKAGES = (
    "pandas",
    "numpy",
    "pyarrow",
    "matplotlib",
    "papermill",
    "nbclient",
    "nbconvert",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "weasyprint",
    "networkx",
    "jupyterlab",
    "psutil",
)

# The floor: the fastest way found to run the notebooks' code with no rendering. One
# process reads the notebooks as plain JSON (no nbformat), imports what their cells
# import once, then forks one child per notebook; each child runs the parameters cell,
# the parameters, then every code cell, and asks the last value of each cell for its
# HTML as a kernel's display would. No kernel, no ZeroMQ, no papermill, no nbformat,
# no output written. With "cells": true each child reports seconds per cell.
FLOOR = r"""
import ast, importlib, json, os, sys, time
spec = json.loads(sys.argv[1])
t0 = time.perf_counter()
programs, modules = {}, set()
for path in spec["notebooks"]:
    nb = json.load(open(path, encoding="utf-8"))
    cells = []
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            continue
        src = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        tree = ast.parse(src)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.add(node.module)
                for a in node.names:
                    modules.add(f"{node.module}.{a.name}")
        params = "parameters" in c.get("metadata", {}).get("tags", [])
        cells.append((src, tree, params))
    programs[path] = cells
import matplotlib
matplotlib.use("Agg")
for m in sorted(modules):
    try:
        importlib.import_module(m)
    except ImportError:
        pass  # "from pkg import name" where name is not a module
t_import = time.perf_counter()
children = {}
for path, cells in programs.items():
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        ns = {"__name__": "__main__"}
        out, status = [], 0
        try:
            for src, tree, params in cells:
                t = time.perf_counter()
                body, last = tree.body, None
                if body and isinstance(body[-1], ast.Expr):
                    body, last = body[:-1], body[-1].value
                exec(compile(ast.Module(body, []), path, "exec"), ns)
                if params:
                    ns.update(spec["parameters"])
                if last is not None:
                    value = eval(compile(ast.Expression(last), path, "eval"), ns)
                    if hasattr(value, "_repr_html_"):
                        value._repr_html_()
                    elif value is not None:
                        repr(value)
                first = next((ln for ln in src.splitlines() if ln.strip()), "")
                out.append([round(time.perf_counter() - t, 4), first[:70]])
                if spec["cells"]:  # as it goes, so a run stopped by a time limit still tells
                    print(f"@@cell {os.path.basename(path)} {len(out)} {out[-1][0]} {first[:70]}",
                          file=sys.stderr, flush=True)
        except BaseException as exc:
            out.append([None, f"{type(exc).__name__}: {exc}"[:300]])
            status = 1
        os.write(w, json.dumps(out).encode())
        os.close(w)
        os._exit(status)
    os.close(w)
    children[pid] = (path, r)
result, failed = {}, []
for pid, (path, r) in children.items():
    chunks = []
    while True:
        b = os.read(r, 1 << 16)
        if not b:
            break
        chunks.append(b)
    _, status = os.waitpid(pid, 0)
    name = os.path.basename(path).removesuffix(".ipynb")
    result[name] = json.loads(b"".join(chunks) or b"[]")
    if status:
        failed.append(name)
print(json.dumps({"import_s": round(t_import - t0, 3), "cells": result, "failed": failed}))
sys.exit(1 if failed else 0)
"""

# `briefing build` runs all three notebooks. While one is missing or broken, the build is
# run through this shim, which is the same command line with the measured notebooks.
BUILD_SHIM = r"""
import dataclasses, json, sys
import helpers.publishing.build as hb
names = tuple(json.loads(sys.argv[1]))
@dataclasses.dataclass
class Request(hb.BuildRequest):
    notebooks: tuple = names
hb.BuildRequest = Request
from helpers.cli import main
sys.exit(main(sys.argv[2:]))
"""


# ---------------------------------------------------------------------------
# Running one command: wall time, peak memory of its process tree, progress lines
# ---------------------------------------------------------------------------


@dataclass
class Run:
    """One timed command (or sequence of commands)."""

    seconds: float | None  # None when it failed or was killed
    peak_rss: int
    rc: int
    elapsed: float
    peak_pss: int = 0  # proportional set size: shared pages divided among their sharers
    killed: str = ""  # "timeout" or "memory"
    stdout: str = ""
    stderr: str = ""
    lines: list = field(default_factory=list)  # (seconds since start, stderr line)
    phases: dict = field(default_factory=dict)
    load: float = 0.0
    wall0: float = 0.0  # wall-clock time at start, to place file modification times

    def brief(self) -> str:
        if self.killed:
            return f"killed ({self.killed}) after {self.elapsed:.0f} s"
        if self.rc:
            tail = (self.stderr.strip().splitlines() or ["?"])[-1]
            return f"failed (exit {self.rc}): {tail[:200]}"
        return (
            f"{self.seconds:.2f} s, peak {self.peak_pss / 1e9:.2f} GB "
            f"(summed RSS {self.peak_rss / 1e9:.2f} GB)"
        )


def _tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _kill_tree(proc: psutil.Process) -> None:
    """Kill the process we started and its descendants, by pid."""
    for p in reversed(_tree(proc)):
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass


def _pss(p: psutil.Process) -> int:
    """Proportional set size (Linux smaps_rollup); RSS where the system has none."""
    try:
        return p.memory_full_info().pss
    except (AttributeError, psutil.AccessDenied):
        return p.memory_info().rss


def run_cmd(cmd, *, cwd=None, env=None, timeout=600.0, mem_cap=6e9, interval=0.05) -> Run:
    """Run ``cmd``; time it whole; sample the memory of its process tree.

    Two sums over the tree: RSS every ``interval`` (which counts a page shared by forked
    processes once in each of them, so it overstates), and PSS every fourth sample (each
    shared page divided among its sharers: the memory the tree really holds). The
    memory cap applies to the RSS sum, the stricter of the two.
    """
    load = os.getloadavg()[0]
    lines: list[tuple[float, str]] = []
    wall0 = time.time()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    ps = psutil.Process(proc.pid)
    out_chunks: list[str] = []

    def read_err():
        for line in proc.stderr:
            lines.append((time.perf_counter() - t0, line.rstrip("\n")))

    def read_out():
        out_chunks.append(proc.stdout.read())

    readers = [threading.Thread(target=read_err), threading.Thread(target=read_out)]
    for t in readers:
        t.start()
    peak, peak_pss, killed, tick = 0, 0, "", 0
    while proc.poll() is None:
        total = shared = 0
        for p in _tree(ps):
            try:
                total += p.memory_info().rss
                if tick % 4 == 0:
                    shared += _pss(p)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        tick += 1
        peak, peak_pss = max(peak, total), max(peak_pss, shared)
        if peak > mem_cap:
            killed = "memory"
        elif time.perf_counter() - t0 > timeout:
            killed = "timeout"
        if killed:
            _kill_tree(ps)
            break
        time.sleep(interval)
    proc.wait()
    elapsed = time.perf_counter() - t0
    for t in readers:
        t.join()
    rc = proc.returncode
    ok = rc == 0 and not killed
    return Run(
        seconds=elapsed if ok else None,
        peak_rss=peak,
        peak_pss=peak_pss,
        rc=rc,
        elapsed=elapsed,
        killed=killed,
        stdout="".join(out_chunks),
        stderr="\n".join(text for _, text in lines),
        lines=lines,
        load=load,
        wall0=wall0,
    )


def run_sequence(cmds, **kw) -> Run:
    """Run commands one after the other as one measurement: total wall time, max peak."""
    t0 = time.perf_counter()
    runs = []
    for cmd in cmds:
        r = run_cmd(cmd, **kw)
        runs.append(r)
        if r.seconds is None:
            break
    elapsed = time.perf_counter() - t0
    bad = next((r for r in runs if r.seconds is None), None)
    return Run(
        seconds=None if bad else elapsed,
        peak_rss=max(r.peak_rss for r in runs),
        peak_pss=max(r.peak_pss for r in runs),
        rc=bad.rc if bad else 0,
        elapsed=elapsed,
        killed=bad.killed if bad else "",
        stdout="".join(r.stdout for r in runs),
        stderr=bad.stderr if bad else "",
        load=runs[0].load,
        phases={"steps_s": [round(r.elapsed, 3) for r in runs]},
    )


# ---------------------------------------------------------------------------
# Where a build spends its time, from its progress lines and its output files
# ---------------------------------------------------------------------------


def build_phases(run: Run, notebooks: tuple[str, ...]) -> dict:
    """Split a build's wall time into phases.

    ``briefing build`` prints "building ...", "executing ...", "executed NAME",
    "rendered NAME" and "published PATH" on stderr; each line is timestamped as it
    arrives. Rendering is split into nbconvert and WeasyPrint by the modification times
    of each notebook's HTML file (written before its PDF is made) and PDF file.
    """
    marks: dict[str, float] = {}
    executed: dict[str, float] = {}
    published = None
    for t, line in run.lines:
        s = line.strip()
        if s.startswith("building ") and "building" not in marks:
            marks["building"] = t
        elif s.startswith("executing "):
            marks["executing"] = t
        elif s.startswith("executed "):
            executed[s.split()[1]] = t
        elif s.startswith("rendered "):
            marks["rendered"] = t
        elif s.startswith("published "):
            marks["published"] = t
            published = Path(s.split(" ", 1)[1])
    ph: dict = {}
    if "building" in marks:
        ph["start_load_validate_s"] = marks["building"]
    if "building" in marks and "executing" in marks:
        ph["prepare_s"] = marks["executing"] - marks["building"]
    if "executing" in marks and executed:
        ph["execute_s"] = max(executed.values()) - marks["executing"]
        ph["execute_each_s"] = {k: round(v - marks["executing"], 3) for k, v in executed.items()}
    if published and published.is_dir() and executed:
        html, pdf = {}, {}
        prev = max(executed.values())
        t_exec_end = prev
        for name in notebooks:
            h = next(published.glob(f"*_{name}.html"), None)
            p = next(published.glob(f"*_{name}.pdf"), None)
            if h and p:
                html[name], pdf[name] = h.stat().st_mtime, p.stat().st_mtime
        if html:
            # Notebooks render one after the other, in the order their HTML appeared.
            order = sorted(html, key=html.get)
            conv, weasy = {}, {}
            last_end = run.wall0 + t_exec_end
            for name in order:
                conv[name] = max(0.0, html[name] - last_end)
                weasy[name] = max(0.0, pdf[name] - html[name])
                last_end = pdf[name]
            ph["html_s"] = sum(conv.values())
            ph["pdf_s"] = sum(weasy.values())
            ph["html_each_s"] = {k: round(v, 3) for k, v in conv.items()}
            ph["pdf_each_s"] = {k: round(v, 3) for k, v in weasy.items()}
    if "rendered" in marks and "published" in marks:
        ph["publish_index_s"] = marks["published"] - marks["rendered"]
    if "published" in marks:
        ph["exit_s"] = run.elapsed - marks["published"]
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in ph.items()}


# ---------------------------------------------------------------------------
# The sides being compared
# ---------------------------------------------------------------------------


class Suite:
    def __init__(self, args, notebooks: tuple[str, ...], scratch: Path):
        self.args = args
        self.notebooks = notebooks
        self.scratch = scratch
        self.runs: dict[str, list[dict]] = {}
        self.notes: list[str] = []
        self._counter = 0

    # -- commands ----------------------------------------------------------

    def briefing(self, *args) -> list:
        if set(self.notebooks) == set(ALL_NOTEBOOKS):
            return [BIN / "briefing", "build", *args]
        return [PY, "-c", BUILD_SHIM, json.dumps(list(self.notebooks)), "build", *args]

    def fresh_dir(self, tag: str) -> Path:
        self._counter += 1
        d = self.scratch / f"{tag}-{self._counter}"
        d.mkdir(parents=True)
        return d

    def kw(self, timeout=None, cache: Path | None = None):
        """Every command gets a cache folder of the run's own (``cache``, or a shared one
        that the warm-up round fills), never the project's ``.cache``."""
        env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache or self.scratch / "cache")}
        return {
            "cwd": self.scratch,
            "env": env,
            "timeout": timeout or self.args.timeout,
            "mem_cap": self.args.mem_cap * 1e9,
        }

    def side_build(self, data_dir: str = "", timeout=None, new: bool = False) -> Run:
        """A forced build; ``new`` gives it an empty cache, as after a change to the data."""
        reports = self.fresh_dir("reports")
        extra = ["--data-dir", data_dir] if data_dir else []
        cache = self.fresh_dir("empty-cache") if new else None
        run = run_cmd(
            self.briefing("--force", "--reports-dir", reports, *extra), **self.kw(timeout, cache)
        )
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)
        if run.seconds is not None:
            run.phases = build_phases(run, self.notebooks)
        shutil.rmtree(reports, ignore_errors=True)
        return run

    def side_chain(self) -> Run:
        out = self.fresh_dir("chain")
        cmds = []
        for name in self.notebooks:
            nb_out = out / f"{name}.ipynb"
            params = [x for k, v in PARAMS.items() for x in ("-p", k, v)]
            cmds += [
                [
                    BIN / "papermill",
                    NOTEBOOKS_DIR / f"{name}.ipynb",
                    nb_out,
                    *params,
                    "-k",
                    "python3",
                    "--no-progress-bar",
                ],
                [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", nb_out],
                [BIN / "weasyprint", out / f"{name}.html", out / f"{name}.pdf"],
            ]
        run = run_sequence(cmds, **self.kw())
        shutil.rmtree(out, ignore_errors=True)
        return run

    def floor_cmd(self, data_dir: str = "", cells: bool = False) -> list:
        spec = {
            "notebooks": [str(NOTEBOOKS_DIR / f"{n}.ipynb") for n in self.notebooks],
            "parameters": {**PARAMS, "data_dir": data_dir},
            "cells": cells,
        }
        return [PY, "-c", FLOOR, json.dumps(spec)]

    def side_floor(self) -> Run:
        return run_cmd(self.floor_cmd(), **self.kw())

    def side_rebuild(self) -> Run:
        """``briefing build`` with nothing changed since the last build of the edition.

        Colleagues edit the tree while this runs, and any change to the code, notebooks
        or data makes the next build a real one; such a run brings the edition up to date
        and is not counted; the command is repeated (up to three times) until it reports
        "up to date", and only that run is the measurement.
        """
        if not hasattr(self, "_rebuild_dir"):
            self._rebuild_dir = self.fresh_dir("rebuild")
            first = run_cmd(self.briefing("--reports-dir", self._rebuild_dir), **self.kw())
            if first.seconds is None:
                return first
        for _ in range(3):
            run = run_cmd(self.briefing("--reports-dir", self._rebuild_dir), **self.kw())
            if run.seconds is None or "up to date" in run.stdout:
                return run
            self.resyncs = getattr(self, "resyncs", 0) + 1
        run.seconds, run.rc = None, -1
        run.stderr = f"never 'up to date' in three tries: {run.stdout.strip()[:200]}"
        return run

    def side_series(self) -> Run:
        reports = self.fresh_dir("series")
        cmd = self.briefing(
            "--start",
            SERIES[0],
            "--end",
            SERIES[1],
            "--every",
            "month",
            "--force",
            "--reports-dir",
            reports,
        )
        run = run_cmd(cmd, **self.kw(self.args.timeout * 3))
        if run.seconds is not None and run.stdout.count("built ") != 12:
            run.seconds, run.rc = None, -1
            run.stderr = f"expected 12 editions, got: {run.stdout.strip()[-300:]}"
        shutil.rmtree(reports, ignore_errors=True)
        return run

    def side_singles(self) -> Run:
        import pandas as pd

        reports = self.fresh_dir("singles")
        starts = pd.date_range(SERIES[0], SERIES[1], freq="MS")
        cmds = [
            self.briefing(
                "--start",
                f"{s:%Y-%m-%d}",
                "--end",
                f"{s + pd.offsets.MonthEnd(0):%Y-%m-%d}",
                "--force",
                "--reports-dir",
                reports,
            )
            for s in starts
        ]
        run = run_sequence(cmds, **self.kw())
        shutil.rmtree(reports, ignore_errors=True)
        return run

    # -- scheduling --------------------------------------------------------

    def record(self, side: str, rnd: int, run: Run) -> None:
        entry = {
            "round": rnd,
            "seconds": None if run.seconds is None else round(run.seconds, 4),
            "elapsed": round(run.elapsed, 3),
            "peak_rss": run.peak_rss,
            "peak_pss": run.peak_pss,
            "rc": run.rc,
            "killed": run.killed,
            "load1": round(run.load, 2),
            "phases": run.phases,
        }
        if run.seconds is None:
            entry["error"] = run.stderr.strip()[-2000:]
        self.runs.setdefault(side, []).append(entry)
        tag = "warm-up" if rnd == 0 else f"round {rnd}"
        print(f"  {side:<16} {tag:<8} {run.brief()}  (load {run.load:.1f})", flush=True)

    def interleave(self, sides: dict, rounds: int, warm: bool = True, slow_ok=()) -> None:
        """Round 0 warms up; then ``rounds`` rounds, each running every side once in a
        rotated order. A side in ``slow_ok`` whose warm-up took longer than ``--slow``
        keeps its warm-up as its only measurement; a side that fails drops out."""
        active = dict(sides)
        if warm:
            for name, fn in list(active.items()):
                run = fn()
                self.record(name, 0, run)
                if run.seconds is None:
                    del active[name]
                elif name in slow_ok and run.seconds > self.args.slow:
                    self.runs[name][-1]["round"] = 1
                    self.runs[name][-1]["note"] = "single run: slower than --slow"
                    self.notes.append(
                        f"{name}: one run only "
                        f"({run.seconds:.0f} s > --slow {self.args.slow:.0f} s)"
                    )
                    del active[name]
        names = list(active)
        for rnd in range(1, rounds + 1):
            k = (rnd - 1) % max(len(names), 1)
            for name in names[k:] + names[:k]:
                if name not in active:
                    continue
                run = active[name]()
                self.record(name, rnd, run)
                if run.seconds is None:
                    del active[name]

    # -- results -----------------------------------------------------------

    def measured(self, side: str) -> list[dict]:
        return [r for r in self.runs.get(side, []) if r["round"] >= 1 and r["seconds"] is not None]

    def median(self, side: str) -> float | None:
        xs = [r["seconds"] for r in self.measured(side)]
        return statistics.median(xs) if xs else None

    def lower_bound(self, side: str) -> float | None:
        """For a side that never finished: how long it ran before it was stopped."""
        xs = [r["elapsed"] for r in self.runs.get(side, []) if r["killed"]]
        return max(xs) if xs else None

    def peak(self, side: str, kind: str = "pss") -> int | None:
        """Highest peak of a side's measured runs: PSS (the default) or summed RSS."""
        runs = [r for r in self.runs.get(side, []) if r["round"] >= 1 or r["killed"]]
        xs = [r.get(f"peak_{kind}") or r["peak_rss"] for r in runs]
        return max(xs) if xs else None

    def paired(self, a: str, b: str) -> list[float]:
        """Ratios A/B within each round (the two sides ran minutes apart at most)."""
        ra = {r["round"]: r["seconds"] for r in self.measured(a)}
        rb = {r["round"]: r["seconds"] for r in self.measured(b)}
        return [ra[k] / rb[k] for k in sorted(ra) if k in rb]

    def phase_median(self, side: str) -> dict:
        runs = [r["phases"] for r in self.measured(side) if r.get("phases")]
        if not runs:
            return {}
        keys = [k for k, v in runs[0].items() if isinstance(v, (int, float))]
        return {
            k: round(statistics.median(r[k] for r in runs if k in r), 3)
            for k in keys
            if any(k in r for r in runs)
        }


# ---------------------------------------------------------------------------
# Data packages and the profile
# ---------------------------------------------------------------------------


def ensure_package(events: int, seed: int) -> tuple[Path, dict]:
    """The generated package of ``events`` events, made (again) if missing or stale."""
    sys.path.insert(0, str(BENCH_DIR))
    import generate

    out = DATA_ROOT / f"e{events}"
    meta_file = Path(f"{out}.json")
    meta = json.loads(meta_file.read_text()) if meta_file.is_file() else {}
    if not (out / "datapackage.json").is_file() or meta.get("recipe") != generate.recipe(seed):
        print(f"  generating {events:,} events into {out} ...", flush=True)
        r = subprocess.run(
            [
                PY,
                BENCH_DIR / "generate.py",
                "--events",
                str(events),
                "--out",
                out,
                "--seed",
                str(seed),
            ],
            capture_output=True,
            text=True,
        )
        print("   ", r.stdout.strip().replace("\n", "\n    "), flush=True)
        if r.returncode:
            raise SystemExit(f"generate.py failed for {events}: {r.stderr[-2000:]}")
        meta = json.loads(meta_file.read_text())
    return out, meta


LOAD_PROFILE = r"""
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
import helpers.data.dataset as ds
t_import = time.perf_counter()
folder = sys.argv[1]
spent = {}
real = ds.read_package
def timed(path):
    t = time.perf_counter()
    out = real(path)
    spent["validate_s"] = time.perf_counter() - t
    return out
ds.read_package = timed
t = time.perf_counter()
data = ds.load_dataset(folder)
spent["load_dataset_s"] = time.perf_counter() - t
spent["typing_s"] = spent["load_dataset_s"] - spent["validate_s"]
spent["import_s"] = t_import - t0
ds.read_package = real
t = time.perf_counter()
ds.load_dataset(folder)  # from the typed cache when the package is large enough for one
spent["second_load_s"] = time.perf_counter() - t
where = ds.resolve_data_dir(folder)
spent["second_load_from_cache"] = ds._wants_cache(where, ds.file_hashes(where))
t = time.perf_counter()
pd.read_csv(f"{folder}/engagements.csv", dtype=str, keep_default_na=False)
spent["read_csv_engagements_s"] = time.perf_counter() - t
import os
try:
    import pyarrow.parquet as pq
    if not os.path.isfile(f"{folder}/parquet/engagements.parquet"):
        raise ImportError("no Parquet copy")
    t = time.perf_counter()
    pd.read_parquet(f"{folder}/parquet/engagements.parquet")
    spent["parquet_all_s"] = time.perf_counter() - t
    t = time.perf_counter()
    # The window 2025-01-01..2025-05-31, its previous period and a year of margin for
    # year-precision dates and spans (a real reader would filter on interval_end too).
    w = pd.read_parquet(f"{folder}/parquet/engagements.parquet",
                        filters=[("date", ">=", pd.Timestamp("2024-01-01")),
                                 ("date", "<=", pd.Timestamp("2025-05-31"))])
    spent["parquet_window_s"] = time.perf_counter() - t
    spent["parquet_window_rows"] = len(w)
except ImportError:
    pass
spent["events"] = len(data.engagements)
spent["rss_after_load"] = __import__("psutil").Process().memory_info().rss
print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in spent.items()}))
"""

TRIVIAL_NB = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "a",
            "metadata": {},
            "outputs": [],
            "source": "1 + 1",
        }
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}

KERNEL_PROFILE = r"""
import json, sys, time
t0 = time.perf_counter()
import papermill as pm
t1 = time.perf_counter()
pm.execute_notebook(sys.argv[1], sys.argv[2], kernel_name="python3", progress_bar=False)
t2 = time.perf_counter()
print(json.dumps({"import_papermill_s": round(t1 - t0, 3), "execute_trivial_s": round(t2 - t1, 3)}))
"""


def importtime(module: str) -> dict:
    """Cumulative import time of ``module`` and its heaviest parts (-X importtime)."""
    r = subprocess.run(
        [PY, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True
    )
    rows = []
    for line in r.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    total = next((us for us, _, name in rows if name == module), None)
    # Every module whose import (with what it imports) took 50 ms or more, outermost first.
    heavy = [[name, round(us / 1e6, 3)] for us, _, name in reversed(rows) if us >= 50_000]
    return {"total_s": total / 1e6 if total else None, "heaviest": heavy}


def profile(suite: Suite, sizes: list[int], packages: dict) -> dict:
    out: dict = {}
    kw = suite.kw()
    print("\nprofile", flush=True)
    # Interpreter and import costs, interleaved.
    reps = 3
    bare, nbf, pdm = [], [], []
    for _ in range(reps):
        bare.append(run_cmd([PY, "-c", "pass"], **kw).elapsed)
        nbf.append(run_cmd([PY, "-c", "import nbformat"], **kw).elapsed)
        pdm.append(run_cmd([PY, "-c", "import pandas, matplotlib.figure"], **kw).elapsed)
    out["python_start_s"] = statistics.median(bare)
    out["import_nbformat_s"] = statistics.median(nbf) - out["python_start_s"]
    out["import_pandas_matplotlib_s"] = statistics.median(pdm) - out["python_start_s"]
    out["importtime_nbformat"] = importtime("nbformat")
    print(
        f"  import nbformat {out['import_nbformat_s']:.2f} s (wall, median of {reps}); "
        f"-X importtime, 50 ms or more: {out['importtime_nbformat']['heaviest']}",
        flush=True,
    )
    # Papermill with a kernel, on a one-cell notebook: the fixed cost of each kernel.
    nb = suite.scratch / "trivial.ipynb"
    nb.write_text(json.dumps(TRIVIAL_NB))
    ks = []
    for _ in range(reps):
        r = run_cmd([PY, "-c", KERNEL_PROFILE, nb, suite.scratch / "trivial.out.ipynb"], **kw)
        if r.rc == 0:
            ks.append(json.loads(r.stdout.strip().splitlines()[-1]) | {"wall_s": r.elapsed})
    if ks:
        out["papermill_trivial"] = {k: statistics.median(x[k] for x in ks) for k in ks[0]}
        print(f"  papermill, one trivial cell, own process: {out['papermill_trivial']}", flush=True)
    # Loading per size: validation, typing, and what Parquet would cost instead.
    out["load"] = {}
    for label, folder in [("own", str(PROJECT_ROOT / "data"))] + [
        (str(n), str(packages[n])) for n in sizes
    ]:
        # An empty cache folder: the first load validates and types (and writes the
        # typed cache of a large package); the second, in the same process, reads it.
        empty = suite.scratch / f"load-cache-{label}"
        shutil.rmtree(empty, ignore_errors=True)
        r = run_cmd([PY, "-c", LOAD_PROFILE, folder], **suite.kw(cache=empty))
        if r.rc == 0:
            out["load"][label] = json.loads(r.stdout.strip().splitlines()[-1])
            out["load"][label]["peak_rss"] = r.peak_rss
            print(f"  load {label}: {out['load'][label]}", flush=True)
        else:
            out["load"][label] = {"error": r.brief()}
            print(f"  load {label}: {r.brief()}", flush=True)
    # Seconds per notebook cell, all notebooks side by side (the floor, per cell).
    out["cells"] = {}
    for label, folder in [("own", "")] + [(str(n), str(packages[n])) for n in sizes]:
        r = run_cmd(suite.floor_cmd(folder, cells=True), **kw)
        try:
            res = json.loads(r.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            res = {"error": r.brief(), "cells": {}}
            for t, line in r.lines:  # what the children reported before they were stopped
                if line.startswith("@@cell "):
                    _, nb_file, number, secs, first = (line.split(" ", 4) + [""])[:5]
                    name = nb_file.removesuffix(".ipynb")
                    res["cells"].setdefault(name, []).append([float(secs), first, round(t, 1)])
        res["wall_s"], res["peak_rss"] = round(r.elapsed, 3), r.peak_rss
        if r.killed:
            res["killed"] = r.killed
        out["cells"][label] = res
        print(
            f"  cells {label}: wall {r.elapsed:.1f} s, peak {r.peak_rss / 1e9:.2f} GB"
            + (f" ({r.brief()})" if r.seconds is None else ""),
            flush=True,
        )
    return out


# ---------------------------------------------------------------------------
# Machine, report
# ---------------------------------------------------------------------------


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    git = {}
    for key, cmd in (
        ("commit", ["git", "rev-parse", "--short", "HEAD"]),
        ("dirty", ["git", "status", "--porcelain", "--untracked-files=no"]),
    ):
        try:
            git[key] = subprocess.run(
                cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            git[key] = "?"
    git["dirty"] = bool(git.get("dirty"))
    return {
        "cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "cpu": cpu,
        "memory_gb": round(psutil.virtual_memory().total / 1e9, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "git": git,
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def fmt_s(x: float | None) -> str:
    return "-" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def fmt_gb(x: int | None) -> str:
    return "-" if x is None else f"{x / 1e9:.2f}"


def report(suite: Suite, names: list[str], sizes: list[int], scale_n: int, info: dict) -> str:
    rows = []
    head = (
        f"{'measurement':<44} {'A s (n)':>12} {'B s (n)':>12} {'ratio':>7} {'spread':>12} "
        f"{'target':>8}  result"
    )
    rows.append(head)
    rows.append("-" * len(head))
    results = {}
    for name in [m for n in names for m in ((n, "scale_new") if n == "scale" else (n,))]:
        if name not in TARGETS:
            continue
        what, a, b, target = TARGETS[name]
        a, b = a.format(n=scale_n), b.format(n=scale_n)
        what = what.format(n=f"{scale_n:,}")
        ma, mb = suite.median(a), suite.median(b)
        na, nb = len(suite.measured(a)), len(suite.measured(b))
        spread = ""
        if ma is not None and mb is not None:
            ratio = ma / mb
            pr = suite.paired(a, b)
            if len(pr) > 1:
                spread = f"{min(pr):.2f}-{max(pr):.2f}"
            verdict = "PASS" if ratio <= target else f"MISS x{ratio / target:.1f}"
            rtxt = f"{ratio:.2f}"
        elif mb is not None and suite.lower_bound(a) is not None:
            ratio = suite.lower_bound(a) / mb
            verdict = f"MISS (> x{ratio / target:.0f}; A killed)"
            rtxt = f">{ratio:.0f}"
        else:
            ratio, verdict, rtxt = None, "no result", "-"
        results[name] = {"ratio": ratio, "target": target, "a": ma, "b": mb, "verdict": verdict}
        a_txt = f"{fmt_s(ma)} ({na})" if ma is not None else f">{fmt_s(suite.lower_bound(a))} (0)"
        rows.append(
            f"{what:<44} {a_txt:>12} {fmt_s(mb) + f' ({nb})':>12} {rtxt:>7} {spread:>12} "
            f"{'<= ' + str(target):>8}  {verdict}"
        )
        if name in ("scale", "scale_new"):
            peak = suite.peak(a)
            ok = peak is not None and peak <= MEMORY_TARGET and ma is not None
            mv = "PASS" if ok else ("MISS" if peak is not None else "no result")
            if peak is not None and suite.lower_bound(a) is not None and ma is None:
                mv += " (killed: at least)"
            results[f"{name}_memory"] = {
                "peak_pss": peak,
                "peak_rss_sum": suite.peak(a, "rss"),
                "target": MEMORY_TARGET,
                "verdict": mv,
            }
            rows.append(
                f"{'  peak memory of the build tree (PSS), GB':<44} {fmt_gb(peak):>12} "
                f"{fmt_gb(suite.peak(b)):>12} {'':>7} {'':>12} {'<= 1.5':>8}  {mv}"
            )
            rows.append(
                f"{'  (summed RSS, counts shared pages twice)':<44} "
                f"{fmt_gb(suite.peak(a, 'rss')):>12} {fmt_gb(suite.peak(b, 'rss')):>12}"
            )
    info["results"] = results
    if "growth" in names:
        rows.append("")
        rows.append("growth: build time and peak memory by data size (phases are medians, seconds)")
        g = (
            f"{'events':>10} {'build s':>8} {'n':>2} {'x own':>6} {'PSS GB':>8} "
            f"{'start+validate':>14} {'prepare':>8} {'execute':>8} {'html':>6} {'pdf':>7} "
            f"{'publish':>8} {'validate_package':>16}"
        )
        rows.append(g)
        base = suite.median("build")
        for label, side in [("own", "build")] + [(f"{n:,}", f"size:{n}") for n in sizes]:
            m = suite.median(side)
            ph = suite.phase_median(side)
            if m is None and suite.lower_bound(side) is not None:
                killed = [r for r in suite.runs[side] if r["killed"]]
                stage = last_stage(killed[-1])
                rows.append(
                    f"{label:>10} {'>' + fmt_s(suite.lower_bound(side)):>8} {0:>2} "
                    f"{'':>6} {fmt_gb(suite.peak(side)):>8}  killed ({killed[-1]['killed']}) "
                    f"{stage}"
                )
                continue
            n = int(label.replace(",", "")) if label != "own" else None
            val = info.get("packages", {}).get(str(n), {}).get("validate_s") if n else None
            rows.append(
                f"{label:>10} {fmt_s(m):>8} {len(suite.measured(side)):>2} "
                f"{(f'{m / base:.1f}' if m and base else '-'):>6} {fmt_gb(suite.peak(side)):>8} "
                f"{fmt_s(ph.get('start_load_validate_s')):>14} {fmt_s(ph.get('prepare_s')):>8} "
                f"{fmt_s(ph.get('execute_s')):>8} {fmt_s(ph.get('html_s')):>6} "
                f"{fmt_s(ph.get('pdf_s')):>7} {fmt_s(ph.get('publish_index_s')):>8} "
                f"{fmt_s(val):>16}"
            )
    for note in suite.notes:
        rows.append(f"note: {note}")
    return "\n".join(rows)


def last_stage(entry: dict) -> str:
    """The last progress line a killed build printed."""
    err = entry.get("error", "").strip().splitlines()
    steps = [ln.strip() for ln in err if re.match(r"\s*(building|executing|executed|rendered)", ln)]
    return f"after '{steps[-1]}'" if steps else "during start-up, loading or validation"


# ---------------------------------------------------------------------------


def measured_notebooks(requested: list[str] | None) -> tuple[tuple[str, ...], list[str]]:
    names = tuple(requested or ALL_NOTEBOOKS)
    present = tuple(n for n in names if (NOTEBOOKS_DIR / f"{n}.ipynb").is_file())
    missing = [n for n in names if n not in present]
    return present, missing


def preflight(suite: Suite) -> None:
    """Build once with all present notebooks; if that fails, keep those that build alone."""
    run = run_cmd(
        suite.briefing("--force", "--reports-dir", suite.fresh_dir("preflight")), **suite.kw()
    )
    if run.seconds is not None:
        return
    print(f"  preflight build failed: {run.brief()}", flush=True)
    keep = []
    everything = suite.notebooks
    for name in everything:
        suite.notebooks = (name,)
        r = run_cmd(
            suite.briefing("--force", "--reports-dir", suite.fresh_dir("preflight")), **suite.kw()
        )
        if r.seconds is not None:
            keep.append(name)
        else:
            tail = (r.stderr.strip().splitlines() or ["?"])[-1][:300]
            suite.notes.append(f"notebook {name} left out: its build fails: {tail}")
            print(f"  {name}: build fails alone: {tail}", flush=True)
    suite.notebooks = tuple(keep)
    if not keep:
        raise SystemExit("no notebook builds; nothing to measure:\n" + run.stderr[-3000:])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Build-speed and scale benchmarks (see module doc).")
    p.add_argument("--quick", action="store_true", help="3 rounds and shorter time limits")
    p.add_argument("--runs", type=int, help="measured rounds after the warm-up (default 5)")
    p.add_argument("--only", action="append", help=f"comma-separated, from: {', '.join(NAMES)}")
    p.add_argument("--skip-series", action="store_true", help="leave out the series measurement")
    p.add_argument(
        "--sizes",
        default="1000,10000,100000,1000000",
        help="event counts for growth and profile (default 1000,...,1000000)",
    )
    p.add_argument("--scale-events", type=int, default=1_000_000, help="package size for 'scale'")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--notebooks", help="comma-separated subset of the notebooks to measure")
    p.add_argument(
        "--timeout",
        type=float,
        help="seconds before one command is killed (default 600, quick 300)",
    )
    p.add_argument(
        "--slow",
        type=float,
        default=60.0,
        help="a data-size build slower than this is measured once, not every round (default 60 s)",
    )
    p.add_argument(
        "--mem-cap",
        type=float,
        default=6.0,
        help="GB of summed RSS at which a command is killed (default 6)",
    )
    args = p.parse_args(argv)
    args.runs = args.runs or (3 if args.quick else 5)
    args.timeout = args.timeout or (300.0 if args.quick else 600.0)
    names = [n.strip() for o in (args.only or [",".join(NAMES)]) for n in o.split(",") if n.strip()]
    unknown = sorted(set(names) - set(NAMES))
    if unknown:
        p.error(f"unknown measurement(s) {unknown}; choose from {', '.join(NAMES)}")
    if args.skip_series and "series" in names:
        names.remove("series")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    started = time.perf_counter()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    info = {"started": stamp, "args": vars(args) | {"names": names}, "machine": machine()}
    m = info["machine"]
    print(f"machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, {m['os']}")
    print(f"python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()))
    print(
        f"git {m['git'].get('commit')}{' (uncommitted changes)' if m['git']['dirty'] else ''}; "
        f"load average {m['load_at_start']}"
    )

    notebooks, missing = measured_notebooks(args.notebooks and args.notebooks.split(","))
    scratch = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    suite = Suite(args, notebooks, scratch)
    if missing:
        suite.notes.append(f"notebooks missing, not measured: {', '.join(missing)}")
    try:
        need_sizes = sorted(
            set(sizes if ("growth" in names or "profile" in names) else [])
            | ({args.scale_events} if "scale" in names else set())
        )
        packages, info["packages"] = {}, {}
        if need_sizes:
            print("\ndata packages", flush=True)
        for n in need_sizes:
            packages[n], info["packages"][str(n)] = ensure_package(n, args.seed)
        print("\npreflight", flush=True)
        preflight(suite)
        info["notebooks"] = list(suite.notebooks)
        print(
            f"measuring notebooks: {', '.join(suite.notebooks)}"
            + (f" (missing: {', '.join(missing)})" if missing else ""),
            flush=True,
        )

        sides = {}
        if {"chain", "floor", "rebuild", "scale", "growth"} & set(names):
            sides["build"] = suite.side_build
        if "chain" in names:
            sides["chain"] = suite.side_chain
        if "floor" in names:
            sides["floor"] = suite.side_floor
        if "rebuild" in names:
            sides["rebuild"] = suite.side_rebuild
        growth = sizes if "growth" in names else []
        for n in sorted(set(growth) | ({args.scale_events} if "scale" in names else set())):
            sides[f"size:{n}"] = lambda d=str(packages[n]): suite.side_build(d)
        if "scale" in names:
            n = args.scale_events
            sides[f"new:{n}"] = lambda d=str(packages[n]): suite.side_build(d, new=True)
        if sides:
            print(f"\nrounds: {', '.join(sides)} (1 warm-up + {args.runs})", flush=True)
            slow = {s for s in sides if s.startswith(("size:", "new:"))}
            suite.interleave(sides, args.runs, slow_ok=slow)
        if "series" in names:
            print("\nseries: warm-up is one default build; then series, singles", flush=True)
            if "build" not in sides:
                suite.record("build", 0, suite.side_build())
            suite.interleave(
                {"series": suite.side_series, "singles": suite.side_singles}, args.runs, warm=False
            )
        if "profile" in names:
            info["profile"] = profile(suite, sizes, packages)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    info["runs"] = suite.runs
    if getattr(suite, "resyncs", 0):
        suite.notes.append(
            f"rebuild: {suite.resyncs} run(s) found changed inputs (colleagues editing the "
            "tree) and built for real; they were repeated and not counted"
        )
    info["notes"] = suite.notes
    info["machine"]["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    info["wall_s"] = round(time.perf_counter() - started, 1)
    table = report(suite, names, sizes if "growth" in names else [], args.scale_events, info)
    print("\n" + table)
    print(
        f"\nnotebooks measured: {', '.join(suite.notebooks)}; rounds: {args.runs} after a "
        f"warm-up; suite took {info['wall_s'] / 60:.1f} min; load average at end "
        f"{info['machine']['load_at_end']}"
    )
    info["table"] = table
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"{stamp}.json"
    out.write_text(json.dumps(info, indent=1, default=str), encoding="utf-8")
    print(f"raw timings: {out.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
