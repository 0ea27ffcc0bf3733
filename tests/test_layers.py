"""The package's layers: no stage imports a later one, and the file tree is the pipeline;
what every stage needs alike (cache keys, worker processes) is made in one base module.

Read from the source with `ast` (imports inside functions count too), so a shortcut taken
in a hurry shows up here and not in a later refactoring.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "wegweiser"

# The order of the pipeline: a module may import its own layer and those before it.
# The renderers (site, pdf, exports, editors' files) share a layer but not each other.
LAYERS = (
    ("base", {"resources", "wording", "characters", "problems", "paths", "cache", "publish",
              "faults", "fonts", "bootstrap", "workers"}),
    ("content", {"content", "model"}),
    ("i18n", {"i18n"}),
    ("render", {"markup"}),
    ("output", {"site", "pdf", "exports", "editors"}),
    ("pipeline", {"pipeline"}),
    ("commands", {"serve", "cli"}),
)
RANK = {unit: rank for rank, (_name, units) in enumerate(LAYERS) for unit in units}


def unit_of(module: str) -> str:
    """The layer unit of a module: its subpackage, or the module itself at the top."""
    return module.split(".")[0]


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            found[".".join(parts)] = path
    return found


def imports(path: Path) -> set[str]:
    """The package modules a file imports, as dotted names below `wegweiser`; a name that
    is not a module (a class, a function) is left to the module it comes from."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            assert not node.level, f"{path}: relative import; the layers read absolute ones"
            module = node.module or ""
            if module == "wegweiser" or module.startswith("wegweiser."):
                base = module.removeprefix("wegweiser").lstrip(".")
                found |= {".".join(filter(None, (base, a.name))) for a in node.names}
                found.add(base)
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("wegweiser.") for a in node.names
                      if a.name.startswith("wegweiser.")}
    return found - {""}


def test_every_module_has_a_layer() -> None:
    assert {unit_of(m) for m in modules()} <= set(RANK)


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_import_of_a_later_stage(module: str) -> None:
    known = modules()
    unit = unit_of(module)
    for target in sorted(imports(known[module])):
        if target not in known:
            continue  # a name imported from a package's __init__ is checked as the package
        other = unit_of(target)
        assert RANK[other] <= RANK[unit], f"{module} imports {target}, a later stage"
        if RANK[other] == RANK[unit] == RANK["site"]:
            assert other == unit, f"{module} imports {target}: outputs don't share code"


def test_readme_diagram_is_the_tree() -> None:
    """Every subpackage and top-level module is named in the README's layout section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## How the project is laid out", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"\b([a-z0-9_]+)(?:/|\.py)", layout))
    units = {unit_of(m) for m in modules()}
    assert units <= named, f"not in the README's layout: {sorted(units - named)}"
    for module in modules():
        if "." in module:
            leaf = module.split(".")[1]
            assert re.search(rf"\b{leaf}\b", layout), f"{module} is not in the README's layout"


def names_used(path: Path) -> set[str]:
    """The modules a file imports and the names it imports or refers to."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            found |= {node.module or "", *(a.name for a in node.names)}
        elif isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
    return found


def test_every_cache_key_is_made_in_cache() -> None:
    """The stages say what goes into a key and call cache.py; bootstrap.py compares the lock
    files with what is installed before any package is, so it hashes them itself."""
    hashing = sorted(m for m, path in modules().items() if "hashlib" in names_used(path))
    assert hashing == ["bootstrap", "cache"]


def test_every_stage_runs_its_jobs_in_parallel_one_way() -> None:
    pools = {"ProcessPoolExecutor", "ThreadPoolExecutor", "Pool", "Process", "get_context"}
    running = sorted(m for m, path in modules().items() if names_used(path) & pools)
    assert running == ["workers"]
