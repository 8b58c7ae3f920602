"""Planning a series or portfolio (helpers.publishing.series.plan_builds, issue 18).

Planning checks the data and every pair once and returns the editions in order; a bad
input raises before anything is built. No build runs here.
"""

from __future__ import annotations

import pytest

from helpers.cli import result_line
from helpers.errors import DataValidationError, ParameterError
from helpers.publishing.build import BuildRequest
from helpers.publishing.series import failed_result, plan_builds, split_periods


def request(tmp_path, **kw) -> BuildRequest:
    base = dict(start_date="2025-01-01", end_date="2025-05-31", reports_dir=tmp_path / "r")
    return BuildRequest(**{**base, **kw})


def planned(requests) -> list[tuple[str, str, str, str]]:
    return [(r.focus, r.counterpart, r.start_date, r.end_date) for r in requests]


def test_a_portfolio_is_planned_pair_by_pair_each_in_date_order(tmp_path):
    req = request(tmp_path, start_date="2025-03-15", end_date="2025-05-10", title="T")
    plan = plan_builds(req, "month", [("PAK", "AFG"), ("IND", "AFG")])
    # Months clipped to the window: 15-31 March, April, 1-10 May; pairs as given.
    assert planned(plan) == [
        ("PAK", "AFG", "2025-03-15", "2025-03-31"),
        ("PAK", "AFG", "2025-04-01", "2025-04-30"),
        ("PAK", "AFG", "2025-05-01", "2025-05-10"),
        ("IND", "AFG", "2025-03-15", "2025-03-31"),
        ("IND", "AFG", "2025-04-01", "2025-04-30"),
        ("IND", "AFG", "2025-05-01", "2025-05-10"),
    ]
    # Everything else is the request's, for every edition.
    assert {(r.title, r.reports_dir, r.force, r.series) for r in plan} == {
        ("T", tmp_path / "r", False, "")
    }


def test_without_every_each_pair_gets_one_edition_of_the_whole_window(tmp_path):
    plan = plan_builds(request(tmp_path), None, [("IRN", "AFG"), ("CHN", "AFG")])
    assert planned(plan) == [
        ("IRN", "AFG", "2025-01-01", "2025-05-31"),
        ("CHN", "AFG", "2025-01-01", "2025-05-31"),
    ]


def test_without_pairs_the_request_is_the_one_pair(tmp_path):
    plan = plan_builds(request(tmp_path, focus="IND", counterpart="AFG"), "quarter")
    # Q1 whole, Q2 clipped at 31 May.
    assert planned(plan) == [
        ("IND", "AFG", "2025-01-01", "2025-03-31"),
        ("IND", "AFG", "2025-04-01", "2025-05-31"),
    ]


def test_split_periods_clips_quarters_and_months():
    assert split_periods("2025-02-10", "2025-07-05", "quarter") == [
        ("2025-02-10", "2025-03-31"),
        ("2025-04-01", "2025-06-30"),
        ("2025-07-01", "2025-07-05"),
    ]
    assert split_periods("2024-02-01", "2024-02-29", "month") == [("2024-02-01", "2024-02-29")]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (
            [("IND", "AFG"), ("IND", "XYZ")],
            "pair IND:XYZ: counterpart 'XYZ' is not a stakeholder in actors.csv; valid codes: "
            "AFG, CHN, IND, IND_CRITICS, IRN, PAHALGAM_ATTACKERS, PAK, TTP, UN, WEST",
        ),
        # Codes are exact: the actors' table writes them in capitals.
        ([("ind", "AFG"), ("PAK", "AFG")], "pair ind:AFG: focus 'ind' is not a stakeholder"),
        # A ministry is an actor but not a top-level stakeholder.
        ([("PAK", "AFG"), ("IND_MEA", "AFG")], "pair IND_MEA:AFG: focus 'IND_MEA' is not a"),
        (
            [("IND", "AFG"), ("PAK", "PAK")],
            "pair PAK:PAK: focus and counterpart are both 'PAK'; choose two stakeholders",
        ),
    ],
)
def test_a_bad_pair_is_named_and_nothing_is_planned(tmp_path, pairs, message):
    with pytest.raises(ParameterError) as err:
        plan_builds(request(tmp_path), "month", pairs)
    assert str(err.value).startswith(message)
    assert not (tmp_path / "r").exists()


def test_a_bad_window_is_refused_before_the_data_is_read(tmp_path):
    with pytest.raises(ParameterError, match="start_date 2025-06-01 is after end_date"):
        plan_builds(request(tmp_path, start_date="2025-06-01"), "month", [("IND", "AFG")])


def test_one_series_name_cannot_hold_several_pairs(tmp_path):
    with pytest.raises(ParameterError, match="series 'mine' names one pair's folder"):
        plan_builds(request(tmp_path, series="mine"), None, [("IND", "AFG"), ("PAK", "AFG")])
    # For one pair it is allowed, as for a series build.
    [one] = plan_builds(request(tmp_path, series="mine"), None, [("IND", "AFG")])
    assert one.series == "mine"


def test_bad_data_fails_the_plan_once(tmp_path, make_package):
    broken = make_package(actors="actor_id,name\n")  # required columns missing
    with pytest.raises(DataValidationError):
        plan_builds(request(tmp_path, data_dir=str(broken)), "month", [("IND", "AFG")])
    assert not (tmp_path / "r").exists()


def test_a_failed_result_names_the_edition_and_the_first_line_of_the_error(tmp_path):
    req = request(tmp_path, focus="PAK", counterpart="AFG", end_date="2025-01-31")
    r = failed_result(req, RuntimeError("kernel died\ntraceback..."), 2.5)
    assert (r.status, r.series, r.edition, r.version) == (
        "failed", "pak-afg", "2025-01-01_2025-01-31", 0,
    )  # fmt: skip
    assert r.error == "kernel died\ntraceback..."
    assert r.path == tmp_path / "r" / "pak-afg" / "2025-01-01_2025-01-31"
    # The command's line for it gives the first line; the whole error goes to stderr.
    assert result_line(r) == (
        "failed pak-afg 2025-01-01_2025-01-31: kernel died; nothing of it was published"
    )
