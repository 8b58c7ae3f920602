"""The record's coverage, derived from its sources (fixture tests/fixtures/briefing)."""

from __future__ import annotations

import pandas as pd

from helpers.data.coverage import published_end, record_end, source_coverage
from helpers.data.dataset import Scope, load_dataset
from helpers.data.periods import Window

T = pd.Timestamp


def test_published_end_is_the_end_of_its_interval():
    assert published_end("2025") == T("2025-12-31")
    assert published_end("2024-02") == T("2024-02-29")  # a leap year
    assert published_end("2025-01-20") == T("2025-01-20")
    assert published_end("") is None


def test_each_source_covers_up_to_its_latest_event_and_no_later_than_it_was_published(
    make_package,
):
    data = load_dataset(make_package("briefing"))
    got = dict(source_coverage(data.engagements, data.sources).itertuples(index=False))
    # src-a (published March 2025): occurred events Jan meeting (to 31 Jan), praise
    # (15 Jan), China's recognition (February: to 28 Feb); the scheduled April visit does
    # not count. Latest 28 Feb, before 31 Mar.
    assert got["src-a"] == T("2025-02-28")
    # src-b (published 2025): aid span to 31 Jan 2025, Dec call, attack 5 Mar,
    # condemnation (March: to 31 Mar). Latest 31 Mar, before 31 Dec.
    assert got["src-b"] == T("2025-03-31")
    # src-c (published 20 January 2025) backs the January meeting, whose month runs to
    # 31 January, but it cannot speak for anything after its own date.
    assert got["src-c"] == T("2025-01-20")
    assert record_end(data.engagements, data.sources) == T("2025-03-31")


def test_record_end_is_the_same_whatever_the_scope(make_package):
    pkg = make_package("briefing")
    later = load_dataset(pkg, Scope(Window.from_strings("2025-09-01", "2025-09-30")))
    # September's scope loads no event at all, yet the record still ends on 31 March.
    assert later.engagements[later.engagements["status"] == "occurred"].empty
    assert later.record_end == T("2025-03-31")
