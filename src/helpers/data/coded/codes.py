"""Event codes: CAMEO roots and QuadClass, the CAMEO-PLOVER crosswalk, the package's cameo.csv.

The crosswalk is the one the PLOVER codebook publishes (openeventdata/PLOVER, README:
"PLOVER event categories"): each PLOVER category stands for one or more two-digit CAMEO
roots. A PLOVER event is given the "not specified below" code of its root (``AGREE`` ->
``030``); ``CRIME`` has no CAMEO equivalent and gets none. Where a category covers two
roots (``FIGHT``: 19 and 20) the first is used.
"""

from __future__ import annotations

import csv
from pathlib import Path

PLOVER_TO_CAMEO_ROOT = {
    "AGREE": "03",
    "CONSULT": "04",
    "SUPPORT": "05",
    "COOPERATE": "06",
    "AID": "07",
    "CONCEDE": "08",  # CAMEO 081-083
    "RETREAT": "08",  # CAMEO 084-087
    "INVESTIGATE": "09",
    "DEMAND": "10",
    "DISAPPROVE": "11",
    "REJECT": "12",
    "THREATEN": "13",
    "PROTEST": "14",
    "MOBILIZE": "15",
    "SANCTION": "16",
    "COERCE": "17",
    "ASSAULT": "18",
    "FIGHT": "19",  # and 20
    "CRIME": "",  # no CAMEO equivalent
}
"""PLOVER event category -> CAMEO root, from the PLOVER codebook's crosswalk."""

PLOVER_QUAD = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT", "INVESTIGATE"), 2),
    **dict.fromkeys(("DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "SANCTION"), 3),
    **dict.fromkeys(("PROTEST", "CRIME", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT"), 4),
}
"""PLOVER's own quad categories (its codebook), used when a record carries no quad code."""

QUAD_NAMES = {
    "VERBAL COOPERATION": 1,
    "MATERIAL COOPERATION": 2,
    "VERBAL CONFLICT": 3,
    "MATERIAL CONFLICT": 4,
}
"""Quad codes written out, as POLECAT's files give them."""


def plover_to_cameo(category: str) -> str:
    """CAMEO code standing for a PLOVER category: its root's "not specified" code.

    Returns '' for ``CRIME`` and raises KeyError for a name that is not a PLOVER category.
    """
    root = PLOVER_TO_CAMEO_ROOT[category.strip().upper()]
    return f"{root}0" if root else ""


def cameo_quad(root: int) -> int:
    """QuadClass of a CAMEO root (1-20), by the rule GDELT's codebook states.

    01-05 verbal cooperation, 06-09 material cooperation, 10-14 verbal conflict,
    15-20 material conflict.
    """
    if 1 <= root <= 5:
        return 1
    if 6 <= root <= 9:
        return 2
    if 10 <= root <= 14:
        return 3
    if 15 <= root <= 20:
        return 4
    raise ValueError(f"{root} is not a CAMEO root (01-20)")


def normal_cameo(code: str) -> str | None:
    """A CAMEO event code as text with its leading zero, or None if it is not one.

    Codes are 3 or 4 digits whose first two are a root from 01 to 20. Files that stored
    the code as a number lost the zero ("42" for "042", "433" for "0433"): a code whose
    first two digits are not a root is tried again with the zero put back.
    """
    code = code.strip()
    if not code.isdigit() or not 2 <= len(code) <= 4:
        return None
    for candidate in (code, "0" + code):
        if len(candidate) in (3, 4) and 1 <= int(candidate[:2]) <= 20:
            return candidate
    return None


def read_cameo_table(path: Path) -> dict[str, tuple[float, int]]:
    """The package's ``cameo.csv``: code -> (Goldstein value, QuadClass)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {
            row["cameo_code"]: (float(row["goldstein"]), int(row["quad_class"]))
            for row in csv.DictReader(f)
        }
