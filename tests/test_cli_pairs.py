"""``briefing build --pairs`` and the ``pairs:`` key of a parameter file (issue 18).

Everything here is refused or resolved before a build starts, so it runs in-process
through :func:`helpers.cli.main` and builds nothing.
"""

from __future__ import annotations

import pytest

from helpers import cli

PORTFOLIO = "IND:AFG,PAK:AFG,IRN:AFG,CHN:AFG"


def main(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(["build", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def dry_run(capsys, tmp_path, *argv) -> dict[str, str]:
    code, out, err = main(capsys, *argv, "--dry-run", "--reports-dir", str(tmp_path / "r"))
    assert code == 0, err
    return dict(line.split(": ", 1) for line in out.splitlines())


def write(tmp_path, text: str, name: str = "portfolio.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_pairs_on_the_command_line_replace_focus_and_counterpart(capsys, tmp_path):
    shown = dry_run(capsys, tmp_path, "--pairs", PORTFOLIO, "--start", "2025-02-01")
    assert shown["pairs"] == f'"{PORTFOLIO}"'
    assert shown["start_date"] == '"2025-02-01"'
    # A portfolio's dry run is a parameter file for the portfolio: no single pair in it.
    assert "focus" not in shown and "counterpart" not in shown


def test_a_single_pair_build_shows_no_pairs_key(capsys, tmp_path):
    shown = dry_run(capsys, tmp_path, "--focus", "IRN")
    assert (shown["focus"], "pairs" in shown) == ('"IRN"', False)


@pytest.mark.parametrize(
    "text",
    [
        f'pairs: "{PORTFOLIO}"\nstart_date: "2025-01-01"\n',
        # A YAML list of items reads the same.
        'pairs: ["IND:AFG", "PAK:AFG", "IRN:AFG", "CHN:AFG"]\nstart_date: "2025-01-01"\n',
        "pairs:\n  - IND:AFG\n  - PAK:AFG\n  - IRN:AFG\n  - CHN:AFG\nstart_date: 2025-01-01\n",
    ],
)
def test_a_parameter_file_may_name_the_pairs(capsys, tmp_path, text):
    shown = dry_run(capsys, tmp_path, "--params", str(write(tmp_path, text)))
    assert shown["pairs"] == f'"{PORTFOLIO}"'
    assert shown["start_date"] == '"2025-01-01"'


def test_the_command_line_choice_of_pair_replaces_the_files(capsys, tmp_path):
    portfolio = write(tmp_path, 'pairs: "IND:AFG,PAK:AFG"\n')
    one = dry_run(capsys, tmp_path, "--params", str(portfolio), "--focus", "IRN")
    assert "pairs" not in one and one["focus"] == '"IRN"'
    single = write(tmp_path, "focus: IRN\ncounterpart: PAK\n", "single.yaml")
    many = dry_run(capsys, tmp_path, "--params", str(single), "--pairs", "CHN:AFG")
    assert many["pairs"] == '"CHN:AFG"' and "focus" not in many


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--pairs", "IND:AFG", "--focus", "IND"],
            "--pairs names each pair's focus and counterpart; leave out --focus",
        ),
        (
            ["--pairs", "IND:AFG", "--focus", "IND", "--counterpart", "AFG"],
            "--pairs names each pair's focus and counterpart; leave out --focus and --counterpart",
        ),
        (["--pairs", ""], "--pairs is empty; give pairs as FOCUS:COUNTERPART,..."),
        (["--pairs", "IND AFG"], "--pairs: 'IND AFG' in 'IND AFG' is not a pair"),
        (["--pairs", "IND:AFG,IND:AFG"], "--pairs: the pair 'IND:AFG' is given twice"),
        # The codes are checked against the data before anything runs.
        (["--pairs", "IND:AFG,PAK:XYZ"], "pair PAK:XYZ: counterpart 'XYZ' is not a stakeholder"),
        (["--pairs", "IND:AFG,AFG:AFG"], "pair AFG:AFG: focus and counterpart are both 'AFG'"),
        (
            ["--pairs", "IND:AFG", "--start", "2025-02-30"],
            "start_date '2025-02-30' is not a real calendar date",
        ),
    ],
)
def test_bad_pairs_exit_2_naming_the_value_and_build_nothing(capsys, tmp_path, argv, message):
    reports = tmp_path / "reports"
    code, out, err = main(capsys, *argv, "--every", "month", "--reports-dir", str(reports))
    assert code == 2
    assert err.startswith(f"error: {message}"), err
    assert err.endswith("nothing was built or published.\n")
    assert out == ""
    assert not reports.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('pairs: "IND:AFG,PAK"\n', "key pairs: 'PAK' in 'IND:AFG,PAK' is not a pair"),
        ("pairs: \n", "key pairs is empty"),
        ('pairs: "IND:AFG"\nfocus: IND\n', "gives both pairs and focus; "),
        ('pairs: "IND:AFG"\nfocus: IND\ncounterpart: AFG\n', "gives both pairs and focus and"),
    ],
)
def test_a_bad_pairs_key_names_the_file(capsys, tmp_path, text, message):
    path = write(tmp_path, text)
    code, out, err = main(capsys, "--params", str(path), "--reports-dir", str(tmp_path / "r"))
    assert code == 2
    assert err.startswith(f"error: parameter file {path}"), err
    assert message in err
    assert not (tmp_path / "r").exists()
