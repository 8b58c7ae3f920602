"""Imports in ``src/helpers`` run only downward through the layers.

Bottom to top: the base (``paths``, ``errors``, the package itself), ``data``,
``analysis``, ``presentation``, ``publishing``, and the command line (``cli``,
``__main__``). A module may import from its own layer or any layer below it. Every
import counts, including those inside functions and ``TYPE_CHECKING`` blocks: a lazy
upward import is still a backward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import helpers

PACKAGE = Path(helpers.__file__).resolve().parent

ORDER = ("base", "data", "analysis", "presentation", "publishing", "top")
TOP_MODULES = {"cli", "__main__"}
BASE_MODULES = {"paths", "errors"}


def layer_of(module: str) -> str | None:
    """Layer of a dotted module name inside ``helpers``; None for outside modules.

    Raises ``ValueError`` for a module of ``helpers`` that belongs to no layer, so that
    a new top-level module or subpackage must be placed before it can pass.
    """
    parts = module.split(".")
    if parts[0] != "helpers":
        return None
    if len(parts) == 1:
        return "base"
    if parts[1] in ORDER[1:-1]:
        return parts[1]
    if parts[1] in TOP_MODULES:
        return "top"
    if parts[1] in BASE_MODULES:
        return "base"
    raise ValueError(f"{module} belongs to no layer")


def _module_name(root: Path, path: Path) -> tuple[str, bool]:
    rel = path.relative_to(root).with_suffix("")
    parts = ["helpers", *rel.parts]
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """Absolute names an import statement brings in (``pkg`` and ``pkg.name`` for from)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = module.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    # "from ..analysis import timeline" imports the module helpers.analysis.timeline
    return [target] + [f"{target}.{alias.name}" for alias in node.names]


def upward_imports(root: Path) -> list[str]:
    """Every import in the package at ``root`` that reaches a layer above its module's."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module, is_package = _module_name(root, path)
        own = layer_of(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for name in _imported(node, module, is_package):
                try:
                    other = layer_of(name)
                except ValueError:
                    # "from .data import dataset" names a layer, "from .x import y" a
                    # name inside x: judge by the longest known prefix
                    other = layer_of(name.rsplit(".", 1)[0])
                if other and ORDER.index(other) > ORDER.index(own):
                    rel = path.relative_to(root)
                    found.append(f"{rel}:{node.lineno} ({own}) imports {name} ({other})")
    return sorted(set(found))


def test_no_module_of_helpers_imports_from_a_layer_above_it():
    assert upward_imports(PACKAGE) == []


def test_every_module_of_helpers_belongs_to_a_layer():
    for path in PACKAGE.rglob("*.py"):
        module, _ = _module_name(PACKAGE, path)
        assert layer_of(module) in ORDER, module


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_an_upward_import_is_reported_with_file_line_and_layers(tmp_path):
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "paths.py": "",
            "data/__init__.py": "",
            "data/dataset.py": "from ..paths import X\nfrom .periods import Window\n",
            "data/periods.py": "def f():\n    from ..publishing.fingerprint import sha\n",
            "analysis/__init__.py": "",
            "analysis/timeline.py": "from ..data.dataset import LEVELS\n",
            "presentation/__init__.py": "",
            "presentation/charts.py": "from ..analysis import timeline\n",
            "publishing/__init__.py": "",
            "publishing/fingerprint.py": "import helpers.data.dataset\n",
            "publishing/render.py": "from ..presentation.charts import chart\n",
            "cli.py": "from .publishing import render\n",
        },
    )
    # only the lazy import inside periods.f goes upward (data -> publishing)
    assert upward_imports(root) == [
        "data/periods.py:2 (data) imports helpers.publishing.fingerprint (publishing)",
        "data/periods.py:2 (data) imports helpers.publishing.fingerprint.sha (publishing)",
    ]


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        # analysis -> presentation, through the subpackage
        ("analysis/timeline.py", "from ..presentation import style\n", "presentation"),
        # presentation -> publishing, absolute, under TYPE_CHECKING
        (
            "presentation/style.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from helpers.publishing.build import BuildRequest\n",
            "publishing",
        ),
        # data -> the command line
        ("data/context.py", "import helpers.cli\n", "top"),
        # base -> data: paths may not reach into a layer
        ("paths.py", "from .data import dataset\n", "data"),
        # the package's own __init__ is base too
        ("__init__.py", "from .analysis import timeline\n", "analysis"),
    ],
)
def test_each_kind_of_upward_import_fails(tmp_path, path, text, expected):
    root = _tree(tmp_path, {path: text})
    found = upward_imports(root)
    assert found, "an upward import went unreported"
    assert all(f.endswith(f"({expected})") for f in found), found


def test_a_module_outside_every_layer_is_refused():
    with pytest.raises(ValueError, match="helpers.utils belongs to no layer"):
        layer_of("helpers.utils")
    assert layer_of("pandas") is None
    assert layer_of("helpers.data.dataset") == "data"
    assert layer_of("helpers.cli") == "top"
