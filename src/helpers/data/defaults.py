"""The notebooks a build runs, and their parameters' defaults, read from the notebooks.

The parameters cells of ``notebooks/`` are the one place a default is written (the
period, the dyad, ...). The command line, :class:`helpers.publishing.build.BuildRequest`,
:func:`helpers.data.context.prepare` and, through the command line, the Makefile read them
here, with :func:`papermill.inspect_notebook`: the parse papermill itself applies to
``-p`` and ``-f``.

Importing papermill takes 1.5 to 3.5 s, far longer than the command line needs to start,
so what it answers for a notebook is kept on disk under the sha256 of the notebook's
bytes and the papermill installed (``parameters/`` in
:func:`~helpers.data.fingerprint.cache_root`): papermill is imported again only when a
notebook, or papermill, has changed.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import os
from pathlib import Path

from ..errors import ParameterError
from ..paths import NOTEBOOKS_DIR
from .fingerprint import cache_root

NOTEBOOKS = ("briefing", "timeline", "stakeholders")
"""The notebooks a build executes, in the order their pages are listed."""

CODED_NOTEBOOKS = ("signals",)
"""The notebooks a build executes as well when the data package holds coded events."""

_KNOWN: dict[str, dict[str, dict]] = {}  # this process's answers, by cache key


def _cache_key(data: bytes) -> str:
    """Key the defaults cache by the notebook's bytes and the papermill installed.

    Papermill is found, not imported: where its package lies and when it was written
    (importlib.metadata alone takes ~40 ms).
    """
    spec = importlib.util.find_spec("papermill")
    try:
        st = os.stat(spec.origin) if spec and spec.origin else None
    except OSError:
        st = None
    papermill = f"{spec.origin} {st.st_mtime_ns} {st.st_size}" if st else "none"
    return hashlib.sha256(data + b"\0papermill " + papermill.encode()).hexdigest()


def _write_cached(path: Path, answer: dict) -> None:
    """Write ``answer`` whole or not at all (builds run side by side share the cache)."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(answer, out)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout: papermill answers again next time


def notebook_parameters(path: Path) -> dict[str, dict]:
    """Return the parameters of a notebook as :func:`papermill.inspect_notebook` gives them.

    Parameters
    ----------
    path : Path
        A notebook with a cell tagged ``parameters``.

    Returns
    -------
    dict
        Parameter name -> ``{"name", "inferred_type_name", "default", "help"}``, where
        ``default`` is the source text of the literal (``'"IND"'``).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ParameterError(f"notebook {path} cannot be read: {exc.strerror}") from None
    key = _cache_key(data)
    if key in _KNOWN:
        return _KNOWN[key]
    cached = cache_root() / "parameters" / f"{key}.json"
    try:
        answer = json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        import papermill

        answer = papermill.inspect_notebook(str(path))
        _write_cached(cached, answer)
    _KNOWN[key] = answer
    return answer


def parameter_defaults(
    notebooks_dir: Path = NOTEBOOKS_DIR, names: tuple[str, ...] = NOTEBOOKS + CODED_NOTEBOOKS
) -> dict[str, object]:
    """Return the default value of every parameter of the notebooks, from their parameters cells.

    Parameters
    ----------
    notebooks_dir : Path
        Folder of the notebooks (the project's ``notebooks/`` by default).
    names : tuple of str
        Notebooks to read, without ``.ipynb``.

    Returns
    -------
    dict
        Parameter name -> its default as a Python value (``{"focus": "IND", ...}``), in
        the order of the first notebook's cell.

    Raises
    ------
    ParameterError
        Two notebooks give one parameter different defaults, or a default is not a
        plain literal.
    """
    defaults: dict[str, object] = {}
    first: dict[str, str] = {}  # parameter -> the notebook that set its default
    for name in names:
        path = Path(notebooks_dir) / f"{name}.ipynb"
        for param, info in notebook_parameters(path).items():
            try:
                value = ast.literal_eval(info["default"])
            except (ValueError, SyntaxError):
                raise ParameterError(
                    f"{path}: the default of {param} is not a plain literal: {info['default']}"
                ) from None
            if param in defaults and defaults[param] != value:
                raise ParameterError(
                    f"{path}: {param} defaults to {value!r}, but {first[param]} gives "
                    f"{defaults[param]!r}; the notebooks must agree"
                )
            defaults.setdefault(param, value)
            first.setdefault(param, path.name)
    return defaults


def notebooks_for(data_dir: Path) -> tuple[str, ...]:
    """Return the notebooks a default build of the package at ``data_dir`` executes.

    :data:`NOTEBOOKS`, and :data:`CODED_NOTEBOOKS` after them when the package holds
    coded events (``briefing import``); a package without them builds as before.
    """
    try:
        package = json.loads((Path(data_dir) / "datapackage.json").read_text(encoding="utf-8"))
        resources = package.get("resources", [])
    except (OSError, ValueError, AttributeError):
        return NOTEBOOKS  # the build's validation names the problem
    # ``briefing import`` declares the table it writes: a package that declares none has
    # no coded events, and pyarrow (0.4 s) need not be imported to say so.
    if not any(isinstance(r, dict) and r.get("x-imported-by") for r in resources):
        return NOTEBOOKS
    from .coded.store import has_events

    return NOTEBOOKS + CODED_NOTEBOOKS if has_events(data_dir) else NOTEBOOKS


def _named(defaults: dict[str, object], name: str) -> str:
    if name not in defaults:
        raise ParameterError(
            f"the notebooks have no parameter {name!r}; they have {', '.join(defaults)}"
        )
    return str(defaults[name])


def default(name: str) -> str:
    """Return the default of one parameter of the project's notebooks, as text.

    Raises
    ------
    ParameterError
        No notebook has a parameter of that name.
    """
    return _named(parameter_defaults(), name)


def with_defaults(**given: str | None) -> dict[str, str]:
    """``given``, with the notebooks' default for every value that is None.

    Raises
    ------
    ParameterError
        A value is None and no notebook has a parameter of that name.
    """
    if all(value is not None for value in given.values()):
        return dict(given)
    defaults = parameter_defaults()
    return {
        name: _named(defaults, name) if value is None else value for name, value in given.items()
    }
