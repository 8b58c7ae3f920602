"""Who the counterpart dealt with in the period, kept apart by kind of act.

A contact (meeting, call, visit, agreement, recognition) has both sides taking part; an
other act (aid, an invitation, an attack) is done by one side to the other; a statement is
one side speaking about the other. Condemning the attackers of Pahalgam is a statement
about them, never engagement with them, so the three are counted in separate columns.
"""

from __future__ import annotations

import pandas as pd

from ..data.context import BriefingContext
from ..data.dataset import CONTACT_TYPES
from .names import short_name

PARTNER_COLUMNS = {
    "name": "Stakeholder",
    "contacts": "Contacts",
    "acts": "Other acts",
    "statements": "Statements about the other",
}
"""Columns of :func:`partners` for display, and their headers."""


def partners(ctx: BriefingContext, party: str | None = None) -> pd.DataFrame:
    """Count the period's occurred events between ``party`` and each other stakeholder.

    Parameters
    ----------
    ctx : BriefingContext
    party : str, optional
        A stakeholder id; defaults to the briefing's counterpart.

    Returns
    -------
    DataFrame
        ``stakeholder``, ``name``, ``contacts``, ``acts`` and ``statements`` (either
        direction), one row per stakeholder with any; contacts first, then other acts,
        then statements (most first), then the name.
    """
    party = party or ctx.counterpart
    ev = ctx.events[ctx.events["status"] == "occurred"]
    a, b = ev["from_stakeholder"], ev["to_stakeholder"]
    mine = ev[((a == party) | (b == party)) & (a != b) & (b.fillna("") != "")]
    other = mine["to_stakeholder"].where(
        mine["from_stakeholder"] == party, mine["from_stakeholder"]
    )
    kind = mine["event_type"].map(
        lambda t: "contacts" if t in CONTACT_TYPES else "statements" if t == "statement" else "acts"
    )
    table = pd.crosstab(other, kind).reindex(
        columns=["contacts", "acts", "statements"], fill_value=0
    )
    out = table.reset_index().rename(
        columns={"index": "stakeholder", "to_stakeholder": "stakeholder"}
    )
    out.columns = ["stakeholder", "contacts", "acts", "statements"]
    out["name"] = [short_name(ctx, s) for s in out["stakeholder"]]
    out = out.sort_values(
        ["contacts", "acts", "statements", "name"], ascending=[False, False, False, True]
    )
    return out[["stakeholder", "name", "contacts", "acts", "statements"]].reset_index(drop=True)
