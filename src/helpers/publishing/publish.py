"""Versioned, atomic publishing under ``reports/``.

Layout: ``reports/<series>/<edition>/v<N>/`` where a series is a focus–counterpart pair
(``ind-afg``), an edition is a period (``2025-01-01_2025-05-31``) and a version is one
build of an edition. A version is assembled in a hidden staging folder beside the
versions and renamed into place only when every file is written and checked, so a
version is visible complete or not at all. Builds of one edition take turns on a lock
file (released by the OS if a build is killed); the next build removes any staging
leftovers. The archive index is rewritten atomically after every build.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..data.fingerprint import sha256_file

SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}\Z")  # \Z: "$" would allow a final newline
VERSION_DIR = re.compile(r"^v([1-9][0-9]*)\Z")  # "v01" would alias v1
STAGING_PREFIX = ".staging-"
FAILED_DIR = "_failed"


class PublishError(ValueError):
    """A name or path that would put output outside ``reports/``, or a broken version."""


def safe_name(value: str, what: str) -> str:
    """Return ``value`` if it is a safe single path component, else raise PublishError."""
    if not isinstance(value, str) or not SAFE_NAME.match(value):
        raise PublishError(
            f"{what} {value!r} is not allowed: use 1-64 lower-case letters, digits, '-' or '_' "
            "(no '/', '..' or absolute paths)"
        )
    return value


def series_name(focus: str, counterpart: str, package: dict | None = None) -> str:
    """Return the series folder of a focus–counterpart pair built from a data package.

    Versions of one series come from one data package, known by its ``datapackage.json``
    ``name``; the project's own package (``package["own"]``, or no package given) keeps
    the plain folder (``ind-afg``), any other is prefixed with its name
    (``my-package_ind-afg``). The rule is the name and not the content: an edition of a
    package is expected to change (new events, corrections) and its versions say what
    changed since the last one. So a copy of the project's package that keeps its name
    is an edition of it; give a package of your own a name of its own.
    """
    pair = f"{focus}-{counterpart}".lower().replace("_", "-")
    if package is None or package.get("own"):
        return safe_name(pair, "series")
    slug = re.sub(r"[^a-z0-9]+", "-", str(package.get("name", "")).lower()).strip("-")
    slug = slug[: 63 - len(pair) - 1].rstrip("-") or "unnamed-package"
    return safe_name(f"{slug}_{pair}", "series")


def edition_name(start: str, end: str) -> str:
    """Name an edition by its period: '2025-01-01_2025-05-31' (checked by :func:`safe_name`)."""
    return safe_name(f"{start}_{end}", "edition")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    Readers never see a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(lock_path: Path):
    """Hold an exclusive lock on ``lock_path`` (created if missing) for the block."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class Edition:
    """One edition's folder: its versions, its lock and its staging area."""

    def __init__(self, reports_dir: Path, series: str, edition: str):
        self.reports_dir = Path(reports_dir).resolve()
        self.series = safe_name(series, "series")
        self.edition = safe_name(edition, "edition")
        self.path = self.reports_dir / self.series / self.edition
        if self.reports_dir not in self.path.resolve().parents:
            raise PublishError(f"edition folder {self.path} would be outside {self.reports_dir}")

    def versions(self) -> list[int]:
        """Return the published version numbers (those with a manifest), in order."""
        if not self.path.is_dir():
            return []
        out = []
        for child in self.path.iterdir():
            m = VERSION_DIR.match(child.name)
            if m and (child / "manifest.json").is_file():
                out.append(int(m.group(1)))
        return sorted(out)

    def version_path(self, n: int) -> Path:
        """Return the folder of version ``n``."""
        return self.path / f"v{n}"

    def manifest(self, n: int) -> dict:
        """Read version ``n``'s ``manifest.json``."""
        return json.loads((self.version_path(n) / "manifest.json").read_text(encoding="utf-8"))

    @contextmanager
    def lock(self):
        """Hold the edition's lock file for the ``with`` block (one publisher at a time)."""
        with locked(self.path / ".lock"):
            yield

    def clean_leftovers(self) -> list[Path]:
        """Remove staging folders left by killed builds. Call while holding the lock."""
        removed = []
        if self.path.is_dir():
            for child in self.path.iterdir():
                if child.name.startswith(STAGING_PREFIX) or (
                    VERSION_DIR.match(child.name) and not (child / "manifest.json").is_file()
                ):
                    shutil.rmtree(child, ignore_errors=True)
                    removed.append(child)
        return removed

    def new_staging(self) -> Path:
        """Make a new, empty staging folder inside the edition folder."""
        self.path.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.path))

    def publish(self, staging: Path, n: int) -> Path:
        """Check the staged files against the manifest, then rename staging to ``v<n>``."""
        manifest = json.loads((staging / "manifest.json").read_text(encoding="utf-8"))
        for rel, digest in manifest["outputs"].items():
            f = staging / rel
            if not f.is_file() or sha256_file(f) != digest:
                raise PublishError(f"staged file {rel} is missing or does not match the manifest")
        for f in staging.rglob("*"):
            if f.is_file():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        final = self.version_path(n)
        if final.exists():
            raise PublishError(f"{final} exists already; versions are never overwritten")
        os.rename(staging, final)
        return final


def same_inputs(ed: Edition, versions: list[int], key: str) -> int | None:
    """Return the version of ``ed`` built from inputs whose key is ``key``, if any.

    Any version, not only the latest: a build with another title (v2) followed by the
    default build again has the inputs of v1, and is v1 again, not a v3. The latest is
    looked at first, as it is the usual answer. Call while holding the edition's lock.
    """
    for n in reversed(versions):
        try:
            if ed.manifest(n).get("inputs_key") == key:
                return n
        except (OSError, ValueError):
            continue  # an unreadable manifest equals nothing
    return None


def edition_state(ed: Edition, key: str, force: bool = False) -> tuple[list[int], int | None]:
    """Remove leftovers, list the versions and find the one built from ``key``, if any.

    Call while holding the edition's lock; with ``force`` no version counts as the same.
    """
    ed.clean_leftovers()
    versions = ed.versions()
    return versions, None if force else same_inputs(ed, versions, key)


def failed_dir(reports_dir: Path, series: str, edition: str) -> Path:
    """Where executed notebooks of a failed build are kept (never a version)."""
    return Path(reports_dir) / FAILED_DIR / f"{series}_{edition}"
