"""The loader reads Parquet tables as it reads CSV: same checks, same frames.

A package is turned into Parquet by rewriting each resource's path in datapackage.json;
dates are stored as real Parquet dates and numbers as numbers, as a user's export would.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers.data.dataset import load_dataset
from helpers.data.validation import DataValidationError, validate_package


def to_parquet(folder, edit=None):
    """Rewrite the CSV package in ``folder`` as Parquet; ``edit(name, table)`` may alter a
    table (a pyarrow Table read from the CSV as text) before it is written."""
    import pyarrow.csv as pacsv

    package = json.loads((folder / "datapackage.json").read_text())
    for res in package["resources"]:
        csv_path = folder / res["path"]
        names = [f["name"] for f in res["schema"]["fields"]]
        table = pacsv.read_csv(
            csv_path,
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=True
            ),
        )
        types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
        cols = {}
        for name in table.column_names:
            col = table.column(name)
            if types[name] == "date":
                col = col.cast(pa.date32())
            elif types[name] == "integer":
                col = col.cast(pa.int64())
            elif types[name] == "number":
                col = col.cast(pa.float64())
            cols[name] = col
        table = pa.table(cols)
        if edit:
            table = edit(res["name"], table)
        pq.write_table(table, folder / f"{res['name']}.parquet")
        csv_path.unlink()
        res["path"] = f"{res['name']}.parquet"
        res["format"] = "parquet"
        res["mediatype"] = "application/vnd.apache.parquet"
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2))
    return folder


def test_parquet_package_loads_like_the_csv_one(make_package):
    csv_data = load_dataset(make_package())
    pq_data = load_dataset(to_parquet(make_package()))
    cols = ["event_id", "date", "date_precision", "end_date", "interval_end", "cameo_code",
            "goldstein", "from_stakeholder", "to_stakeholder", "level_rank", "topic_list",
            "summary"]  # fmt: skip
    assert pq_data.engagements[cols].equals(csv_data.engagements[cols])
    assert pq_data.positions[["actor_id", "as_of", "stance"]].equals(
        csv_data.positions[["actor_id", "as_of", "stance"]]
    )
    # CAMEO codes are text with their leading zero in both.
    assert "041" in set(pq_data.engagements["cameo_code"])


def test_parquet_problems_name_the_row(make_package):
    def break_level(name, table):
        if name != "engagements":
            return table
        levels = table.column("level_from").to_pylist()
        levels[2] = "ministerial"  # the third data row
        column = table.column_names.index("level_from")
        return table.set_column(column, "level_from", pa.array(levels))

    folder = to_parquet(make_package(), break_level)
    problems = [str(p) for p in validate_package(folder)]
    assert len(problems) == 1
    assert problems[0].startswith("engagements.parquet, row 3, column level_from: 'ministerial'")
    with pytest.raises(DataValidationError):
        load_dataset(folder)


def test_parquet_missing_column_is_reported_without_a_row(make_package):
    folder = to_parquet(make_package(), lambda n, t: t.drop(["notes"]) if n == "engagements" else t)
    (problem,) = [str(p) for p in validate_package(folder)]
    assert (
        problem
        == "engagements.parquet, column notes: required column 'notes' is missing from the header"
    )
