"""Hostile plain text in real headless Chromium: no dialog opens, no request leaves the host.

Every text field of every content type, the settings (site name, language names, licence)
and every string of the English catalog hold a payload that mkdocs would turn into a live
`javascript:` link, an event handler (attribute list) or a third-party image, plus raw HTML
with an event handler. The fixture project is built and served at 127.0.0.1; every German
and English page is opened, its headings clicked, and its DOM searched for handlers and
unsafe link targets (hostile_checks.mjs).
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Quiet, free_port, run_browser_script, run_build, write_files
from test_hostile import PAYLOAD, hostile_files, poison_catalogs

# `python3 build.py test` installs node, Chromium and the npm tooling: a missing piece
# fails these tests instead of skipping them
pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("hostile-browser")
    write_files(root, hostile_files())
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    settings = root / "content" / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "https://integration.musterstadt.example/", base), encoding="utf-8")
    translations = run_build(root, "translations")
    assert translations.returncode == 0, translations.stdout + translations.stderr
    poison_catalogs(root)
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    # the internal report is not published, but staff open it: served here for the checks
    shutil.copy(root / "build" / "report.html", site / "report.html")
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base, site
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def report(served: tuple[str, Path]) -> dict[str, Any]:
    base, site = served
    paths = ["", "report.html", "de/404.html", "en/404.html"] + sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for lang in ("de", "en") for p in (site / lang).rglob("index.html"))
    result = run_browser_script("hostile_checks.mjs", base, *paths)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_page_was_opened(report: dict[str, Any]) -> None:
    assert report["errors"] == []
    assert report["pages"] > 25


def test_no_dialog_opens(report: dict[str, Any]) -> None:
    assert report["searchResults"] > 0  # the payload was among the search results too
    assert report["dialogs"] == []


def test_no_request_leaves_the_host(report: dict[str, Any]) -> None:
    assert report["external"] == []


def test_no_event_handler_or_unsafe_link_target(report: dict[str, Any]) -> None:
    assert report["unsafe"] == []


def test_the_payload_is_shown_as_text(served: tuple[str, Path]) -> None:
    """Plain text stays the text it was: on the offer page, the open-data page, in English."""
    import lxml.html

    _, site = served
    for page in ("de/angebote/sprachcafe/index.html", "de/offene-daten/index.html",
                 "en/offene-daten/index.html", "en/index.html"):
        tree = lxml.html.fromstring((site / page).read_bytes())
        assert PAYLOAD in tree.xpath("string(//article)"), page
