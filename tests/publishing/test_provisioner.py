"""How the project's kernels start: the kernel spec, the provisioner, and what a user's
terminal shows for a papermill run (issue 13.4); supported APIs only (issue 14.4)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import nbformat
import pytest

from helpers.paths import NOTEBOOKS_DIR, PACKAGE_DIR, PROJECT_ROOT
from helpers.publishing.provisioner import (
    KERNEL,
    PROVISIONER,
    QuietProvisioner,
    install_kernel_spec,
)

PAPERMILL = str(Path(sys.executable).with_name("papermill"))


def test_the_projects_kernel_spec_selects_the_registered_provisioner():
    from jupyter_client.kernelspec import KernelSpecManager

    # (test_notebooks_clean checks that every notebook names this kernel spec.)
    install_kernel_spec()
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    assert spec.metadata["kernel_provisioner"]["provisioner_name"] == PROVISIONER
    (entry,) = entry_points(group="jupyter_client.kernel_provisioners", name=PROVISIONER)
    assert entry.load() is QuietProvisioner


def test_install_kernel_spec_writes_once_and_mends_a_changed_spec(tmp_path):
    path = install_kernel_spec(str(tmp_path))
    assert path == tmp_path / "share" / "jupyter" / "kernels" / "briefing" / "kernel.json"
    spec = json.loads(path.read_text())
    assert spec["argv"] == ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert spec["metadata"]["kernel_provisioner"]["provisioner_name"] == "briefing-provisioner"
    stamp = path.stat().st_mtime_ns
    install_kernel_spec(str(tmp_path))
    assert path.stat().st_mtime_ns == stamp  # unchanged: not written again
    path.write_text("{}")
    install_kernel_spec(str(tmp_path))
    assert json.loads(path.read_text()) == spec
    assert [p.name for p in path.parent.iterdir()] == ["kernel.json"]  # no temporary left


def _papermill(tmp_path: Path, notebook: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PAPERMILL, str(notebook), str(tmp_path / "out.ipynb")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )


@pytest.mark.slow
def test_a_papermill_run_of_the_briefing_shows_no_kernel_noise(tmp_path):
    """As a user runs it: papermill's own lines only. Over TCP, ipykernel warns that it runs
    without encryption on every start; on shutdown jupyter_client interrupts the kernel,
    which may log "KeyboardInterrupt caught in kernel". Neither is the user's business."""
    proc = _papermill(tmp_path, NOTEBOOKS_DIR / "briefing.ipynb")
    assert proc.returncode == 0, proc.stderr
    assert "[IPKernelApp]" not in proc.stderr
    assert "Executing notebook with kernel: briefing" in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines[:2] == [
        f"Input Notebook:  {NOTEBOOKS_DIR / 'briefing.ipynb'}",
        f"Output Notebook: {tmp_path / 'out.ipynb'}",
    ]
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert outputs and not any(o.get("output_type") == "error" for o in outputs)


def _small(tmp_path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "B", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("import os, signal, sys\nprint('first cell')"),
        nbformat.v4.new_code_cell(source),
        nbformat.v4.new_code_cell("print('never reached')"),
    ]
    path = tmp_path / "dies.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_a_kernel_that_dies_fails_the_papermill_run_with_its_last_output(tmp_path):
    # The kernel's own log (ipykernel captures what cells write to stdout and stderr).
    source = "get_ipython().kernel.log.error('last words')\nos.kill(os.getpid(), 9)"
    proc = _papermill(tmp_path, _small(tmp_path, source))
    assert proc.returncode != 0
    assert f"Input Notebook:  {tmp_path / 'dies.ipynb'}" in proc.stderr
    assert "DeadKernelError: Kernel died" in proc.stderr
    # What the kernel printed stays off the terminal while it runs, and is shown when it
    # dies, with how it ended (SIGKILL: exit status -9).
    assert "the kernel ended unexpectedly (exit status -9); its last output:" in proc.stderr
    assert "    [IPKernelApp] ERROR | last words" in proc.stderr


@pytest.mark.slow
def test_an_interrupted_kernel_fails_the_papermill_run(tmp_path):
    proc = _papermill(tmp_path, _small(tmp_path, "os.kill(os.getpid(), signal.SIGINT)"))
    assert proc.returncode != 0
    assert "KeyboardInterrupt" in proc.stderr
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    [last] = [c for c in executed.cells if c.source == "print('never reached')"]
    assert last.outputs == []  # the notebook stopped at the interrupt


@pytest.mark.slow
@pytest.mark.parametrize("host", [False, True], ids=["started", "forked"])
def test_a_kernel_that_dies_in_a_build_fails_it_naming_the_notebook(tmp_path, host):
    from helpers.publishing.execute import KernelHost, execute_notebooks

    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    _small(notebooks, "os.kill(os.getpid(), 9)").rename(notebooks / "one.ipynb")
    kernel_host = KernelHost([]) if host else None
    try:
        died = r"the kernel running one\.ipynb failed: Kernel died"
        with pytest.raises(RuntimeError, match=died):
            execute_notebooks(
                {}, tmp_path / "out", tmp_path / "failed", names=("one",),
                notebooks_dir=notebooks, host=kernel_host,
            )  # fmt: skip
    finally:
        if kernel_host:
            kernel_host.close()


# -- supported APIs only (issue 14.4) -----------------------------------------------------

ALLOWED = {("os", "_exit")}  # documented public names that start with "_"


def _own_private_names() -> set[str]:
    """Names starting with "_" that the package itself defines (functions, methods,
    attributes it assigns), which it may use anywhere."""
    names: set[str] = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {n for n in names if n.startswith("_")}


def test_the_package_reads_no_private_attribute_of_another_library():
    own = _own_private_names()
    found = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
                continue
            if node.attr.startswith("__") and node.attr.endswith("__"):
                continue
            base = node.value.id if isinstance(node.value, ast.Name) else ""
            if (base, node.attr) in ALLOWED or node.attr in own:
                continue
            found.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} .{node.attr}")
    assert found == []


def test_no_class_overrides_a_private_method_of_a_library_class():
    import importlib
    import inspect

    found = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != name:
                continue
            libraries = [b for b in cls.__mro__[1:] if not b.__module__.startswith("helpers")]
            for attr, value in vars(cls).items():
                # Methods only: metaclasses (abc, traitlets) set private data of their own.
                if inspect.isfunction(value) and attr.startswith("_") and not attr.endswith("__"):
                    if any(attr in vars(b) for b in libraries):
                        found.append(f"{name}.{cls.__name__}.{attr}")
    assert found == []
