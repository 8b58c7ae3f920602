"""Building through a real Dask cluster: a scheduler and two workers on 127.0.0.1.

The files must equal a local build's, byte for byte (the executed notebooks but for the
clock times papermill and the kernel record, the manifest but for ``built_at``), and a
worker killed in the middle of an edition must leave that edition failed by name, the
other published, and nothing partial anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
from pathlib import Path
from types import SimpleNamespace

import pytest
from dask.distributed import Client

from helpers.publishing.build import BuildRequest
from helpers.publishing.cluster import SCRATCH_PREFIX, build_on_cluster
from helpers.publishing.local_cluster import local_cluster
from helpers.publishing.series import build_requests, plan_builds

pytestmark = pytest.mark.slow

FAILING = Path(__file__).parents[1] / "fixtures" / "notebooks_failing"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    # local_cluster's workers are not daemonic, and Dask gives up on a task after its
    # worker died twice (DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=1).
    root = tmp_path_factory.mktemp("cluster")
    with local_cluster(root, workers=2) as address:
        with Client(address, timeout=60, set_as_default=False) as client:
            yield SimpleNamespace(address=address, client=client, root=root)


def _files(version: Path) -> dict[str, object]:
    """Each file of a version: its sha256, or for the manifest and notebooks, their content
    without what differs between any two builds, local ones too (the clock, and in the
    notebooks the staging folder's random name and the injected cell's random id)."""
    out: dict[str, object] = {}
    for f in sorted(version.rglob("*")):
        rel = str(f.relative_to(version))
        if f.suffix == ".ipynb":
            nb = json.loads(f.read_text(encoding="utf-8"))
            # output_path: the version's staging folder, a new random name in any build
            nb["metadata"]["papermill"] = {
                k: v for k, v in nb["metadata"]["papermill"].items()
                if k not in ("start_time", "end_time", "duration", "output_path")
            }  # fmt: skip
            for cell in nb["cells"]:
                if "injected-parameters" in cell["metadata"].get("tags", []):
                    cell.pop("id")  # papermill gives the cell it adds a random id
                cell["metadata"].pop("execution", None)
                for k in ("start_time", "end_time", "duration"):
                    cell["metadata"].get("papermill", {}).pop(k, None)
            out[rel] = nb
        elif f.name == "manifest.json":
            manifest = json.loads(f.read_text(encoding="utf-8"))
            manifest.pop("built_at")
            out[rel] = manifest
        elif f.is_file():
            out[rel] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def test_a_portfolio_built_on_the_cluster_equals_a_local_build(cluster, tmp_path):
    def editions(reports: Path, force: bool = False) -> list[BuildRequest]:
        request = BuildRequest("2025-01-01", "2025-01-31", reports_dir=reports, force=force)
        return plan_builds(request, None, [("IND", "AFG"), ("PAK", "AFG")])

    on_cluster, local = tmp_path / "cluster", tmp_path / "local"
    first = build_on_cluster(editions(on_cluster), cluster.address, progress=lambda m: None)
    assert [(r.status, r.series, r.version) for r in first] == [
        ("built", "ind-afg", 1),
        ("built", "pak-afg", 1),
    ]
    # A second version follows the first: its number, "since the last version" and the
    # snapshot come from the version the submitter saw.
    again = build_on_cluster(editions(on_cluster, True)[:1], cluster.address, lambda m: None)
    assert [(r.status, r.version) for r in again] == [("built", 2)]
    # Unchanged inputs: up to date, decided on the submitting machine, nothing sent.
    same = build_on_cluster(editions(on_cluster)[1:], cluster.address, lambda m: None)
    assert [(r.status, r.version) for r in same] == [("up-to-date", 1)]

    build_requests(editions(local), jobs=1)
    build_requests(editions(local, True)[:1], jobs=1)
    versions = sorted(p.relative_to(local) for p in local.glob("*/*/v*"))
    assert [str(v) for v in versions] == [
        "ind-afg/2025-01-01_2025-01-31/v1",
        "ind-afg/2025-01-01_2025-01-31/v2",
        "pak-afg/2025-01-01_2025-01-31/v1",
    ]
    assert sorted(p.relative_to(on_cluster) for p in on_cluster.glob("*/*/v*")) == versions
    for v in versions:
        here, there = _files(local / v), _files(on_cluster / v)
        assert len([k for k in here if k.endswith((".html", ".pdf"))]) == 6
        assert here == there, v
    assert (local / "index.html").read_bytes() == (on_cluster / "index.html").read_bytes()
    assert not list(cluster.root.rglob(f"{SCRATCH_PREFIX}*"))  # scratch removed


def test_a_worker_killed_mid_edition_retries_once_then_fails_that_edition(cluster, tmp_path):
    request = BuildRequest("2025-02-01", "2025-03-31", reports_dir=tmp_path)
    requests = plan_builds(request, "month")
    killed = []

    def kill_february(label: str, worker: str, pid: int, attempt: int) -> None:
        # Announced by the task once its scratch folder exists and before it builds.
        if label.endswith("2025-02-01_2025-02-28"):
            killed.append((attempt, worker))
            os.kill(pid, signal.SIGKILL)

    results = build_on_cluster(requests, cluster.address, lambda m: None, on_start=kill_february)
    assert [a for a, _ in killed] == [1, 2]
    feb, mar = results
    assert (feb.status, feb.edition, feb.error) == (
        "failed",
        "2025-02-01_2025-02-28",
        "its worker was lost twice while building it",
    )
    assert (mar.status, mar.version) == ("built", 1)
    assert sorted(p.name for p in (tmp_path / "ind-afg" / feb.edition).iterdir()) == [".lock"]
    assert not (tmp_path / "_failed").exists()
    # The nannies restart the killed workers; a restarted worker's Dask work directory
    # replaces the killed one's, with its scratch.
    cluster.client.wait_for_workers(2, timeout=120)
    assert not list(cluster.root.rglob(f"{SCRATCH_PREFIX}*"))


def test_a_notebook_failing_on_a_worker_is_named_and_kept_here(cluster, tmp_path):
    request = BuildRequest(
        "2025-01-01", "2025-01-31", reports_dir=tmp_path,
        notebooks=("briefing",), notebooks_dir=FAILING,
    )  # fmt: skip
    (result,) = build_on_cluster(plan_builds(request), cluster.address, lambda m: None)
    assert (result.status, result.series, result.edition) == (
        "failed",
        "ind-afg",
        "2025-01-01_2025-01-31",
    )
    # The message a local build gives, naming where the notebook is kept on this machine.
    kept = tmp_path / "_failed" / "ind-afg_2025-01-01_2025-01-31" / "briefing.ipynb"
    first = result.error.splitlines()[0]
    assert first.startswith("notebook briefing.ipynb failed in cell 4 (")
    assert first.endswith("RuntimeError: deliberate failure in the fourth cell")
    assert f"kept at {kept}" in result.error
    cells = json.loads(kept.read_text(encoding="utf-8"))["cells"]
    errors = [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert [(e["ename"], e["evalue"]) for e in errors] == [
        ("RuntimeError", "deliberate failure in the fourth cell")
    ]
    assert not list(tmp_path.glob("*/*/v*")) and not list(tmp_path.glob("*/*/.staging-*"))
