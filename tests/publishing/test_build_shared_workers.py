"""Builds in a row sharing one kernel host and render pool (what a series worker does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.publishing.build import BuildRequest, SharedWorkers, build
from helpers.publishing.execute import NotebookFailed

pytestmark = pytest.mark.slow

FAILING = Path(__file__).parents[1] / "fixtures" / "notebooks_failing"


def _quiet(msg: str) -> None:
    pass


def test_builds_in_a_row_share_a_host_and_pool_and_a_failure_replaces_them(tmp_path):
    workers = SharedWorkers()
    try:
        first = build(
            BuildRequest("2025-01-01", "2025-03-31", reports_dir=tmp_path), _quiet, workers
        )
        host, pool = workers.host, workers.pool
        assert host._proc.poll() is None  # still running for the next build
        second = build(
            BuildRequest("2025-04-01", "2025-05-31", reports_dir=tmp_path), _quiet, workers
        )
        assert (workers.host, workers.pool) == (host, pool)
        for result, label in (
            (first, "1 January – 31 March 2025"),
            (second, "1 April – 31 May 2025"),
        ):
            assert result.status == "built" and len(result.outputs) == 6
            html = next(result.path.glob("*_briefing.html")).read_text(encoding="utf-8")
            assert label in html
            assert next(result.path.glob("*_timeline.pdf")).read_bytes().startswith(b"%PDF-")
        # A build that fails ends them (no kernel or page of it may linger) ...
        with pytest.raises(NotebookFailed):
            build(
                BuildRequest(
                    "2025-01-01",
                    "2025-05-31",
                    reports_dir=tmp_path / "failing",
                    notebooks=("briefing",),
                    notebooks_dir=FAILING,
                ),  # fmt: skip
                _quiet,
                workers,
            )
        assert workers.host is None and host._proc.poll() is not None
        # ... and the next build starts new ones.
        third = build(
            BuildRequest("2025-02-01", "2025-02-28", reports_dir=tmp_path), _quiet, workers
        )
        assert third.status == "built" and workers.host not in (None, host)
    finally:
        workers.close()
    assert workers.host is None
