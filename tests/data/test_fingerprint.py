"""Input fingerprints and the input-fixed time that dates a briefing."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time

import pytest

from helpers.data import fingerprint
from helpers.data.fingerprint import data_file_hashes, input_epoch, inputs_key
from helpers.paths import DATA_DIR


@pytest.fixture
def data_repo(tmp_path, monkeypatch):
    """A git repository holding a copy of the data, committed at 2025-06-02 00:00 UTC."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = tmp_path / "repo"
    shutil.copytree(DATA_DIR, repo / "data")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2025-06-02T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2025-06-02T00:00:00+00:00",
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
    }  # fmt: skip
    for cmd in (["init", "-q"], ["add", "data"], ["commit", "-qm", "data"]):
        subprocess.run(["git", "-C", str(repo), *cmd], check=True, env=env)
    return repo / "data"


def test_committed_data_is_dated_by_its_commit(data_repo):
    # 2025-06-02 00:00 UTC = 1748822400 (1748736000 is 1 June, plus 86400).
    for p in data_repo.iterdir():
        os.utime(p, (1_700_000_000, 1_700_000_000))  # mtimes differ from the commit
    assert input_epoch(data_repo) == 1_748_822_400


def test_modified_data_falls_back_to_the_newest_file_time(data_repo):
    for p in data_repo.iterdir():
        os.utime(p, (1_600_000_000, 1_600_000_000))
    edited = data_repo / "engagements.csv"
    edited.write_text(edited.read_text() + "", encoding="utf-8")  # same text: still clean
    os.utime(edited, (1_700_000_000, 1_700_000_000))
    assert input_epoch(data_repo) == 1_748_822_400
    edited.write_text(edited.read_text().replace("Dubai", "Dubai (UAE)"), encoding="utf-8")
    os.utime(edited, (1_700_000_000, 1_700_000_000))
    assert input_epoch(data_repo) == 1_700_000_000  # dirty: the newest mtime


def test_source_date_epoch_wins(data_repo, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1748736000")
    assert input_epoch(data_repo) == 1_748_736_000


def test_key_changes_with_any_data_byte_or_parameter(make_package):
    a = make_package()
    hashes = data_file_hashes(a)
    assert set(hashes) == {"datapackage.json", "engagements.csv", "actors.csv", "sources.csv",
                           "positions.csv", "cameo.csv", "judgements.csv"}  # fmt: skip
    base = inputs_key({"data": hashes}, {"start_date": "2025-01-01"})
    assert inputs_key({"data": hashes}, {"start_date": "2025-01-02"}) != base
    (a / "cameo.csv").write_text((a / "cameo.csv").read_text() + "\n", encoding="utf-8")
    assert inputs_key({"data": data_file_hashes(a)}, {"start_date": "2025-01-01"}) != base


# --- remembered hashes of large files -------------------------------------------------


@pytest.fixture
def big(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "big.csv"
    path.write_bytes(b"a" * fingerprint.MEMO_MIN_BYTES)
    return path


def test_a_large_file_is_hashed_and_remembered(big):
    memo = {}
    assert fingerprint.file_sha256(big, memo) == hashlib.sha256(big.read_bytes()).hexdigest()
    assert list(memo) == [str(big.resolve())]


def test_a_remembered_hash_is_used_when_the_file_is_unchanged(big):
    st = big.stat()
    # A memo taken well after the file's last change, holding a made-up hash: only a
    # function that trusts the memo can return it.
    memo = {
        str(big.resolve()): {
            "stamp": [st.st_size, st.st_ino, st.st_mtime_ns],
            "at": st.st_mtime_ns / 1e9 + 60,
            "sha256": "remembered",
        }
    }
    assert fingerprint.file_sha256(big, memo) == "remembered"


def test_a_changed_or_racy_file_is_read_again(big):
    st = big.stat()
    real = hashlib.sha256(big.read_bytes()).hexdigest()
    key = str(big.resolve())
    stale = {"stamp": [st.st_size, st.st_ino, st.st_mtime_ns - 1], "at": 1e12, "sha256": "x"}
    assert fingerprint.file_sha256(big, {key: stale}) == real
    # Remembered one second after the change: the same instant, as far as a file
    # system's clock goes, so it is not trusted.
    racy = {
        "stamp": [st.st_size, st.st_ino, st.st_mtime_ns],
        "at": st.st_mtime_ns / 1e9 + 1,
        "sha256": "x",
    }
    assert fingerprint.file_sha256(big, {key: racy}) == real


def test_package_hashes_survive_an_edit_of_the_same_size(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "datapackage.json").write_text(
        '{"resources": [{"name": "t", "path": "t.csv"}]}', encoding="utf-8"
    )
    table = folder / "t.csv"
    table.write_bytes(b"x" * fingerprint.MEMO_MIN_BYTES)
    first = fingerprint.data_file_hashes(folder)["t.csv"]
    assert (tmp_path / "cache" / "file-hashes.json").exists()
    table.write_bytes(b"y" * fingerprint.MEMO_MIN_BYTES)
    os.utime(table, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    second = fingerprint.data_file_hashes(folder)["t.csv"]
    assert second != first
    assert second == hashlib.sha256(b"y" * fingerprint.MEMO_MIN_BYTES).hexdigest()
