"""The briefing notebook in JupyterLab, driven in a real browser.

A JupyterLab server runs on loopback over a temporary copy of ``notebooks/`` (so running
the notebook never writes outputs into the repository), with every Jupyter config, data,
runtime, settings and workspace folder in a temporary directory so no state leaks in or
out. The kernel is the project's ``briefing`` kernel spec (in this environment's prefix,
see :mod:`helpers.publishing.provisioner`), run by the interpreter running pytest, which is the one
with ``helpers`` installed. Debian's Chromium, driven by Playwright, opens the
notebook, runs all cells from the Run menu and checks what a reader would see.

Without Chromium the test is skipped locally, with :data:`NEEDS_CHROMIUM` as the one line
``make test`` prints about it (the README says the same), and fails when ``CI`` is set, so
CI cannot pass by not running it. A screenshot goes to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS

from helpers.paths import NOTEBOOKS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Printed by `make test` when the browser is missing, and quoted by the README.
NEEDS_CHROMIUM = (
    "the browser test needs Debian's chromium: run .ci/run, or apt-get install chromium"
)
NOTEBOOK = "briefing.ipynb"
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
SCREENSHOT = ARTIFACTS / "jupyterlab_briefing.png"
SERVER_START_TIMEOUT = 60  # seconds for the server to answer /api/status
RUN_TIMEOUT = 120  # seconds for Run All to finish
# Lab settings that make the page deterministic: the notebook's own kernel starts without
# a "Select Kernel" dialog, every cell is attached to the DOM (the default
# content-visibility windowing skips offscreen cells), and no news/update toast covers the
# notebook (nor any request goes to jupyter.org).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab server: where it listens and what it serves."""

    url: str
    token: str
    root: Path


