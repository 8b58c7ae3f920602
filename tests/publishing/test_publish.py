"""Unit tests of :mod:`helpers.publishing.publish`: names, versions, leftovers, checks."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time

import pytest

from helpers.publishing.archive import rebuild_index
from helpers.publishing.publish import (
    STAGING_PREFIX,
    Edition,
    PublishError,
    edition_name,
    failed_dir,
    locked,
    safe_name,
    series_name,
    sha256_file,
    write_atomic,
)

SERIES, EDITION = "ind-afg", "2025-01-01_2025-05-31"


def fake_version(folder, outputs: dict[str, bytes], manifest: bool = True) -> None:
    """A version folder with ``outputs`` and a manifest listing their sha256."""
    folder.mkdir(parents=True)
    for name, data in outputs.items():
        (folder / name).write_bytes(data)
    if manifest:
        digests = {n: hashlib.sha256(d).hexdigest() for n, d in outputs.items()}
        (folder / "manifest.json").write_text(json.dumps({"outputs": digests}))


@pytest.mark.parametrize("name", ["ind-afg", "a", "2025-01-01_2025-05-31", "x" * 64, "0", "a_b-c"])
def test_safe_name_accepts_plain_components(name):
    assert safe_name(name, "series") == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        ".",
        "..",
        "../x",
        "a/../../b",
        "a/b",
        "a\\b",
        "/tmp/x",
        "~/x",
        "IND-AFG",
        "-x",
        "_x",
        ".hidden",
        "x" * 65,
        "a b",
        "a.b",
        "ind-afg\n",  # "$" in a regex matches before a final newline; the name must not
        "ind\x00afg",
        "índia",
        None,
        5,
    ],
)
def test_safe_name_refuses_anything_that_is_not_one_plain_component(name):
    with pytest.raises(PublishError) as info:
        safe_name(name, "series")
    assert str(info.value).startswith(f"series {name!r} is not allowed")


def test_series_and_edition_names():
    assert series_name("IND", "AFG") == "ind-afg"
    assert series_name("IND_CRITICS", "PAK") == "ind-critics-pak"
    assert edition_name("2025-01-01", "2025-05-31") == "2025-01-01_2025-05-31"
    with pytest.raises(PublishError):
        edition_name("2025/01/01", "2025-05-31")


def test_edition_refuses_unsafe_names(tmp_path):
    with pytest.raises(PublishError):
        Edition(tmp_path, "../outside", EDITION)
    with pytest.raises(PublishError):
        Edition(tmp_path, SERIES, "/etc")
    assert list(tmp_path.iterdir()) == []


def test_failed_dir_is_under_reports(tmp_path):
    assert failed_dir(tmp_path, SERIES, EDITION) == tmp_path / "_failed" / f"{SERIES}_{EDITION}"


def test_versions_counts_only_complete_version_folders(tmp_path):
    ed = Edition(tmp_path, SERIES, EDITION)
    assert ed.versions() == []  # the folder does not exist yet
    fake_version(ed.path / "v1", {"a.html": b"1"})
    fake_version(ed.path / "v3", {"a.html": b"3"})
    fake_version(ed.path / "v2", {"a.html": b"2"}, manifest=False)  # half-made
    fake_version(ed.path / "v10", {"a.html": b"10"})
    fake_version(ed.path / "v01", {"a.html": b"01"})  # would alias v1
    fake_version(ed.path / "version4", {"a.html": b"4"})
    fake_version(ed.path / f"{STAGING_PREFIX}abc", {"a.html": b"s"})
    (ed.path / "v5").write_text("a file, not a folder")
    assert ed.versions() == [1, 3, 10]
    assert ed.manifest(3)["outputs"] == {"a.html": hashlib.sha256(b"3").hexdigest()}


def test_clean_leftovers_removes_staging_and_manifestless_versions_only(tmp_path):
    ed = Edition(tmp_path, SERIES, EDITION)
    assert ed.clean_leftovers() == []  # no folder yet: nothing to do, no error
    fake_version(ed.path / "v1", {"a.html": b"1"})
    fake_version(ed.path / "v2", {"a.html": b"2"}, manifest=False)
    fake_version(ed.path / f"{STAGING_PREFIX}k1", {"a.html": b"x"})
    (ed.path / f"{STAGING_PREFIX}k2").mkdir()
    (ed.path / ".lock").write_text("")
    removed = ed.clean_leftovers()
    assert sorted(p.name for p in removed) == [f"{STAGING_PREFIX}k1", f"{STAGING_PREFIX}k2", "v2"]
    assert sorted(p.name for p in ed.path.iterdir()) == [".lock", "v1"]
    assert (ed.path / "v1" / "a.html").read_bytes() == b"1"


def staged(ed: Edition, outputs: dict[str, bytes]):
    staging = ed.new_staging()
    assert staging.parent == ed.path and staging.name.startswith(STAGING_PREFIX)
    for name, data in outputs.items():
        (staging / name).write_bytes(data)
    digests = {n: hashlib.sha256(d).hexdigest() for n, d in outputs.items()}
    write_atomic(staging / "manifest.json", json.dumps({"outputs": digests}).encode())
    return staging


def test_publish_renames_a_checked_staging_folder(tmp_path):
    ed = Edition(tmp_path, SERIES, EDITION)
    staging = staged(ed, {"b.html": b"<p>hi</p>", "b.pdf": b"%PDF-1.7"})
    final = ed.publish(staging, 1)
    assert final == ed.path / "v1"
    assert not staging.exists()
    assert sorted(p.name for p in final.iterdir()) == ["b.html", "b.pdf", "manifest.json"]
    # sha256 of b"%PDF-1.7", computed independently of the code under test
    assert sha256_file(final / "b.pdf") == hashlib.sha256(b"%PDF-1.7").hexdigest()
    assert ed.versions() == [1]


def test_publish_refuses_a_file_that_does_not_match_the_manifest(tmp_path):
    ed = Edition(tmp_path, SERIES, EDITION)
    staging = staged(ed, {"b.html": b"<p>complete</p>"})
    (staging / "b.html").write_bytes(b"<p>compl")  # truncated after the manifest was written
    with pytest.raises(PublishError, match="b.html is missing or does not match"):
        ed.publish(staging, 1)
    assert not (ed.path / "v1").exists()
    assert ed.versions() == []


def test_publish_refuses_a_missing_file(tmp_path):
    ed = Edition(tmp_path, SERIES, EDITION)
    staging = staged(ed, {"b.html": b"x", "b.pdf": b"y"})
    (staging / "b.pdf").unlink()
    with pytest.raises(PublishError, match="b.pdf is missing"):
        ed.publish(staging, 1)
    assert ed.versions() == []


def test_publish_never_overwrites_a_version(tmp_path):
    ed = Edition(tmp_path, SERIES, EDITION)
    ed.publish(staged(ed, {"b.html": b"first"}), 1)
    staging = staged(ed, {"b.html": b"second"})
    with pytest.raises(PublishError, match="never overwritten"):
        ed.publish(staging, 1)
    assert (ed.path / "v1" / "b.html").read_bytes() == b"first"


def test_write_atomic_replaces_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "index.json"
    write_atomic(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    write_atomic(target, b"[]")
    assert target.read_bytes() == b"[]"
    assert [p.name for p in target.parent.iterdir()] == ["index.json"]


def test_write_atomic_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "index.json"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.json"]


def test_lock_makes_builds_of_one_edition_take_turns(tmp_path):
    """A second holder waits until the first lets go."""
    ed = Edition(tmp_path, SERIES, EDITION)
    events = []

    def second():
        with ed.lock():
            events.append("second acquired")

    with ed.lock():
        t = threading.Thread(target=second)
        t.start()
        time.sleep(0.3)
        events.append("first releasing")
    t.join(5)
    assert events == ["first releasing", "second acquired"]


def test_locked_creates_its_folder(tmp_path):
    with locked(tmp_path / "a" / "b" / ".lock"):
        assert (tmp_path / "a" / "b" / ".lock").is_file()


def test_rebuild_index_lists_versions_and_removes_temporaries_of_killed_writers(tmp_path):
    ed = Edition(tmp_path, SERIES, EDITION)
    fake_version(ed.path / "v1", {"x_v1_briefing.html": b"1"})
    fake_version(ed.path / "v2", {"x_v2_briefing.html": b"2"}, manifest=False)
    (tmp_path / ".index.json.abc123").write_text('{"series": [')  # killed mid-write
    (tmp_path / ".index.html.def456").write_text("<html")
    series = rebuild_index(tmp_path)
    index = json.loads((tmp_path / "index.json").read_text())
    assert index == {"series": series}
    [s] = index["series"]
    assert s["series"] == SERIES
    [ed_entry] = s["editions"]
    assert [v["path"] for v in ed_entry["versions"]] == [f"{SERIES}/{EDITION}/v1"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        ".index.lock",
        "index.html",
        "index.json",
    ]
