"""Validation fails closed: every schema keyword is checked, or the schema is rejected.

Each test edits the project's ``datapackage.json`` in a copy of the package. Expected
lines were counted by hand in ``data/`` (header = line 1).
"""

from __future__ import annotations

import json

import frictionless
import pytest

from helpers.data.schema_keywords import unsupported_keywords
from helpers.data.validation import validate_package
from helpers.errors import DataValidationError
from helpers.paths import DATA_DIR


def edit_schema(folder, change) -> None:
    """Apply ``change(package)`` to the package's ``datapackage.json``."""
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")


def field(package: dict, resource: str, name: str) -> dict:
    res = next(r for r in package["resources"] if r["name"] == resource)
    return next(f for f in res["schema"]["fields"] if f["name"] == name)


def resource(package: dict, name: str) -> dict:
    return next(r for r in package["resources"] if r["name"] == name)


def schema_errors(folder) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        validate_package(folder)
    return [str(p) for p in info.value.problems]


def test_the_real_schema_uses_only_keywords_the_validator_implements():
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert unsupported_keywords(package) == []


# --- minLength and maxLength, implemented --------------------------------------------------


def test_max_length_on_summary_is_enforced_as_frictionless_enforces_it(make_package):
    # The example: every one of the 18 summaries is longer than 10 characters.
    # The message quotes the first 40 characters of the 113 on line 2.
    folder = make_package()
    edit_schema(
        folder, lambda p: field(p, "engagements", "summary")["constraints"].update(maxLength=10)
    )
    found = validate_package(folder)
    assert len(found) == 18
    assert [p.line for p in found] == list(range(2, 20))
    assert {p.column for p in found} == {"summary"}
    assert str(found[0]) == (
        "engagements.csv, line 2, column summary: 'The Taliban take Kabul and assume power "
        "'… is too long: 113 characters, at most 10"
    )
    report = frictionless.validate(folder / "datapackage.json")
    assert sum(len(t.errors) for t in report.tasks) == 18


def test_lengths_count_characters_and_skip_empty_cells(make_package):
    # sources.csv dateline: line 2 'New Delhi' (9 characters), line 3 empty.
    folder = make_package()
    edit_schema(
        folder, lambda p: field(p, "sources", "dateline").update(constraints={"maxLength": 8})
    )
    assert [str(p) for p in validate_package(folder)] == [
        "sources.csv, line 2, column dateline: 'New Delhi' is too long: 9 characters, at most 8"
    ]
    edit_schema(
        folder,
        lambda p: field(p, "sources", "dateline").update(
            constraints={"maxLength": 9, "minLength": 9}
        ),
    )
    assert validate_package(folder) == []
    # 'Kābul' is 5 characters and 6 UTF-8 bytes: characters are what is counted.
    sources = (folder / "sources.csv").read_text(encoding="utf-8")
    (folder / "sources.csv").write_text(sources.replace(",New Delhi,", ",Kābul,"), encoding="utf-8")
    edit_schema(
        folder,
        lambda p: field(p, "sources", "dateline").update(
            constraints={"minLength": 6, "maxLength": 5}
        ),
    )
    assert [str(p) for p in validate_package(folder)] == [
        "sources.csv, line 2, column dateline: 'Kābul' is too short: 5 characters, at least 6"
    ]


# --- keywords that were ignored before ----------------------------------------------------------


def test_unique_on_a_date_field_is_checked(make_package):
    # positions.csv as_of: 2025-05-31 on lines 4, 5 and 10, 2021-08-31 on 2 and 6,
    # 2025-04-22 on 7, 11 and 12; each repeat is reported.
    folder = make_package()
    edit_schema(folder, lambda p: field(p, "positions", "as_of")["constraints"].update(unique=True))
    found = validate_package(folder)
    assert [(p.line, p.value) for p in found] == [
        (5, "2025-05-31"),
        (6, "2021-08-31"),
        (10, "2025-05-31"),
        (11, "2025-04-22"),
        (12, "2025-04-22"),
    ]


def test_a_pattern_beside_a_list_vocabulary_is_checked_too(make_package):
    # One topic at most: the rows with two or more topics, all in the vocabulary, are on
    # lines 6, 8, 9, 11, 12, 15, 16 and 18 of engagements.csv.
    folder = make_package()
    edit_schema(
        folder,
        lambda p: field(p, "engagements", "topics")["constraints"].update(pattern="^[a-z_]+$"),
    )
    found = validate_package(folder)
    assert [p.line for p in found] == [6, 8, 9, 11, 12, 15, 16, 18]
    assert str(found[0]).startswith(
        "engagements.csv, line 6, column topics: 'security;trade' is not in the expected form"
    )


