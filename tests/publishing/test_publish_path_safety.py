"""No parameter or name can make a build write outside ``reports/``.

Each attempt must be refused with a message saying what is wrong, before anything is
written: the reports folder is not even created, and its parent is left as it was.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers.cli import main
from helpers.data.parameters import ParameterError
from helpers.publishing.build import BuildRequest, build
from helpers.publishing.publish import PublishError

SAFE_NAME_RULE = "use 1-64 lower-case letters, digits, '-' or '_' (no '/', '..' or absolute paths)"


def tree(folder: Path) -> dict[str, tuple]:
    """Every path under ``folder`` with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.is_dir(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
    }


@pytest.fixture
def place(tmp_path):
    """``reports`` inside an otherwise empty parent; parameter files kept elsewhere."""
    parent = tmp_path / "parent"
    parent.mkdir()
    (parent / "keep.txt").write_text("unchanged")
    params = tmp_path / "params"
    params.mkdir()
    return parent, parent / "reports", params


def assert_nothing_written(tmp_path, parent, before):
    assert tree(parent) == before
    assert not (parent / "reports").exists()
    names = {p.name for p in tmp_path.rglob("*")}
    assert not names & {"evil", "outside", "abs", "_failed", "index.json"}, names


@pytest.mark.parametrize(
    "series",
    [
        "../evil",
        "../../evil",
        "..",
        ".",
        "ABSOLUTE",  # replaced by an absolute path inside tmp_path
        "ind/afg",
        "ind\\afg",
        "ind-afg/../../evil",
        "ind-afg\n",
        "~evil",
    ],
)
def test_build_refuses_series_that_are_not_one_plain_name(tmp_path, place, series):
    if series == "ABSOLUTE":
        series = str(tmp_path / "abs")
    parent, reports, _ = place
    before = tree(parent)
    with pytest.raises(PublishError) as info:
        build(BuildRequest("2025-01-01", "2025-05-31", series=series, reports_dir=reports))
    assert str(info.value) == f"series {series!r} is not allowed: {SAFE_NAME_RULE}"
    assert_nothing_written(tmp_path, parent, before)


@pytest.mark.parametrize("name", ["../evil", "/tmp/evil", "sub/briefing", ""])
def test_build_refuses_notebook_names_with_paths(tmp_path, place, name):
    parent, reports, _ = place
    before = tree(parent)
    with pytest.raises(PublishError, match=f"notebook {name!r} is not allowed"):
        build(BuildRequest("2025-01-01", "2025-05-31", reports_dir=reports, notebooks=(name,)))
    assert_nothing_written(tmp_path, parent, before)


@pytest.mark.parametrize(
    "focus, counterpart, bad",
    [
        ("IND/../../evil", "AFG", "focus 'IND/../../evil'"),
        ("../IND", "AFG", "focus '../IND'"),
        ("/IND", "AFG", "focus '/IND'"),
        ("IND", "AFG/x", "counterpart 'AFG/x'"),
        ("IND", "..", "counterpart '..'"),
    ],
)
def test_build_refuses_focus_codes_with_separators(tmp_path, place, focus, counterpart, bad):
    parent, reports, _ = place
    before = tree(parent)
    req = BuildRequest("2025-01-01", "2025-05-31", focus, counterpart, reports_dir=reports)
    with pytest.raises(ParameterError) as info:
        build(req)
    assert str(info.value).startswith(f"{bad} is not a stakeholder in actors.csv; valid codes:")
    assert_nothing_written(tmp_path, parent, before)


def write_params(folder: Path, text: str) -> Path:
    path = folder / "named.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "yaml_text, message",
    [
        ("series: ../evil\n", f"series '../evil' is not allowed: {SAFE_NAME_RULE}"),
        ("series: /tmp/evil\n", "series '/tmp/evil' is not allowed"),
        ("series: ind/afg\n", "series 'ind/afg' is not allowed"),
        ('series: "ind-afg\\n"\n', "series 'ind-afg\\n' is not allowed"),
        ("series: ..\n", "series '..' is not allowed"),
        ("focus: IND/../evil\n", "focus 'IND/../evil' is not a stakeholder in actors.csv"),
        ("counterpart: ../AFG\n", "counterpart '../AFG' is not a stakeholder in actors.csv"),
    ],
)
def test_cli_refuses_with_exit_2_and_writes_nothing(tmp_path, place, capsys, yaml_text, message):
    parent, reports, params = place
    before = tree(parent)
    path = write_params(params, yaml_text)
    code = main(["build", "--params", str(path), "--reports-dir", str(reports)])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("error: ")
    assert message in err
    assert "nothing was" in err
    assert out == ""
    assert_nothing_written(tmp_path, parent, before)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--focus", "IND/../../evil"], "focus 'IND/../../evil' is not a stakeholder"),
        (["--counterpart", "/etc"], "counterpart '/etc' is not a stakeholder"),
    ],
)
def test_cli_refuses_focus_options_with_separators(tmp_path, place, capsys, args, message):
    parent, reports, _ = place
    before = tree(parent)
    assert main(["build", *args, "--reports-dir", str(reports)]) == 2
    assert message in capsys.readouterr().err
    assert_nothing_written(tmp_path, parent, before)


def test_console_script_exits_2_for_a_series_outside_reports(tmp_path, place):
    parent, reports, params = place
    before = tree(parent)
    path = write_params(params, "series: ../../evil\ntitle: t\n")
    proc = subprocess.run(
        [Path(sys.executable).with_name("briefing"), "build", "--params", str(path),
         "--reports-dir", str(reports)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (
        f"error: series '../../evil' is not allowed: {SAFE_NAME_RULE}\nnothing was published.\n"
    )
    assert proc.stdout == ""
    assert_nothing_written(tmp_path, parent, before)
