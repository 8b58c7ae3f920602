"""Benchmark: ``briefing import gdelt`` against a plain pyarrow read of the same files.

Generates N GDELT 2.0 event rows (61 tab-separated columns, no header, as in the
codebook) split into files of ``--rows-per-file``, then measures, interleaved and as
whole subprocesses:

A  ``briefing import gdelt FILES --data-dir <fresh copy of data/>`` (streaming import,
   the merge into coded_events.parquet, the actors and datapackage.json writes);
B  a plain pyarrow read of the same files: ``pyarrow.csv.read_csv`` of each file with
   its default options (all 61 columns, types inferred, multithreaded), nothing kept.

Each round runs both sides once, alternating which goes first; round 0 is a warm-up and
is discarded; each side is the median (and the best) of the remaining rounds, and the
load average at the start of every run is recorded. Peak memory is the largest RSS of
the process tree, sampled every 50 ms with psutil. This is a benchmark, not a test: it
asserts nothing.

Usage::

    .venv/bin/python benchmarks/coded_import.py --rows 1000000 --runs 3
    .venv/bin/python benchmarks/coded_import.py --rows 10000000 --runs 3   # the target

Generated files go to ``$TMPDIR/briefing-bench/gdelt-<N>/`` (``--data-root``), outside
the repository, and are reused while their recipe holds; raw timings to
``benchmarks/results/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.csv as pacsv

from helpers.data.coded.gdelt import VERSIONS

ROOT = Path(__file__).resolve().parents[1]
DATA_ROOT = Path(tempfile.gettempdir()) / "briefing-bench"
"""Generated files and packages: outside the repository, reused while their recipe holds."""
RESULTS = ROOT / "benchmarks" / "results"

COUNTRIES = [
    "IND",
    "AFG",
    "PAK",
    "IRN",
    "CHN",
    "USA",
    "RUS",
    "GBR",
    "FRA",
    "DEU",
    "JPN",
    "SAU",
    "ARE",
    "QAT",
    "TUR",
    "UZB",
    "TJK",
    "TKM",
    "BGD",
    "LKA",
    "NPL",
    "",
]
CODES = [
    "010",
    "020",
    "036",
    "040",
    "041",
    "042",
    "043",
    "046",
    "051",
    "057",
    "061",
    "071",
    "073",
    "0311",
    "0841",
    "111",
    "112",
    "120",
    "130",
    "141",
    "173",
    "180",
    "190",
    "193",
]


FIRST_DAY, LAST_DAY = np.datetime64("2020-01-01"), np.datetime64("2025-12-31")
"""The generated events' span: six years, so a five-month window and its comparison
period hold about a seventh of them."""
RECIPE = "v2: 6 years, files in date order, 10% of each file's rows dated up to a year earlier"


def generate(rows: int, per_file: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write ``rows`` synthetic GDELT 2.0 rows as files of ``per_file`` rows.

    The files follow each other in time, as GDELT's exports do: file k codes events
    of its own stretch of the six years (90% of its rows) and, like the news, events
    of the year before it (10%). One row in 10,000 has an impossible date (the bad-row
    path is part of the cost). The same ``seed`` writes the same bytes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(folder.glob("*.export.CSV"))
    recipe = f"{rows} {per_file} {seed} {RECIPE}"
    stamp = folder / "recipe.txt"
    if files and stamp.exists() and stamp.read_text() == recipe:
        return files
    shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    cols = VERSIONS[61]
    span = int((LAST_DAY - FIRST_DAY).astype(int)) + 1
    count = -(-rows // per_file)
    written = 0
    files = []
    while written < rows:
        n = min(per_file, rows - written)
        ids = np.arange(1_000_000_000 + written, 1_000_000_000 + written + n)
        own = span * len(files) // count, span * (len(files) + 1) // count
        offset = rng.integers(own[0], own[1], n)
        earlier = rng.random(n) < 0.1
        offset[earlier] = np.maximum(0, offset[earlier] - rng.integers(1, 366, earlier.sum()))
        days = FIRST_DAY + offset.astype("timedelta64[D]")
        sqldate = np.char.replace(days.astype(str), "-", "")
        sqldate[(ids % 10_000) == 0] = "20251301"
        c1 = np.array(COUNTRIES)[rng.integers(0, len(COUNTRIES), n)]
        c2 = np.array(COUNTRIES)[rng.integers(0, len(COUNTRIES), n)]
        code = np.array(CODES)[rng.integers(0, len(CODES), n)]
        empty = np.full(n, "")
        data = {c: empty for c in cols}
        data.update(
            GLOBALEVENTID=ids.astype(str),
            SQLDATE=sqldate,
            MonthYear=np.char.replace(days.astype("datetime64[M]").astype(str), "-", ""),
            Year=days.astype("datetime64[Y]").astype(str),
            FractionDate=np.full(n, "2025.5000"),
            Actor1Code=c1,
            Actor1Name=np.char.add("NAME ", c1),
            Actor1CountryCode=c1,
            Actor2Code=c2,
            Actor2Name=np.char.add("NAME ", c2),
            Actor2CountryCode=c2,
            IsRootEvent=np.full(n, "1"),
            EventCode=code,
            EventBaseCode=np.array([x[:3] for x in code]),
            EventRootCode=np.array([x[:2] for x in code]),
            QuadClass=rng.integers(1, 5, n).astype(str),
            GoldsteinScale=np.round(rng.uniform(-10, 10, n), 1).astype(str),
            NumMentions=rng.integers(1, 50, n).astype(str),
            NumSources=rng.integers(1, 5, n).astype(str),
            NumArticles=rng.integers(1, 50, n).astype(str),
            AvgTone=np.round(rng.normal(-1, 3, n), 6).astype(str),
            ActionGeo_Type=np.full(n, "4"),
            ActionGeo_FullName=np.full(n, "Kabul, Kabol, Afghanistan"),
            ActionGeo_CountryCode=np.full(n, "AF"),
            ActionGeo_Lat=np.full(n, "34.5167"),
            ActionGeo_Long=np.full(n, "69.1833"),
            ActionGeo_FeatureID=np.full(n, "-3378435"),
            DATEADDED=np.char.add(sqldate, "000000"),
            SOURCEURL=np.char.add("https://news.example.org/story/", ids.astype(str)),
        )
        table = pa.table({c: pa.array(data[c], pa.string()) for c in cols})
        path = folder / f"{len(files):05d}.export.CSV"
        options = pacsv.WriteOptions(include_header=False, delimiter="\t", quoting_style="none")
        pacsv.write_csv(table, path, options)
        files.append(path)
        written += n
    stamp.write_text(recipe)
    return files


PLAIN_READ = """
import sys, pyarrow as pa, pyarrow.csv as c
rows = 0
for name in sys.argv[1:]:
    t = c.read_csv(name, read_options=c.ReadOptions(autogenerate_column_names=True),
                   parse_options=c.ParseOptions(delimiter="\\t", quote_char=False))
    rows += t.num_rows
    del t