# --- keywords not implemented: the schema is rejected ------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda p: field(p, "engagements", "summary").update(rdfType="https://schema.org/Text"),
            "datapackage.json: resource 'engagements', field 'summary': schema keyword "
            "'rdfType' is not implemented by the validator, so it would go unchecked; remove "
            "it or implement it in helpers.data.validation",
        ),
        (
            lambda p: field(p, "positions", "stance")["constraints"].update(maxLength=1),
            "datapackage.json: resource 'positions', field 'stance': constraint 'maxLength' is "
            "not implemented by the validator for integer fields",
        ),
        (
            lambda p: field(p, "positions", "as_of")["constraints"].update(minimum="2021-01-01"),
            "datapackage.json: resource 'positions', field 'as_of': constraint 'minimum' is not "
            "implemented by the validator for date fields",
        ),
        (
            lambda p: field(p, "sources", "url").update(type="boolean"),
            "datapackage.json: resource 'sources', field 'url': type 'boolean' is not "
            "implemented by the validator (it reads: string, integer, number, date)",
        ),
        (
            lambda p: field(p, "engagements", "date").update(format="%d/%m/%Y"),
            "datapackage.json: resource 'engagements', field 'date': format '%d/%m/%Y' is not "
            "supported by the validator (it supports: default)",
        ),
        (
            lambda p: resource(p, "actors").update(dialect={"delimiter": ";"}),
            "datapackage.json: resource 'actors': schema keyword 'dialect' is not implemented",
        ),
        (
            lambda p: resource(p, "actors").update(encoding="latin-1"),
            "datapackage.json: resource 'actors': encoding 'latin-1' is not supported by the "
            "validator (it supports: utf-8, utf8)",
        ),
        (
            lambda p: resource(p, "cameo")["schema"].update(missingValues=["", "NA"]),
            "datapackage.json: resource 'cameo': missingValues ['', 'NA'] is not supported",
        ),
        (
            lambda p: resource(p, "cameo")["schema"].update(fieldsMatch="subset"),
            "datapackage.json: resource 'cameo': schema keyword 'fieldsMatch' is not implemented",
        ),
        (
            lambda p: p.update({"x-maintainer": "someone"}),
            "datapackage.json: package: schema keyword 'x-maintainer' is not implemented",
        ),
        (
            lambda p: resource(p, "positions")["schema"]["foreignKeys"][0].update(
                fields=["actor_id", "as_of"],
                reference={"resource": "actors", "fields": ["actor_id", "name"]},
            ),
            "datapackage.json: resource 'positions', foreign key ['actor_id', 'as_of']: only "
            "foreign keys of one field are implemented by the validator",
        ),
        (
            lambda p: field(p, "engagements", "topics").pop("x-list-separator"),
            "datapackage.json: resource 'engagements', field 'topics': x-list-enum and "
            "x-list-reference need an x-list-separator",
        ),
        (
            lambda p: field(p, "judgements", "evidence")["x-list-reference"].update(
                resource="events"
            ),
            "datapackage.json: resource 'judgements', field 'evidence': x-list-reference "
            "names resource 'events', which the package does not have",
        ),
    ],
    ids=[
        "field-keyword",
        "length-on-integer",
        "minimum-on-date",
        "type",
        "date-format",
        "dialect",
        "encoding",
        "missing-values",
        "schema-keyword",
        "package-keyword",
        "multi-field-foreign-key",
        "list-without-separator",
        "list-reference-unknown-resource",
    ],
)
def test_a_keyword_the_validator_does_not_implement_is_an_error(make_package, change, expected):
    folder = make_package()
    edit_schema(folder, change)
    found = schema_errors(folder)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found[0]


def test_the_error_stops_before_the_data_is_checked(make_package):
    # positions.csv line 4 has stance 3 (above the maximum 2) as well: it is not reported
    # against a schema read only in part.
    positions = (DATA_DIR / "positions.csv").read_text(encoding="utf-8")
    folder = make_package(positions=positions.replace("IND,2025-05-31,2,", "IND,2025-05-31,3,"))
    assert "positions.csv, line 4, column stance" in str(validate_package(folder)[0])
    edit_schema(folder, lambda p: field(p, "engagements", "summary").update(rdfType="x"))
    found = schema_errors(folder)
    assert len(found) == 1
    assert "positions.csv" not in found[0]
