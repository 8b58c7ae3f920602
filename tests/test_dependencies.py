"""Every import is a declared dependency, and every declared dependency is used.

A module the package imports without declaring it works only while something else
happens to install it (``jupyter_client`` came with papermill, ``tqdm`` with papermill,
``numpy`` with pandas); a declared dependency nothing uses is installed for nothing. The
imports are read from the source (every ``import``, also those inside functions), mapped
to the distributions that provide them with :func:`importlib.metadata.packages_distributions`,
and compared with ``pyproject.toml``.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Iterable, Mapping
from importlib.metadata import packages_distributions
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # declared in the test extra for 3.10
    import tomli as tomllib

from helpers.paths import NOTEBOOKS_DIR, PACKAGE_DIR, PROJECT_ROOT

FIRST_PARTY = {"helpers"}

# Declared runtime dependencies that no source file imports, each with the reason it is
# needed. Anything else declared and not imported is a problem.
USED_WITHOUT_IMPORT: dict[str, str] = {}
# Test-extra distributions used as programs, not imports.
TEST_TOOLS = {
    "ruff": "tests run `ruff check` and `ruff format --check` on the tree",
    "jupyterlab": "the browser test starts `jupyter lab`",
}

Located = dict[str, list[str]]  # top-level module name -> "file:line" where it is imported


def normalise(dist: str) -> str:
    """A distribution name as PEP 503 compares them: 'PyYAML' and 'pyyaml' are one."""
    return re.sub(r"[-_.]+", "-", dist).lower()


def requirement_name(requirement: str) -> str:
    """The distribution a requirement string names: 'tomli>=2; python_version<"3.11"' -> 'tomli'."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, f"cannot read a distribution name from {requirement!r}"
    return normalise(match.group(1))


def imports_in_source(source: str, where: str) -> Located:
    """Top-level names of absolute imports in Python ``source`` (relative ones are ours)."""
    found: Located = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            found.setdefault(name.split(".")[0], []).append(f"{where}:{node.lineno}")
    return found


def _merge(into: Located, more: Located) -> Located:
    for name, places in more.items():
        into.setdefault(name, []).extend(places)
    return into


def imports_in(paths: Iterable[Path]) -> Located:
    """Imports of ``.py`` files and of notebooks' code cells, by top-level module name."""
    found: Located = {}
    for path in paths:
        where = str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else path
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            for i, cell in enumerate(cells):
                if cell["cell_type"] == "code":
                    source = "".join(cell["source"])
                    _merge(found, imports_in_source(source, f"{where} cell {i}"))
        else:
            _merge(found, imports_in_source(path.read_text(encoding="utf-8"), str(where)))
    return found


def dependency_problems(
    imported: Located,
    declared: Iterable[str],
    providers: Mapping[str, list[str]],
    used_without_import: Iterable[str] = (),
) -> list[str]:
    """What is imported but not declared, and what is declared but not used.

    Parameters
    ----------
    imported : dict
        Top-level module name -> places it is imported ("file:line").
    declared : iterable of str
        Distribution names the project declares.
    providers : mapping
        Top-level module name -> distributions providing it
        (:func:`importlib.metadata.packages_distributions`).
    used_without_import : iterable of str
        Declared distributions needed although nothing imports them.

    Returns
    -------
    list of str
        One sentence per problem, empty when imports and declarations agree.
    """
    declared = {normalise(d) for d in declared}
    problems, used = [], {normalise(d) for d in used_without_import}
    for module in sorted(imported):
        if module in sys.stdlib_module_names or module in FIRST_PARTY or module == "__future__":
            continue
        # A distribution not installed here (its marker excludes this Python) is found
        # by its name when that is the module's.
        dists = {normalise(d) for d in providers.get(module, [])} or (
            {normalise(module)} & declared
        )
        if dists & declared:
            used |= dists & declared
            continue
        where = ", ".join(imported[module][:3])
        if dists:
            problems.append(
                f"{module} is imported ({where}) but its distribution "
                f"{'/'.join(sorted(dists))} is not declared in pyproject.toml"
            )
        else:
            problems.append(f"{module} is imported ({where}) but no installed distribution has it")
    for dist in sorted(declared - used):
        problems.append(f"{dist} is declared in pyproject.toml but nothing imports it")
    return problems


def _project() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


# Extras the package itself imports from, inside the one feature that needs them (the
# command says which extra to install when it is missing).
PACKAGE_EXTRAS = ("cluster",)


def _declared(*extras: str) -> set[str]:
    project = _project()
    names = {requirement_name(r) for r in project["dependencies"]}
    for extra in extras:
        for r in project["optional-dependencies"][extra]:
            name = requirement_name(r)
            if name == normalise(project["name"]):  # "engagement-briefings[cluster]"
                inner = re.search(r"\[(.*)\]", r).group(1).split(",")
                names |= _declared(*(e.strip() for e in inner))
            else:
                names.add(name)
    return names


# -- the rule itself, on fake cases worked out by hand ------------------------------------


