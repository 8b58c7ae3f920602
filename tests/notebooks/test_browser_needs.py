"""What a user is told when the browser test cannot run.

``make test`` on a machine without Chromium skips the browser test and prints one line
saying what it needs and how to get it; the README says the same line. With ``CI`` set
the missing browser is a failure. The browser test is run here in a child pytest whose
only change is that no Chromium is found (a plugin replaces ``_chromium``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import test_browser
from test_browser import NEEDS_CHROMIUM, in_ci

from helpers.paths import PROJECT_ROOT

BROWSER_TEST = str(Path(test_browser.__file__).resolve().relative_to(PROJECT_ROOT))
HIDE_CHROMIUM = """
def pytest_collection_modifyitems(items):
    for item in items:
        item.module._chromium = lambda: None
"""


def _browser_test_without_chromium(tmp_path: Path, ci: str | None):
    (tmp_path / "hide_chromium.py").write_text(HIDE_CHROMIUM, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), env.get("PYTHONPATH")]))
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", BROWSER_TEST, "-p", "hide_chromium"]
        + ["-p", "no:cacheprovider"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_readme_has_the_line() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert NEEDS_CHROMIUM in readme


def test_a_missing_browser_is_one_skip_line(tmp_path: Path) -> None:
    proc = _browser_test_without_chromium(tmp_path, ci=None)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    skipped = [line for line in proc.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1, proc.stdout
    assert skipped[0].endswith(f": {NEEDS_CHROMIUM}"), skipped[0]


@pytest.mark.parametrize("ci", ["true", "1"])
def test_a_missing_browser_fails_in_ci(tmp_path: Path, ci: str) -> None:
    proc = _browser_test_without_chromium(tmp_path, ci=ci)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{NEEDS_CHROMIUM}; CI must run the browser test" in proc.stdout
    assert "SKIPPED" not in proc.stdout


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), ("false", False), ("0", False), ("true", True), ("1", True)],
)
def test_ci_is_set(monkeypatch, value: str | None, expected: bool) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert in_ci() is expected
