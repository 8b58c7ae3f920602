"""Input fingerprints and the input-fixed time that dates a briefing."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from helpers.fingerprint import data_file_hashes, input_epoch, inputs_key
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
                           "positions.csv", "cameo.csv"}  # fmt: skip
    base = inputs_key({"data": hashes}, {"start_date": "2025-01-01"})
    assert inputs_key({"data": hashes}, {"start_date": "2025-01-02"}) != base
    (a / "cameo.csv").write_text((a / "cameo.csv").read_text() + "\n", encoding="utf-8")
    assert inputs_key({"data": data_file_hashes(a)}, {"start_date": "2025-01-01"}) != base
