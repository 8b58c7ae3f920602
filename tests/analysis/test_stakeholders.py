"""Stakeholder analysis, on the real data and on the ``stakeholders`` fixture.

Every expected value below was worked out by hand from the CSV rows, with the reasoning
in a comment, never copied from the code's output.

The fixture (tests/fixtures/stakeholders/) in the window 1 January - 31 March 2025, with
focus NORTH and counterpart SOUTH. Goldstein values come from data/cameo.csv:
044 +2.5, 041 +1.0, 111 -2.0, 010 0.0, 073 +7.4, 180 -9.0, 040 +1.0.

  event                     type               from (stakeholder)   to (stakeholder)  counted?
  north-south-meeting       meeting 044        NORA (NORTH)         SAM (SOUTH)        yes
  south-north-call          phone_call 041     SAM (SOUTH)          NORA (NORTH)       yes (Feb)
  north-criticises-east     statement 111      NORTH_FM (NORTH)     EAST               yes
  east-criticises-north     statement 111      EAST                 NORTH              yes
  north-addresses-council   statement 010      NORA (NORTH)         ORG_COUNCIL (ORG)  yes
  org-aid-south             aid 073 (span)     ORG                  SOUTH              yes: overlaps
  east-south-visit-planned  visit, scheduled   EAST                 SOUTH              no: scheduled
  north-east-talks-2025     meeting, year      NORA (NORTH)         EAST               no: loose
  critics-criticise-north   statement 111      CRITICS              NORTH              yes
  rebels-attack-south       incident 180       REBELS               SOUTH              yes
  south-announcement        statement 010      SOUTH                (none)             yes, no pair
  north-internal-meeting    meeting 040        NORA (NORTH)         NORTH_FM (NORTH)   yes, no pair
  north-south-april         meeting 044        NORA                 SAM                no: April

Display order: NORTH (focus), SOUTH (counterpart), then by group: EAST (regional
state), ORG (multilateral), QUIET (extra-regional), REBELS (non-state armed), CRITICS
(domestic opinion).
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis import alignment, network, profiles, text
from helpers.analysis import stakeholders as sh
from helpers.data.context import prepare
from helpers.data.dataset import load_dataset
from helpers.data.validation import validate_package
from helpers.paths import DATA_DIR


@pytest.fixture
def fx(make_package):
    """Context for the fixture, 1 January - 31 March 2025, NORTH and SOUTH."""
    pkg = make_package("stakeholders")
    return prepare("2025-01-01", "2025-03-31", "NORTH", "SOUTH", str(pkg))


@pytest.fixture(scope="module")
def real():
    """The real data, 1 January - 31 May 2025, India and Afghanistan."""
    return prepare("2025-01-01", "2025-05-31", "IND", "AFG", "")


def edge(edges: pd.DataFrame, a: str, b: str) -> pd.Series:
    rows = edges[(edges["a"] == a) & (edges["b"] == b)]
    assert len(rows) == 1, f"expected exactly one edge {a}-{b}, found {len(rows)}"
    return rows.iloc[0]


# --------------------------------------------------------------------------- real data


def test_india_afghanistan_edge_on_real_data(real):
    # Listing data/engagements.csv rows whose sides roll up to IND and AFG and that are
    # placed in 1 Jan - 31 May 2025:
    #   india-humanitarian-aid   aid, IND -> AFG, span Aug 2021 - 10 Mar 2025 (overlaps)
    #   dubai-misri-muttaqi      meeting, MISRI (IND) -> MUTTAQI (AFG), January 2025
    #   taliban-praise-india     statement, AFG_MFA (AFG) -> IND, January 2025
    #   prakash-kabul-visit      visit, PRAKASH (IND) -> MUTTAQI (AFG), April 2025
    #   jaishankar-muttaqi-call  phone_call, MUTTAQI (AFG) -> JAISHANKAR (IND), May 2025
    # The edge counts all events: 5. Contacts (meeting, phone_call, visit, agreement) are
    # the Dubai meeting, the Prakash visit and the phone call: 3.
    events = sh.pair_events(real, "IND", "AFG")
    assert set(events["event_id"]) == {
        "india-humanitarian-aid",
        "dubai-misri-muttaqi",
        "taliban-praise-india",
        "prakash-kabul-visit",
        "jaishankar-muttaqi-call",
    }
    contacts = events[events["event_type"].isin(("meeting", "phone_call", "visit", "agreement"))]
    assert set(contacts["event_id"]) == {
        "dubai-misri-muttaqi",
        "prakash-kabul-visit",
        "jaishankar-muttaqi-call",
    }
    e = edge(sh.dyads(real), "IND", "AFG")
    assert e["events"] == 5
    assert e["contacts"] == 3
    # From IND: aid, Dubai meeting, Prakash visit = 3; from AFG: praise, call = 2.
    assert (e["a_to_b"], e["b_to_a"]) == (3, 2)
    # 7.4 (073) + 2.5 (044) + 3.4 (051) + 1.9 (042) + 1.0 (041) = 16.2; mean 16.2 / 5.
    assert e["net_cooperation"] == pytest.approx(16.2)
    assert e["mean_goldstein"] == pytest.approx(3.24)
    assert e["relation"] == "contact" and not e["one_way"]


def test_real_data_nodes_roll_up_people_and_organs(real):
    # Counted events in the window: the 13 placed there less muttaqi-china-visit
    # (scheduled) = 12. Per stakeholder (each event once):
    #   IND: aid, Dubai, praise, Harish, Pahalgam attack, accuses Pakistan, Prakash,
    #        Pakistani military claim, call = 9
    #   AFG: aid, Dubai, praise, Araghchi visit, condemns attack, Prakash, rejects
    #        claim, call = 8
    #   PAK: accused by India, its military's claim, Kabul's rejection = 3
    #   PAHALGAM_ATTACKERS: attack, condemned = 2
    #   IRN: Araghchi visit = 1;  UN: Harish at the Security Council = 1
    #   CHN: none counted. Its acceptance of the ambassador (a February from 2022 to
    #        2025) and the Yue talks and invitation (year 2025) are not placed in the
    #        window, and the scheduled Muttaqi visit does not count.
    nodes = sh.activity(real).set_index("stakeholder")["events"].to_dict()
    assert nodes == {
        "IND": 9,
        "AFG": 8,
        "PAK": 3,
        "PAHALGAM_ATTACKERS": 2,
        "IRN": 1,
        "UN": 1,
    }
    # Harish (a person under IND_MEA under IND) speaking to UNSC (parent UN) is one
    # IND-UN event; no person, ministry or organ appears as a node of its own.
    e = edge(sh.dyads(real), "IND", "UN")
    assert (e["events"], e["a_to_b"], e["contacts"]) == (1, 1, 0)
    assert not {"HARISH", "UNSC", "MISRI", "MUTTAQI", "AFG_MFA", "PAK_MIL"} & set(nodes)


def test_real_data_inactive_stakeholders_are_on_the_map_only(real):
    # WEST and IND_CRITICS have positions (as of 22 April 2025) but no events at all;
    # CHN has a position (31 May 2025) and no event counted in the window (see above);
    # TTP has neither, so it is nowhere.
    nodes = set(sh.activity(real)["stakeholder"])
    pos = sh.current_positions(real).set_index("stakeholder")
    for sid in ("WEST", "IND_CRITICS", "CHN"):
        assert sid not in nodes
        assert sid in pos.index and pos.at[sid, "events"] == 0
    assert "TTP" not in nodes and "TTP" not in pos.index


def test_real_data_positions_and_moves(real):
    # Latest position as of 31 May 2025, and the one before it (positions.csv):
    #   IND 2025-05-31 (+2, 4), before 2025-03-10 (+1, 4): moved, stance +1
    #   PAK 2025-04-22 (-1, 4), before 2021-08-31 (+1, 4): moved, stance -2
    #   IRN 2025-01-31 (+1, 3), before 2024-12-31 (0, 3): moved, stance +1
    #   AFG, CHN, WEST, IND_CRITICS: one position each, no move
    pos = sh.current_positions(real).set_index("stakeholder")
    moved = pos[pos["moved"]]
    got = {
        s: (
            (int(r.prev_stance), int(r.prev_influence)),
            (int(r.stance), int(r.influence)),
        )
        for s, r in moved.iterrows()
    }
    assert got == {"IND": ((1, 4), (2, 4)), "PAK": ((1, 4), (-1, 4)), "IRN": ((0, 3), (1, 3))}
    assert set(pos.index) == {"IND", "AFG", "CHN", "IRN", "PAK", "WEST", "IND_CRITICS"}
    assert pos.at["IND", "rationale"].startswith("Minister-level phone call")
    assert pos.at["IND", "sources"] == ("muttaqi-call-report", "post-pahalgam-analysis")


def test_real_data_alignment_summary(real):
    text = sh.alignment_summary(real)
    joined = "\n".join(text)
    # With AFG: IND 5 events (3 contacts); IRN 1 (Araghchi's visit, a contact); PAK 1 and
    # PAHALGAM_ATTACKERS 1, each a statement by the Taliban about the other (rejecting
    # the Pakistani military's claims, condemning the attackers): not engagement, so
    # named apart.
    assert text[0] == (
        "India engaged Afghanistan (Taliban government) most: 5 events with it, 3 of them "
        "contacts. Then Iran (1). Statements about the other only, not engagement: "
        "Pakistan (1) and Perpetrators of the Pahalgam attack (1)."
    )
    # Toward: IND (+1 -> +2) and IRN (0 -> +1); away: PAK (+1 -> -1).
    toward = next(t for t in text if t.startswith("Moved toward"))
    away = next(t for t in text if t.startswith("Moved away"))
    assert "India" in toward and "Iran" in toward and "Pakistan" not in toward
    assert "Pakistan" in away and "India" not in away
    # One-way: IND-PAK statements both ways; IND -> UN; the attackers -> IND; AFG -> PAK;
    # AFG -> attackers. Not IND-AFG and not AFG-IRN (the Araghchi visit is a contact), and
    # not CHN-AFG (no event counted in the window).
    one_way = next(t for t in text if t.startswith("One-way"))
    assert "India ↔ Pakistan, statements both ways" in one_way
    assert "China" not in one_way
    assert "India → United Nations, 1 statement" in one_way
    assert "Iran" not in one_way
    assert "Western governments and Critics of the outreach within India" in joined


# --------------------------------------------------------------------------- fixture


def test_fixture_is_a_valid_package(make_package):
    assert validate_package(make_package("stakeholders")) == []


def test_scope_counts_occurred_events_only(fx):
    # 13 rows; out: the April meeting (after), the scheduled visit, the year-precision
    # talks (loosely dated) -> 10 counted, 1 scheduled, 1 loose.
    assert len(sh.counted_events(fx)) == 10
    note = sh.scope_note(fx)
    assert note.startswith("1 January – 31 March 2025: 10 events counted.")
    assert "1 scheduled event" in note and "1 loosely dated event" in note


def test_fixture_activity(fx):
    # NORTH: meeting, call, criticises EAST, criticised by EAST, addresses council,
    #   criticised by critics, internal meeting = 7; contacts: meeting, call, internal
    #   meeting = 3.
    # SOUTH: meeting, call, aid, attack, announcement = 5; contacts 2.
    # EAST 2, ORG 2 (council statement rolls up, aid), REBELS 1, CRITICS 1; QUIET 0.
    nodes = sh.activity(fx)
    assert list(nodes["stakeholder"]) == ["NORTH", "SOUTH", "EAST", "ORG", "REBELS", "CRITICS"]
    assert list(nodes["events"]) == [7, 5, 2, 2, 1, 1]
    assert list(nodes["contacts"]) == [3, 2, 0, 0, 0, 0]
    assert nodes.set_index("stakeholder").at["SOUTH", "label"] == "Southland"


def test_fixture_dyads(fx):
    edges = sh.dyads(fx)
    # Pairs (internal meeting and the announcement link none):
    #   NORTH-SOUTH 2 (meeting N->S 2.5, call S->N 1.0): net 3.5, 2 contacts
    #   NORTH-EAST 2 (criticism each way, -2 each): net -4, statements both ways
    #   NORTH-ORG 1 (statement N->ORG, 0.0): one direction
    #   NORTH-CRITICS 1 (CRITICS->N, -2): one direction
    #   SOUTH-ORG 1 (aid ORG->S, 7.4): one direction
    #   SOUTH-REBELS 1 (attack REBELS->S, -9): one direction
    # Sorted by events, then display order of a, then of b.
    assert list(zip(edges["a"], edges["b"])) == [
        ("NORTH", "SOUTH"),
        ("NORTH", "EAST"),
        ("NORTH", "ORG"),
        ("NORTH", "CRITICS"),
        ("SOUTH", "ORG"),
        ("SOUTH", "REBELS"),
    ]
    assert list(edges["events"]) == [2, 2, 1, 1, 1, 1]
    assert list(edges["net_cooperation"]) == pytest.approx([3.5, -4.0, 0.0, -2.0, 7.4, -9.0])
    assert list(edges["contacts"]) == [2, 0, 0, 0, 0, 0]
    assert list(edges["a_to_b"]) == [1, 1, 1, 0, 0, 0]
    assert list(edges["b_to_a"]) == [1, 1, 0, 1, 1, 1]
    assert list(edges["relation"]) == [
        "contact",
        "statements both ways",
        "one direction",
        "one direction",
        "one direction",
        "one direction",
    ]
    assert list(edges["one_way"]) == [False, True, True, True, True, True]


def test_fixture_dyad_matrix(fx):
    counts = sh.dyad_matrix(fx, "events")
    net = sh.dyad_matrix(fx, "net_cooperation")
    ids = ["NORTH", "SOUTH", "EAST", "ORG", "REBELS", "CRITICS"]
    assert list(counts.index) == ids and list(counts.columns) == ids
    # Symmetric, from the pairs worked out in test_fixture_dyads.
    assert counts.at["NORTH", "SOUTH"] == counts.at["SOUTH", "NORTH"] == 2
    assert counts.at["EAST", "NORTH"] == 2
    assert counts.at["ORG", "SOUTH"] == 1
    assert counts.at["REBELS", "NORTH"] == 0  # never linked
    assert net.at["SOUTH", "NORTH"] == pytest.approx(3.5)
    assert net.at["NORTH", "EAST"] == pytest.approx(-4.0)
    assert net.at["REBELS", "SOUTH"] == pytest.approx(-9.0)
    assert net.at["CRITICS", "NORTH"] == pytest.approx(-2.0)
    # Diagonal undefined; total events over pairs = 2+2+1+1+1+1 = 8, counted twice.
    assert counts.to_numpy().diagonal().tolist() == pytest.approx([float("nan")] * 6, nan_ok=True)
    assert counts.sum().sum() == 16
    with pytest.raises(ValueError, match="not one of"):
        sh.dyad_matrix(fx, "goldstein")


def test_fixture_positions_as_of_end_and_arrows(fx):
    pos = sh.current_positions(fx).set_index("stakeholder")
    # As of 31 March 2025 (NORTH's 1 May position is later, so ignored):
    #   NORTH (1,4) from (0,3)   EAST (-1,3) from (1,3)   ORG (0,5) from (0,4)
    #   SOUTH (2,3), QUIET (-2,2), CRITICS (-1,1): one position each.
    #   REBELS has none, so it is not on the map.
    assert list(pos.index) == ["NORTH", "SOUTH", "EAST", "ORG", "QUIET", "CRITICS"]
    assert (pos.at["NORTH", "stance"], pos.at["NORTH", "influence"]) == (1, 4)
    assert pos.at["NORTH", "as_of"] == pd.Timestamp("2025-02-01")
    arrows = {
        s: ((int(r.prev_stance), int(r.prev_influence)), (int(r.stance), int(r.influence)))
        for s, r in pos[pos["moved"]].iterrows()
    }
    assert arrows == {
        "NORTH": ((0, 3), (1, 4)),
        "EAST": ((1, 3), (-1, 3)),
        "ORG": ((0, 4), (0, 5)),
    }
    # Stance changes: NORTH +1, EAST -2, ORG 0 (influence only).
    assert pos.at["NORTH", "stance_change"] == 1
    assert pos.at["EAST", "stance_change"] == -2
    assert pos.at["ORG", "stance_change"] == 0
    assert pd.isna(pos.at["SOUTH", "stance_change"])
    # QUIET: on the map, never in the network.
    assert pos.at["QUIET", "events"] == 0
    assert "QUIET" not in set(sh.activity(fx)["stakeholder"])


def test_later_window_reads_later_positions(make_package):
    pkg = make_package("stakeholders")
    ctx = prepare("2025-04-01", "2025-05-31", "NORTH", "SOUTH", str(pkg))
    pos = sh.current_positions(ctx).set_index("stakeholder")
    # As of 31 May: NORTH's 1 May position (2,4) after 1 February's (1,4).
    assert (pos.at["NORTH", "prev_stance"], pos.at["NORTH", "stance"]) == (1, 2)
    assert bool(pos.at["NORTH", "moved_in_window"])
    # EAST's move was on 1 March, before this window.
    assert not bool(pos.at["EAST", "moved_in_window"])


def test_fixture_profiles(fx):
    prof = sh.profiles(fx).set_index("stakeholder")
    assert list(prof.index) == ["NORTH", "SOUTH", "EAST", "ORG", "REBELS", "CRITICS"]
    north = prof.loc["NORTH"]
    # Types: statements = two criticisms, the council address, the critics' = 4;
    # meetings = Geneva + internal = 2; phone call 1.
    assert north["by_type"] == {"statement": 4, "meeting": 2, "phone_call": 1}
    # Counterparts (the internal meeting has none): SOUTH 2, EAST 2, ORG 1, CRITICS 1.
    assert north["counterparts"] == {"EAST": 2, "SOUTH": 2, "CRITICS": 1, "ORG": 1}
    # NORA: Geneva, call, council address, internal meeting = 4; NORTH_FM: criticism
    # of EAST, internal meeting = 2. NORTH itself is not listed.
    assert north["people"] == {"NORA": 4, "NORTH_FM": 2}
    # Topics: trade (meeting, call), security (both criticisms), visas (call),
    # development (council address).
    assert north["topics"] == {"security": 2, "trade": 2, "development": 1, "visas": 1}
    assert north["rationale"] == "Warming after the January meeting."
    assert prof.at["ORG", "people"] == {"ORG_COUNCIL": 1}
    assert prof.at["SOUTH", "people"] == {"SAM": 2}
    assert pd.isna(prof.at["REBELS", "as_of"])  # active, but no position

    sections = dict(sh.profile_sections(fx))
    assert list(sections) == [
        "Northland",
        "Southland (provisional government)",
        "Eastland",
        "Organisation of Nations",
        "Rebel Front",
        "Critics in Northland",
    ]
    lines = "\n".join(sections["Northland"])
    assert "Nora Minister 4" in lines and "Foreign Ministry of Northland 2" in lines
    assert "stance +1 (leaning for)" in lines
    assert "Position: none recorded" in "\n".join(sections["Rebel Front"])


def test_fixture_alignment_summary(fx):
    text = sh.alignment_summary(fx)
    # With SOUTH: NORTH 2 (2 contacts), then ORG 1 and REBELS 1 (tie on contacts 0,
    # ORG first in display order).
    assert text[0] == (
        "Northland engaged Southland (provisional government) most: 2 events with it, "
        "2 of them contacts. Then Organisation of Nations (1) and Rebel Front (1)."
    )
    # Toward: NORTH 0 -> +1; away: EAST +1 -> -1; ORG changed influence only.
    assert text[1] == (
        "Moved toward engagement: Northland (stance 0 → +1, 1 January 2024 → 1 February 2025)."
    )
    assert text[2] == (
        "Moved away from engagement: Eastland (stance +1 → −1, 1 June 2024 → 1 March 2025)."
    )
    assert "Organisation of Nations (stance" not in "\n".join(text)
    one_way = text[3]
    assert one_way.startswith("One-way relationships")
    assert "Northland ↔ Eastland, statements both ways" in one_way
    assert "Northland → Organisation of Nations, 1 statement" in one_way
    assert "Critics in Northland → Northland, 1 statement" in one_way
    assert "Organisation of Nations → Southland (provisional government), 1 aid event" in one_way
    assert "Rebel Front → Southland (provisional government), 1 security incident" in one_way
    assert "Northland → Southland" not in one_way  # they met and called
    assert text[4] == "Quietland has a recorded position but no events in this period."


def test_statements_alone_are_not_engagement(make_package):
    # 20 March 2025 with the Organisation of Nations as counterpart: its only event is
    # Northland's address to its Council (a statement, 010); the aid span ended on
    # 31 January. Nobody engaged it; Northland only spoke to it.
    pkg = make_package("stakeholders")
    ctx = prepare("2025-03-20", "2025-03-20", "NORTH", "ORG", str(pkg))
    assert sh.alignment_summary(ctx)[0] == (
        "No stakeholder had contacts or other acts with Organisation of Nations in this "
        "period. Statements about the other only, not engagement: Northland (1)."
    )


def test_counterpart_tie(make_package):
    # January 2025: north-south-meeting (NORTH-SOUTH, a contact) and the aid span
    # (ORG -> SOUTH, running to 31 January); the call is February. Both have 1 event
    # with SOUTH, so both lead.
    pkg = make_package("stakeholders")
    ctx = prepare("2025-01-01", "2025-01-31", "NORTH", "SOUTH", str(pkg))
    eng = sh.counterpart_engagement(ctx)
    assert list(zip(eng["stakeholder"], eng["events"], eng["contacts"])) == [
        ("NORTH", 1, 1),
        ("ORG", 1, 0),
    ]
    assert sh.alignment_summary(ctx)[0] == (
        "Northland and Organisation of Nations engaged Southland (provisional government) "
        "most, with 1 event each."
    )


def test_one_event_window(make_package):
    # 15 March 2025: only rebels-attack-south (the aid span ended 31 January, the call
    # is February, the year-precision talks are loose).
    pkg = make_package("stakeholders")
    ctx = prepare("2025-03-15", "2025-03-15", "NORTH", "SOUTH", str(pkg))
    assert list(sh.activity(ctx)["stakeholder"]) == ["SOUTH", "REBELS"]
    edges = sh.dyads(ctx)
    assert list(zip(edges["a"], edges["b"], edges["events"])) == [("SOUTH", "REBELS", 1)]
    assert sh.dyad_matrix(ctx).shape == (2, 2)
    text = sh.alignment_summary(ctx)
    assert text[0].startswith("Rebel Front engaged Southland (provisional government) most")
    assert "Northland" not in text[0]


def test_empty_window(make_package):
    pkg = make_package("stakeholders")
    ctx = prepare("2030-01-01", "2030-12-31", "NORTH", "SOUTH", str(pkg))
    assert sh.activity(ctx).empty
    assert sh.dyads(ctx).empty
    assert sh.dyad_matrix(ctx).empty
    assert sh.profile_sections(ctx) == []
    assert sh.describe_network(ctx).startswith("No events in this period")
    assert sh.describe_dyads(ctx).startswith("No events between two stakeholders")
    assert sh.describe_profiles(ctx).startswith("No stakeholder took part")
    # The map still has every stakeholder with a position: as of 2030 that is NORTH
    # (latest 1 May 2025, moved from (1,4) to (2,4)), SOUTH, EAST, ORG, QUIET, CRITICS.
    pos = sh.current_positions(ctx)
    assert list(pos["stakeholder"]) == ["NORTH", "SOUTH", "EAST", "ORG", "QUIET", "CRITICS"]
    assert (pos["events"] == 0).all()
    text = sh.alignment_summary(ctx)
    assert text[0].startswith("No events were recorded in this period")
    assert not any(t.startswith("One-way") for t in text)
    assert "Northland (stance +1 → +2" in "\n".join(text)
    assert "before this period" in "\n".join(text)


def test_no_positions_yet(make_package):
    pkg = make_package("stakeholders")
    ctx = prepare("2020-01-01", "2020-12-31", "NORTH", "SOUTH", str(pkg))
    assert sh.current_positions(ctx).empty
    assert sh.describe_positions(ctx) == "No positions recorded as of 31 December 2020."
    assert sh.stance_moves(ctx).empty


def test_tables_render_text(fx):
    table = sh.dyads_table(sh.dyads(fx))
    first = table.iloc[0]
    assert first["Pair"] == "Northland – Southland (provisional government)"
    assert first["Net cooperation"] == "+3.5"
    assert first["A → B"] == "Northland → Southland: 1"
    pos = sh.positions_table(sh.current_positions(fx)).set_index("Stakeholder")
    assert pos.at["Eastland", "Stance"] == "−1 (leaning against)"
    assert pos.at["Eastland", "Moved from"] == "stance +1, influence 3 (1 June 2024)"
    assert pos.at["Quietland", "Moved from"] == ""
    assert pos.at["Quietland", "Sources"] == "post-pahalgam-analysis"


def test_short_label():
    assert sh.short_label("Afghanistan (Taliban government)") == "Afghanistan"
    assert sh.short_label("India") == "India"
    # At most 12 characters, the last being the ellipsis: 11 letters + "…".
    assert sh.short_label("Perpetrators of the Pahalgam attack", 12) == "Perpetrator…"
    assert sh.wrap_label("Critics of the outreach within India", 16, 2) == (
        "Critics of the\noutreach within…"
    )


# --------------------------------------------------------------------------- a new stakeholder


def _append(text: str, *rows: str) -> str:
    return text.rstrip("\n") + "\n" + "\n".join(rows) + "\n"


def test_new_stakeholder_appears_everywhere(make_package):
    """Adding an actor, a position and an event is enough: no code changes."""
    actors = _append(
        (DATA_DIR / "actors.csv").read_text(encoding="utf-8"),
        "QAT,Qatar,state,QAT,,Government of Qatar,regional_state",
    )
    positions = _append(
        (DATA_DIR / "positions.csv").read_text(encoding="utf-8"),
        "QAT,2025-03-01,1,3,4,Hosts talks with the Taliban.,muttaqi-call-report",
    )
    engagements = _append(
        (DATA_DIR / "engagements.csv").read_text(encoding="utf-8"),
        "qatar-hosts-muttaqi,2025-03-15,day,,occurred,,meeting,044,QAT,MUTTAQI,Doha,"
        "minister,minister,trade,Qatar meets Muttaqi in Doha.,,muttaqi-call-report,high,",
    )
    pkg = make_package(actors=actors, positions=positions, engagements=engagements)
    assert validate_package(pkg) == []
    ctx = prepare("2025-01-01", "2025-05-31", "IND", "AFG", str(pkg))

    # Network: QAT is a node with 1 event (1 contact), linked to AFG by 1 event.
    nodes = sh.activity(ctx).set_index("stakeholder")
    assert (nodes.at["QAT", "events"], nodes.at["QAT", "contacts"]) == (1, 1)
    e = edge(sh.dyads(ctx), "AFG", "QAT")
    assert (e["events"], e["contacts"]) == (1, 1)
    assert e["net_cooperation"] == pytest.approx(2.5)
    # Matrix: a QAT row and column, 1 event with AFG; AFG's own count rises from 8 to 9.
    counts = sh.dyad_matrix(ctx)
    assert counts.at["QAT", "AFG"] == 1 and counts.at["AFG", "QAT"] == 1
    assert nodes.at["AFG", "events"] == 9
    # Map: its position (stance +1, influence 3) as of 31 May.
    pos = sh.current_positions(ctx).set_index("stakeholder")
    assert (pos.at["QAT", "stance"], pos.at["QAT", "influence"]) == (1, 3)
    # Profiles: a section named Qatar with its counterpart.
    sections = dict(sh.profile_sections(ctx))
    assert "Qatar" in sections
    assert "Afghanistan (Taliban government) 1" in "\n".join(sections["Qatar"])
    # Sanity: the unmodified data does not have it.
    assert "QAT" not in set(load_dataset("").actors["actor_id"])


# --------------------------------------------------------------------------- caps


def test_network_keeps_focus_counterpart_and_most_active(fx, monkeypatch):
    # Active: NORTH 7, SOUTH 5, EAST 2, ORG 2, REBELS 1, CRITICS 1 (test_fixture_activity).
    # Room for four: the focus and counterpart, then EAST and ORG (2 events each).
    monkeypatch.setattr(network, "MAX_STAKEHOLDERS", 4)
    assert sh.shown_stakeholders(fx) == ["NORTH", "SOUTH", "EAST", "ORG"]
    nodes, edges = sh.network(fx)
    assert list(nodes["stakeholder"]) == ["NORTH", "SOUTH", "EAST", "ORG"]
    # Of the six pairs, those among the four: NORTH-SOUTH, NORTH-EAST, NORTH-ORG, SOUTH-ORG.
    assert list(zip(edges["a"], edges["b"])) == [
        ("NORTH", "SOUTH"),
        ("NORTH", "EAST"),
        ("NORTH", "ORG"),
        ("SOUTH", "ORG"),
    ]
    assert list(sh.dyad_matrix(fx, "events").index) == ["NORTH", "SOUTH", "EAST", "ORG"]
    text = sh.describe_network(fx)
    assert text.startswith("6 stakeholders took part in 10 counted events, linking 6 pairs.")
    assert text.endswith(
        "Drawn: the 4 most active; the other 2 stakeholders (at most 1 event each) are "
        "counted here but not drawn."
    )
    # Profiles: room for three, so ORG (tied with EAST, later in display order) goes.
    monkeypatch.setattr(profiles, "MAX_PROFILES", 3)
    assert [name for name, _ in sh.profile_sections(fx)] == [
        "Northland",
        "Southland (provisional government)",
        "Eastland",
    ]
    assert sh.describe_profiles(fx).startswith(
        "Profiles of the 3 most active of the 6 stakeholders that took part"
    )
    # Positions as of 31 March: NORTH, SOUTH, EAST, ORG, QUIET (no events), CRITICS (1):
    # the same four are shown, and QUIET, with no events, is not among them.
    assert list(sh.shown_positions(fx)["stakeholder"]) == ["NORTH", "SOUTH", "EAST", "ORG"]
    assert "The map and table show 4 of them" in sh.describe_positions(fx)
    assert "Quietland" not in sh.describe_positions(fx)


def test_dyad_table_lists_the_busiest_pairs(fx, monkeypatch):
    monkeypatch.setattr(network, "MAX_STAKEHOLDERS", 4)
    monkeypatch.setattr(network, "MAX_PAIRS", 2)
    edges = sh.network(fx)[1]
    assert list(sh.dyads_table(edges, limit=2)["Pair"]) == [
        "Northland – Southland (provisional government)",
        "Northland – Eastland",
    ]
    assert sh.describe_dyads(fx).endswith(
        "The matrix shows the 4 most active stakeholders; the table lists the 2 busiest "
        "of their 4 pairs."
    )


def test_profiles_and_alignment_name_a_few_and_count_the_rest(fx, monkeypatch):
    # NORTH's counterparts: EAST 2, SOUTH 2, CRITICS 1, ORG 1; room for two names.
    # One-way pairs (test_fixture_alignment_summary): five, in dyads order, the first
    # Northland-Eastland.
    monkeypatch.setattr(profiles, "NAMES_LIMIT", 2)
    lines = dict(sh.profile_sections(fx))["Northland"]
    assert lines[1] == (
        "Counterparts: Eastland 2, Southland (provisional government) 2 and 2 others (2)."
    )
    monkeypatch.setattr(alignment, "NAMES_LIMIT", 1)
    one_way = sh.alignment_summary(fx)[3]
    assert one_way == (
        "One-way relationships, with no meeting, phone call, visit, agreement, recognition or "
        "accreditation between the two: Northland ↔ Eastland, statements both ways; and 4 "
        "more pairs."
    )


def test_pair_types_name_four_and_sum_the_rest():
    counts = [
        ("statement", 272),
        ("meeting", 245),
        ("visit", 145),
        ("aid", 60),
        ("phone_call", 9),
        ("agreement", 3),
    ]
    # Six types: the four largest, then the other two summed (9 + 3 = 12).
    assert text._types_text(counts) == (
        "272 statements, 245 meetings, 145 visits, 60 aid events and 12 other events"
    )
    # Five types fit as they are.
    assert text._types_text(counts[:5]) == (
        "272 statements, 245 meetings, 145 visits, 60 aid events, 9 phone calls"
    )


def test_dyad_table_counts_have_thousands_separators(fx):
    edges = sh.network(fx)[1].head(1).copy()
    edges["events"], edges["a_to_b"], edges["b_to_a"], edges["contacts"] = 12345, 12000, 345, 1000
    row = sh.dyads_table(edges).iloc[0]
    assert row["Events"] == "12,345"
    assert row["A → B"].endswith(": 12,000") and row["B → A"].endswith(": 345")
    assert row["Contacts"] == "1,000"