print(rows)
"""


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, float, float, str]:
    """Seconds, CPU seconds and peak RSS (GB) of the process tree of ``cmd``; its output.

    CPU time (user and system, of every process of the tree the command waited for)
    does not depend on how many other processes share the cores, as wall time does.
    The output goes to a file, not a pipe: an import's report of skipped rows can pass
    a pipe's buffer, and the command would wait for a reader.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        proc = psutil.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True, env=env)
        peak = 0
        while proc.poll() is None:
            try:
                tree = [proc, *proc.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        log.seek(0)
        out = log.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode:
        raise RuntimeError(f"{cmd[:3]} failed:\n{out[-2000:]}")
    return seconds, cpu, peak / 1e9, out


def rounds(sides: dict, runs: int, report) -> dict[str, list[dict]]:
    """Run every side once per round, alternating the order; round 0 is a warm-up.

    ``sides`` maps a name to a function returning (command, env, scratch folder to
    remove afterwards or None). Returns each side's measured rounds: seconds, peak GB,
    and the load average when the run started.
    """
    results: dict[str, list[dict]] = {name: [] for name in sides}
    names = list(sides)
    for round_ in range(runs + 1):
        order = names if round_ % 2 == 0 else names[::-1]
        for name in order:
            cmd, env, scratch = sides[name]()
            load = os.getloadavg()[0]
            try:
                seconds, cpu, peak, out = timed(cmd, env)
            finally:
                if scratch is not None:
                    shutil.rmtree(scratch, ignore_errors=True)
            tail = out.strip().splitlines()[-1] if out.strip() else ""
            report(
                f"round {round_} {name:8s} {seconds:7.1f} s  cpu {cpu:6.1f} s  "
                f"peak {peak:5.2f} GB  load {load:4.1f}  {tail[:60]}"
            )
            if round_:
                results[name].append(
                    {"seconds": seconds, "cpu": cpu, "peak_gb": peak, "load": load}
                )
    return results


def summary(results: dict[str, list[dict]], a: str, b: str) -> dict:
    """Median and best of each side, the ratio of the medians, and the per-round ratios."""
    med = {s: statistics.median(r["seconds"] for r in v) for s, v in results.items()}
    best = {s: min(r["seconds"] for r in v) for s, v in results.items()}
    per_round = [x["seconds"] / y["seconds"] for x, y in zip(results[a], results[b])]
    cpu = {s: statistics.median(r["cpu"] for r in v) for s, v in results.items()}
    return {
        "cpu": cpu,
        "cpu_ratio": cpu[a] / cpu[b],
        "median": med,
        "best": best,
        "ratio": med[a] / med[b],
        "ratio_best": best[a] / best[b],
        "per_round": per_round,
        "peak_gb": {s: max(r["peak_gb"] for r in v) for s, v in results.items()},
        "load": [r["load"] for v in results.values() for r in v],
    }


def save(name: str, record: dict) -> Path:
    out = RESULTS
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"{name}-{stamp}.json"
    record = {**record, "cpus": os.cpu_count(), "commit": _commit()}
    path.write_text(json.dumps(record, indent=2, default=str))
    return path


def _commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return done.stdout.strip()


def fresh_package(parent: Path) -> Path:
    """A copy of the project's data/ without coded events, in a new folder of ``parent``."""
    pkg = Path(tempfile.mkdtemp(dir=parent)) / "pkg"
    shutil.copytree(ROOT / "data", pkg)
    (pkg / "coded_events.parquet").unlink(missing_ok=True)
    return pkg


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rows-per-file", type=int, default=250_000)
    ap.add_argument("--runs", type=int, default=3, help="measured rounds after the warm-up")
    ap.add_argument("--data-root", type=Path, default=DATA_ROOT, help="generated files go here")
    args = ap.parse_args()
    folder = args.data_root / f"gdelt-{args.rows}"
    t0 = time.perf_counter()
    files = generate(args.rows, args.rows_per_file, folder)
    size = sum(f.stat().st_size for f in files) / 1e9
    print(
        f"{args.rows:,} rows in {len(files)} files, {size:.2f} GB "
        f"(generated or reused in {time.perf_counter() - t0:.0f} s); {os.cpu_count()} cores",
        flush=True,
    )
    briefing = str(Path(sys.executable).parent / "briefing")

    def import_side():
        pkg = fresh_package(folder)
        return (
            [briefing, "import", "gdelt", *map(str, files), "--data-dir", str(pkg)],
            None,
            pkg.parent,
        )

    def plain_side():
        return [sys.executable, "-c", PLAIN_READ, *map(str, files)], None, None

    results = rounds(
        {"import": import_side, "plain": plain_side},
        args.runs,
        lambda line: print(line, flush=True),
    )
    s = summary(results, "import", "plain")
    print(
        f"\nrows {args.rows:,}: import {s['median']['import']:.1f} s, plain pyarrow read "
        f"{s['median']['plain']:.1f} s (medians of {args.runs}): ratio {s['ratio']:.2f} "
        f"(best of {args.runs}: {s['ratio_best']:.2f}; per round "
        f"{', '.join(f'{r:.2f}' for r in s['per_round'])}; target <= 2.0); CPU time "
        f"{s['cpu']['import']:.1f} / {s['cpu']['plain']:.1f} s = {s['cpu_ratio']:.2f}; "
        f"peak memory: import {s['peak_gb']['import']:.2f} GB, plain read "
        f"{s['peak_gb']['plain']:.2f} GB "
        f"(target < 2 GB); load average {min(s['load']):.1f}-{max(s['load']):.1f}"
    )
    path = save(
        "coded-import",
        {"rows": args.rows, "files": len(files), "bytes": size * 1e9, "runs": results, **s},
    )
    print(f"raw timings: {path}")


if __name__ == "__main__":
    main()
