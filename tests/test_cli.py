"""The ``briefing`` command as a user runs it: a real subprocess, all three notebooks."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

BRIEFING = str(Path(sys.executable).with_name("briefing"))
EDITION = "ind-afg 2025-01-01_2025-05-31"
ALLOWED = "counterpart, data_dir, end_date, focus, pairs, series, start_date, title"


def run(tmp_path, *args, timeout=300):
    return subprocess.run(
        [BRIEFING, *args], capture_output=True, text=True, cwd=tmp_path, timeout=timeout
    )


def snapshot(reports: Path) -> dict[str, str]:
    return {
        str(p.relative_to(reports)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_second_build_with_nothing_changed_is_up_to_date_and_executes_nothing(tmp_path):
    reports = tmp_path / "reports"
    first = run(tmp_path, "build", "--reports-dir", str(reports))
    assert first.returncode == 0, first.stderr
    v1 = reports / "ind-afg" / "2025-01-01_2025-05-31" / "v1"
    assert first.stdout.startswith(f"built {EDITION} v1 in ")
    assert first.stdout.endswith(f" s: {v1}\n")
    assert "executing 3 notebooks" in first.stderr
    names = sorted(p.name for p in v1.glob("*_v1_*"))
    assert names == [
        f"ind-afg_2025-01-01_2025-05-31_v1_{n}.{ext}"
        for n in ("briefing", "stakeholders", "timeline")
        for ext in ("html", "pdf")
    ]
    before = snapshot(reports)

    second = run(tmp_path, "build", "--reports-dir", str(reports))
    assert second.returncode == 0, second.stderr
    assert second.stdout == f"up to date: same as v1 ({EDITION}, {v1}); nothing executed\n"
    # No progress at all: no kernel started, nothing rendered.
    assert second.stderr == ""
    assert snapshot(reports) == before  # same files, same bytes; no v2, no staging
    assert not (reports / "_failed").exists()


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "start_date: 2025-01-01\ncolour: red\nend_date: 2025-05-31\n",
            "unknown key(s) colour; allowed: " + ALLOWED,
        ),
        ("focus: IND\nFocus: AFG\n", "unknown key(s) Focus; allowed: "),
        ("start_date: [2025\n", "is not valid YAML"),
        ("- start_date\n- end_date\n", "must hold key: value pairs"),
    ],
)
def test_bad_params_file_exits_2_naming_the_file(tmp_path, text, message):
    path = tmp_path / "named params.yaml"
    path.write_text(text, encoding="utf-8")
    reports = tmp_path / "reports"
    proc = run(tmp_path, "build", "--params", str(path), "--reports-dir", str(reports), timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"error: parameter file {path}")
    assert message in proc.stderr
    assert proc.stderr.endswith("nothing was built or published.\n")
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert not reports.exists()


def test_missing_params_file_exits_2(tmp_path):
    path = tmp_path / "absent.yaml"
    proc = run(tmp_path, "build", "--params", str(path), "--reports-dir", str(tmp_path / "r"))
    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: parameter file {path} does not exist\nnothing was built or published.\n"
    )
