"""A portfolio through a local two-worker Dask cluster against the local builder.

Four pairs by twelve months (48 editions), the same command twice in each round, side by
side: ``--scheduler ADDRESS`` (a scheduler and two workers of one thread each on
127.0.0.1, started once before the rounds, as a cluster would already be running) and
the local pool with ``--jobs 2``. Each run builds into a fresh reports folder. Round 0 is
a warm-up and is discarded; the order of the two sides alternates from round to round.

Besides the ratio it prints the per-edition costs the cluster side reports (the build
on a worker, publishing on the submitting machine) and the time before the first
edition starts (connecting, checking the workers, planning under the locks), which
``benchmarks/README.md`` uses to work out how the time falls with N machines.

Usage::

    .venv/bin/python benchmarks/cluster.py              # warm-up + 2 rounds
    .venv/bin/python benchmarks/cluster.py --runs 3 --months 6
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import re
import statistics
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from run import BIN, RESULTS_DIR, machine, run_cmd

from helpers.publishing.local_cluster import local_cluster

PAIRS = "IND:AFG,PAK:AFG,IRN:AFG,CHN:AFG"
PUBLISHED = re.compile(r"published .* \(built in ([0-9.]+) s, published in ([0-9.]+) s\)")
STARTED = re.compile(r"started on (\S+) \(attempt 1\)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2, help="measured rounds after the warm-up")
    ap.add_argument("--months", type=int, default=12, help="months of 2025 from January")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    end = f"2025-{args.months:02d}-{calendar.monthrange(2025, args.months)[1]}"
    info = machine()
    print(json.dumps(info, indent=1))
    scratch = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(scratch / "cache")}
    runs: list[dict] = []
    with local_cluster(scratch / "cluster", workers=2) as address:
        for rnd in range(args.runs + 1):
            sides = ["cluster", "local"] if rnd % 2 == 0 else ["local", "cluster"]
            for side in sides:
                out = scratch / f"{side}-{rnd}"
                cmd = [BIN / "briefing", "build", "--pairs", PAIRS, "--every", "month",
                       "--start", "2025-01-01", "--end", end, "--reports-dir", out]  # fmt: skip
                cmd += ["--scheduler", address] if side == "cluster" else ["--jobs", "2"]
                r = run_cmd(cmd, env=env, timeout=args.timeout)
                built = r.stdout.count("\nbuilt ") + r.stdout.startswith("built ")
                entry = {"side": side, "round": rnd, "seconds": r.seconds, "rc": r.rc,
                         "built": built, "load": r.load}  # fmt: skip
                if side == "cluster":
                    costs = [PUBLISHED.search(line) for _, line in r.lines]
                    starts = [t for t, line in r.lines if STARTED.search(line)]
                    entry["build_s"] = [float(m.group(1)) for m in costs if m]
                    entry["publish_s"] = [float(m.group(2)) for m in costs if m]
                    entry["first_start_s"] = min(starts) if starts else None
                runs.append(entry)
                print(f"round {rnd} {side:8s} {r.brief()} built={built} load={r.load:.1f}",
                      flush=True)  # fmt: skip
    measured = [r for r in runs if r["round"] >= 1 and r["seconds"]]
    by = {s: {r["round"]: r for r in measured if r["side"] == s} for s in ("cluster", "local")}
    ratios = [by["cluster"][k]["seconds"] / by["local"][k]["seconds"]
              for k in sorted(by["cluster"]) if k in by["local"]]  # fmt: skip
    cl = list(by["cluster"].values())
    summary = {
        "editions": 4 * args.months,
        "cluster_s": statistics.median(r["seconds"] for r in cl) if cl else None,
        "local_s": statistics.median(r["seconds"] for r in by["local"].values())
        if by["local"]
        else None,
        "ratio_median": statistics.median(ratios) if ratios else None,
        "ratio_spread": [min(ratios), max(ratios)] if ratios else None,
        "build_s_per_edition": statistics.median(x for r in cl for x in r["build_s"])
        if cl
        else None,
        "publish_s_per_edition": statistics.median(x for r in cl for x in r["publish_s"])
        if cl
        else None,
        "first_start_s": statistics.median(r["first_start_s"] for r in cl) if cl else None,
    }
    print(json.dumps(summary, indent=1))
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"cluster-{stamp}.json").write_text(
        json.dumps({"machine": info, "runs": runs, "summary": summary}, indent=1)
    )
    print(f"cluster/local = {summary['ratio_median']} (target <= 1.1)")


if __name__ == "__main__":
    main()
