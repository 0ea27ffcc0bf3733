"""`build.py serve`: a live preview on 127.0.0.1 that follows saved files and shows errors."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO, TODAY, free_port, interruptible

pytestmark = pytest.mark.slow


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_until(url: str, ok: Callable[[str], bool], seconds: float) -> tuple[str, float]:
    """The page once `ok` holds, and how long that took; fails after `seconds`."""
    started = time.monotonic()
    page = ""
    while time.monotonic() - started < seconds:
        page = fetch(url)
        if page and ok(page):
            return page, time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"{url} did not change as expected within {seconds} s:\n{page[:2000]}")


def start_preview(root: Path) -> tuple[str, subprocess.Popen[str]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "--today", TODAY,
         "serve", "--port", str(port)],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=interruptible)
    return f"http://127.0.0.1:{port}", process


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def preview(minimal_project: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    base, process = start_preview(minimal_project)
    try:
        yield base, process
    finally:
        stop(process)


def offer_url(base: str, offer_id: str) -> str:
    """The offer's page, found through the sitemap mkdocs writes (whatever the URL scheme)."""
    sitemap, _ = wait_until(f"{base}/de/sitemap.xml", lambda t: offer_id in t, 60)
    loc = next(u for u in re.findall(r"<loc>([^<]+)</loc>", sitemap) if offer_id in u)
    path = re.sub(r"^https?://[^/]+/", "/", loc)
    return base + path


def test_preview_follows_saved_files_and_shows_errors(
        minimal_project: Path, preview: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = preview
    url = offer_url(base, "sprachcafe")
    page, _ = wait_until(url, lambda t: "Sprachcafé" in t, 120)
    assert "preview-problems" not in page

    offer = minimal_project / "offers" / "sprachcafe.yml"
    original = offer.read_text(encoding="utf-8")
    offer.write_text(original.replace("title: Sprachcafé", "title: Sprachtreff am Dienstag"),
                     encoding="utf-8")
    page, seconds = wait_until(url, lambda t: "Sprachtreff am Dienstag" in t, 120)
    print(f"change visible after {seconds:.1f} s")  # a timeout only: speed is bench.py's

    offer.write_text(original.replace("category: sprache", "category: sprachen"),
                     encoding="utf-8")
    page, _ = wait_until(url, lambda t: "preview-problems" in t, 120)
    assert "offers/sprachcafe.yml:" in page and "sprachen" in page
    assert "Sprachtreff am Dienstag" in page  # the last good preview stays underneath

    offer.write_text(original, encoding="utf-8")
    page, _ = wait_until(url, lambda t: "preview-problems" not in t and "Sprachcafé" in t, 120)
    assert process.poll() is None, "the preview must survive bad content"

    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)  # it may be mid-rebuild on a busy machine
    assert process.returncode == 0
    assert "offers/sprachcafe.yml:" in output and "error" in output  # also in the terminal
    assert "Preview stopped." in output


def test_preview_starts_even_when_the_content_is_broken(minimal_project: Path) -> None:
    offer = minimal_project / "offers" / "familienberatung.yml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("free: false", "free: nein"),
                     encoding="utf-8")
    base, process = start_preview(minimal_project)
    try:
        page, _ = wait_until(base + "/", lambda t: "preview-problems" in t, 120)
        assert "offers/familienberatung.yml" in page
        assert "Fehler im Inhalt" in page  # no good preview yet: the error page
        offer.write_text(offer.read_text(encoding="utf-8").replace("free: nein", "free: false"),
                         encoding="utf-8")
        page, _ = wait_until(base + "/", lambda t: "preview-problems" not in t, 120)
        assert "Musterstadt" in page
        assert "Infoabend Einbürgerung" in page  # the next dates, written in after mkdocs
        assert process.poll() is None
    finally:
        stop(process)


def test_unknown_language_is_refused(minimal_project: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(minimal_project), "serve",
         "--lang", "xx", "--port", str(free_port())],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--lang xx is not a language of this site; choose one of de, en, ar" in result.stdout
