"""Which keywords of ``datapackage.json`` the validator understands: it fails closed.

A Table Schema keyword the validator does not act on would otherwise be ignored in
silence (a ``"maxLength": 10`` that frictionless enforces and we do not). So every
keyword of the package, its resources, their schemas, fields, constraints and foreign
keys must be one the validator implements, or one that only describes (``title``,
``description``...); anything else is a problem naming the table, the field and the
keyword. The lists below are what :mod:`helpers.data.validation` implements; a keyword added
there is added here in the same change.
"""

from __future__ import annotations

from ..errors import Problem

SCHEMA_FILE = "datapackage.json"

DESCRIPTIVE = frozenset({"title", "description", "example"})
"""Keywords that only describe: allowed at every level, never checked against data."""

PACKAGE_KEYWORDS = DESCRIPTIVE | {
    "name",
    "profile",
    "licenses",
    "resources",
    "sources",
    "contributors",
    "keywords",
    "version",
    "created",
    "homepage",
    "id",
}
RESOURCE_KEYWORDS = DESCRIPTIVE | {
    "name",
    "path",
    "profile",
    "format",
    "mediatype",
    "encoding",
    "schema",
    "licenses",
    "sources",
}
SCHEMA_KEYWORDS = DESCRIPTIVE | {"fields", "primaryKey", "foreignKeys", "missingValues"}
FIELD_KEYWORDS = DESCRIPTIVE | {
    "name",
    "type",
    "format",
    "constraints",
    "x-form",  # the expected form, quoted in the message for a value that breaks the pattern
    "x-list-separator",
    "x-list-enum",
    "x-list-reference",
}
CONSTRAINTS_BY_TYPE = {
    "string": frozenset({"required", "unique", "enum", "pattern", "minLength", "maxLength"}),
    "integer": frozenset({"required", "unique", "enum", "minimum", "maximum"}),
    "number": frozenset({"required", "unique", "minimum", "maximum"}),
    "date": frozenset({"required", "unique"}),
}
"""Constraints the validator checks, by field type (the types it reads)."""

FIXED_VALUES = {
    ("package", "profile"): {"tabular-data-package", "data-package"},
    ("resource", "profile"): {"tabular-data-resource", "data-resource"},
    ("resource", "encoding"): {"utf-8", "utf8"},
    ("resource", "format"): {"csv", "parquet"},
    ("field", "format"): {"default"},
}
"""Keywords the validator implements for these values only (it reads UTF-8 CSV or
Parquet, dates as YYYY-MM-DD)."""


def _unknown(spec: dict, allowed) -> list[str]:
    return [key for key in spec if key not in allowed]


def _value_problem(where: str, level: str, key: str, value) -> Problem | None:
    fixed = FIXED_VALUES.get((level, key))
    if fixed is None or (isinstance(value, str) and value.lower() in fixed):
        return None
    return Problem(
        SCHEMA_FILE,
        f"{where}: {key} {value!r} is not supported by the validator "
        f"(it supports: {', '.join(sorted(fixed))})",
    )


def _unsupported(where: str, key: str) -> Problem:
    return Problem(
        SCHEMA_FILE,
        f"{where}: schema keyword {key!r} is not implemented by the validator, so it would go "
        "unchecked; remove it or implement it in helpers.data.validation",
    )


