"""A version is published complete or not at all, whatever happens to the build.

Builds run as subprocesses so they can be killed with SIGKILL (no cleanup code runs)
and started side by side, as two people or two CI jobs would.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers.paths import NOTEBOOKS_DIR

EDITION = "2025-01-01_2025-05-31"
SERIES = "ind-afg"

DRIVER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from helpers.publishing.build import BuildRequest, build

    start, end, reports, notebooks_dir, title = sys.argv[1:6]
    result = build(
        BuildRequest(
            start_date=start, end_date=end, reports_dir=Path(reports), title=title,
            notebooks=("briefing",), notebooks_dir=Path(notebooks_dir),
        ),
        progress=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    print(json.dumps({"status": result.status, "version": result.version,
                      "edition": result.edition}))
    """
)


def start_build(tmp_path, reports, start="2025-01-01", end="2025-05-31", nbdir=NOTEBOOKS_DIR,
                title=""):  # fmt: skip
    driver = tmp_path / "driver.py"
    if not driver.exists():
        driver.write_text(DRIVER)
    return subprocess.Popen(
        [sys.executable, str(driver), start, end, str(reports), str(nbdir), title],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )


def descendants(pid: int) -> list[int]:
    """Every process started by ``pid`` (kernels), read from /proc."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


def alive(pid: int) -> bool:
    """Whether ``pid`` is still a running process (a zombie waiting to be reaped is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def survivors(pids: list[int], timeout: float = 20.0) -> list[int]:
    """Those of ``pids`` still running after up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while (left := [p for p in pids if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_versions_complete(edition_dir: Path) -> list[int]:
    """Every visible ``v<N>`` has a manifest and exactly the files it lists, unbroken."""
    found = []
    if not edition_dir.is_dir():
        return found
    for vdir in sorted(edition_dir.glob("v*")):
        manifest = json.loads((vdir / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["version"] == int(vdir.name[1:])
        outputs = manifest["outputs"]
        assert outputs, f"{vdir} lists no outputs"
        for name, digest in outputs.items():
            assert sha(vdir / name) == digest, f"{vdir / name} does not match its manifest"
        on_disk = {str(p.relative_to(vdir)) for p in vdir.rglob("*") if p.is_file()}
        assert on_disk == {*outputs, "manifest.json", "events.json", "notebooks/briefing.ipynb"}
        json.loads((vdir / "events.json").read_text(encoding="utf-8"))
        nbformat.read(vdir / "notebooks" / "briefing.ipynb", as_version=4)
        for name in outputs:
            if name.endswith(".pdf"):
                assert (vdir / name).read_bytes().rstrip().endswith(b"%%EOF")
            else:
                assert (vdir / name).read_text(encoding="utf-8").rstrip().endswith("</html>")
        found.append(int(vdir.name[1:]))
    return found


def wait_for(predicate, proc, timeout=60.0) -> bool:
    """Poll every 5 ms until ``predicate()`` holds; False if the build ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    raise AssertionError("the build neither reached the moment nor ended")


def staging_dirs(edition_dir: Path) -> list[Path]:
    return list(edition_dir.glob(".staging-*")) if edition_dir.is_dir() else []


def staged(edition_dir: Path, pattern: str):
    return lambda: any(any(s.glob(pattern)) for s in staging_dirs(edition_dir))


@pytest.mark.slow
def test_killed_builds_publish_nothing_and_the_next_build_recovers(tmp_path):
    reports = tmp_path / "reports"
    edition_dir = reports / SERIES / EDITION
    staging_appears = lambda p: wait_for(lambda: staging_dirs(edition_dir), p)  # noqa: E731
    html_staged = lambda p: wait_for(staged(edition_dir, "*.html"), p)  # noqa: E731
    executed_staged = lambda p: wait_for(staged(edition_dir, "notebooks/*.ipynb"), p)  # noqa: E731
    # Moments by what the build has done rather than by the clock (a one-notebook build
    # can end within 4 s): starting up, kernels starting, rendering, writing the PDF.
    moments = [
        ("after 0.5 s", lambda p: time.sleep(0.5) or True),
        ("when the staging folder appears", staging_appears),
        ("after 2 s", lambda p: time.sleep(2) or True),
        ("when the executed notebook is staged", executed_staged),
        ("when the HTML is staged", html_staged),
    ]
    orphans = []
    try:
        for label, wait in moments:
            proc = start_build(tmp_path, reports)
            reached = wait(proc)
            if not reached or proc.poll() is not None:
                pytest.fail(f"the build ended before {label}:\n{proc.communicate()[1][-3000:]}")
            kernels = descendants(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            proc.stdout.close(), proc.stderr.close()
            orphans += kernels
            assert proc.returncode == -signal.SIGKILL, label
            # The kernels' host, the kernels and the render workers end with the build.
            assert survivors(kernels) == [], f"{label}: processes outlived the build"
            # Killed before the rename: nothing is visible as a version, complete or not.
            assert assert_versions_complete(edition_dir) == [], label
            if (reports / "index.json").exists():
                assert json.loads((reports / "index.json").read_text())["series"] == []
            # Each build removes the leftovers of the builds killed before it.
            assert len(staging_dirs(edition_dir)) <= 1, label
        # The last kill really left a half-built staging folder for the next build.
        [leftover] = staging_dirs(edition_dir)
        assert list(leftover.glob("*.html")) and not (leftover / "manifest.json").exists()

        proc = start_build(tmp_path, reports)
        out, err = proc.communicate(timeout=180)  # the kills' locks were released
        assert proc.returncode == 0, err
        assert json.loads(out) == {"status": "built", "version": 1, "edition": EDITION}
        assert staging_dirs(edition_dir) == []
        assert assert_versions_complete(edition_dir) == [1]
        manifest = json.loads((edition_dir / "v1" / "manifest.json").read_text())
        assert sorted(manifest["outputs"]) == [
            f"{SERIES}_{EDITION}_v1_briefing.html",
            f"{SERIES}_{EDITION}_v1_briefing.pdf",
        ]
        index = json.loads((reports / "index.json").read_text())
        paths = [v["path"] for s in index["series"] for e in s["editions"] for v in e["versions"]]
        assert paths == [f"{SERIES}/{EDITION}/v1"]
        assert not [
            p for p in reports.iterdir() if p.name.startswith((".index.json.", ".index.html."))
        ]

        # A build killed after the rename but before the index was written: the next
        # build is "up to date", and must still bring the index up to date.
        (reports / "index.json").write_text('{"series": []}')
        proc = start_build(tmp_path, reports)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert json.loads(out)["status"] == "up-to-date"
        index = json.loads((reports / "index.json").read_text())
        assert [v["path"] for v in index["series"][0]["editions"][0]["versions"]] == [
            f"{SERIES}/{EDITION}/v1"
        ]
    finally:
        for pid in orphans:  # processes of the killed builds, should any be left
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def tiny_notebooks(folder: Path) -> Path:
    """A briefing.ipynb with the real parameters cell and one cheap output cell.

    The publishing machinery under test (locks, versions, index) does not depend on what
    a notebook computes, and a cheap notebook lets the test repeat rounds in little time.
    """
    folder.mkdir()
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = new_code_cell(
        'start_date: str = "2025-01-01"\nend_date: str = "2025-05-31"\n'
        'focus: str = "IND"\ncounterpart: str = "AFG"\ndata_dir: str = ""'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell('f"Period {start_date} to {end_date}"')]
    nbformat.write(nb, folder / "briefing.ipynb")
    return folder


def index_paths(reports: Path) -> set[str]:
    index = json.loads((reports / "index.json").read_text(encoding="utf-8"))
    return {v["path"] for s in index["series"] for e in s["editions"] for v in e["versions"]}


@pytest.mark.slow
def test_concurrent_builds_all_succeed_and_the_index_lists_every_version(tmp_path):
    """Five rounds of two builds started at once, into one reports folder:
    the same edition with identical inputs, two different editions, and the same edition
    with different inputs (titles)."""
    nbdir = tiny_notebooks(tmp_path / "nb")
    reports = tmp_path / "reports"
    kinds = ["identical", "two editions", "two titles", "identical", "two editions"]
    expected: set[str] = set()
    for r, kind in enumerate(kinds):
        month = r + 1
        first = (f"2025-{month:02d}-01", f"2025-{month:02d}-28")
        second = (
            (f"2024-{month:02d}-01", f"2024-{month:02d}-28") if kind == "two editions" else first
        )
        titles = ("First title", "Second title") if kind == "two titles" else ("", "")
        procs = [
            start_build(tmp_path, reports, *first, nbdir=nbdir, title=titles[0]),
            start_build(tmp_path, reports, *second, nbdir=nbdir, title=titles[1]),
        ]
        results = []
        for p in procs:
            out, err = p.communicate(timeout=180)
            assert p.returncode == 0, f"round {r} ({kind}): {err}"
            assert "Traceback" not in err
            results.append(json.loads(out))
        ed1, ed2 = f"{first[0]}_{first[1]}", f"{second[0]}_{second[1]}"
        pair = sorted((x["status"], x["version"]) for x in results)
        if kind == "identical":
            # One builds; the other waits for the lock, then finds it up to date.
            assert pair == [("built", 1), ("up-to-date", 1)], f"round {r}: {results}"
            expected.add(f"{SERIES}/{ed1}/v1")
        elif kind == "two titles":
            assert pair == [("built", 1), ("built", 2)], f"round {r}: {results}"
            expected |= {f"{SERIES}/{ed1}/v1", f"{SERIES}/{ed1}/v2"}
        else:
            assert pair == [("built", 1), ("built", 1)], f"round {r}: {results}"
            assert {x["edition"] for x in results} == {ed1, ed2}
            expected |= {f"{SERIES}/{ed1}/v1", f"{SERIES}/{ed2}/v1"}
        # The index lists every version published so far, by every round.
        assert index_paths(reports) == expected, f"round {r}"
        published = {
            str(m.parent.relative_to(reports)) for m in reports.glob("*/*/v*/manifest.json")
        }
        assert published == expected
        for ed_dir in (reports / SERIES).iterdir():
            assert staging_dirs(ed_dir) == []
            assert assert_versions_complete(ed_dir)
    assert len(expected) == 1 + 2 + 2 + 1 + 2


SERIES_DRIVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from helpers.publishing.series import build_series

    reports, notebooks_dir = sys.argv[1:3]
    build_series("2025-01-01", "2025-02-28", "month", dict(
        focus="IND", counterpart="AFG", data_dir="", title="", series="",
        reports_dir=Path(reports), force=True, notebooks=("briefing",),
        notebooks_dir=Path(notebooks_dir)), jobs=2)
    """
)


@pytest.mark.slow
def test_a_killed_series_build_leaves_no_process_behind(tmp_path):
    """Series editions run in worker processes, each with its kernels' host, kernels and
    render workers; killing the command must end all of them."""
    nbdir = tiny_notebooks(tmp_path / "nb")
    nb = nbformat.read(nbdir / "briefing.ipynb", as_version=4)
    nb.cells.append(new_code_cell("import time\ntime.sleep(60)"))  # still running when killed
    nbformat.write(nb, nbdir / "briefing.ipynb")
    reports = tmp_path / "reports"
    proc = subprocess.Popen(
        [sys.executable, "-c", SERIES_DRIVER, str(reports), str(nbdir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )  # fmt: skip
    staged = lambda: any(reports.glob("ind-afg/*/.staging-*"))  # noqa: E731
    processes: list[int] = []
    try:
        if not wait_for(staged, proc, timeout=120):
            pytest.fail(f"the series ended before staging:\n{proc.communicate()[1][-3000:]}")
        time.sleep(3)  # the kernels start, then sleep in their last cell
        processes = descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close(), proc.stderr.close()
        # Each edition: its worker, the kernels' host, a render worker, and by now a kernel.
        assert len(processes) >= 6
        assert survivors(processes) == []
        assert not list(reports.glob("ind-afg/*/v*"))  # the notebooks never finished
    finally:
        for pid in processes:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
