"""Fingerprints of a build's inputs, with the standard library only.

A version records the sha256 of every input (data files, notebooks, the helpers' code and
template) and a key over them and the parameters. Deciding that an edition is up to date
needs nothing more, so this module avoids pandas and matplotlib: an unchanged rebuild
answers without loading them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .paths import PACKAGE_DIR, PROJECT_ROOT


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_file_hashes(data_dir: Path) -> dict[str, str]:
    """sha256 of ``datapackage.json`` and every resource file it names, by file name.

    Raises OSError or ValueError when the package cannot be read; validation reports
    such problems properly, so callers that only fingerprint may treat them as "unknown".
    """
    data_dir = Path(data_dir)
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    names = ["datapackage.json", *(r["path"] for r in package.get("resources", []))]
    return {n: sha256_bytes((data_dir / n).read_bytes()) for n in names}


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
