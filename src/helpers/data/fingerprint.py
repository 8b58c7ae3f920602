"""Fingerprints of a build's inputs, with the standard library only.

A version records the sha256 of every input (data files, notebooks, the helpers' code and
template) and a key over them and the parameters. Deciding that an edition is up to date
needs nothing more, so this module avoids pandas and matplotlib: an unchanged rebuild
answers without loading them.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

from ..paths import PACKAGE_DIR, PROJECT_ROOT


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """sha256 of a file read in 1 MB pieces (a data file may be hundreds of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


MEMO_MIN_BYTES = 1_000_000
"""Files at least this large have their sha256 remembered (see :func:`file_sha256`)."""

RACY_SECONDS = 2.0
"""A file changed this close to when its hash was remembered is hashed again."""


def cache_root() -> Path:
    """Folder of the project's caches: ``$BRIEFING_CACHE_DIR`` or ``.cache/`` at its root."""
    env = os.environ.get("BRIEFING_CACHE_DIR", "").strip()
    return Path(env) if env else PROJECT_ROOT / ".cache"


def _memo_path() -> Path:
    return cache_root() / "file-hashes.json"


def _read_memo() -> dict:
    try:
        return json.loads(_memo_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_memo(memo: dict) -> None:
    path = _memo_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(memo, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a memo is only a shortcut


def file_sha256(path: Path, memo: dict | None = None) -> str:
    """sha256 of a file; large files' hashes are remembered by size, inode and mtime.

    A file of at least :data:`MEMO_MIN_BYTES` whose size, inode and modification time
    (in nanoseconds) match the memo is not read again, as ``make`` and git's index
    decide. A file modified within :data:`RACY_SECONDS` of when its hash was taken is
    always read, so an edit made in the same instant is never missed.
    """
    st = path.stat()
    if st.st_size < MEMO_MIN_BYTES or memo is None:
        return sha256_file(path)
    stamp = [st.st_size, st.st_ino, st.st_mtime_ns]
    key = str(path.resolve())
    seen = memo.get(key)
    if seen and seen["stamp"] == stamp and st.st_mtime_ns / 1e9 < seen["at"] - RACY_SECONDS:
        return seen["sha256"]
    digest = sha256_file(path)
    memo[key] = {"stamp": stamp, "at": time.time(), "sha256": digest}
    return digest


def data_file_hashes(data_dir: Path) -> dict[str, str]:
    """sha256 of ``datapackage.json`` and every resource file it names, by file name.

    Raises OSError or ValueError when the package cannot be read; validation reports
    such problems properly, so callers that only fingerprint may treat them as "unknown".
    """
    data_dir = Path(data_dir)
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    names = ["datapackage.json", *(r["path"] for r in package.get("resources", []))]
    sizes = {n: (data_dir / n).stat().st_size for n in names}
    memo = _read_memo() if max(sizes.values()) >= MEMO_MIN_BYTES else None
    before = dict(memo or {})
    out = {n: file_sha256(data_dir / n, memo) for n in names}
    if memo is not None and memo != before:
        _write_memo(memo)
    return out


def _hash_files(paths) -> dict[str, str]:
    out = {}
    for p in sorted(paths):
        rel = p.relative_to(PROJECT_ROOT) if PROJECT_ROOT in p.parents else p
        out[str(rel)] = sha256_bytes(p.read_bytes())
    return out


def input_hashes(data_hashes: dict[str, str], notebooks, notebooks_dir: Path) -> dict:
    """sha256 of every input a version depends on: data, notebooks, helpers, template."""
    code = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return {
        "data": dict(sorted(data_hashes.items())),
        "notebooks": _hash_files([Path(notebooks_dir) / f"{n}.ipynb" for n in notebooks]),
        "code": _hash_files(code),
    }


def inputs_key(inputs: dict, parameters: dict) -> str:
    """One key over all input hashes and the parameters."""
    blob = json.dumps({"inputs": inputs, "parameters": parameters}, sort_keys=True).encode()
    return sha256_bytes(blob)


def input_epoch(data_dir: Path) -> int:
    """Seconds since the epoch that date a briefing, fixed by its inputs.

    ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention). Otherwise, when
    the data files are committed and unmodified in a git checkout, the time of the last
    commit that changed them, which is the same in every clone. Otherwise the
    modification time of the newest data file.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch)
    data_dir = Path(data_dir)
    files = [p for p in data_dir.iterdir() if p.is_file()]
    try:
        git = ["git", "-C", str(data_dir)]
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "."], capture_output=True, text=True, timeout=5
        )
        stamp = subprocess.run(
            [*git, "log", "-1", "--format=%ct", "--", "."],
            capture_output=True,
            text=True,
            timeout=5,
        )
        if dirty.returncode == 0 and not dirty.stdout.strip() and stamp.stdout.strip().isdigit():
            return int(stamp.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return int(max(p.stat().st_mtime for p in files))
