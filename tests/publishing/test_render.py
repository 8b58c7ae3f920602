"""Rendering in worker processes: pages, hashes, errors and the end of the workers.

The executed notebooks here are written directly (outputs included), so no kernel runs.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import nbformat
import pytest

from helpers.publishing.render import (
    RENDER_NICENESS,
    PageInfo,
    RenderPool,
    RenderWorkerDied,
    UnsafeOutputError,
    render_files,
)

pytestmark = pytest.mark.slow


def executed_notebook(path: Path, html_output: str) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show()", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html_output})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Heading"), cell]
    nbformat.write(nb, path)
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pages_rendered_in_workers_are_written_hashed_and_equal_to_this_process(tmp_path):
    notebook = executed_notebook(tmp_path / "a.ipynb", "<p>Forty-two rows</p>")
    page = PageInfo(title="A title", appendix_html="<p>Appendix</p>", version_label="v1")
    with RenderPool(2) as pool:
        pool.start()
        jobs = [pool.submit(notebook, page, tmp_path / f"{n}.html", tmp_path / f"{n}.pdf")
                for n in ("w1", "w2")]  # fmt: skip
        hashes = [job.result(timeout=300) for job in jobs]
        # Workers yield the cores to the kernels (a lower priority than the build's).
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        worker = os.getpriority(os.PRIO_PROCESS, pool._first.pid)
        assert worker == min(mine + RENDER_NICENESS, 19) > mine
    for name, (html_hash, pdf_hash) in zip(("w1", "w2"), hashes):
        html, pdf = tmp_path / f"{name}.html", tmp_path / f"{name}.pdf"
        assert (html_hash, pdf_hash) == (sha(html), sha(pdf))
        text = html.read_text(encoding="utf-8")
        assert "Forty-two rows" in text and "Appendix" in text and "A title" in text
        assert pdf.read_bytes().startswith(b"%PDF-")
    # The same page rendered here is byte for byte what the workers wrote.
    assert render_files(notebook, page, tmp_path / "here.html", tmp_path / "here.pdf") == hashes[0]
    assert hashes[0] == hashes[1]


def test_a_page_with_script_fails_in_the_worker_with_its_error_and_writes_nothing(tmp_path):
    notebook = executed_notebook(tmp_path / "a.ipynb", "<p>ok</p><script>alert(1)</script>")
    html, pdf = tmp_path / "a.html", tmp_path / "a.pdf"
    with RenderPool(1) as pool:
        job = pool.submit(notebook, PageInfo(title="Hostile"), html, pdf)
        error = job.exception(timeout=300)
    assert isinstance(error, UnsafeOutputError)
    assert str(error).startswith("Hostile: the rendered HTML contains a <script> element")
    assert not html.exists() and not pdf.exists()


def test_pages_fail_when_the_workers_die_and_later_ones_fail_at_once(tmp_path):
    notebook = executed_notebook(tmp_path / "a.ipynb", "<p>ok</p>")
    pool = RenderPool(2)
    pool._first.kill()  # before it warmed up: no worker will ever take a page
    pool._first.join()
    first = pool.submit(notebook, PageInfo(title="T"), tmp_path / "a.html", tmp_path / "a.pdf")
    assert isinstance(first.exception(timeout=60), RenderWorkerDied)
    later = pool.submit(notebook, PageInfo(title="T"), tmp_path / "b.html", tmp_path / "b.pdf")
    assert later.done() and isinstance(later.exception(), RenderWorkerDied)
    pool.close()
    assert not (tmp_path / "a.html").exists()


def test_a_pool_closed_before_it_started_ends_its_worker(tmp_path):
    pool = RenderPool(2)
    pool.close()
    assert pool._first.exitcode == 0  # it read the end message, not a page
    with pytest.raises(RuntimeError, match="closed"):
        pool.submit(tmp_path / "a.ipynb", PageInfo(title="T"), tmp_path / "a.html", tmp_path / "b")
