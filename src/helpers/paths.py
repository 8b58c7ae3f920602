"""Where things live. Every path in the project is derived from this file's location.

The package is installed editable (``pip install -e .``), so ``__file__`` sits in
``src/helpers`` and the project root is two levels up, whatever the working directory
(papermill starts kernels in the caller's directory).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]
DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
PARAMS_DIR = PROJECT_ROOT / "params"
TEMPLATES_DIR = PACKAGE_DIR / "templates"


def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """Return the data package folder: ``data_dir`` if given, else the project's ``data/``.

    Parameters
    ----------
    data_dir : str or Path or None
        Folder holding ``datapackage.json``. Empty string or None means the project's
        own ``data/``. A relative path is taken from the current working directory.
    """
    if data_dir is None or str(data_dir).strip() == "":
        return DATA_DIR
    return Path(data_dir).expanduser().resolve()
