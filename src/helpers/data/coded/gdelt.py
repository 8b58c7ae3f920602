"""GDELT event files: GDELT 2.0 exports and GDELT 1.0 daily files.

Per the GDELT event codebooks: tab-separated, no header, one event per line.

- GDELT 2.0 ``YYYYMMDDHHMMSS.export.CSV`` (usually zipped): 61 columns.
- GDELT 1.0 daily ``YYYYMMDD.export.CSV``: the same columns without the three
  ``*Geo_ADM2Code`` columns, 58 in all; the historical back files also lack
  ``SOURCEURL`` (57).

The version is told from the first line's field count; a file whose first line has
another count, or whose first two fields are not an event id and a YYYYMMDD date, is
not a GDELT events file (a mentions or GKG file, say) and is refused whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .report import FileReport, FormatError
from .rows import as_raw
from .tabfile import head_lines, tab_batches

_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]  # fmt: skip
_GEO2 = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]


def _columns(adm2: bool, url: bool) -> list[str]:
    geo = _GEO2 if adm2 else [g for g in _GEO2 if g != "ADM2Code"]
    return [
        "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
        *(f"Actor1{a}" for a in _ACTOR), *(f"Actor2{a}" for a in _ACTOR),
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
        "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
        *(f"{who}Geo_{g}" for who in ("Actor1", "Actor2", "Action") for g in geo),
        "DATEADDED", *(["SOURCEURL"] if url else []),
    ]  # fmt: skip


VERSIONS = {61: _columns(True, True), 58: _columns(False, True), 57: _columns(False, False)}
"""Field count -> column names: GDELT 2.0 (61), GDELT 1.0 daily (58) and back files (57)."""

RAW_FROM = {
    "event_id": "GLOBALEVENTID",
    "date": "SQLDATE",
    "actor1_code": "Actor1Code",
    "actor1_name": "Actor1Name",
    "actor1_country": "Actor1CountryCode",
    "actor1_group": "Actor1KnownGroupCode",
    "actor2_code": "Actor2Code",
    "actor2_name": "Actor2Name",
    "actor2_country": "Actor2CountryCode",
    "actor2_group": "Actor2KnownGroupCode",
    "cameo_code": "EventCode",
    "goldstein": "GoldsteinScale",
    "quad_class": "QuadClass",
    "mentions": "NumMentions",
    "sources": "NumSources",
    "articles": "NumArticles",
    "tone": "AvgTone",
    "source_url": "SOURCEURL",
}
"""Raw column -> GDELT column."""

DATASET = "gdelt"
PLOVER = False


def recognise(path: Path) -> list[str]:
    """The columns of a GDELT events file; FormatError if it is not one."""
    lines = head_lines(path, 1)
    if not lines:
        raise FormatError(f"{path}: is empty; a GDELT events file has one event per line")
    fields = lines[0].split("\t")
    expected = "a GDELT 2.0 export has 61, a GDELT 1.0 daily file 58 (57 without SOURCEURL)"
    if len(fields) not in VERSIONS:
        raise FormatError(
            f"{path}, line 1: not a GDELT events file: {len(fields)} tab-separated "
            f"field{'s' if len(fields) != 1 else ''} ({expected})"
        )
    if not (fields[0].strip().isdigit() and re.fullmatch(r"\d{8}", fields[1].strip())):
        raise FormatError(
            f"{path}, line 1: not a GDELT events file: it should start with GLOBALEVENTID "
            f"and SQLDATE (YYYYMMDD), not {fields[0][:20]!r} and {fields[1][:20]!r}"
        )
    return VERSIONS[len(fields)]


def labels(columns: list[str]) -> dict[str, str]:
    """Raw column -> the GDELT name used in messages."""
    return {raw: gdelt for raw, gdelt in RAW_FROM.items() if gdelt in columns}


def batches(path: Path, columns: list[str], report: FileReport) -> Iterator[tuple]:
    """Raw batches (text columns named as in :data:`.rows.RAW`) and their lines."""
    wanted = [c for c in RAW_FROM.values() if c in columns]
    for table, lines in tab_batches(path, columns, wanted, report):
        yield as_raw(table, RAW_FROM), lines
