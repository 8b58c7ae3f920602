"""Every enumeration the code copies from ``datapackage.json`` is tied to the schema.

The schema is the one source of truth for the values a column may hold. Where the code
needs them in an order of its own (seniority, display order of groups, the probability
yardstick) it keeps a copy, and each copy is checked here: change the schema and these
tests name the copy to change. A literal compared with an enumerated column anywhere in
the package (``ev["status"] == "scheduled"``) must be one of its values, or the
comparison could never hold.
"""

from __future__ import annotations

import ast
import json

import pytest

from helpers.analysis import network, positions
from helpers.data import dataset, judgements
from helpers.paths import DATA_DIR, PACKAGE_DIR
from helpers.presentation import stakeholder_charts

PACKAGE = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))


def spec(resource: str, name: str) -> dict:
    res = next(r for r in PACKAGE["resources"] if r["name"] == resource)
    return next(f for f in res["schema"]["fields"] if f["name"] == name)


def enum(resource: str, name: str) -> tuple:
    return tuple(spec(resource, name)["constraints"]["enum"])


def test_levels_are_the_level_enumeration_in_seniority_order():
    assert dataset.LEVELS == enum("engagements", "level_from")
    assert dataset.LEVELS == enum("engagements", "level_to")


def test_contact_types_are_event_types():
    assert set(dataset.CONTACT_TYPES) <= set(enum("engagements", "event_type"))


def test_group_order_colours_and_names_cover_the_stakeholder_groups():
    groups = enum("actors", "stakeholder_group")
    assert network.GROUP_ORDER == groups
    assert set(stakeholder_charts.GROUP_COLOURS) == set(groups)
    assert set(stakeholder_charts.GROUP_NAMES) == set(groups)


def test_stance_words_cover_the_stance_range():
    cons = spec("positions", "stance")["constraints"]
    assert set(positions.STANCE_WORDS) == set(range(cons["minimum"], cons["maximum"] + 1))


def test_the_yardstick_and_confidence_are_the_schema_enumerations():
    assert judgements.LIKELIHOODS == enum("judgements", "likelihood")
    assert judgements.CONFIDENCES == enum("judgements", "confidence")


def test_judgement_columns_and_tables_are_the_schema_resources():
    res = next(r for r in PACKAGE["resources"] if r["name"] == "judgements")
    assert dataset.JUDGEMENT_COLUMNS == tuple(f["name"] for f in res["schema"]["fields"])
    assert set(dataset.TABLES) == {r["name"] for r in PACKAGE["resources"]}


def _enumerated_columns() -> dict[str, set[str]]:
    """Column name -> every value an enumeration of that name allows (any table)."""
    out: dict[str, set[str]] = {}
    for res in PACKAGE["resources"]:
        for f in res["schema"]["fields"]:
            values = f.get("constraints", {}).get("enum")
            if values:
                out.setdefault(f["name"], set()).update(str(v) for v in values)
    return out


def _column_of(node: ast.AST) -> str | None:
    """``"status"`` for ``anything["status"]``; None for anything else."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value if isinstance(node.slice.value, str) else None
    return None


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [v for elt in node.elts for v in _literals(elt)]
    return []


def compared_literals() -> list[tuple[str, int, str, str]]:
    """(module, line, column, literal) for every ``x["col"] == "lit"`` (and ``!=``, ``in``,
    ``.isin([...])``) in the package whose column is enumerated in the schema."""
    columns = _enumerated_columns()
    found = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            pairs = []
            if isinstance(node, ast.Compare):
                pairs = [(node.left, c) for c in node.comparators]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "isin"
                and node.args
            ):
                pairs = [(node.func.value, node.args[0])]
            for left, right in pairs:
                col = _column_of(left)
                if col in columns:
                    rel = str(path.relative_to(PACKAGE_DIR))
                    found += [(rel, node.lineno, col, v) for v in _literals(right)]
    return found


def test_the_scan_finds_the_comparisons_it_is_meant_to_check():
    # Known instances, read in the source: front_page.py compares event_type with
    # 'security_incident' and status with 'occurred' (the incidents of page one);
    # context.py compares status with 'scheduled' (superseded announcements).
    seen = {(m.rsplit("/", 1)[-1], col, v) for m, _, col, v in compared_literals()}
    assert ("front_page.py", "event_type", "security_incident") in seen
    assert ("front_page.py", "status", "occurred") in seen
    assert ("context.py", "status", "scheduled") in seen


@pytest.mark.parametrize("column", sorted(_enumerated_columns()))
def test_every_literal_compared_with_an_enumerated_column_is_one_of_its_values(column):
    allowed = _enumerated_columns()[column]
    wrong = [
        f"{module}:{line}: {value!r}"
        for module, line, col, value in compared_literals()
        if col == column and value not in allowed
    ]
    assert wrong == [], f"not a value of {column}: {wrong}"
