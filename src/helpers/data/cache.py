"""The typed cache: a validated package's typed tables as Parquet, keyed by its bytes.

See :mod:`helpers.data.dataset` for when it is written and read.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..paths import PACKAGE_DIR
from .fingerprint import cache_root, sha256_bytes

if TYPE_CHECKING:
    from .dataset import Scope

CACHE_MIN_BYTES = 2_000_000
"""Packages whose data files total at least this many bytes (about 7,000 events) get a
typed cache; smaller ones validate faster than a cache can be read. Overridden by the
environment variable ``BRIEFING_CACHE_MIN_BYTES``."""

CACHE_ROW_GROUP = 16_384
"""Rows per Parquet row group: a window's read skips the groups outside its periods."""

CACHE_KEEP = 4
"""How many cached packages to keep; the least recently written go first."""

TABLES = ("engagements", "actors", "sources", "positions", "cameo", "judgements")
_TYPING_CODE = (
    "data/dataset.py",
    "data/cache.py",
    "data/tables.py",
    "data/validation.py",
    "data/columns.py",
    "data/rules.py",
    "data/schema_keywords.py",
    "data/periods.py",
    "data/coverage.py",
)


def dataset_cache() -> Path:
    """Folder of the typed cache: ``datasets/`` in :func:`~helpers.data.fingerprint.cache_root`."""
    return cache_root() / "datasets"


def _cache_min_bytes() -> int:
    """Return the size from which a package is cached (see :data:`CACHE_MIN_BYTES`)."""
    env = os.environ.get("BRIEFING_CACHE_MIN_BYTES", "").strip()
    return int(env) if env.isdigit() else CACHE_MIN_BYTES


def cache_key(hashes: dict[str, str]) -> str:
    """Key of a package's typed cache: its file hashes and the code that types them."""
    code = {n: sha256_bytes((PACKAGE_DIR / n).read_bytes()) for n in _TYPING_CODE}
    blob = json.dumps({"data": hashes, "code": code}, sort_keys=True).encode()
    return sha256_bytes(blob)[:24]


def _wants_cache(folder: Path, hashes: dict[str, str]) -> bool:
    """Whether the package in ``folder`` is large enough to be worth a typed cache."""
    size = sum((folder / name).stat().st_size for name in hashes)
    return size >= _cache_min_bytes()


def _write_cache(frames: dict[str, pd.DataFrame], meta: dict, key: str) -> None:
    """Write the ``frames`` beside each other, then rename the folder into place."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = dataset_cache()
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=root))
    try:
        for name, frame in frames.items():
            table = pa.Table.from_pandas(frame, preserve_index=False)
            pq.write_table(table, tmp / f"{name}.parquet", row_group_size=CACHE_ROW_GROUP)
        (tmp / "meta.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
        try:
            os.rename(tmp, root / key)
        except OSError:  # another process wrote the same key first: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(root)


def _prune(root: Path) -> None:
    """Keep the :data:`CACHE_KEEP` most recently written cached packages; remove the rest."""
    entries = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in entries[CACHE_KEEP:]:
        shutil.rmtree(old, ignore_errors=True)


def _read_cache(key: str, scope: Scope | None) -> tuple[dict, dict] | None:
    """Read a cached package's tables (a scope's rows only) and its meta; None if absent."""
    folder = dataset_cache() / key
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    import pyarrow.parquet as pq

    out = {}
    for name in TABLES:
        if name == "engagements" and scope is not None:
            out[name], out["earlier_contacts"] = scope.read(folder)
        elif name == "sources" and scope is not None:
            out[name] = folder / "sources.parquet"  # read once the cited ids are known
        elif name == "judgements" and not (folder / "judgements.parquet").is_file():
            return None  # written by code that had no judgements: load afresh
        else:
            out[name] = pq.read_table(folder / f"{name}.parquet").to_pandas()
    return out, meta


def _cached_events(folder: Path, ids: list[str]) -> pd.DataFrame:
    """Return the rows of a typed cache's engagements whose id is in ``ids``."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    wanted = pa.array(ids, pa.string())
    return pq.read_table(
        folder / "engagements.parquet", filters=ds.field("event_id").isin(wanted)
    ).to_pandas()


def _cited_sources(sources, ids: set[str]) -> pd.DataFrame:
    """Select the rows of ``sources`` (a frame or a cached Parquet file) with id in ``ids``."""
    if isinstance(sources, pd.DataFrame):
        return sources[sources["source_id"].isin(ids)].reset_index(drop=True)
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    wanted = pa.array(sorted(ids), pa.string())
    return pq.read_table(sources, filters=ds.field("source_id").isin(wanted)).to_pandas()
