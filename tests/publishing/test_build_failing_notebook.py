"""A notebook that raises stops the build, is kept for inspection and publishes nothing.

The fixture ``tests/fixtures/notebooks_failing/briefing.ipynb`` has five cells: markdown,
parameters, a print, ``raise RuntimeError("deliberate failure in the fourth cell")`` and a
print that must never run. Papermill inserts its injected-parameters cell after the
parameters cell, so in the executed notebook the raising cell is the fifth.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from helpers.publishing.build import BuildRequest, build
from helpers.publishing.execute import NotebookFailed

FAILING = Path(__file__).parents[1] / "fixtures" / "notebooks_failing"
SERIES, EDITION = "ind-afg", "2025-01-01_2025-05-31"
CELL = "cell 4"
ERROR = "RuntimeError: deliberate failure in the fourth cell"

# The command line, with the build limited to one briefing notebook from the folder given
# first: the defaults of BuildRequest change (the class stays picklable for the --every
# worker processes).
CLI = textwrap.dedent(
    """
    import inspect, sys
    from pathlib import Path
    from helpers.publishing.build import BuildRequest
    init = BuildRequest.__init__
    names = [p.name for p in inspect.signature(init).parameters.values()
             if p.default is not inspect.Parameter.empty]
    defaults = dict(zip(names, init.__defaults__))
    defaults.update(notebooks=("briefing",), notebooks_dir=Path(sys.argv[1]))
    init.__defaults__ = tuple(defaults[n] for n in names)
    from helpers.cli import main
    sys.exit(main(sys.argv[2:]))
    """
)


def assert_nothing_published(reports: Path) -> None:
    assert not list(reports.glob("*/*/v*")), "a failed build published a version"
    assert not list(reports.glob("*/*/.staging-*")), "a failed build left its staging folder"
    assert not (reports / "index.json").exists()


def assert_kept_with_error(kept: Path, period: str = "2025-01-01 to 2025-05-31") -> None:
    nb = nbformat.read(kept, as_version=4)
    by_source = {c.source: c for c in nb.cells}
    raising = by_source['raise RuntimeError("deliberate failure in the fourth cell")']
    [err] = raising.outputs
    assert err.output_type == "error"
    assert (err.ename, err.evalue) == ("RuntimeError", "deliberate failure in the fourth cell")
    [out] = by_source['print(f"period {start_date} to {end_date}")'].outputs
    assert out.text == f"period {period}\n"
    assert by_source['print("never reached")'].outputs == []
    # The cells papermill adds (parameters, error banners) are marked as such; without
    # them the raising cell is the fourth, as the message says.
    added = {"injected-parameters", "papermill-error-cell-tag"}
    own = [c for c in nb.cells if not added & set(c.metadata.get("tags", []))]
    assert own.index(raising) == 3


@pytest.mark.slow
def test_build_stops_names_notebook_and_cell_keeps_it_and_publishes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    reports = tmp_path / "reports"
    req = BuildRequest(
        "2025-01-01",
        "2025-05-31",
        reports_dir=reports,
        notebooks=("briefing",),
        notebooks_dir=FAILING,
    )
    with pytest.raises(NotebookFailed) as info:
        build(req, progress=lambda msg: None)
    kept = reports / "_failed" / f"{SERIES}_{EDITION}" / "briefing.ipynb"
    message = str(info.value)
    assert message.startswith(f"notebook briefing.ipynb failed in {CELL} (")
    assert "starting 'raise RuntimeError(" in message
    assert message.split("\n")[0].endswith(ERROR)
    assert f"kept at {kept}" in message
    assert info.value.notebook == "briefing" and info.value.kept == kept
    assert_kept_with_error(kept)
    assert_nothing_published(reports)
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set for the kernels, then restored


def test_notebook_failed_survives_pickling():
    """Series builds run editions in worker processes and get their errors by pickle."""
    import pickle

    err = NotebookFailed("briefing", "notebook briefing.ipynb failed in cell 4", Path("/x"))
    back = pickle.loads(pickle.dumps(err))
    assert (type(back), str(back), back.notebook, back.kept) == (
        NotebookFailed,
        "notebook briefing.ipynb failed in cell 4",
        "briefing",
        Path("/x"),
    )


def run_cli(tmp_path, *args, notebooks=FAILING):
    return subprocess.run(
        [sys.executable, "-c", CLI, str(notebooks), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )


@pytest.mark.slow
def test_cli_exits_1_with_the_message_and_publishes_nothing(tmp_path):
    reports = tmp_path / "reports"
    proc = run_cli(tmp_path, "build", "--reports-dir", str(reports))
    assert proc.returncode == 1, proc.stderr
    assert f"error: notebook briefing.ipynb failed in {CELL} (" in proc.stderr
    assert ERROR in proc.stderr
    assert "nothing was published." in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert_kept_with_error(reports / "_failed" / f"{SERIES}_{EDITION}" / "briefing.ipynb")
    assert_nothing_published(reports)


@pytest.mark.slow
def test_cli_series_build_reports_the_notebook_not_a_broken_pool(tmp_path):
    """With --every the editions run in worker processes; the failure must still name
    the notebook and the cell (it used to arrive as "BrokenProcessPool")."""
    reports = tmp_path / "reports"
    proc = run_cli(
        tmp_path,
        "build", "--start", "2025-01-01", "--end", "2025-01-31", "--every", "month",
        "--jobs", "1", "--reports-dir", str(reports),
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    # Each edition of a series reports its own failure, named by series and edition.
    edition = f"{SERIES} 2025-01-01_2025-01-31"
    assert f"error: {edition}: notebook briefing.ipynb failed in {CELL} (" in proc.stderr
    assert ERROR in proc.stderr
    assert proc.stderr.endswith("1 of 1 editions failed; nothing was published.\n")
    assert proc.stdout.startswith(f"failed {edition}: notebook briefing.ipynb failed in {CELL}")
    assert "BrokenProcessPool" not in proc.stderr and "abruptly" not in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    kept = reports / "_failed" / f"{SERIES}_2025-01-01_2025-01-31" / "briefing.ipynb"
    assert_kept_with_error(kept, "2025-01-01 to 2025-01-31")
    assert_nothing_published(reports)


@pytest.mark.slow
def test_cli_exits_1_when_a_page_fails_its_check_after_running_and_publishes_nothing(tmp_path):
    """The notebook runs, but its page holds a script: rendering refuses it (in a render
    worker, while the build goes on), and the build stops with that message."""
    source = nbformat.read(FAILING / "briefing.ipynb", as_version=4)
    params = next(c for c in source.cells if "parameters" in c.metadata.get("tags", []))
    nb = nbformat.v4.new_notebook(metadata=source.metadata)
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            'from IPython.display import HTML\nHTML("<p>fine</p><script>alert(1)</script>")'
        ),
    ]
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    nbformat.write(nb, hostile / "briefing.ipynb")
    reports = tmp_path / "reports"
    proc = run_cli(tmp_path, "build", "--reports-dir", str(reports), notebooks=hostile)
    assert proc.returncode == 1, proc.stderr
    assert "contains a <script> element" in proc.stderr
    assert proc.stderr.startswith("building ind-afg 2025-01-01_2025-05-31 as version 1\n")
    assert "\n  executed briefing (" in proc.stderr
    assert "rendered briefing" not in proc.stderr
    assert proc.stderr.rstrip().endswith("nothing was published.")
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert_nothing_published(reports)
    assert not (reports / "_failed").exists()  # it ran: nothing to keep for inspection
