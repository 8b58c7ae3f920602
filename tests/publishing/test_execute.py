"""Executing notebooks: what a kernel process prints itself stays out of the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import nbformat
import pytest

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("host", ["", "KernelHost([])"], ids=["started", "forked"])
def test_kernel_process_output_does_not_reach_the_builder(tmp_path, host):
    # A cell writes to the kernel's own stderr (fd 2), as ipykernel does when it prints a
    # shutdown traceback; a notebook output is printed normally for contrast.
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = "import os\nos.write(2, b'KERNEL-NOISE\\n')\nprint('cell output')"
    nb.cells = [nbformat.v4.new_code_cell(source)]
    notebooks, out, failed = tmp_path / "nbs", tmp_path / "out", tmp_path / "failed"
    notebooks.mkdir()
    nbformat.write(nb, notebooks / "briefing.ipynb")
    driver = textwrap.dedent(
        f"""
        from pathlib import Path
        from helpers.publishing.execute import KernelHost, execute_notebooks
        execute_notebooks({{}}, Path({str(out)!r}), Path({str(failed)!r}),
                          names=("briefing",), notebooks_dir=Path({str(notebooks)!r}),
                          host={host or None})
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", driver], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "KERNEL-NOISE" not in proc.stderr
    (cell,) = nbformat.read(out / "briefing.ipynb", as_version=4).cells
    assert [o.get("text") for o in cell.outputs] == ["cell output\n"]  # the notebook's own


def _notebook(folder, name, *sources, parameters=""):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    cells = [nbformat.v4.new_code_cell(s) for s in sources]
    if parameters:
        cell = nbformat.v4.new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        cells.insert(0, cell)
    nb.cells = cells
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


def test_notebook_imports_lists_the_modules_of_code_cells_only(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("import not_code"),
        nbformat.v4.new_code_cell("import os, json as j\nfrom helpers import display as ui"),
        nbformat.v4.new_code_cell(
            "from .relative import x\nfrom helpers.data.context import prepare"
        ),
        nbformat.v4.new_code_cell("def broken(:"),  # the kernel reports it, not this
    ]
    nbformat.write(nb, tmp_path / "a.ipynb")
    from helpers.publishing.execute import notebook_imports

    found = notebook_imports([tmp_path / "a.ipynb", tmp_path / "missing.ipynb"])
    # "from pkg import name": both pkg and pkg.name, since name may be a module.
    assert found == [
        "helpers",
        "helpers.data.context",
        "helpers.data.context.prepare",
        "helpers.display",
        "json",
        "os",
    ]


REPORT = (
    "import os, sys\n"
    "print(os.getppid(), 'colorsys' in sys.modules, os.environ.get('SOURCE_DATE_EPOCH'),"
    " os.environ.get('JPY_PARENT_PID'), os.environ.get('BRIEFING_TEST_MARK', '-').split()[0])"
)


def test_kernels_forked_from_a_host_start_with_its_imports_and_the_build_environment(
    tmp_path, monkeypatch
):
    """Each kernel is a child of the host, finds the host's imports done, and runs with
    the environment of the build at the moment it starts (set after the host started),
    as a kernel started the usual way would."""
    from helpers.publishing.execute import KernelHost, execute_notebooks

    notebooks, out = tmp_path / "nbs", tmp_path / "out"
    for name in ("one", "two"):
        _notebook(notebooks, name, REPORT)
    # colorsys: a standard module nothing here imports, unless the host preloads it.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with KernelHost(["colorsys", "no_such_module_anywhere"]) as host:
        monkeypatch.setenv("BRIEFING_TEST_MARK", "set after the host started")
        executed = execute_notebooks(
            {}, out, tmp_path / "failed", names=("one", "two"), notebooks_dir=notebooks,
            host=host, page_time=1234567890,
        )  # fmt: skip
        host_pid = host._proc.pid
    # The page time went to the kernels' environment, never to this process's.
    assert "SOURCE_DATE_EPOCH" not in os.environ
    for name in ("one", "two"):
        (cell,) = nbformat.read(executed[name], as_version=4).cells
        [output] = cell.outputs
        assert output.text == f"{host_pid} True 1234567890 {host_pid} set\n"


