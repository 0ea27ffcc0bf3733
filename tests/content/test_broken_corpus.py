"""The broken-content corpus: every broken file gives one clear message, file:line:column.

Each case in tests/content/broken/ is an overlay on the minimal project. Most cases run the real
`check` command; a handful (marked `build: true` in expected.yml) run the real `build` on a
project that was built once, and prove that the previous site/ stays byte for byte as it
was. `build` runs exactly the same validation as `check` before it renders anything, so
checking every case with `build` would only repeat the same work more slowly.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, REPO, run_build, write_files

CORPUS = Path(__file__).resolve().parent / "broken"
EXPECTED: dict[str, dict[str, object]] = yaml.safe_load(
    (CORPUS / "expected.yml").read_text(encoding="utf-8"))
BUILD_CASES = sorted(name for name, case in EXPECTED.items() if case.get("build"))
SUMMARY = re.compile(r"^\d+ errors? and \d+ warnings? in \d+ files?$", re.MULTILINE)


@pytest.fixture(scope="session")
def valid_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project, never changed: each case works on a copy."""
    root = tmp_path_factory.mktemp("valid")
    write_files(root, MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture(scope="session")
def built_project(valid_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project with a good site/ built once for all build cases."""
    root = tmp_path_factory.mktemp("built") / "project"
    shutil.copytree(valid_project, root)
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` with a hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def overlay(case: str, source: Path, target: Path) -> list[str]:
    """A copy of `source` with the case's files put in; returns the case's file names."""
    shutil.copytree(source, target)
    shutil.copytree(CORPUS / case, target, dirs_exist_ok=True)
    return [p.relative_to(CORPUS / case).as_posix()
            for p in (CORPUS / case).rglob("*") if p.is_file()]


def assert_reported(result: subprocess.CompletedProcess[str], case: str,
                    files: list[str]) -> None:
    """Exit 1, no traceback, the expected message at the expected place, nothing stray."""
    expected = EXPECTED[case]
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert result.stderr == "", result.stderr
    wanted = f"{expected['where']}: error: "
    lines = [line for line in result.stdout.splitlines() if line.startswith(wanted)]
    assert any(str(expected["says"]) in line for line in lines), output
    allowed = set(files) | set(expected.get("also", []))  # type: ignore[arg-type]
    for line in result.stdout.splitlines():
        if ": error: " in line:
            assert line.split(":", 1)[0] in allowed, f"unexpected error: {line}"
    assert SUMMARY.search(result.stdout), output


def test_corpus_is_complete() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders == set(EXPECTED)
    assert len(folders) >= 30
    assert BUILD_CASES


def test_valid_project_passes_check(valid_project: Path) -> None:
    """Without an overlay there is nothing to report: every error below is the case's."""
    result = run_build(valid_project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": error: " not in result.stdout


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_file_is_reported(case: str, valid_project: Path, tmp_path: Path) -> None:
    files = overlay(case, valid_project, tmp_path / "project")
    assert_reported(run_build(tmp_path / "project", "check"), case, files)


def test_huge_file_is_refused_quickly(valid_project: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(valid_project, project)
    line = "  - {title: Link, url: 'https://example.org/'}\n"
    (project / "offers" / "riesig.yml").write_text("links:\n" + line * 100_000,
                                                  encoding="utf-8")  # about 4.6 MB
    result = run_build(project, "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "offers/riesig.yml:1:1: error: the file is too large" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("case", BUILD_CASES)
def test_failed_build_keeps_previous_site(case: str, built_project: Path,
                                          tmp_path: Path) -> None:
    project = tmp_path / "project"
    files = overlay(case, built_project, project)
    before = snapshot(project / "site")
    assert before, "the first build wrote no site"
    assert_reported(run_build(project, "build"), case, files)
    assert snapshot(project / "site") == before
    assert not (project / ".site.staging").exists()
