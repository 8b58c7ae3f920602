"""ICEWS coded event files (``events.YYYY.*.tab``): tab-separated, with a header.

The columns, per the ICEWS Coded Event Data release: Event ID, Event Date, Source Name,
Source Sectors, Source Country, Event Text, CAMEO Code, Intensity, Target Name, Target
Sectors, Target Country, Story ID, Sentence Number, Publisher, City, District, Province,
Country, Latitude, Longitude. Countries are names ("India"), mapped to ISO alpha-3 by
:mod:`.actors`. ``Event ID`` repeats across dates, so the key includes the date.
ICEWS gives no URLs: the source is the publisher and the story id. ``Intensity`` is
ICEWS's Goldstein-scale value, used where ``cameo.csv`` lacks the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .report import FileReport, FormatError
from .rows import as_raw
from .tabfile import head_lines, tab_batches

RAW_FROM = {
    "event_id": "Event ID",
    "date": "Event Date",
    "actor1_name": "Source Name",
    "actor1_country": "Source Country",
    "actor1_group": "Source Sectors",
    "actor2_name": "Target Name",
    "actor2_country": "Target Country",
    "actor2_group": "Target Sectors",
    "cameo_code": "CAMEO Code",
    "goldstein": "Intensity",
    "publisher": "Publisher",
    "story_id": "Story ID",
}
"""Raw column -> ICEWS column; every one must be in the header."""

DATASET = "icews"
PLOVER = False


def recognise(path: Path) -> list[str]:
    """The header of an ICEWS file; FormatError if it is not one."""
    lines = head_lines(path, 1)
    header = [h.strip() for h in lines[0].split("\t")] if lines else []
    missing = [c for c in RAW_FROM.values() if c not in header]
    if missing:
        raise FormatError(
            f"{path}, line 1: not an ICEWS event file: the tab-separated header lacks "
            + ", ".join(repr(m) for m in missing)
        )
    return header


def labels(columns: list[str]) -> dict[str, str]:
    """Raw column -> the ICEWS name used in messages."""
    return dict(RAW_FROM)


def batches(path: Path, columns: list[str], report: FileReport) -> Iterator[tuple]:
    """Raw batches (text columns named as in :data:`.rows.RAW`) and their lines."""
    wanted = list(RAW_FROM.values())
    for table, lines in tab_batches(path, columns, wanted, report, header_lines=1):
        yield as_raw(table, RAW_FROM), lines
