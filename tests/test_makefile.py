"""The Makefile's targets as a user calls them.

``make -n`` prints the command a target would run without running it; the briefing
command it prints is then run with ``--dry-run``, which prints the parameters the build
would use, so each test follows a make variable all the way to the build's parameters.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import PROJECT_ROOT

BRIEFING = Path(sys.executable).with_name("briefing")
SPRING = "params/spring-2025.yaml"


def make_n(*args: str, env: dict | None = None) -> list[str]:
    proc = subprocess.run(
        ["make", "-n", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def briefing_command(*make_args: str) -> list[str]:
    """The ``briefing build`` command ``make briefing`` runs, split into arguments."""
    [line] = [x for x in make_n("briefing", *make_args) if "/briefing build" in x]
    argv = shlex.split(line)
    assert argv[0] == ".venv/bin/briefing" and argv[1] == "build", line
    return argv[1:]


def parameters_used(*make_args: str) -> dict[str, str]:
    """What ``make briefing <make_args>`` would build, from the command's dry run."""
    argv = [str(BRIEFING), *briefing_command(*make_args), "--dry-run"]
    proc = subprocess.run(argv, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return dict(line.split(": ", 1) for line in proc.stdout.splitlines())


def test_help_names_every_briefing_variable() -> None:
    listing = subprocess.run(
        ["make", "help"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    ).stdout
    [line] = [x for x in listing.splitlines() if x.split()[:2] == ["make", "briefing"]]
    for variable in ("START=", "END=", "FOCUS=", "COUNTERPART=", "PARAMS="):
        assert variable in line, line


def test_briefing_without_variables_passes_nothing() -> None:
    # The defaults are the notebooks'; the Makefile holds no copy of them.
    assert briefing_command() == ["build"]
    assert parameters_used() == {
        "start_date": '"2025-01-01"',
        "end_date": '"2025-05-31"',
        "focus": '"IND"',
        "counterpart": '"AFG"',
        "data_dir": '""',
        "title": '""',
        "series": '""',
    }


def test_briefing_passes_focus_and_counterpart() -> None:
    assert briefing_command("FOCUS=IRN", "COUNTERPART=PAK") == [
        "build",
        "--focus",
        "IRN",
        "--counterpart",
        "PAK",
    ]
    used = parameters_used("FOCUS=IRN", "COUNTERPART=PAK", "START=2025-04-01", "END=2025-04-30")
    assert (used["focus"], used["counterpart"]) == ('"IRN"', '"PAK"')
    assert (used["start_date"], used["end_date"]) == ('"2025-04-01"', '"2025-04-30"')


def test_briefing_takes_a_parameter_file_and_variables_override_it() -> None:
    used = parameters_used(f"PARAMS={SPRING}")
    # params/spring-2025.yaml, read by hand.
    assert used["start_date"] == '"2025-03-01"' and used["end_date"] == '"2025-05-31"'
    assert used["title"] == '"India and the Taliban government after Pahalgam, spring 2025"'
    both = parameters_used(f"PARAMS={SPRING}", "START=2025-04-01", "FOCUS=PAK")
    assert both["start_date"] == '"2025-04-01"' and both["focus"] == '"PAK"'
    assert both["end_date"] == '"2025-05-31"' and both["title"] == used["title"]


@pytest.mark.parametrize(("uid", "allowed"), [("0", True), ("1000", False)])
def test_lab_allows_root_only_as_root(tmp_path: Path, uid: str, allowed: bool) -> None:
    # A stand-in `id` answers as root or as a normal user.
    fake = tmp_path / "id"
    fake.write_text(f"#!/bin/sh\necho {uid}\n", encoding="utf-8")
    fake.chmod(0o755)
    env = dict(os.environ, PATH=f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    [line] = [x for x in make_n("lab", env=env) if "jupyter lab" in x]
    assert ("--allow-root" in shlex.split(line)) is allowed, line
    assert shlex.split(line)[1:3] == ["lab", "--notebook-dir=notebooks"]


def test_lab_as_this_user() -> None:
    [line] = [x for x in make_n("lab") if "jupyter lab" in x]
    assert ("--allow-root" in line) is (os.geteuid() == 0)


def test_briefing_passes_a_portfolio() -> None:
    assert briefing_command("PAIRS=IND:AFG,PAK:AFG", "EVERY=month") == [
        "build",
        "--pairs",
        "IND:AFG,PAK:AFG",
        "--every",
        "month",
    ]
    used = parameters_used("PAIRS=IND:AFG,PAK:AFG", "START=2025-04-01")
    assert (used["pairs"], used["start_date"]) == ('"IND:AFG,PAK:AFG"', '"2025-04-01"')
    assert "focus" not in used
