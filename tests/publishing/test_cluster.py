"""Building on a Dask cluster: the checks before a run, and publishing what workers return.

No cluster is started here (see test_cluster_build.py): these are the rules on their own.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.data.fingerprint import sha256_bytes
from helpers.publishing.build import BuildRequest
from helpers.publishing.cluster import (
    ClusterError,
    Plan,
    connect,
    environment_problems,
    publish_returned,
)
from helpers.publishing.publish import PublishError

HERE = {
    "project": "0.1.0",
    "packages": {"python": "3.11.7", "pandas": "2.2.0"},
    "git": {"commit": "abc", "dirty": False},
    "daemon": False,
    "inputs": {
        "data": {"engagements.csv": "e1", "actors.csv": "a1"},
        "notebooks": {"briefing.ipynb": "n1"},
        "code": {"analysis/trend.py": "c1"},
    },
}


def _copy(**changes) -> dict:
    there = json.loads(json.dumps(HERE))
    there.update(changes)
    return there


def test_a_worker_with_the_same_project_and_data_has_no_problems() -> None:
    assert environment_problems(HERE, _copy()) == []


def test_each_difference_is_named() -> None:
    there = _copy(
        project="0.0.9",
        packages={"python": "3.11.7", "pandas": "2.1.0"},
        inputs={
            "data": {"engagements.csv": "e2", "actors.csv": "a1", "extra.csv": "x"},
            "notebooks": {},
            "code": {"analysis/trend.py": "c1"},
        },
    )
    assert environment_problems(HERE, there) == [
        "has project version 0.0.9, not 0.1.0",
        "has other data files: engagements.csv",
        "has extra data files: extra.csv",
        "lacks notebooks files: briefing.ipynb",
        "has pandas 2.1.0, not 2.2.0",
    ]


def test_a_daemonic_worker_is_told_how_to_start() -> None:
    (problem,) = environment_problems(HERE, _copy(daemon=True))
    assert "DASK_DISTRIBUTED__WORKER__DAEMON=False" in problem


def test_unreadable_data_on_a_worker_is_said() -> None:
    there = _copy(data_error="cannot read the data package /x: no such folder")
    del there["inputs"]
    assert environment_problems(HERE, there) == ["cannot read the data package /x: no such folder"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once it is closed


def test_an_unreachable_scheduler_is_an_error_naming_it() -> None:
    address = f"tcp://127.0.0.1:{_closed_port()}"
    with pytest.raises(ClusterError, match=f"cannot reach the Dask scheduler at {address}"):
        connect(address, timeout=2)


def test_the_command_refuses_before_building_anything(tmp_path) -> None:
    address = f"tcp://127.0.0.1:{_closed_port()}"
    briefing = Path(sys.executable).with_name("briefing")
    proc = subprocess.run(
        [str(briefing), "build", "--every", "month", "--start", "2025-01-01",
         "--end", "2025-02-28", "--scheduler", address, "--reports-dir", str(tmp_path / "r")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1
    assert f"cannot reach the Dask scheduler at {address}" in proc.stderr
    assert "nothing was published" in proc.stderr
    assert not (tmp_path / "r").exists()


# -- publishing what a worker returned ----------------------------------------------------


def _returned(version: int) -> tuple[dict[str, bytes], dict[str, str]]:
    page = f"<p>version {version}</p>".encode()
    manifest = {"version": version, "outputs": {"a.html": sha256_bytes(page)}}
    files = {"a.html": page, "manifest.json": json.dumps(manifest).encode()}
    return files, {k: sha256_bytes(v) for k, v in files.items()}


def _edition_files(tmp_path: Path) -> list[str]:
    folder = tmp_path / "ind-afg" / "2025-01-01_2025-01-31"
    return sorted(p.name for p in folder.iterdir() if p.name != ".lock")


def test_returned_files_publish_as_the_planned_version(tmp_path) -> None:
    req = BuildRequest("2025-01-01", "2025-01-31", reports_dir=tmp_path)
    plan = Plan("ind-afg", "2025-01-01_2025-01-31", 1, key="k1")
    result = publish_returned(req, plan, *_returned(1))
    assert (result.status, result.version, result.outputs) == ("built", 1, ["a.html"])
    assert (result.path / "a.html").read_bytes() == b"<p>version 1</p>"
    assert _edition_files(tmp_path) == ["v1"]


def test_an_edition_that_moved_meanwhile_is_refused_and_nothing_left(tmp_path) -> None:
    req = BuildRequest("2025-01-01", "2025-01-31", reports_dir=tmp_path)
    plan = Plan("ind-afg", "2025-01-01_2025-01-31", 1, key="k1")
    publish_returned(req, plan, *_returned(1))  # another build published v1 meanwhile
    with pytest.raises(
        PublishError, match=r"moved while it was built \(latest v1, planned after vNone\)"
    ):
        publish_returned(req, Plan("ind-afg", "2025-01-01_2025-01-31", 1, key="k2"), *_returned(1))
    assert _edition_files(tmp_path) == ["v1"]  # no staging folder, v1 untouched
    assert (tmp_path / "ind-afg" / "2025-01-01_2025-01-31" / "v1" / "a.html").read_bytes() == (
        b"<p>version 1</p>"
    )


def test_a_damaged_or_escaping_file_is_refused(tmp_path) -> None:
    req = BuildRequest("2025-01-01", "2025-01-31", reports_dir=tmp_path)
    plan = Plan("ind-afg", "2025-01-01_2025-01-31", 1, key="k1")
    files, hashes = _returned(1)
    damaged = {**files, "a.html": b"<p>other</p>"}
    with pytest.raises(PublishError, match="returned file 'a.html' is unsafe or damaged"):
        publish_returned(req, plan, damaged, hashes)
    escaping = {**files, "../../../x.html": b"x"}
    with pytest.raises(PublishError, match="unsafe or damaged"):
        publish_returned(req, plan, escaping, {**hashes, "../../../x.html": sha256_bytes(b"x")})
    assert _edition_files(tmp_path) == []
    assert not (tmp_path / "x.html").exists()


def test_a_worker_running_code_older_than_its_files_is_told_to_restart() -> None:
    assert environment_problems(HERE, _copy(stale=True)) == [
        "runs code loaded before the project's files changed: restart it"
    ]