def test_an_undeclared_import_is_a_problem() -> None:
    imported = {"pandas": ["a.py:1"], "tqdm": ["b.py:7"], "os": ["a.py:2"]}
    providers = {"pandas": ["pandas"], "tqdm": ["tqdm"]}
    assert dependency_problems(imported, ["pandas"], providers) == [
        "tqdm is imported (b.py:7) but its distribution tqdm is not declared in pyproject.toml"
    ]


def test_an_unused_declaration_is_a_problem() -> None:
    imported = {"pandas": ["a.py:1"], "helpers": ["a.py:3"]}
    providers = {"pandas": ["pandas"], "networkx": ["networkx"]}
    assert dependency_problems(imported, ["pandas", "networkx"], providers) == [
        "networkx is declared in pyproject.toml but nothing imports it"
    ]
    # ... unless it is needed for a stated reason.
    assert dependency_problems(imported, ["pandas", "networkx"], providers, ["networkx"]) == []


def test_import_and_distribution_names_differ() -> None:
    # 'import yaml' is provided by PyYAML, declared in lower case with a version.
    providers = {"yaml": ["PyYAML"]}
    assert dependency_problems({"yaml": ["c.py:4"]}, ["pyyaml"], providers) == []
    assert dependency_problems({"yaml": ["c.py:4"]}, [], providers) == [
        "yaml is imported (c.py:4) but its distribution pyyaml is not declared in pyproject.toml"
    ]
    assert requirement_name('tomli>=2; python_version < "3.11"') == "tomli"
    assert requirement_name("jupyter_client>=8") == "jupyter-client"


def test_an_import_nothing_provides_is_a_problem() -> None:
    assert dependency_problems({"nosuchmod": ["d.py:9"]}, [], {}) == [
        "nosuchmod is imported (d.py:9) but no installed distribution has it"
    ]


def test_imports_are_found_inside_functions_and_from_forms(tmp_path: Path) -> None:
    source = (
        "from __future__ import annotations\n"
        "import os.path, json\n"
        "from . import sibling\n"
        "from .sibling import thing\n"
        "def later():\n"
        "    from jupyter_client.manager import AsyncKernelManager\n"
        "    import tqdm as bar\n"
    )
    found = imports_in_source(source, "m.py")
    assert found == {
        "__future__": ["m.py:1"],
        "os": ["m.py:2"],
        "json": ["m.py:2"],
        "jupyter_client": ["m.py:6"],
        "tqdm": ["m.py:7"],
    }
    notebook = tmp_path / "n.ipynb"
    notebook.write_text(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "markdown", "source": ["import notcode\n"]},
                    {"cell_type": "code", "source": ["import numpy\n", "from pandas import x\n"]},
                ]
            }
        ),
        encoding="utf-8",
    )
    assert imports_in([notebook]) == {
        "numpy": [f"{notebook} cell 1:1"],
        "pandas": [f"{notebook} cell 1:2"],
    }


# -- the project ---------------------------------------------------------------------------


def test_the_package_declares_what_it_imports_and_imports_what_it_declares() -> None:
    sources = [*PACKAGE_DIR.rglob("*.py"), *NOTEBOOKS_DIR.glob("*.ipynb")]
    problems = dependency_problems(
        imports_in(sources),
        _declared(*PACKAGE_EXTRAS),
        packages_distributions(),
        USED_WITHOUT_IMPORT,
    )
    assert problems == [], "\n".join(problems)


def test_the_manifest_records_declared_dependencies() -> None:
    # A manifest listing a package the project does not install says "not installed".
    from helpers.publishing.build import PACKAGES

    declared = {requirement_name(r) for r in _project()["dependencies"]}
    assert {normalise(p) for p in PACKAGES} - declared == set()


def test_the_tests_import_only_declared_distributions() -> None:
    tests = Path(__file__).parent
    files = [*tests.rglob("*.py")]
    imported = imports_in(files)
    for own in {path.stem for path in files}:  # conftest, and tests importing a test module
        imported.pop(own, None)
    declared = _declared("test", "browser")
    problems = dependency_problems(
        imported,
        declared,
        packages_distributions(),
        declared,  # only "imported, undeclared"
    )
    assert problems == [], "\n".join(problems)
    extras = _declared("test", "browser") - _declared()
    providers = packages_distributions()
    imported_dists = {normalise(d) for m in imported for d in providers.get(m, [m])}
    assert extras - imported_dists - set(TEST_TOOLS) == set(), "test extras nothing uses"


def test_the_benchmarks_import_only_declared_distributions() -> None:
    # benchmarks/ runs after `make install` plus the bench extra (benchmarks/README.md):
    # psutil, say, must be declared there, not arrive with ipykernel by chance.
    bench = PROJECT_ROOT / "benchmarks"
    files = [*bench.glob("*.py")]
    imported = imports_in(files)
    for own in {path.stem for path in files}:  # a benchmark importing another
        imported.pop(own, None)
    declared = _declared() | _declared("bench")
    problems = dependency_problems(imported, declared, packages_distributions(), declared)
    assert problems == [], "\n".join(problems)
