"""The bad-input corpus through the command line, as a user meets it.

For every case in ``tests/bad_inputs`` (see its README): ``briefing build`` (and, for a
data case, ``briefing validate``) runs as a subprocess; a bad case must exit 2 with each
expected message on stderr, no traceback, and publish nothing, leaving a version built
before it byte for byte as it was. An ``expect_ok`` case must build and exit 0.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import build_package

from helpers.publishing.build import BuildRequest, build

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "case.json").is_file())
BRIEFING = str(Path(sys.executable).with_name("briefing"))

# `briefing` with the build limited to the briefing notebook, for the cases that must
# build successfully (a full three-notebook build per case would take minutes). The
# command line itself (arguments, messages, exit codes) is the real one.
BRIEFING_ONLY = textwrap.dedent(
    """
    import inspect, sys
    from helpers.publishing.build import BuildRequest
    init = BuildRequest.__init__
    names = [p.name for p in inspect.signature(init).parameters.values()
             if p.default is not inspect.Parameter.empty]
    defaults = dict(zip(names, init.__defaults__))
    defaults["notebooks"] = ("briefing",)
    init.__defaults__ = tuple(defaults[n] for n in names)
    from helpers.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def load_case(folder: Path) -> dict:
    return json.loads((folder / "case.json").read_text(encoding="utf-8"))


def package_for(folder: Path, dest: Path) -> Path:
    """The real package with the case's files copied over it as bytes."""
    build_package(dest)
    for path in folder.iterdir():
        if path.name != "case.json" and path.is_file():
            shutil.copyfile(path, dest / path.name)
    return dest


def snapshot(reports: Path) -> dict[str, str]:
    """sha256 of every file under ``reports`` (locks excluded: they are never content)."""
    return {
        str(p.relative_to(reports)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A reports folder holding one good version, built before any bad input."""
    reports = tmp_path_factory.mktemp("published") / "reports"
    result = build(
        BuildRequest("2025-01-01", "2025-05-31", reports_dir=reports, notebooks=("briefing",)),
        progress=lambda msg: None,
    )
    assert result.status == "built"
    return reports, result.path


def build_args(case: dict, data_dir: Path | None, reports: Path) -> list[str]:
    args = ["build", "--reports-dir", str(reports)]
    if data_dir is not None:
        args += ["--data-dir", str(data_dir)]
    option = {"start_date": "--start", "end_date": "--end", "focus": "--focus"}
    option["counterpart"] = "--counterpart"
    for key, value in case.get("params", {}).items():
        args += [option[key], value]
    return args


def without_heading(stderr: str) -> str:
    """stderr minus its first line, which names the package folder: tmp_path contains
    the case's name and could satisfy an expectation by accident."""
    return stderr.split("\n", 1)[1] if "\n" in stderr else ""


def run_all(commands: list[list[str]], cwd: Path) -> list[subprocess.CompletedProcess]:
    """Run the commands side by side (one case's build and validate) and wait for all."""
    procs = [
        subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
        for c in commands
    ]
    done = []
    for cmd, p in zip(commands, procs):
        out, err = p.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(cmd, p.returncode, out, err))
    return done


BAD = [p for p in CASES if not load_case(p).get("expect_ok")]
OK = [p for p in CASES if load_case(p).get("expect_ok")]


@pytest.mark.slow
@pytest.mark.parametrize("folder", BAD, ids=[p.name for p in BAD])
def test_bad_case_exits_2_with_its_message_and_publishes_nothing(folder, tmp_path, published):
    reports, version = published
    case = load_case(folder)
    before = snapshot(reports)
    data_dir = package_for(folder, tmp_path / "pkg") if case["kind"] == "data" else None
    commands = [[BRIEFING, *build_args(case, data_dir, reports)]]
    if data_dir is not None:
        commands.append([BRIEFING, "validate", "--data-dir", str(data_dir)])
    for proc in run_all(commands, tmp_path):
        what = proc.args[1]  # build or validate
        assert proc.returncode == 2, f"{what}: exit {proc.returncode}\n{proc.stderr}"
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
        assert proc.stdout == ""
        assert proc.stderr.startswith("error: ")
        message = without_heading(proc.stderr) if case["kind"] == "data" else proc.stderr
        for expected in case["expect"]:
            assert expected in message, f"{what}: expected {expected!r} in:\n{proc.stderr}"
        if what == "build":
            assert proc.stderr.rstrip().endswith("nothing was built or published.")
    # Nothing new anywhere, and the version built before is byte for byte the same.
    assert snapshot(reports) == before
    assert sorted(p.name for p in version.parent.iterdir() if p.name.startswith("v")) == ["v1"]


@pytest.mark.slow
@pytest.mark.parametrize("folder", OK, ids=[p.name for p in OK])
def test_ok_case_builds_and_exits_0(folder, tmp_path, published):
    reports, version = published
    case = load_case(folder)
    old = {k: v for k, v in snapshot(reports).items() if k.startswith("ind-afg/2025-01-01_")}
    data_dir = package_for(folder, tmp_path / "pkg") if case["kind"] == "data" else None
    commands = [[sys.executable, "-c", BRIEFING_ONLY, *build_args(case, data_dir, reports)]]
    if data_dir is not None:
        commands.append([BRIEFING, "validate", "--data-dir", str(data_dir)])
    results = run_all(commands, tmp_path)
    for proc in results:
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
    edition = f"{case['params']['start_date']}_{case['params']['end_date']}"
    assert results[0].stdout.startswith(f"built ind-afg {edition} v1 in ")
    if data_dir is not None:
        assert results[1].stdout == f"{data_dir}: valid\n"
    new = reports / "ind-afg" / edition / "v1"
    manifest = json.loads((new / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["summary"]["events"] == case["expect_events"]
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((new / name).read_bytes()).hexdigest() == digest
    after = snapshot(reports)
    assert {k: v for k, v in after.items() if k.startswith("ind-afg/2025-01-01_")} == old
