"""Reproducible and interrupt-safe builds.

Two builds of the same content on the same date give byte-identical site/ folders, PDFs
included, with no trace of the day the build really ran. A build stopped by SIGTERM or
SIGKILL while mkdocs renders pages, while WeasyPrint renders PDFs, or right before or
after the final swap leaves a complete site/ behind, and the next build succeeds.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL, REPO, write_files

HELD_BUILD = Path(__file__).resolve().parent / "held_build.py"  # pauses at a publishing step

pytestmark = pytest.mark.slow

BUILD_DAY = "2026-01-15"  # the day the builds are for (--today)
# the clock each of the two builds really runs under (libfaketime): far from any date in
# the fixture content, and different from each other, so no day of the calendar can make
# "the real day appears in the output" true by coincidence
REAL_CLOCKS = ("2031-03-09 10:00:00", "2033-11-27 23:59:30")
CHANGED_TITLE = "Familienberatung am Abend"  # an offer not in the brochure: PDFs stay cached


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def new_project(root: Path) -> Path:
    write_files(root, MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def build_command(root: Path, today: str = BUILD_DAY) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--root", str(root), "--today", today,
            "build"]


def build(root: Path, cache: Path | None = None,
          clock: str | None = None) -> subprocess.CompletedProcess[str]:
    """A build; with `clock`, the system clock reads that moment when the build starts."""
    env = dict(os.environ, **({"WEGWEISER_CACHE": str(cache)} if cache else {}))
    env.pop("SOURCE_DATE_EPOCH", None)
    faked = ["faketime", "-f", f"@{clock}"] if clock else []
    return subprocess.run([*faked, *build_command(root)], capture_output=True, text=True,
                          cwd=root, env=env)


# --- reproducible ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The minimal project built twice in different folders, each with an empty cache,
    under two different real clocks."""
    sites = []
    for name, clock in zip(("first", "second"), REAL_CLOCKS, strict=True):
        base = tmp_path_factory.mktemp(name)
        root = new_project(base / "project")
        result = build(root, cache=base / "cache", clock=clock)  # renders every PDF afresh
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append(root / "site")
    return sites[0], sites[1]


def test_two_builds_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = (snapshot(site) for site in two_builds)
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing
    assert any(name.endswith(".pdf") for name in first)
    assert any(name.endswith(".gz") for name in first)


@pytest.mark.parametrize("which", [0, 1])
def test_no_trace_of_the_real_build_day(two_builds: tuple[Path, Path], which: int) -> None:
    real = date.fromisoformat(REAL_CLOCKS[which][:10])
    stamps = [real.isoformat().encode(), real.strftime("%Y%m%d").encode(),
              real.strftime("%d.%m.%Y").encode()]
    for path in sorted(two_builds[which].rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            assert int.from_bytes(data[4:8], "little") <= 1768435200, path  # gzip mtime
            data = gzip.decompress(data)
        for stamp in stamps:
            assert stamp not in data, f"{path} holds the real build day {stamp!r}"


def test_pdf_dates_are_the_months_the_pdfs_show(two_builds: tuple[Path, Path]) -> None:
    """Not the day of the build: a PDF whose content did not change stays the same file
    from one day to the next. Flyers: the build's month, their "Stand"; brochures: the
    edition (site.yml says 2026-11)."""
    import pikepdf

    for pdf in sorted((two_builds[0] / "downloads").glob("*.pdf")):
        with pikepdf.open(pdf) as document:
            info = {str(k): str(v) for k, v in document.docinfo.items()}
        month = "D:20260101" if pdf.name.startswith("programm-") else "D:20261101"
        assert "/CreationDate" in info, pdf.name
        for key in ("/CreationDate", "/ModDate"):
            if key in info:
                assert info[key].startswith(month), (pdf.name, key, info[key])


# --- interrupt-safe -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project with a complete site/ (the last good one)."""
    root = new_project(tmp_path_factory.mktemp("published") / "project")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def wait_until(ready: Callable[[], bool], process: subprocess.Popen[str], what: str,
               seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        assert process.poll() is None, f"the build ended before {what}"
        assert time.monotonic() < deadline, f"the build never reached {what}"
        time.sleep(0.02)


def rendering_pages(stage: Path) -> Callable[[], bool]:
    """mkdocs has begun to write a language, and no PDF has been started yet."""
    return lambda: any((stage / "de").glob("**/*.html"))


def rendering_pdfs(cache: Path) -> Callable[[], bool]:
    """The brochures are being laid out: their cache folder exists since a second."""
    seen: dict[str, float] = {}

    def ready() -> bool:
        if (cache / "brochure").is_dir():
            seen.setdefault("at", time.monotonic())
        return "at" in seen and time.monotonic() - seen["at"] > 1.0
    return ready


PHASES = ["pages", "pdfs", "swap", "swapped"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("phase", PHASES)
def test_killed_build_keeps_a_complete_site(published: Path, tmp_path: Path, phase: str,
                                            sig: signal.Signals) -> None:
    root = tmp_path / "project"
    shutil.copytree(published, root, symlinks=True)
    site, stage = root / "site", root / ".site.staging"
    before = snapshot(site)
    offer = root / "offers" / "familienberatung.yml"
    offer.write_text(offer.read_text(encoding="utf-8").replace(
        "title: Familienberatung", f"title: {CHANGED_TITLE}"), encoding="utf-8")
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    if phase == "pdfs":
        env["WEGWEISER_CACHE"] = str(tmp_path / "empty-cache")  # so the PDFs are rendered
    command = build_command(root)
    if phase in ("swap", "swapped"):
        command = [sys.executable, str(HELD_BUILD), phase, *command[2:]]
    process = subprocess.Popen(command, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=root, env=env,
                               start_new_session=True)
    try:
        if phase == "pages":
            wait_until(rendering_pages(stage), process, "page rendering")
            assert not (stage / "downloads").exists()
        elif phase == "pdfs":
            wait_until(rendering_pdfs(tmp_path / "empty-cache"), process, "PDF rendering")
            assert not list((tmp_path / "empty-cache" / "brochure").glob("*.pdf"))
        else:
            wait_until((root / f".site.held-{phase}").exists, process, f"the {phase} step")
    finally:
        os.killpg(process.pid, sig)  # the whole build: mkdocs and WeasyPrint workers too
        process.communicate(timeout=60)
    assert process.returncode == -sig

    after = snapshot(site)
    if phase == "swapped":  # the new site is in place, complete
        assert after.keys() == before.keys()
        offer_page = site / "de" / "angebote" / "familienberatung" / "index.html"
        assert CHANGED_TITLE in offer_page.read_text(encoding="utf-8")
    else:
        assert after == before

    (root / f".site.held-{phase}").unlink(missing_ok=True)
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert CHANGED_TITLE in (site / "de" / "angebote" / "familienberatung" / "index.html"
                             ).read_text(encoding="utf-8")
    assert snapshot(site).keys() == before.keys()
    assert not stage.exists() and not (root / ".site.old").exists()
