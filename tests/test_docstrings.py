"""numpydoc docstrings on the package, checked by ruff's pydocstyle rules (issue 14, point 7).

``pyproject.toml`` selects ``D`` with ``convention = "numpy"``; tests, notebooks and
benchmarks are exempt there (per-file-ignores). The same check runs in ``make lint``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import helpers

PROJECT = Path(helpers.__file__).resolve().parents[2]
CONFIG = PROJECT / "pyproject.toml"


def ruff_d(*paths: Path) -> subprocess.CompletedProcess:
    """Run ``ruff check --select D`` with the project's configuration on ``paths``."""
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(CONFIG)]
        + ["--select", "D", "--output-format", "concise", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )


def test_the_package_passes_pydocstyle_numpy():
    result = ruff_d(PROJECT / "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_fails_on_each_kind_of_bad_docstring(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        '"""A module."""\n\n\n'
        "def undocumented(x):\n    return x\n\n\n"
        'def not_imperative(x):\n    """Returns x."""\n    return x\n\n\n'
        'def summary_runs_on(x):\n    """Return x, which is a long\n    summary.\n    """\n'
        "    return x\n",
        encoding="utf-8",
    )
    result = ruff_d(bad)
    assert result.returncode == 1
    codes = sorted({line.split(" ")[1] for line in result.stdout.splitlines() if ": D" in line})
    # D103 missing docstring, D401 not imperative, D205 no blank line after the summary
    assert codes == ["D103", "D205", "D401"], result.stdout


def test_the_numpy_convention_is_configured(tmp_path):
    # Under the numpy convention an undocumented __init__ (D107) is fine, the class
    # docstring documents it; pep257 or no convention would flag it.
    good = tmp_path / "good.py"
    good.write_text(
        '"""A module."""\n\n\n'
        'class Window:\n    """A period.\n\n    Parameters\n    ----------\n'
        '    start : str\n        First day.\n    """\n\n'
        "    def __init__(self, start):\n        self.start = start\n",
        encoding="utf-8",
    )
    assert ruff_d(good).returncode == 0, ruff_d(good).stdout
    no_convention = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated"]
        + ["--select", "D", "--output-format", "concise", str(good)],
        capture_output=True,
        text=True,
    )
    assert "D107" in no_convention.stdout
