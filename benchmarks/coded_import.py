"""Benchmark: ``briefing import gdelt`` against a plain pyarrow read of the same files.

Generates N GDELT 2.0 event rows (61 tab-separated columns, no header, as in the
codebook) split into files of ``--rows-per-file``, then measures, interleaved and as
whole subprocesses:

A  ``briefing import gdelt FILES --data-dir <fresh copy of data/>`` (streaming import,
   the merge into coded_events.parquet, the actors and datapackage.json writes);
B  a plain pyarrow read of the same files: ``pyarrow.csv.read_csv`` of each file with
   its default options (all 61 columns, types inferred, multithreaded), nothing kept.

Each round runs both sides once, alternating which goes first; round 0 is a warm-up and
is discarded; each side is the median of the remaining rounds. Peak memory is the
largest RSS of the process tree, sampled every 50 ms with psutil. This is a benchmark,
not a test: it asserts nothing.

Usage::

    .venv/bin/python benchmarks/coded_import.py --rows 1000000 --runs 3
    .venv/bin/python benchmarks/coded_import.py --rows 10000000 --runs 1   # the target

Generated files go to ``benchmarks/data/gdelt-<N>/`` (git-ignored) and are reused.
"""

from __future__ import annotations

import argparse
import json
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from helpers.data.coded.gdelt import VERSIONS  # noqa: E402

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


def generate(rows: int, per_file: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write ``rows`` synthetic GDELT 2.0 rows as files of ``per_file`` rows.

    One row in 10,000 has an impossible date (the bad-row path is part of the cost).
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = sorted(folder.glob("*.export.CSV"))
    if files and (folder / "rows.txt").exists() and (folder / "rows.txt").read_text() == str(rows):
        return files
    shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    cols = VERSIONS[61]
    start = np.datetime64("2025-01-01")
    written = 0
    files = []
    while written < rows:
        n = min(per_file, rows - written)
        ids = np.arange(1_000_000_000 + written, 1_000_000_000 + written + n)
        days = start + rng.integers(0, 365, n).astype("timedelta64[D]")
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
    (folder / "rows.txt").write_text(str(rows))
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


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Seconds and peak RSS (GB) of the process tree of ``cmd``; its output.

    The output goes to a file, not a pipe: an import's report of skipped rows can pass
    a pipe's buffer, and the command would wait for a reader.
    """
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        proc = psutil.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True)
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
    if proc.returncode:
        raise RuntimeError(f"{cmd[:3]} failed:\n{out[-2000:]}")
    return seconds, peak / 1e9, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rows-per-file", type=int, default=250_000)
    ap.add_argument("--runs", type=int, default=3, help="measured rounds after the warm-up")
    args = ap.parse_args()
    folder = ROOT / "benchmarks" / "data" / f"gdelt-{args.rows}"
    t0 = time.perf_counter()
    files = generate(args.rows, args.rows_per_file, folder)
    size = sum(f.stat().st_size for f in files) / 1e9
    print(
        f"{args.rows:,} rows in {len(files)} files, {size:.2f} GB "
        f"(generated or reused in {time.perf_counter() - t0:.0f} s)"
    )
    briefing = str(Path(sys.executable).parent / "briefing")
    results = {"import": [], "plain": []}
    for round_ in range(args.runs + 1):
        sides = ["import", "plain"] if round_ % 2 == 0 else ["plain", "import"]
        for side in sides:
            with tempfile.TemporaryDirectory(dir=folder) as tmp:
                if side == "import":
                    pkg = Path(tmp) / "pkg"
                    shutil.copytree(ROOT / "data", pkg)
                    (pkg / "coded_events.parquet").unlink(missing_ok=True)
                    cmd = [briefing, "import", "gdelt", *map(str, files), "--data-dir", str(pkg)]
                else:
                    cmd = [sys.executable, "-c", PLAIN_READ, *map(str, files)]
                seconds, peak, out = timed(cmd)
            tail = out.strip().splitlines()[-1] if out.strip() else ""
            print(f"round {round_} {side:6s} {seconds:7.1f} s  peak {peak:5.2f} GB  {tail[:90]}")
            if round_:
                results[side].append({"seconds": seconds, "peak_gb": peak})
    med = {s: statistics.median(r["seconds"] for r in v) for s, v in results.items()}
    peak = {s: max(r["peak_gb"] for r in v) for s, v in results.items()}
    ratios = [a["seconds"] / b["seconds"] for a, b in zip(results["import"], results["plain"])]
    print(
        f"\nrows {args.rows:,}: import {med['import']:.1f} s, plain pyarrow read "
        f"{med['plain']:.1f} s, ratio {med['import'] / med['plain']:.2f} "
        f"(per round {min(ratios):.2f}-{max(ratios):.2f}; target <= 2.0); peak memory: import "
        f"{peak['import']:.2f} GB, plain read {peak['plain']:.2f} GB (target < 2 GB)"
    )
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    record = {
        "rows": args.rows,
        "files": len(files),
        "bytes": size * 1e9,
        "runs": results,
        "load": psutil.getloadavg(),
        "cpus": psutil.cpu_count(),
    }
    (out / f"coded-import-{stamp}.json").write_text(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