def _chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def in_ci() -> bool:
    """Whether ``CI`` is set (CI services set it to 'true', some to '1')."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _missing(reason: str) -> None:
    """Skip on a workstation; in CI a missing browser is a failure, not a skip."""
    if in_ci():
        pytest.fail(f"{reason}; CI must run the browser test", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    """Path of Debian's Chromium (Playwright's own browser download cannot work here)."""
    path = _chromium()
    if path is None:
        _missing(NEEDS_CHROMIUM)
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 2.0) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status


def _stop(proc: subprocess.Popen, url: str, token: str) -> None:
    """Shut the server down politely (kernels included), then firmly."""
    try:
        request = urllib.request.Request(
            f"{url}/api/shutdown", method="POST", headers={"Authorization": f"token {token}"}
        )
        urllib.request.urlopen(request, timeout=5).close()
    except (urllib.error.URLError, OSError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    # The server leads its own process group; take any orphaned kernel down with it.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


@pytest.fixture
def lab(tmp_path: Path, chromium: str):
    """Start JupyterLab on loopback over a copy of notebooks/; stop it at teardown."""
    root = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    dirs = {name: tmp_path / name for name in ("config", "data", "runtime", "ipython")}
    for d in dirs.values():
        d.mkdir()
    settings = tmp_path / "lab-settings"
    for plugin, values in LAB_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")

    port, token = _free_port(), secrets.token_hex(24)
    url = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        IPYTHONDIR=str(dirs["ipython"]),
        # The venv's tools first, so the kernel's interpreter is this one.
        PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_TOKEN", None)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.extensions_in_dev_mode=False",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={tmp_path / 'lab-workspaces'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")  # CI containers run as root
    log_path = tmp_path / "jupyterlab.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"JupyterLab exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}"
                )
            try:
                if _get(f"{url}/api/status?token={token}") == 200:
                    break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer in {SERVER_START_TIMEOUT} s")
            time.sleep(0.2)
        yield Lab(url=url, token=token, root=root)
    finally:
        _stop(proc, url, token)


@pytest.fixture
def page(chromium: str, tmp_path: Path):
    """A Chromium page with a fresh profile; the browser closes at teardown."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[browser]')")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=chromium,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1800},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def _wait_for_kernel(lab: Lab, path: str, timeout: float) -> None:
    """Wait until the server reports the notebook's kernel idle with the page connected.

    The lab's own status shows "Idle" before any kernel exists, and a Run All issued
    then is lost, so ask the server instead.
    """
    request = urllib.request.Request(
        f"{lab.url}/api/sessions", headers={"Authorization": f"token {lab.token}"}
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(request, timeout=5) as response:
            sessions = json.load(response)
        for s in sessions:
            kernel = s.get("kernel") or {}
            if (
                s.get("path") == path
                and kernel.get("execution_state") == "idle"
                and kernel.get("connections", 0) >= 1
            ):
                return
        time.sleep(0.25)
    pytest.fail(f"no idle kernel connected to {path} after {timeout} s")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _png_count(nb: dict) -> int:
    """PNG images among a notebook's outputs: image/png bundles and inline data: URIs."""
    count = 0
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            count += "image/png" in data
            html = data.get("text/html", "")
            count += len(re.findall(r"src=[\"']data:image/png", "".join(html)))
    return count


# The run is over when the kernel is idle, no cell is queued or running ([*]:) and at
# least one has run. A cell that raises ends Run All early, leaving the rest at [ ]:,
# so this does not wait for every cell; the test then says which one failed.
RUN_OVER = """() => {
    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
        .map(p => p.textContent.trim());
    const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
    return status !== null && status.getAttribute('data-status') === 'idle'
        && !prompts.includes('[*]:') && prompts.some(p => /^\\[\\d+\\]:$/.test(p));
}"""
ERROR_OUTPUTS = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def test_briefing_runs_in_jupyterlab(lab: Lab, page) -> None:
    repo_notebook = NOTEBOOKS_DIR / NOTEBOOK
    before = _sha256(repo_notebook)
    ARTIFACTS.mkdir(exist_ok=True)
    notebook = page.locator(".jp-NotebookPanel .jp-Notebook")
    try:
        page.goto(f"{lab.url}/lab/tree/{NOTEBOOK}?token={lab.token}")
        page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=60_000)
        _wait_for_kernel(lab, NOTEBOOK, timeout=60)
        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
        page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
        page.wait_for_function(RUN_OVER, timeout=RUN_TIMEOUT * 1000, polling=250)
    finally:
        # A screenshot either way: on failure it shows where the run stopped.
        try:
            page.locator("ul.key-points").scroll_into_view_if_needed(timeout=2_000)
        except Exception:  # noqa: BLE001 - nothing to scroll to when the run failed
            pass
        page.screenshot(path=str(SCREENSHOT))

    errors = [t for t in page.locator(ERROR_OUTPUTS).all_inner_texts() if "Error" in t]
    assert not errors, "a cell raised in JupyterLab:\n" + "\n".join(errors)[-3000:]
    prompts = [p.strip() for p in page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()]
    assert all(re.fullmatch(r"\[\d+\]:", p) for p in prompts), f"cells not run: {prompts}"

    text = notebook.inner_text()
    assert "Traceback" not in text
    # Page one as generated from the default period's data: the dyad, and the
    # minister-level call as its most senior contact.
    for expected in (
        "Summary",
        "India and Afghanistan: engagement briefing",
        "at minister level, the most senior contact between India and Afghanistan",
    ):
        assert expected in text
    summary = notebook.locator("p.summary")
    assert summary.count() >= 3

    # Save from the lab, then compare what the kernel produced with what the page shows.
    page.locator('.jp-NotebookPanel-toolbar [data-command="docmanager:save"]').click()
    saved_path = lab.root / NOTEBOOK
    deadline = time.monotonic() + 20
    while True:
        try:
            saved = json.loads(saved_path.read_text(encoding="utf-8"))
        except ValueError:  # caught while the lab was writing it: not saved yet
            saved = {"cells": []}
        if any(c.get("outputs") for c in saved["cells"]):
            break
        assert time.monotonic() < deadline, "the lab did not save the executed notebook"
        time.sleep(0.25)
    produced = _png_count(saved)
    shown = notebook.locator('img[src^="data:image/png"]')
    assert shown.count() == produced, f"kernel produced {produced} PNGs, page shows {shown.count()}"
    for i in range(produced):
        assert shown.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    sources = "".join("".join(c["source"]) for c in saved["cells"] if c["cell_type"] == "code")
    if re.search(r"\w*chart\w*\(", sources):
        assert produced >= 1, "the notebook draws a chart but no PNG reached the page"

    assert _sha256(repo_notebook) == before, "running in the lab changed notebooks/"