def test_kernels_forked_from_a_host_hand_freed_memory_back_after_each_cell(tmp_path):
    from helpers.publishing.execute import KernelHost, execute_notebooks

    notebooks = tmp_path / "nbs"
    _notebook(
        notebooks,
        "one",
        "print([f.__qualname__.split('.')[0]"
        " for f in get_ipython().events.callbacks['post_run_cell']])",
    )
    with KernelHost([]) as host:
        executed = execute_notebooks(
            {}, tmp_path / "out", tmp_path / "failed", names=("one",), notebooks_dir=notebooks,
            host=host,
        )  # fmt: skip
    (cell,) = nbformat.read(executed["one"], as_version=4).cells
    assert "'_trim_after_each_cell'" in cell.outputs[0].text


def test_a_kernel_started_the_usual_way_when_the_host_is_gone(tmp_path):
    from helpers.publishing.execute import KernelHost, execute_notebooks

    notebooks = tmp_path / "nbs"
    _notebook(notebooks, "one", REPORT)
    host = KernelHost(["colorsys"])
    host._proc.kill()
    host._proc.wait()
    executed = execute_notebooks(
        {}, tmp_path / "out", tmp_path / "failed", names=("one",), notebooks_dir=notebooks,
        host=host,
    )  # fmt: skip
    host.close()
    (cell,) = nbformat.read(executed["one"], as_version=4).cells
    ppid, preloaded, _, parent, _ = cell.outputs[0].text.split()
    # Not the host's child: this process started it, without the host's imports.
    assert int(ppid) == int(parent) and int(ppid) != host._proc.pid
    assert preloaded == "False"


def test_host_refuses_kernel_commands_it_does_not_run(tmp_path):
    from helpers.publishing.execute import KernelHost

    with KernelHost([]) as host:
        assert host.can_run([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"])
        assert not host.can_run(["/bin/sh", "-m", "ipykernel_launcher"])
        assert not host.can_run([sys.executable, "-m", "other_kernel"])
        assert host.launch(["/bin/sh", "-c", "true"], {}, "", str(tmp_path / "log")) is None


def test_settle_record_takes_out_the_clock_and_the_staging_folder(tmp_path):
    # A notebook as papermill leaves it: timings in its own and each cell's metadata, the
    # kernel's execution times, a random id on the cell it adds, the staging path.
    from helpers.publishing.execute import settle_record

    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {
        "start_time": "2026-11-25T20:12:04.164734+00:00",
        "end_time": "2026-11-25T20:12:05.1+00:00",
        "duration": 0.9,
        "output_path": "/reports/x/.staging-k3j2/notebooks/timeline.ipynb",
        "parameters": {"start_date": "2025-02-01"},
    }
    injected = nbformat.v4.new_code_cell("start_date = '2025-02-01'")
    injected.id = "a00335ad"
    injected.metadata["tags"] = ["injected-parameters"]
    own = nbformat.v4.new_code_cell("1 + 1")
    own.id = "sum"
    for cell in (injected, own):
        cell.metadata["execution"] = {"iopub.status.busy": "2026-11-25T20:12:04.1Z"}
        cell.metadata["papermill"] = {"duration": 0.01, "exception": False, "status": "completed"}
    nb.cells = [injected, own]
    path = tmp_path / "timeline.ipynb"
    nbformat.write(nb, path)

    settle_record(path, "notebooks/timeline.ipynb")
    settled = nbformat.read(path, as_version=4)
    assert settled.metadata["papermill"] == {
        "output_path": "notebooks/timeline.ipynb",
        "parameters": {"start_date": "2025-02-01"},
    }
    assert [c.id for c in settled.cells] == ["injected-parameters", "sum"]
    for cell in settled.cells:
        assert "execution" not in cell.metadata
        assert cell.metadata["papermill"] == {"exception": False, "status": "completed"}
    # Settling twice changes nothing: the bytes are a function of the content alone.
    once = path.read_bytes()
    settle_record(path, "notebooks/timeline.ipynb")
    assert path.read_bytes() == once


def test_built_at_follows_a_pinned_source_date_epoch(monkeypatch):
    from helpers.publishing.build import built_at

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748736000")  # 20,240 days: 1 June 2025
    assert built_at() == "2025-06-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH must be whole seconds"):
        built_at()
