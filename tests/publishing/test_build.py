"""Unit and small-build tests of :mod:`helpers.publishing.build`: when a build is "up to
date", which series a data package's versions go to, what a version records of its package.

The builds here run one small notebook (a parameters cell and a print), so they exercise
the whole path (kernel host, provisioner, render pool, publishing) in a few seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from helpers.data.fingerprint import data_file_hashes, data_package
from helpers.paths import DATA_DIR
from helpers.publishing.archive import rebuild_index
from helpers.publishing.build import BuildRequest, build, same_inputs
from helpers.publishing.publish import Edition, PublishError, series_name

EDITION = "2025-01-01_2025-05-31"
QUIET = {"progress": lambda msg: None}


def small_notebooks(folder: Path) -> Path:
    """A folder with one ``briefing.ipynb``: the notebooks' parameters and one print.

    Written once: nbformat gives new cells random ids, and a notebook written again is
    another input.
    """
    if (folder / "briefing.ipynb").exists():
        return folder
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "briefing", "display_name": "B", "language": "python"}
    params = nbformat.v4.new_code_cell(
        'start_date: str = "2025-01-01"\nend_date: str = "2025-05-31"\nfocus: str = "IND"\n'
        'counterpart: str = "AFG"\ndata_dir: str = ""\ntitle: str = ""'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell('print(f"{focus}-{counterpart} {start_date}")')]
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "briefing.ipynb")
    return folder


def request(tmp_path: Path, **kw) -> BuildRequest:
    kw.setdefault("reports_dir", tmp_path / "reports")
    return BuildRequest(
        "2025-01-01",
        "2025-05-31",
        notebooks=("briefing",),
        notebooks_dir=small_notebooks(tmp_path / "nbs"),
        **kw,
    )


def renamed(package: Path, name: str) -> Path:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["name"] = name
    (package / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    return package


# -- up to date with any earlier version (issue 13.6) -------------------------------------


def fake_versions(ed: Edition, keys: list[str]) -> None:
    for n, key in enumerate(keys, 1):
        folder = ed.version_path(n)
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(json.dumps({"inputs_key": key, "outputs": {}}))


def test_same_inputs_finds_any_earlier_version_not_only_the_latest(tmp_path):
    ed = Edition(tmp_path, "ind-afg", EDITION)
    fake_versions(ed, ["key-a", "key-b", "key-c"])
    versions = ed.versions()
    assert same_inputs(ed, versions, "key-a") == 1
    assert same_inputs(ed, versions, "key-c") == 3
    assert same_inputs(ed, versions, "key-z") is None


@pytest.mark.slow
def test_default_then_another_title_then_default_again_is_v1_again(tmp_path):
    first = build(request(tmp_path), **QUIET)
    titled = build(request(tmp_path, title="Another title"), **QUIET)
    again = build(request(tmp_path), **QUIET)
    assert (first.status, first.version) == ("built", 1)
    assert (titled.status, titled.version) == ("built", 2)
    # The inputs equal v1's: nothing is built, and the answer names v1, not v2.
    assert (again.status, again.version, again.path) == ("up-to-date", 1, first.path)
    edition = tmp_path / "reports" / "ind-afg" / EDITION
    assert sorted(p.name for p in edition.iterdir() if p.name.startswith("v")) == ["v1", "v2"]
    # --force still makes a new version.
    forced = build(request(tmp_path, force=True), **QUIET)
    assert (forced.status, forced.version) == ("built", 3)


# -- which data package a version comes from (issue 13.7) ---------------------------------


def test_data_package_names_the_package_and_hashes_its_content(tmp_path, make_package):
    own = data_package(DATA_DIR, data_file_hashes(DATA_DIR))
    assert own["name"] == json.loads((DATA_DIR / "datapackage.json").read_text())["name"]
    assert own["own"] is True
    copy = make_package()  # the project's package, byte for byte, in another folder
    same = data_package(copy, data_file_hashes(copy))
    assert same == own  # a copy that keeps the name is an edition of the same package
    other = renamed(make_package(), "My Own Package")
    theirs = data_package(other, data_file_hashes(other))
    assert (theirs["name"], theirs["own"]) == ("My Own Package", False)
    assert theirs["sha256"] != own["sha256"]  # datapackage.json itself changed
    edited = make_package()
    with open(edited / "engagements.csv", "a", encoding="utf-8") as out:
        out.write("\n")
    assert data_package(edited, data_file_hashes(edited))["sha256"] != own["sha256"]


def test_series_names_keep_packages_apart():
    own = {"name": "engagement-briefings-india-afghanistan", "own": True}
    assert series_name("IND", "AFG") == "ind-afg"
    assert series_name("IND", "AFG", own) == "ind-afg"
    assert series_name("IND", "AFG", {"name": "My Own Package", "own": False}) == (
        "my-own-package_ind-afg"
    )
    assert series_name("IND", "PAK", {"name": "gdelt.2025/q1", "own": False}) == (
        "gdelt-2025-q1_ind-pak"
    )
    # A long name is cut so that the series is still one safe folder name (64 at most).
    long = series_name("IND", "AFG", {"name": "x" * 100, "own": False})
    assert long == "x" * 55 + "_ind-afg" and len(long) == 63
    assert series_name("IND", "AFG", {"name": "", "own": False}) == "unnamed-package_ind-afg"


@pytest.mark.slow
def test_another_package_gets_its_own_series_and_a_place_apart_in_the_index(tmp_path, make_package):
    own = build(request(tmp_path), **QUIET)
    other_dir = renamed(make_package(), "my-own-package")
    other = build(request(tmp_path, data_dir=str(other_dir)), **QUIET)
    assert (own.series, own.version) == ("ind-afg", 1)
    assert (other.status, other.series, other.version) == ("built", "my-own-package_ind-afg", 1)
    recorded = json.loads((other.path / "manifest.json").read_text())["data_package"]
    expected = data_package(other_dir, data_file_hashes(other_dir))
    assert recorded == {"name": "my-own-package", "sha256": expected["sha256"]}
    own_recorded = json.loads((own.path / "manifest.json").read_text())["data_package"]
    assert own_recorded["name"] == "engagement-briefings-india-afghanistan"

    html = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    mine, _, apart = html.partition("<h1>Built from other data packages</h1>")
    assert "<h2>ind-afg</h2>" in mine and "my-own-package_ind-afg" not in mine
    assert "<h2>my-own-package_ind-afg</h2>" in apart and "<h2>ind-afg</h2>" not in apart
    assert "Data package <strong>my-own-package</strong>" in apart
    index = json.loads((tmp_path / "reports" / "index.json").read_text())
    by_series = {s["series"]: s["data_package"]["name"] for s in index["series"]}
    assert by_series == {
        "ind-afg": "engagement-briefings-india-afghanistan",
        "my-own-package_ind-afg": "my-own-package",
    }


@pytest.mark.slow
def test_a_series_named_by_hand_refuses_a_second_package(tmp_path, make_package):
    build(request(tmp_path, series="mine"), **QUIET)
    other_dir = renamed(make_package(), "someone-else")
    with pytest.raises(PublishError, match="'mine' holds versions built from data package"):
        build(request(tmp_path, series="mine", data_dir=str(other_dir)), **QUIET)
    edition = tmp_path / "reports" / "mine" / EDITION
    assert sorted(p.name for p in edition.iterdir() if p.name.startswith("v")) == ["v1"]


def test_index_without_recorded_packages_keeps_older_versions_with_the_project(tmp_path):
    # Versions published before packages were recorded: the plain series is the project's.
    fake_versions(Edition(tmp_path, "ind-afg", EDITION), ["a"])
    fake_versions(Edition(tmp_path, "pkg_ind-afg", EDITION), ["b"])
    rebuild_index(tmp_path)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    mine, _, apart = html.partition("<h1>Built from other data packages</h1>")
    assert "<h2>ind-afg</h2>" in mine and "<h2>pkg_ind-afg</h2>" in apart
