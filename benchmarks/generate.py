"""Synthetic engagement data packages for the benchmarks.

Writes a package that is valid under the project's ``data/datapackage.json`` (the schema
file is copied, never edited) with a spread that resembles the real record grown large:

* events from 2019 to 2026, thickening towards the present;
* 20 to 60 top-level stakeholders (states, organisations, groups, armed groups), with
  ministries and people rolling up to them through ``parent_id``;
* dyads weighted like real diplomacy: a few busy pairs (India–Afghanistan first, so the
  default briefing always has something to say) and a long tail;
* event types, levels, topics, confidence and status drawn from the schema's
  enumerations, CAMEO codes from ``data/cameo.csv`` matched to the event type;
* dates mostly to the day, some to the month or year (aligned as the schema demands),
  a few spans and a few scheduled events;
* sources to match (every ``source_ids`` item is a row of ``sources.csv``) and stakeholder
  positions over time.

Everything is vectorised with numpy/pandas and fixed by ``--seed``: the same arguments
give byte-identical files. Usage::

    python benchmarks/generate.py --events 100000 --out benchmarks/data/e100000
    python benchmarks/generate.py --sizes 1000,10000,100000,1000000   # into benchmarks/data/

Each package is checked with :func:`helpers.data.validation.validate_package` (timed), and
typed Parquet copies are written to ``<out>/parquet/`` when pyarrow is installed (the
loader does not read them; they are there to measure what reading Parquet would cost).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data.validation import validate_package
from helpers.paths import DATA_DIR

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH_DIR / "data"
FIRST_YEAR, LAST_YEAR = 2019, 2026
START = np.datetime64(f"{FIRST_YEAR}-01-01")

# Top-level stakeholders: id, name, kind, country, stakeholder_group. The first two are
# the project's default focus and counterpart; the list is cut to the package's size.
STAKEHOLDERS = [
    ("IND", "India", "state", "IND", "regional_state"),
    ("AFG", "Afghanistan (Taliban government)", "state", "AFG", "regional_state"),
    ("PAK", "Pakistan", "state", "PAK", "regional_state"),
    ("IRN", "Iran", "state", "IRN", "regional_state"),
    ("CHN", "China", "state", "CHN", "regional_state"),
    ("UN", "United Nations", "organisation", "", "multilateral"),
    ("RUS", "Russia", "state", "RUS", "extra_regional"),
    ("USA", "United States", "state", "USA", "extra_regional"),
    ("UZB", "Uzbekistan", "state", "UZB", "regional_state"),
    ("TJK", "Tajikistan", "state", "TJK", "regional_state"),
    ("TTP", "Tehrik-i-Taliban Pakistan", "armed_group", "PAK", "non_state_armed"),
    ("WEST", "Western governments", "group", "", "extra_regional"),
    ("IND_CRITICS", "Critics of the outreach within India", "group", "IND", "domestic_opinion"),
    ("QAT", "Qatar", "state", "QAT", "extra_regional"),
    ("TUR", "Turkey", "state", "TUR", "extra_regional"),
    ("SAU", "Saudi Arabia", "state", "SAU", "extra_regional"),
    ("ARE", "United Arab Emirates", "state", "ARE", "extra_regional"),
    ("TKM", "Turkmenistan", "state", "TKM", "regional_state"),
    ("KAZ", "Kazakhstan", "state", "KAZ", "regional_state"),
    ("KGZ", "Kyrgyzstan", "state", "KGZ", "regional_state"),
    ("EU", "European Union", "organisation", "", "multilateral"),
    ("SCO", "Shanghai Cooperation Organisation", "organisation", "", "multilateral"),
    ("OIC", "Organisation of Islamic Cooperation", "organisation", "", "multilateral"),
    ("ISKP", "Islamic State Khorasan Province", "armed_group", "AFG", "non_state_armed"),
    ("GBR", "United Kingdom", "state", "GBR", "extra_regional"),
    ("DEU", "Germany", "state", "DEU", "extra_regional"),
    ("FRA", "France", "state", "FRA", "extra_regional"),
    ("JPN", "Japan", "state", "JPN", "extra_regional"),
    ("BGD", "Bangladesh", "state", "BGD", "regional_state"),
    ("NPL", "Nepal", "state", "NPL", "regional_state"),
    ("LKA", "Sri Lanka", "state", "LKA", "regional_state"),
    ("AZE", "Azerbaijan", "state", "AZE", "regional_state"),
    ("OMN", "Oman", "state", "OMN", "extra_regional"),
    ("KOR", "South Korea", "state", "KOR", "extra_regional"),
    ("NOR", "Norway", "state", "NOR", "extra_regional"),
    ("CHE", "Switzerland", "state", "CHE", "extra_regional"),
    ("ITA", "Italy", "state", "ITA", "extra_regional"),
    ("CAN", "Canada", "state", "CAN", "extra_regional"),
    ("AUS", "Australia", "state", "AUS", "extra_regional"),
    ("IDN", "Indonesia", "state", "IDN", "extra_regional"),
    ("MYS", "Malaysia", "state", "MYS", "extra_regional"),
    ("EGY", "Egypt", "state", "EGY", "extra_regional"),
    ("WB", "World Bank", "organisation", "", "multilateral"),
    ("ADB", "Asian Development Bank", "organisation", "", "multilateral"),
    ("ICRC", "International Committee of the Red Cross", "organisation", "", "multilateral"),
    ("SAARC", "South Asian Assoc. for Regional Cooperation", "organisation", "", "multilateral"),
    ("PAK_OPPOSITION", "Opposition parties in Pakistan", "group", "PAK", "domestic_opinion"),
    ("AFG_DIASPORA", "Afghan diaspora groups", "group", "", "domestic_opinion"),
    ("NRF", "National Resistance Front", "armed_group", "AFG", "non_state_armed"),
    ("BLA", "Balochistan Liberation Army", "armed_group", "PAK", "non_state_armed"),
    ("IND_BUSINESS", "Indian business chambers", "group", "IND", "domestic_opinion"),
    ("ARM", "Armenia", "state", "ARM", "regional_state"),
    ("GEO", "Georgia", "state", "GEO", "regional_state"),
    ("MNG", "Mongolia", "state", "MNG", "regional_state"),
    ("NLD", "Netherlands", "state", "NLD", "extra_regional"),
    ("SWE", "Sweden", "state", "SWE", "extra_regional"),
    ("ESP", "Spain", "state", "ESP", "extra_regional"),
    ("BRA", "Brazil", "state", "BRA", "extra_regional"),
    ("ZAF", "South Africa", "state", "ZAF", "extra_regional"),
    ("IOM", "International Organization for Migration", "organisation", "", "multilateral"),
]
ROLE_TITLES = ["Foreign Minister", "Special Envoy", "Deputy Minister", "Ambassador",
               "Secretary", "Spokesperson", "National Security Adviser", "Director"]  # fmt: skip
MINISTRIES = [("MFA", "Ministry of Foreign Affairs"), ("DEF", "Ministry of Defence"),
              ("COM", "Ministry of Commerce")]  # fmt: skip

# Event types with their weights and the CAMEO codes (in data/cameo.csv) that fit them.
EVENT_TYPES = {
    "meeting": (0.24, ["040", "044", "046", "036"]),
    "phone_call": (0.12, ["041"]),
    "visit": (0.16, ["042", "043"]),
    "statement": (0.30, ["010", "018", "051", "111", "112"]),
    "aid": (0.06, ["071", "073"]),
    "recognition": (0.01, ["054"]),
    "security_incident": (0.05, ["180", "192"]),
    "invitation": (0.03, ["036"]),
    "agreement": (0.03, ["057"]),
}
LEVEL_WEIGHTS = {"leader": 0.04, "minister": 0.18, "secretary": 0.12,
                 "senior_official": 0.26, "envoy": 0.15, "institution": 0.25}  # fmt: skip
CONFIDENCE_WEIGHTS = {"high": 0.6, "medium": 0.3, "low": 0.1}
TOPIC_PROBABILITY = 0.18  # per topic: most events have one to three topics, some none
LOCATIONS = ["Kabul", "New Delhi", "Islamabad", "Tehran", "Beijing", "Doha", "Dubai",
             "Moscow", "Tashkent", "Dushanbe", "Geneva", "New York", "Ankara", "Riyadh",
             "Kandahar", "Herat", "Mazar-i-Sharif", "Almaty", "Brussels", "Washington"]  # fmt: skip
VERBS = {"meeting": "meets", "phone_call": "speaks by phone with", "visit": "visits",
         "statement": "makes a statement about", "aid": "sends aid to",
         "recognition": "extends recognition to",
         "security_incident": "is involved in an incident with",
         "invitation": "invites", "agreement": "signs an agreement with"}  # fmt: skip
SOURCE_KINDS = ["news_report", "analysis", "official_statement", "transcript", "dataset", "other"]
PUBLISHERS = ["", "Wire service", "Ministry press office", "Regional daily", "Think tank",
              "UN News", "Broadcaster"]  # fmt: skip


def n_stakeholders(events: int) -> int:
    """20 stakeholders at a thousand events, 10 more per tenfold, at most 60."""
    return int(np.clip(20 + 10 * np.log10(max(events, 1) / 1000), 20, 60))


def _choice(rng: np.random.Generator, options, weights, size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p / p.sum())]


def make_actors(rng: np.random.Generator, n_top: int) -> pd.DataFrame:
    """Stakeholders with their ministries and people: ~4-5 actors per stakeholder."""
    rows = []
    for sid, name, kind, country, group in STAKEHOLDERS[:n_top]:
        rows.append((sid, name, kind, country, "", f"Top-level stakeholder: {name}", group))
        parent_of_people = [sid]
        if kind == "state":
            for code, label in MINISTRIES[: int(rng.integers(1, 4))]:
                mid = f"{sid}_{code}"
                rows.append((mid, f"{label} ({name})", "ministry", country, sid, label, ""))
                parent_of_people.append(mid)
        for j in range(int(rng.integers(1, 5))):
            pid = f"{sid}_P{j + 1}"
            parent = parent_of_people[int(rng.integers(len(parent_of_people)))]
            role = ROLE_TITLES[int(rng.integers(len(ROLE_TITLES)))]
            rows.append((pid, f"{role} {j + 1} of {name}", "person", country, parent,
                         f"{role}, {name}", ""))  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["actor_id", "name", "kind", "country", "parent_id", "role", "stakeholder_group"],
    )


def _dyad_weights(rng: np.random.Generator, n_top: int):
    """Every unordered pair of distinct stakeholders, Zipf-weighted by a shuffled rank.

    Pair ranks are shuffled except that India–Afghanistan is the busiest and a few
    regional pairs follow, so the focus dyad of the default briefing is always busy.
    """
    a, b = np.meshgrid(np.arange(n_top), np.arange(n_top), indexing="ij")
    keep = a < b
    a, b = a[keep], b[keep]
    order = rng.permutation(len(a))
    # India-Afghanistan first, then the other pairs among the first five stakeholders
    # (IND, AFG, PAK, IRN, CHN), then the long tail in random order.
    first = (a == 0) & (b == 1)
    regional = (a < 5) & (b < 5) & ~first
    order = np.concatenate(
        [order[first[order]], order[regional[order]], order[~(first | regional)[order]]]
    )
    rank = np.empty(len(a), dtype=float)
    rank[order] = np.arange(1, len(a) + 1)
    weights = rank**-1.1
    return a, b, weights / weights.sum()


def _days(start: str, end: str) -> int:
    return (pd.Timestamp(end) - pd.Timestamp(start)).days


def make_engagements(
    rng: np.random.Generator, n: int, actors: pd.DataFrame, n_sources: int
) -> pd.DataFrame:
    tops = actors[actors["parent_id"] == ""]["actor_id"].tolist()
    n_top = len(tops)
    # Members of each stakeholder: itself and everything that rolls up to it.
    parent = dict(zip(actors["actor_id"], actors["parent_id"]))

    def top_of(x):
        while parent.get(x):
            x = parent[x]
        return x

    members = {t: [] for t in tops}
    for aid in actors["actor_id"]:
        members[top_of(aid)].append(aid)
    member_arr = [np.asarray(members[t], dtype=object) for t in tops]

    # Dyads: ordered by a coin flip; 4% of events have no other party.
    a, b, w = _dyad_weights(rng, n_top)
    pick = rng.choice(len(a), size=n, p=w)
    flip = rng.random(n) < 0.5
    s_from = np.where(flip, b[pick], a[pick])
    s_to = np.where(flip, a[pick], b[pick])
    no_other = rng.random(n) < 0.04
    # The stakeholder itself acts half the time; otherwise one of its members.
    actor_from = np.empty(n, dtype=object)
    actor_to = np.empty(n, dtype=object)
    for side, out in ((s_from, actor_from), (s_to, actor_to)):
        use_self = rng.random(n) < 0.5
        u = rng.random(n)
        for t in range(n_top):
            m = side == t
            arr = member_arr[t]
            idx = (u[m] * len(arr)).astype(int)
            out[m] = np.where(use_self[m], tops[t], arr[idx])
    actor_to[no_other] = ""

    # Dates: 2019-2026, linearly more events in later years (the record grows).
    total_days = _days(f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-12-31") + 1
    day = np.floor(np.sqrt(rng.random(n) * 0.75 + 0.25) * total_days * 2 - total_days)
    day = np.clip(day, 0, total_days - 1).astype("int64")
    date = START + day.astype("timedelta64[D]")
    precision = _choice(rng, ["day", "month", "year"], [0.85, 0.12, 0.03], n)
    dt = pd.DatetimeIndex(date)
    month_start = dt.to_period("M").to_timestamp()
    year_start = dt.to_period("Y").to_timestamp()
    date = np.where(precision == "day", dt, np.where(precision == "month", month_start, year_start))
    date = pd.DatetimeIndex(date)
    # Spans (1%): ongoing activity lasting one to fourteen months.
    span = rng.random(n) < 0.01
    end = date + pd.to_timedelta(rng.integers(30, 420, size=n), unit="D")
    end_str = np.where(span, end.strftime("%Y-%m-%d"), "")
    # Scheduled (2%): announced for later, mostly the latest years.
    status = np.where((rng.random(n) < 0.02) & ~span, "scheduled", "occurred")

    types = list(EVENT_TYPES)
    etype = _choice(rng, types, [EVENT_TYPES[t][0] for t in types], n)
    etype[no_other & (etype != "statement")] = "security_incident"
    cameo = np.empty(n, dtype=object)
    u = rng.random(n)
    for t in types:
        m = etype == t
        codes = np.asarray(EVENT_TYPES[t][1], dtype=object)
        cameo[m] = codes[(u[m] * len(codes)).astype(int)]
    level = _choice(rng, list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values()), n)

    topics_vocab = [
        "trade", "visas", "prisoners", "chabahar", "counterterrorism",
        "humanitarian_aid", "development", "recognition", "security", "connectivity",
    ]  # fmt: skip
    bits = (rng.random((n, len(topics_vocab))) < TOPIC_PROBABILITY) @ (1 << np.arange(10))
    combos = np.array(
        [";".join(t for k, t in enumerate(topics_vocab) if c >> k & 1) for c in range(1024)],
        dtype=object,
    )
    topics = combos[bits]

    # Sources: one to three per event, drawn near the event's place in time so that
    # sources cluster like real coverage; all distinct within an event.
    k = _choice(rng, [1, 2, 3], [0.6, 0.3, 0.1], n).astype(int)
    base = (day / total_days * n_sources).astype("int64") + rng.integers(-50, 51, size=n)
    s1 = np.mod(base, n_sources)
    s2 = np.mod(s1 + rng.integers(1, max(n_sources, 2), size=n), n_sources)
    s3 = np.mod(s2 + 1, n_sources)
    s3 = np.where(s3 == s1, np.mod(s3 + 1, n_sources), s3)
    sid = source_ids(n_sources)
    src = sid[s1]
    src = np.where(k >= 2, src + ";" + sid[s2], src)
    src = np.where(k >= 3, src + ";" + sid[s3], src)

    event_id = pd.Series(np.arange(n)).map("{:07d}".format).to_numpy(dtype=object)
    slug = pd.Series(etype).str.replace("_", "-", regex=False).to_numpy(dtype=object)
    event_id = "e" + event_id + "-" + slug

    names = dict(zip(actors["actor_id"], actors["name"]))
    from_name = pd.Series(actor_from).map(names).to_numpy(dtype=object)
    to_name = pd.Series(actor_to).map(names).fillna("").to_numpy(dtype=object)
    verb = pd.Series(etype).map(VERBS).to_numpy(dtype=object)
    type_words = pd.Series(etype).str.replace("_", " ", regex=False).to_numpy(dtype=object)
    summary = np.where(
        actor_to == "",
        from_name + ": " + type_words + ", with no other party named.",
        from_name + " " + verb + " " + to_name + ", according to the cited reports.",
    )
    location = np.where(
        rng.random(n) < 0.6, _choice(rng, LOCATIONS, np.ones(len(LOCATIONS)), n), ""
    )
    milestone = np.where(
        (rng.random(n) < 0.001) & (status == "occurred"),
        "Highest-level contact since August 2021",
        "",
    )
    notes = np.where(
        precision == "day",
        "",
        np.where(precision == "month", "The sources give the month, not the day.",
                 "Only the year is known; dated to 1 January."),
    )  # fmt: skip
    confidence = _choice(rng, list(CONFIDENCE_WEIGHTS), list(CONFIDENCE_WEIGHTS.values()), n)
    # Drawn last so that every column drawn before keeps the values of earlier packages.
    level_to = _choice(rng, list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values()), n)
    level_to = np.where(actor_to == "", "", level_to)

    return pd.DataFrame(
        {
            "event_id": event_id,
            "date": date.strftime("%Y-%m-%d"),
            "date_precision": precision,
            "end_date": end_str,
            "status": status,
            "fulfils": "",
            "event_type": etype,
            "cameo_code": cameo,
            "actor_from": actor_from,
            "actor_to": actor_to,
            "location": location,
            "level_from": level,
            "level_to": level_to,
            "topics": topics,
            "summary": summary,
            "milestone": milestone,
            "source_ids": src,
            "confidence": confidence,
            "notes": notes,
        }
    )


def source_ids(n_sources: int) -> np.ndarray:
    return pd.Series(np.arange(n_sources)).map("src-{:06d}".format).to_numpy(dtype=object)


def make_sources(rng: np.random.Generator, n_sources: int) -> pd.DataFrame:
    """Sources spread over the same years, as precisely dated as real ones."""
    total_days = _days(f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-12-31")
    day = np.sort(rng.integers(0, total_days + 1, size=n_sources))
    dates = pd.DatetimeIndex(START + day.astype("timedelta64[D]"))
    prec = _choice(rng, ["day", "month", "year"], [0.8, 0.15, 0.05], n_sources)
    published = np.where(
        prec == "day",
        dates.strftime("%Y-%m-%d"),
        np.where(prec == "month", dates.strftime("%Y-%m"), dates.strftime("%Y")),
    )
    ids = source_ids(n_sources)
    kind = _choice(rng, SOURCE_KINDS, [0.5, 0.2, 0.2, 0.05, 0.02, 0.03], n_sources)
    has_url = rng.random(n_sources) < 0.7
    return pd.DataFrame(
        {
            "source_id": ids,
            "title": "Synthetic " + pd.Series(kind).str.replace("_", " ").to_numpy(dtype=object)
            + " number " + pd.Series(np.arange(n_sources)).astype(str).to_numpy(dtype=object),
            "publisher": _choice(rng, PUBLISHERS, np.ones(len(PUBLISHERS)), n_sources),
            "published": published,
            "dateline": np.where(rng.random(n_sources) < 0.5,
                                 _choice(rng, LOCATIONS, np.ones(len(LOCATIONS)), n_sources), ""),
            "kind": kind,
            "url": np.where(has_url, "https://example.org/" + ids, ""),
            "notes": "Generated by benchmarks/generate.py.",
        }
    )  # fmt: skip


def make_positions(
    rng: np.random.Generator, actors: pd.DataFrame, per_stakeholder: int, n_sources: int
) -> pd.DataFrame:
    """Each stakeholder's stance as a bounded random walk, attested on distinct dates."""
    tops = actors[actors["parent_id"] == ""]["actor_id"].tolist()
    total_days = _days(f"{FIRST_YEAR}-01-01", f"{LAST_YEAR}-06-30")
    frames = []
    ids = source_ids(n_sources)
    for t in tops:
        days = np.sort(rng.choice(total_days, size=per_stakeholder, replace=False))
        steps = rng.integers(-1, 2, size=per_stakeholder)
        stance = np.clip(np.cumsum(steps) + int(rng.integers(-1, 2)), -2, 2)
        jitter = rng.integers(-1, 2, size=(2, per_stakeholder))
        influence = np.clip(int(rng.integers(1, 6)) + jitter[0], 1, 5)
        interest = np.clip(int(rng.integers(1, 6)) + jitter[1], 1, 5)
        as_of = pd.DatetimeIndex(START + days.astype("timedelta64[D]"))
        frames.append(
            pd.DataFrame(
                {
                    "actor_id": t,
                    "as_of": as_of.strftime("%Y-%m-%d"),
                    "stance": stance,
                    "influence": influence,
                    "interest": interest,
                    "rationale": "Stance read from the statements and contacts of the quarter, "
                    "as the cited sources report them.",
                    "source_ids": ids[rng.integers(0, n_sources, size=per_stakeholder)],
                }
            )
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def generate(events: int, out: Path, seed: int = 0, parquet: bool = True) -> dict:
    """Write a package of ``events`` events into ``out``; return what was made and timings."""
    t0 = time.perf_counter()
    rng = np.random.default_rng([seed, events])
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copyfile(DATA_DIR / "datapackage.json", out / "datapackage.json")

    n_top = n_stakeholders(events)
    n_sources = max(20, events // 4)
    per_stakeholder = int(np.clip(events // (n_top * 200), 4, 96))
    actors = make_actors(rng, n_top)
    tables = {
        "engagements": make_engagements(rng, events, actors, n_sources),
        "actors": actors,
        "sources": make_sources(rng, n_sources),
        "positions": make_positions(rng, actors, per_stakeholder, n_sources),
        "cameo": pd.read_csv(DATA_DIR / "cameo.csv", dtype=str, keep_default_na=False),
        # No analyst judgements: the table is optional, and its header alone is valid.
        "judgements": pd.read_csv(DATA_DIR / "judgements.csv", dtype=str, nrows=0),
    }
    t_made = time.perf_counter()
    for name, frame in tables.items():
        if name == "cameo":  # the project's own table, byte for byte
            shutil.copyfile(DATA_DIR / "cameo.csv", out / "cameo.csv")
        else:
            frame.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
    t_written = time.perf_counter()
    parquet_written = parquet and write_parquet(out, tables)
    t_parquet = time.perf_counter()
    return {
        "events": events,
        "seed": seed,
        "out": str(out),
        "stakeholders": n_top,
        "actors": len(actors),
        "sources": n_sources,
        "positions": len(tables["positions"]),
        "generate_s": round(t_made - t0, 3),
        "write_csv_s": round(t_written - t_made, 3),
        "write_parquet_s": round(t_parquet - t_written, 3) if parquet_written else None,
        "bytes_csv": sum((out / f"{n}.csv").stat().st_size for n in tables),
        "bytes_parquet": (
            sum(p.stat().st_size for p in (out / "parquet").glob("*.parquet"))
            if parquet_written
            else None
        ),
    }


def write_parquet(out: Path, tables: dict[str, pd.DataFrame]) -> bool:
    """Typed Parquet copies of every table in ``out/parquet/`` (False without pyarrow).

    Types follow the schema: dates as dates, integers and numbers as such, enumerations
    as categories; engagements sorted by date in 64k-row groups, so that a reader can
    skip the row groups outside a window.
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    target = out / "parquet"
    target.mkdir(exist_ok=True)
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        frame = tables[res["name"]].copy()
        for f in res["schema"]["fields"]:
            col = f["name"]
            if f.get("type") == "date":
                frame[col] = pd.to_datetime(frame[col].where(frame[col] != ""), format="%Y-%m-%d")
            elif f.get("type") == "integer":
                frame[col] = frame[col].astype("int64")
            elif f.get("type") == "number":
                frame[col] = frame[col].astype("float64")
            elif "enum" in f.get("constraints", {}):
                frame[col] = frame[col].astype("category")
        if res["name"] == "engagements":
            frame = frame.sort_values(["date", "event_id"], kind="stable")
        frame.to_parquet(target / f"{res['name']}.parquet", index=False, row_group_size=65536)
    return True


def recipe(seed: int) -> dict:
    """What a package depends on: the seed, this script and the project's schema and
    CAMEO table. A package whose recipe differs is stale and made again by the runner."""
    import hashlib

    def sha(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]

    return {
        "seed": seed,
        "generate.py": sha(Path(__file__)),
        "datapackage.json": sha(DATA_DIR / "datapackage.json"),
        "cameo.csv": sha(DATA_DIR / "cameo.csv"),
    }


def check(out: Path) -> tuple[int, float]:
    """Problems found by the project's validator, and how long it took (seconds)."""
    t0 = time.perf_counter()
    problems = validate_package(out)
    elapsed = time.perf_counter() - t0
    for p in problems[:10]:
        print(f"    {p}", file=sys.stderr)
    return len(problems), elapsed


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--events", type=int, help="number of events")
    p.add_argument("--out", type=Path, help="package folder (replaced if it exists)")
    p.add_argument(
        "--sizes",
        help="comma-separated event counts, each into <out or benchmarks/data>/e<N>",
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-parquet", action="store_true", help="skip the Parquet copies")
    p.add_argument("--no-validate", action="store_true", help="skip validate_package")
    args = p.parse_args(argv)
    if args.sizes:
        root = args.out or DEFAULT_OUT
        jobs = [(int(s), root / f"e{int(s)}") for s in args.sizes.split(",") if s.strip()]
    elif args.events and args.out:
        jobs = [(args.events, args.out)]
    else:
        p.error("give --events N --out DIR, or --sizes N,N,...")
    bad = 0
    for n, out in jobs:
        info = generate(n, out, args.seed, parquet=not args.no_parquet)
        line = (
            f"{n:>9,} events -> {out}: {info['stakeholders']} stakeholders, "
            f"{info['actors']} actors, {info['sources']:,} sources, {info['positions']:,} "
            f"positions; generated {info['generate_s']:.1f} s, CSV {info['write_csv_s']:.1f} s "
            f"({info['bytes_csv'] / 1e6:.1f} MB)"
        )
        if info["bytes_parquet"] is not None:
            mb = info["bytes_parquet"] / 1e6
            line += f", Parquet {info['write_parquet_s']:.1f} s ({mb:.1f} MB)"
        print(line, flush=True)
        if not args.no_validate:
            problems, secs = check(out)
            print(f"    validate_package: {problems} problems in {secs:.2f} s", flush=True)
            info["validate_s"] = round(secs, 3)
            info["problems"] = problems
            bad += problems
        info["recipe"] = recipe(args.seed)
        Path(f"{out}.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
