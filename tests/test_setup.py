"""Set-up from the locks: what is installed is what uv.lock says, patches fit their versions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from conftest import REPO

from wegweiser import bootstrap
from wegweiser.pdf import typeset


def locked_versions() -> dict[str, str]:
    lock = tomllib.loads((REPO / "uv.lock").read_text(encoding="utf-8"))
    return {p["name"]: p["version"] for p in lock["package"] if "version" in p}


def test_patched_renderer_is_the_locked_one() -> None:
    locked = locked_versions()
    assert {name: locked[name] for name in typeset.PATCHED_FOR} == typeset.PATCHED_FOR


def test_installed_packages_are_the_locked_ones() -> None:
    from importlib.metadata import version

    locked = locked_versions()
    for name in ("babel", "weasyprint", "pydyf", "mkdocs-material", "jinja2", "pyyaml", "uv"):
        assert version(name) == locked[name], name


def test_another_renderer_version_stops_with_one_clear_line() -> None:
    code = ("import weasyprint; weasyprint.__version__ = '71.0'\n"
            "from wegweiser.pdf import typeset; typeset.apply_patches()")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "wegweiser/pdf/typeset.py patches internals of weasyprint 71.0 (written for 70.0): install"
        " the locked versions (`python3 build.py` does) or update the patches and PATCHED_FOR."
    ]


def test_no_private_api_of_babel() -> None:
    private = re.compile(r"_get_locale|\._[a-z_]*locale|PoFileParser|\._process_|_reset_message")
    for path in (REPO / "wegweiser").rglob("*.py"):
        assert not private.search(path.read_text(encoding="utf-8")), path


def stamp(tmp_path: Path, text: str) -> tuple[Path, Path]:
    lock, mark = tmp_path / "uv.lock", tmp_path / "stamp"
    lock.write_text("version = 1\n")
    mark.write_text(f"{bootstrap._digest(lock)} {text}\n")
    return lock, mark


def test_the_test_profile_includes_the_build_profile(tmp_path: Path) -> None:
    lock, mark = stamp(tmp_path, "test")
    assert bootstrap._installed(mark, lock, "build") and bootstrap._installed(mark, lock, "test")
    lock, mark = stamp(tmp_path, "build")
    assert bootstrap._installed(mark, lock, "build")
    assert not bootstrap._installed(mark, lock, "test")


def test_a_changed_lock_installs_again(tmp_path: Path) -> None:
    lock, mark = stamp(tmp_path, "test")
    lock.write_text("version = 2\n")  # a pull brought a new lock: same age, other content
    assert not bootstrap._installed(mark, lock, "build")
    assert not bootstrap._installed(tmp_path / "missing", lock, "build")


def test_another_way_of_installing_installs_again(tmp_path: Path) -> None:
    lock, mark = stamp(tmp_path, "test")  # installed without bytecode (UV_SYNC)
    assert not bootstrap._installed(mark, lock, "build", "bytecode")
    lock, mark = stamp(tmp_path, "test bytecode")
    assert bootstrap._installed(mark, lock, "build", "bytecode")


def test_installed_packages_are_compiled() -> None:
    """Bytecode comes with the install (UV_SYNC): a build compiles no package's modules."""
    import weasyprint
    import yaml

    tag = sys.implementation.cache_tag
    for module in (weasyprint, yaml):
        source = Path(module.__file__)
        compiled = source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc"
        assert compiled.is_file(), compiled


def test_upgrade_lists_every_changed_version() -> None:
    babel = locked_versions()["babel"]
    old_uv = bootstrap.UV_LOCK.read_text(encoding="utf-8").replace(
        f'name = "babel"\nversion = "{babel}"', 'name = "babel"\nversion = "2.0.0"')
    npm = json.loads(bootstrap.NPM_LOCK.read_text(encoding="utf-8"))
    axe = npm["packages"]["node_modules/axe-core"]["version"]
    npm["packages"]["node_modules/axe-core"]["version"] = "1.0.0"
    old_npm = json.dumps(npm).encode()
    assert bootstrap.changed_versions(old_uv.encode(), old_npm) == [
        f"babel 2.0.0 -> {babel}", f"npm:axe-core 1.0.0 -> {axe}"]
    same = bootstrap.UV_LOCK.read_bytes(), bootstrap.NPM_LOCK.read_bytes()
    assert bootstrap.changed_versions(*same) == []
