"""Parameter checks (helpers.data.parameters): every error names the parameter and the value."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from helpers.data.parameters import Focus, ParameterError, check_focus, parse_date, parse_window

T = pd.Timestamp


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # Month 13 and 30 February have the right shape but are not days of the calendar.
        ("2025-13-01", "start_date '2025-13-01' is not a real calendar date"),
        ("2025-02-30", "start_date '2025-02-30' is not a real calendar date"),
        # 2025 is not a leap year.
        ("2025-02-29", "start_date '2025-02-29' is not a real calendar date"),
        ("2025-04-31", "start_date '2025-04-31' is not a real calendar date"),
        # Not the YYYY-MM-DD shape at all.
        ("tomorrow", "start_date 'tomorrow' is not a date in the form YYYY-MM-DD"),
        ("2025-5-1", "start_date '2025-5-1' is not a date in the form YYYY-MM-DD"),
        ("01/05/2025", "start_date '01/05/2025' is not a date in the form YYYY-MM-DD"),
        ("", "start_date '' is not a date in the form YYYY-MM-DD"),
    ],
)
def test_parse_date_errors(value, message):
    with pytest.raises(ParameterError) as info:
        parse_date(value, "start_date")
    assert str(info.value) == message


def test_parse_date_names_the_parameter_it_was_given():
    with pytest.raises(ParameterError, match=r"^end_date 'soon' "):
        parse_date("soon", "end_date")


def test_parse_date_accepts_leap_day_and_surrounding_space():
    assert parse_date("2024-02-29", "start_date") == T("2024-02-29")
    assert parse_date(" 2025-05-31 ", "end_date") == T("2025-05-31")


def test_parse_date_accepts_a_date_object():
    # YAML parameter files turn 2025-05-01 into a datetime.date before papermill sees it.
    assert parse_date(dt.date(2025, 5, 1), "start_date") == T("2025-05-01")


def test_parse_window_start_after_end():
    with pytest.raises(ParameterError) as info:
        parse_window("2025-06-01", "2025-05-01")
    assert "start_date 2025-06-01 is after end_date 2025-05-01" in str(info.value)


def test_parse_window_checks_the_end_date_too():
    with pytest.raises(ParameterError, match=r"^end_date '2025-02-30' is not a real calendar"):
        parse_window("2025-01-01", "2025-02-30")


def test_parse_window_allows_a_one_day_period():
    w = parse_window("2025-03-10", "2025-03-10")
    assert (w.start, w.end) == (T("2025-03-10"), T("2025-03-10"))


STAKEHOLDERS = ["IND", "PAK", "AFG", "CHN"]


def test_check_focus_unknown_focus_lists_the_valid_codes_sorted():
    with pytest.raises(ParameterError) as info:
        check_focus("INDIA", "AFG", STAKEHOLDERS)
    # Sorted by hand: AFG, CHN, IND, PAK.
    assert str(info.value) == (
        "focus 'INDIA' is not a stakeholder in actors.csv; valid codes: AFG, CHN, IND, PAK"
    )


def test_check_focus_unknown_counterpart_lists_the_valid_codes():
    with pytest.raises(ParameterError) as info:
        check_focus("IND", "TALIBAN", STAKEHOLDERS)
    assert str(info.value).startswith("counterpart 'TALIBAN' is not a stakeholder")
    assert str(info.value).endswith("valid codes: AFG, CHN, IND, PAK")


def test_check_focus_same_stakeholder_twice():
    with pytest.raises(ParameterError, match="focus and counterpart are both 'IND'"):
        check_focus("IND", "IND", STAKEHOLDERS)


def test_check_focus_codes_are_case_sensitive():
    with pytest.raises(ParameterError, match="focus 'ind' is not a stakeholder"):
        check_focus("ind", "AFG", STAKEHOLDERS)


def test_check_focus_returns_the_stripped_dyad():
    assert check_focus(" IND", "AFG ", STAKEHOLDERS) == Focus("IND", "AFG")


# --- a portfolio's pairs (issue 18) ----------------------------------------------------

from helpers.data.parameters import parse_pairs  # noqa: E402 - grouped with its tests


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("IND:AFG", [("IND", "AFG")]),
        # Order is kept: it is the order the portfolio is planned and reported in.
        ("PAK:AFG,IND:AFG", [("PAK", "AFG"), ("IND", "AFG")]),
        # Spaces around items and codes are not part of the codes.
        (" IND:AFG , IRN : AFG ", [("IND", "AFG"), ("IRN", "AFG")]),
        ("IND_CRITICS:IND", [("IND_CRITICS", "IND")]),
        # The same two codes both ways are two different pairs.
        ("IND:AFG,AFG:IND", [("IND", "AFG"), ("AFG", "IND")]),
    ],
)
def test_parse_pairs_reads_focus_counterpart_items_in_order(text, pairs):
    assert parse_pairs(text) == pairs


FORM = "write FOCUS:COUNTERPART (two actor codes joined by ':', pairs separated by ','"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "--pairs is empty; give pairs as FOCUS:COUNTERPART,..."),
        ("  ", "--pairs is empty; give pairs as FOCUS:COUNTERPART,..."),
        ("IND-AFG", f"--pairs: 'IND-AFG' in 'IND-AFG' is not a pair; {FORM}"),
        ("IND:AFG,PAK", f"--pairs: 'PAK' in 'IND:AFG,PAK' is not a pair; {FORM}"),
        ("IND:AFG:PAK", f"--pairs: 'IND:AFG:PAK' in 'IND:AFG:PAK' is not a pair; {FORM}"),
        ("IND:AFG,,PAK:AFG", f"--pairs: '' in 'IND:AFG,,PAK:AFG' is not a pair; {FORM}"),
        ("IND:", f"--pairs: 'IND:' in 'IND:' is not a pair; {FORM}"),
        ("IND:AF G", f"--pairs: 'IND:AF G' in 'IND:AF G' is not a pair; {FORM}"),
        ("IND:AFG;PAK:AFG", "--pairs: 'IND:AFG;PAK:AFG' in 'IND:AFG;PAK:AFG' is not a pair"),
        ("IND:AFG,PAK:AFG,IND:AFG", "--pairs: the pair 'IND:AFG' is given twice"),
    ],
)
def test_parse_pairs_names_the_bad_item(text, message):
    with pytest.raises(ParameterError) as err:
        parse_pairs(text)
    assert str(err.value).startswith(message)


def test_parse_pairs_names_where_the_value_came_from():
    with pytest.raises(ParameterError, match=r"^params/x\.yaml, key pairs: 'IND' in 'IND'"):
        parse_pairs("IND", "params/x.yaml, key pairs")
