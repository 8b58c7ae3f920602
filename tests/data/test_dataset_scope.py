"""Loading only what a window needs (dataset.Scope) and the typed cache of large packages.

The scoped load must give every analysis exactly what the whole record gives it; these
tests compare the two on the project's data and on a synthetic package of 1,000 events
(benchmarks/generate.py, seed 0) over windows of different lengths.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from helpers.analysis import front_page, memo, timeline
from helpers.data.context import prepare, select
from helpers.data.dataset import Scope, cache_key, file_hashes, latest_contacts, load_dataset
from helpers.data.parameters import parse_window
from helpers.errors import DataValidationError
from helpers.paths import DATA_DIR, PROJECT_ROOT

T = pd.Timestamp


def _generate():
    spec = importlib.util.spec_from_file_location(
        "bench_generate", PROJECT_ROOT / "benchmarks" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "e1000"
    _generate()(1000, out, seed=0, parquet=False)
    return out


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A private cache that every package, however small, uses."""
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFING_CACHE_MIN_BYTES", "0")
    return tmp_path / "cache" / "datasets"


def _contact(eid, a, b, level_rank, date, end=None, event_type="meeting", status="occurred"):
    return {
        "event_id": eid,
        "event_type": event_type,
        "status": status,
        "from_stakeholder": a,
        "to_stakeholder": b,
        "level_rank": level_rank,
        "date": T(date),
        "interval_end": T(end or date),
    }


def test_latest_contacts_keeps_the_latest_of_each_level_in_each_relationship():
    ev = pd.DataFrame(
        [
            # IND-AFG ministers: b1 is later than a1; b2 (AFG->IND, same relationship)
            # starts the same day but its month-long interval ends later, so it wins.
            _contact("a1", "IND", "AFG", 1, "2020-01-05"),
            _contact("b1", "IND", "AFG", 1, "2021-03-01"),
            _contact("b2", "AFG", "IND", 1, "2021-03-01", "2021-03-31"),
            # IND-AFG leader: the only one, kept.
            _contact("c1", "IND", "AFG", 0, "2019-06-01"),
            # Ends on the cut-off day itself: not wholly before it, so not history.
            _contact("d1", "IND", "AFG", 2, "2024-01-01"),
            # A statement is not a contact; a scheduled meeting has not happened.
            _contact("e1", "IND", "AFG", 2, "2022-01-01", event_type="statement"),
            _contact("e2", "IND", "AFG", 2, "2022-02-01", status="scheduled"),
            # IRN-AFG envoys: two tied on date and end, both kept; f0 is older.
            _contact("f0", "IRN", "AFG", 4, "2022-05-01"),
            _contact("f1", "IRN", "AFG", 4, "2023-05-01"),
            _contact("f2", "AFG", "IRN", 4, "2023-05-01"),
            # UN alone (no other party): its own relationship.
            _contact("g1", "UN", "", 3, "2023-07-01"),
            _contact("g2", "UN", "", 3, "2022-07-01"),
        ]
    )
    kept = set(ev.loc[latest_contacts(ev, T("2024-01-01")), "event_id"])
    assert kept == {"b2", "c1", "f1", "f2", "g1"}


def test_latest_contacts_of_nothing_is_empty():
    ev = pd.DataFrame([_contact("a1", "IND", "AFG", 1, "2025-01-05")])
    assert list(latest_contacts(ev, T("2024-01-01"))) == [False]


WINDOWS = [
    ("2025-01-01", "2025-05-31"),
    ("2024-01-01", "2024-03-31"),
    ("2022-06-01", "2022-06-30"),
    # Seed 0: both IND-AFG contacts of this month reach back past the previous period.
    ("2021-02-01", "2021-02-28"),
    ("2025-04-22", "2025-04-22"),
]