def _field_problems(table: str, spec: dict, resources: set[str]) -> list:
    name = spec.get("name", "?")
    where = f"resource {table!r}, field {name!r}"
    out = [_unsupported(where, key) for key in _unknown(spec, FIELD_KEYWORDS)]
    if "format" in spec and (p := _value_problem(where, "field", "format", spec["format"])):
        out.append(p)
    kind = spec.get("type", "string")
    if kind not in CONSTRAINTS_BY_TYPE:
        out.append(
            Problem(
                SCHEMA_FILE,
                f"{where}: type {kind!r} is not implemented by the validator "
                f"(it reads: {', '.join(CONSTRAINTS_BY_TYPE)})",
            )
        )
        return out
    constraints = spec.get("constraints", {})
    for key in constraints:
        if key not in CONSTRAINTS_BY_TYPE[kind]:
            out.append(
                Problem(
                    SCHEMA_FILE,
                    f"{where}: constraint {key!r} is not implemented by the validator for "
                    f"{kind} fields, so it would go unchecked; remove it or implement it in "
                    "helpers.data.validation",
                )
            )
    has_list = "x-list-enum" in spec or "x-list-reference" in spec
    if has_list and not spec.get("x-list-separator"):
        out.append(
            Problem(
                SCHEMA_FILE,
                f"{where}: x-list-enum and x-list-reference need an x-list-separator",
            )
        )
    ref = spec.get("x-list-reference")
    if ref is not None and ref.get("resource") not in resources:
        out.append(
            Problem(
                SCHEMA_FILE,
                f"{where}: x-list-reference names resource {ref.get('resource')!r}, "
                "which the package does not have",
            )
        )
    return out


def _key_fields(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def _foreign_key_problems(table: str, fk: dict, names: set[str], resources: set[str]) -> list:
    where = f"resource {table!r}, foreign key {fk.get('fields')!r}"
    out = [_unsupported(where, key) for key in fk if key not in {"fields", "reference"}]
    ref = fk.get("reference", {})
    out += [_unsupported(where, key) for key in ref if key not in {"resource", "fields"}]
    mine, theirs = _key_fields(fk.get("fields", [])), _key_fields(ref.get("fields", []))
    if len(mine) != 1 or len(theirs) != 1:
        out.append(
            Problem(
                SCHEMA_FILE,
                f"{where}: only foreign keys of one field are implemented by the validator",
            )
        )
    elif mine[0] not in names:
        out.append(Problem(SCHEMA_FILE, f"{where}: {mine[0]!r} is not a field of {table!r}"))
    target = ref.get("resource") or table
    if target not in resources:
        out.append(
            Problem(
                SCHEMA_FILE,
                f"{where}: names resource {target!r}, which the package does not have",
            )
        )
    return out


def _resource_problems(res: dict, resources: set[str]) -> list[Problem]:
    table = res.get("name", "?")
    where = f"resource {table!r}"
    out = [_unsupported(where, key) for key in _unknown(res, RESOURCE_KEYWORDS)]
    for key in ("profile", "encoding", "format"):
        if key in res and (p := _value_problem(where, "resource", key, res[key])):
            out.append(p)
    if not isinstance(res.get("path"), str):
        out.append(Problem(SCHEMA_FILE, f"{where}: path must be one file name"))
    schema = res.get("schema", {})
    out += [_unsupported(where, key) for key in _unknown(schema, SCHEMA_KEYWORDS)]
    if schema.get("missingValues", [""]) != [""]:
        out.append(
            Problem(
                SCHEMA_FILE,
                f"{where}: missingValues {schema['missingValues']!r} is not supported by "
                'the validator (it reads only an empty cell as missing: [""])',
            )
        )
    fields = schema.get("fields", [])
    names = {f.get("name") for f in fields}
    for spec in fields:
        out += _field_problems(table, spec, resources)
    for key in _key_fields(schema.get("primaryKey", [])):
        if key not in names:
            out.append(Problem(SCHEMA_FILE, f"{where}: primary key {key!r} is not a field"))
    for fk in schema.get("foreignKeys", []):
        out += _foreign_key_problems(table, fk, names, resources)
    return out


def unsupported_keywords(package: dict) -> list[Problem]:
    """Every keyword of ``package`` the validator would not check, as problems.

    Parameters
    ----------
    package : dict
        The parsed ``datapackage.json``.

    Returns
    -------
    list of Problem
        One per keyword the validator does not implement (or implements only for other
        values), naming the resource, the field and the keyword; empty when every
        keyword is understood.
    """
    out = [_unsupported("package", key) for key in _unknown(package, PACKAGE_KEYWORDS)]
    profile = package.get("profile")
    if profile is not None and (p := _value_problem("package", "package", "profile", profile)):
        out.append(p)
    resources = package.get("resources", [])
    names = {r.get("name") for r in resources}
    for res in resources:
        out += _resource_problems(res, names)
    return out
