"""The coded_events file: row groups by month (so a window's read skips the others)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq

from helpers.data.coded import store

D = dt.date


def events(*dates: dt.date, first_id: int = 1) -> pa.Table:
    n = len(dates)
    columns = {f.name: pa.nulls(n, f.type) for f in store.SCHEMA}
    columns["event_id"] = pa.array([str(first_id + i) for i in range(n)], pa.string())
    columns["date"] = pa.array(dates, pa.date32())
    return pa.table(columns, schema=store.SCHEMA)


def groups(path) -> list[tuple[int, dt.date, dt.date]]:
    meta = pq.ParquetFile(path).metadata
    col = store.SCHEMA.get_field_index("date")
    out = []
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        stats = group.column(col).statistics
        out.append((group.num_rows, stats.min, stats.max))
    return out


def write(tmp_path, *tables: pa.Table):
    writer, path = store.empty_writer(tmp_path, "t")
    with store.MonthGroups(writer) as months:
        for table in tables:
            months.write_table(table)
    return path


def test_rows_out_of_date_order_are_written_one_month_per_row_group(tmp_path):
    # Six events, months mixed as in a news file: two each in January, February, March.
    table = events(
        D(2025, 3, 2), D(2025, 1, 15), D(2025, 2, 10), D(2025, 1, 20), D(2025, 3, 30), D(2025, 2, 1)
    )
    path = write(tmp_path, table)
    assert groups(path) == [
        (2, D(2025, 1, 15), D(2025, 1, 20)),
        (2, D(2025, 2, 1), D(2025, 2, 10)),
        (2, D(2025, 3, 2), D(2025, 3, 30)),
    ]
    # every row is there once: ids 1-6
    assert sorted(pq.read_table(path).column("event_id").to_pylist()) == list("123456")


def test_a_month_longer_than_a_row_group_is_split(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "ROW_GROUP", 2)
    path = write(tmp_path, events(D(2024, 5, 9), D(2024, 5, 1), D(2024, 5, 5), D(2024, 6, 1)))
    assert groups(path) == [
        (2, D(2024, 5, 1), D(2024, 5, 5)),
        (1, D(2024, 5, 9), D(2024, 5, 9)),
        (1, D(2024, 6, 1), D(2024, 6, 1)),
    ]


def test_held_rows_are_written_when_the_limit_is_reached(tmp_path, monkeypatch):
    # With at most 3 rows held, the first table (3 rows) is written before the second
    # arrives: January's rows of the two tables land in two row groups.
    monkeypatch.setattr(store, "HELD_ROWS", 3)
    first = events(D(2025, 1, 3), D(2025, 2, 3), D(2025, 1, 4))
    second = events(D(2025, 1, 5), first_id=4)
    assert groups(write(tmp_path, first, second)) == [
        (2, D(2025, 1, 3), D(2025, 1, 4)),
        (1, D(2025, 2, 3), D(2025, 2, 3)),
        (1, D(2025, 1, 5), D(2025, 1, 5)),
    ]


def test_a_merge_keeps_each_row_group_to_its_month(tmp_path):
    # Stored: id 1 on 1 March, id 2 on 1 January. New: id 1 on 1 March (the same key:
    # left out) and id 2 on 7 February (another date, so another event: added).
    old_writer, old = store.empty_writer(tmp_path, "old")
    with store.MonthGroups(old_writer) as months:
        months.write_table(events(D(2025, 3, 1), D(2025, 1, 1)))
    old.rename(tmp_path / store.FILE_NAME)
    new = write(tmp_path, events(D(2025, 3, 1), D(2025, 2, 7)))
    assert store.merge(tmp_path, new) == (1, 1)
    assert groups(tmp_path / store.FILE_NAME) == [
        (1, D(2025, 1, 1), D(2025, 1, 1)),
        (1, D(2025, 3, 1), D(2025, 3, 1)),
        (1, D(2025, 2, 7), D(2025, 2, 7)),
    ]


def test_a_window_read_returns_only_its_dates(tmp_path):
    path = write(tmp_path, events(D(2025, 1, 31), D(2025, 2, 1), D(2025, 2, 28), D(2025, 3, 1)))
    path.rename(tmp_path / store.FILE_NAME)
    got = store.read_window(tmp_path, D(2025, 2, 1), D(2025, 2, 28), ["event_id", "date"])
    assert got.column("event_id").to_pylist() == ["2", "3"]


def test_date_order_sorts_days_keeping_ties_in_file_order():
    import numpy as np

    # days 5, 3, 5, 1: day 1 (row 3), day 3 (row 1), then the two 5s as they came (0, 2)
    assert store.date_order(np.array([5, 3, 5, 1], dtype=np.int32)).tolist() == [3, 1, 0, 2]
    # a span wider than 16 bits of days still sorts (rows 1, 2, 0)
    assert store.date_order(np.array([40_000, 0, 20_000], dtype=np.int32)).tolist() == [1, 2, 0]
    assert store.date_order(np.array([1, 1, 2], dtype=np.int32)) is None  # already in order


def test_rows_of_a_month_are_written_in_date_order(tmp_path):
    # Two months mixed: each row group's rows come out in date order, ids 4, 2, 1 | 3
    table = events(D(2025, 1, 20), D(2025, 1, 9), D(2025, 2, 1), D(2025, 1, 2))
    path = write(tmp_path, table)
    assert pq.read_table(path).column("event_id").to_pylist() == ["4", "2", "1", "3"]
    assert [n for n, _, _ in groups(path)] == [3, 1]


def test_row_groups_carry_the_statistics_a_window_read_filters_on(tmp_path):
    table = events(D(2025, 1, 20), D(2025, 1, 9))
    table = table.set_column(
        table.schema.get_field_index("actor1_id"), "actor1_id", pa.array(["IND", "AFG"])
    )
    meta = pq.ParquetFile(write(tmp_path, table)).metadata.row_group(0)
    stats = {
        meta.column(i).path_in_schema: meta.column(i).statistics for i in range(len(store.SCHEMA))
    }
    assert (stats["date"].min, stats["date"].max) == (D(2025, 1, 9), D(2025, 1, 20))
    assert (stats["actor1_id"].min, stats["actor1_id"].max) == ("AFG", "IND")