def _ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["event_id"])


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal frames; two empty ones need only the same columns (empty merges vary in dtype)."""
    if a.empty and b.empty:
        assert list(a.columns) == list(b.columns)
    else:
        assert_frame_equal(a, b)


@pytest.mark.parametrize("start,end", WINDOWS)
@pytest.mark.parametrize("which", ["own", "synthetic"])
def test_scoped_load_gives_every_analysis_what_the_whole_record_gives(which, start, end, synthetic):
    folder = DATA_DIR if which == "own" else synthetic
    window = parse_window(start, end)
    whole = select(load_dataset(folder), window, "IND", "AFG")
    scoped = prepare(start, end, "IND", "AFG", str(folder))
    assert scoped.data.scope == Scope(window)
    assert len(scoped.data.engagements) <= len(whole.data.engagements)
    assert _ids(scoped.events) == _ids(whole.events)
    assert _ids(scoped.loose) == _ids(whole.loose)
    assert _ids(scoped.previous_events) == _ids(whole.previous_events)
    _same(timeline.window_contacts(scoped), timeline.window_contacts(whole))
    _same(timeline.milestone_checks(scoped), timeline.milestone_checks(whole))
    assert front_page.what_to_watch(scoped) == front_page.what_to_watch(whole)
    assert front_page.summary(scoped) == front_page.summary(whole)
    assert set(scoped.data.sources["source_id"]) <= set(whole.data.sources["source_id"])
    assert scoped.data.record_start == timeline.record_start(whole.data.engagements)
    assert timeline.highest_contact_sentence(scoped) == timeline.highest_contact_sentence(whole)


def test_synthetic_scope_drops_most_of_the_record(synthetic):
    scoped = prepare("2025-01-01", "2025-05-31", "IND", "AFG", str(synthetic))
    # 1,000 events over 2019-2026: a five-month window, the five months before it and
    # at most one contact per relationship and level before that.
    assert 0 < len(scoped.data.engagements) < 400


def test_own_record_start_is_august_2021():
    # The earliest event in data/engagements.csv is the Taliban's return, August 2021.
    assert load_dataset(DATA_DIR).record_start == "August 2021"


def test_the_cache_gives_the_same_frames_as_validating(cache, synthetic):
    scope = Scope(parse_window("2025-01-01", "2025-05-31"))
    cold = load_dataset(synthetic, scope)
    entries = [p for p in cache.iterdir()]
    assert [p.name for p in entries] == [cache_key(file_hashes(synthetic))]
    assert sorted(f.name for f in entries[0].iterdir()) == [
        "actors.parquet",
        "cameo.parquet",
        "contacts.parquet",
        "engagements.parquet",
        "judgements.parquet",
        "meta.json",
        "positions.parquet",
        "scheduled.parquet",
        "sources.parquet",
    ]
    warm = load_dataset(synthetic, scope)
    for name in ("engagements", "earlier_contacts", "actors", "sources", "positions", "cameo"):
        assert_frame_equal(getattr(warm, name), getattr(cold, name), obj=name)
    assert (warm.first_date, warm.first_precision) == (cold.first_date, cold.first_precision)
    whole_warm = load_dataset(synthetic)
    assert len(whole_warm.engagements) == 1000


def test_the_cache_is_read_not_revalidated(cache, synthetic, monkeypatch):
    load_dataset(synthetic)

    def no_validation(folder):
        raise AssertionError("validated although the cache holds these bytes")

    monkeypatch.setattr("helpers.data.dataset.read_package", no_validation)
    assert len(load_dataset(synthetic).engagements) == 1000


def test_an_edited_package_is_validated_again(cache, make_package):
    folder = make_package()
    assert len(load_dataset(folder).engagements) == 18
    text = (folder / "engagements.csv").read_text(encoding="utf-8")
    # Same size, different bytes: a level that is not in the vocabulary.
    (folder / "engagements.csv").write_text(
        text.replace(",minister,", ",ministre,", 1), encoding="utf-8"
    )
    with pytest.raises(DataValidationError, match="ministre"):
        load_dataset(folder)
    assert len(list(cache.iterdir())) == 1  # a bad package is never cached


def test_small_packages_are_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFING_CACHE_MIN_BYTES", raising=False)
    load_dataset(DATA_DIR)  # about 12 KB of data, far below the 2 MB threshold
    assert not (tmp_path / "cache").exists()


def test_the_cache_keeps_only_the_newest_packages(cache, make_package):
    folders = [make_package() for _ in range(6)]
    for i, folder in enumerate(folders):
        # Six different packages: the Dubai meeting's location names a different hotel.
        path = folder / "engagements.csv"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(",Dubai,", f",Dubai hotel {i},", 1), encoding="utf-8")
    keys = []
    for folder in folders:
        load_dataset(folder)
        keys.append(cache_key(file_hashes(folder)))
    assert len(set(keys)) == 6
    left = sorted(p.name for p in cache.iterdir())
    assert left == sorted(keys[-4:])


def test_a_remembered_scope_is_handed_out_until_the_data_changes(make_package):
    from helpers.data import dataset

    folder = make_package()
    scope = Scope(parse_window("2025-01-01", "2025-05-31"))
    try:
        kept = dataset.remember(folder, scope)
        assert load_dataset(folder, scope) is kept
        # Another scope, or the whole record, is loaded afresh.
        other = Scope(parse_window("2025-02-01", "2025-05-31"))
        assert load_dataset(folder, other) is not kept
        assert load_dataset(folder) is not kept
        # An edit to the data (same size: one letter of a location) is seen at once.
        path = folder / "engagements.csv"
        path.write_text(
            path.read_text(encoding="utf-8").replace(",Dubai,", ",Dubaj,", 1), encoding="utf-8"
        )
        fresh = load_dataset(folder, scope)
        assert fresh is not kept
        assert "Dubaj" in set(fresh.engagements["location"])
    finally:
        dataset._REMEMBERED.clear()


def test_a_remembered_context_and_its_shared_analyses_are_handed_out(make_package):
    """What the kernel host prepares before forking is what the notebooks' prepare gets,
    with every per-context analysis already computed; anything else is prepared afresh."""
    from helpers.analysis import stakeholders  # noqa: F401  as the notebooks import it
    from helpers.data import context, dataset

    folder = make_package()
    try:
        kept = context.remember_context("2025-01-01", "2025-05-31", "IND", "AFG", str(folder))
        timeline.compute_shared(kept)
        assert context.prepare("2025-01-01", "2025-05-31", "IND", "AFG", str(folder)) is kept
        store = memo._MEMO[id(kept)]
        assert "helpers.analysis.seniority.window_contacts" in store
        assert "helpers.analysis.network.dyads" in store
        # The answer handed out is the one computed before, as a copy of it.
        first = timeline.window_contacts(kept)
        assert first is not store["helpers.analysis.seniority.window_contacts"]
        assert_frame_equal(first, store["helpers.analysis.seniority.window_contacts"])
        # Another counterpart or window is prepared afresh, from the same data.
        other = context.prepare("2025-01-01", "2025-05-31", "IND", "PAK", str(folder))
        assert other is not kept and other.data is kept.data
        assert context.prepare("2025-02-01", "2025-05-31", "IND", "AFG", str(folder)) is not kept
        # An edit to the data is seen at once: new data, so a new context.
        path = folder / "engagements.csv"
        path.write_text(
            path.read_text(encoding="utf-8").replace(",Dubai,", ",Dubaj,", 1), encoding="utf-8"
        )
        fresh = context.prepare("2025-01-01", "2025-05-31", "IND", "AFG", str(folder))
        assert fresh is not kept and "Dubaj" in set(fresh.events["location"])
    finally:
        dataset._REMEMBERED.clear()
        context._PREPARED.clear()
