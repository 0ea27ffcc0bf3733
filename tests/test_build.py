"""The commands: check and build, the closing summary, and publishing that never half-fails."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINIMAL, REPO, TODAY, interruptible, run_build, write_files

from wegweiser import publish
from wegweiser.problems import BuildError

Built = tuple[Path, subprocess.CompletedProcess[str]]
BUILT = re.compile(r"^Built .*site: 8 files read, \d+ pages, 0 warnings, \d+\.\d s\.$",
                   re.MULTILINE)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def break_offer(root: Path) -> None:
    path = root / "offers" / "sprachcafe.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("provider: ki", "provider: kii"),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The minimal project, built once by `build.py` without a command."""
    root = tmp_path_factory.mktemp("built") / "project"
    write_files(root, MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root, run_build(root)


@pytest.fixture
def site_copy(built: Built, tmp_path: Path) -> Path:
    """A copy of the built project to break; its site/ is the last good one."""
    root, result = built
    assert result.returncode == 0, result.stdout + result.stderr
    shutil.copytree(root, tmp_path / "project", symlinks=True)
    return tmp_path / "project"


# --- build


@pytest.mark.slow
def test_build_is_the_default_command(built: Built) -> None:
    root, result = built
    assert result.returncode == 0, result.stdout + result.stderr
    assert BUILT.search(result.stdout), result.stdout
    page = (root / "site" / "de" / "angebote" / "sprachcafe" / "index.html")
    assert "Sprachcafé" in page.read_text(encoding="utf-8")
    assert not (root / ".site.staging").exists()
    assert not (root / ".site.old").exists()


@pytest.mark.slow
def test_broken_content_leaves_previous_site_untouched(site_copy: Path) -> None:
    before = snapshot(site_copy / "site")
    break_offer(site_copy)
    result = run_build(site_copy, "build")
    assert result.returncode == 1
    assert "offers/sprachcafe.yml:10:11: error: provider: unknown contact point 'kii'" \
        in result.stdout
    assert "Nothing was built; site/ is unchanged." in result.stdout
    assert snapshot(site_copy / "site") == before


@pytest.mark.slow
def test_renderer_failure_leaves_previous_site_untouched(site_copy: Path) -> None:
    before = snapshot(site_copy / "site")
    config = site_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nnav: {kaputt: [\n",
                      encoding="utf-8")
    result = run_build(site_copy, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "error: mkdocs failed" in result.stdout
    assert "Stopped: the build failed;" in result.stdout
    assert snapshot(site_copy / "site") == before
    assert not (site_copy / ".site.staging").exists()


def start_build(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "--today", TODAY, "build"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root,
        preexec_fn=interruptible)


def wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 60) -> None:
    """Until the build has begun to write (its staging folder exists)."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, "the build ended before it began to write"
        assert time.monotonic() < deadline, "the build did not begin to write"
        time.sleep(0.05)


@pytest.mark.slow
def test_interrupted_build_leaves_previous_site_untouched(site_copy: Path) -> None:
    before = snapshot(site_copy / "site")
    shutil.rmtree(site_copy / "build")  # the pages are made again: the build is mid-way
    process = start_build(site_copy)
    wait_for(site_copy / ".site.staging", process)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stdout + stderr
    assert "Interrupted: nothing was published;" in stdout
    assert snapshot(site_copy / "site") == before
    assert not (site_copy / ".site.staging").exists()


@pytest.mark.slow
def test_killed_build_leaves_previous_site_untouched(site_copy: Path) -> None:
    before = snapshot(site_copy / "site")
    process = start_build(site_copy)
    wait_for(site_copy / ".site.staging", process)
    process.kill()  # no chance to clean up: the next build removes the leftovers
    process.communicate(timeout=60)
    assert snapshot(site_copy / "site") == before


# --- publishing, step by step


def test_staging_replaces_the_site_only_when_complete(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("alt", encoding="utf-8")
    with publish.staging(site) as stage:
        (stage / "new.html").write_text("neu", encoding="utf-8")
        assert (site / "old.html").exists()  # visitors still see the old site meanwhile
    assert sorted(p.name for p in site.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_failure_inside_staging_keeps_the_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("alt", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), publish.staging(site) as stage:
        (stage / "half.html").write_text("halb", encoding="utf-8")
        raise KeyboardInterrupt
    assert sorted(p.name for p in site.iterdir()) == ["old.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_second_build_into_the_same_site_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with publish.staging(site) as stage:
        (stage / "index.html").write_text("erste", encoding="utf-8")
        with pytest.raises(BuildError, match="another build is writing"), \
                publish.staging(site):
            pass
    assert (site / "index.html").read_text(encoding="utf-8") == "erste"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_first_publish_and_leftovers_of_a_killed_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for leftover in (".site.staging", ".site.old"):
        (tmp_path / leftover / "sub").mkdir(parents=True)
    with publish.staging(site) as stage:
        (stage / "index.html").write_text("erste", encoding="utf-8")
    assert (site / "index.html").read_text(encoding="utf-8") == "erste"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- check and the command line


def test_check_reports_the_summary(minimal_project: Path) -> None:
    result = run_build(minimal_project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"Content is valid: 8 files read, 2 offers published, 0 warnings,"
                        r" \d+\.\d s\.\n", result.stdout)
    assert not (minimal_project / "site").exists()


def test_check_does_not_load_the_renderers(minimal_project: Path) -> None:
    """`check` stays fast: WeasyPrint and the other renderers are loaded only by build."""
    code = ("import sys; from wegweiser.cli import main;"
            f" main(['--root', {str(minimal_project)!r}, '--today', {TODAY!r}, 'check']);"
            " print(sorted(m for m in sys.modules if m.split('.')[0] in"
            " ('weasyprint', 'mkdocs')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.stdout.splitlines()[-1] == "[]", result.stdout + result.stderr


def test_content_errors_exit_1_without_traceback(minimal_project: Path) -> None:
    break_offer(minimal_project)
    result = run_build(minimal_project, "check")
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout.splitlines()[-2:] == [
        "1 error and 0 warnings in 1 file",
        "Stopped: fix the errors above. Nothing was built; site/ is unchanged.",
    ]


def expire_offer(root: Path) -> None:
    path = root / "offers" / "sprachcafe.yml"
    path.write_text(path.read_text(encoding="utf-8") + "valid_until: 2026-01-31\n",
                    encoding="utf-8")


@pytest.mark.parametrize("args", [["check", "--strict"], ["--strict", "check"]])
def test_warnings_fail_only_with_strict(minimal_project: Path, args: list[str]) -> None:
    expire_offer(minimal_project)
    relaxed = run_build(minimal_project, "check")
    assert relaxed.returncode == 0
    assert "warning: valid_until: the offer expired on 2026-01-31" in relaxed.stdout
    strict = run_build(minimal_project, *args)
    assert strict.returncode == 1
    assert strict.stdout.endswith("Stopped: --strict treats warnings as errors.\n")


def test_github_annotations(minimal_project: Path) -> None:
    break_offer(minimal_project)
    result = run_build(minimal_project, "check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.startswith(
        "::error file=offers/sprachcafe.yml,line=10,col=11::provider: unknown contact point"
        " 'kii'; did you mean 'ki'?")


@pytest.mark.parametrize(("args", "says"), [
    (["--today", "23.11.2026", "check"], "--today must be a date written YYYY-MM-DD"),
    (["--root", "nirgendwo", "check"], "the project folder"),
    (["prüfen"], "invalid choice"),
])
def test_wrong_usage_exits_2(minimal_project: Path, args: list[str], says: str) -> None:
    result = subprocess.run([sys.executable, str(REPO / "build.py"), *args],
                            capture_output=True, text=True, cwd=minimal_project)
    assert result.returncode == 2
    assert says in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_json_output_is_only_json(minimal_project: Path) -> None:
    break_offer(minimal_project)
    result = run_build(minimal_project, "check", "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [(p["file"], p["line"], p["column"], p["path"]) for p in problems] == [
        ("offers/sprachcafe.yml", 10, 11, "provider")]
    assert "Stopped:" in result.stderr
