"""The shipped website on a phone (390x844) in a real headless Chromium, in de and ar.

The site is built as shipped (base_url is the production address) and served locally, as a
reviewer's copy or a mirror is: every request must go to the page's own host and succeed.
phone_checks.mjs drives Chromium and reports; the assertions are here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_browser_script

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path("/tmp")
PHONE_WIDTH = 390

# `python3 build.py test` installs node, Chromium and the npm tooling: a missing piece
# fails these tests instead of skipping them
pytestmark = pytest.mark.slow


def page_paths(site: Path) -> list[str]:
    """Every page of de and ar, the language picker, the root 404 page, and an address that
    does not exist."""
    paths = ["", "404.html", "de/does-not-exist/", "ar/does-not-exist/"]
    for lang in ("de", "ar"):
        paths += sorted(p.relative_to(site).as_posix().removesuffix("index.html")
                        for p in (site / lang).rglob("index.html"))
    return paths


@pytest.fixture(scope="module")
def report(shipped_site: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, Any]:
    base, site = shipped_site
    listing = tmp_path_factory.mktemp("phone") / "paths.json"
    listing.write_text(json.dumps(page_paths(site)), encoding="utf-8")
    result = run_browser_script("phone_checks.mjs", base, str(listing), str(SHOTS), timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    found["paths"] = json.loads(listing.read_text(encoding="utf-8"))
    return found


def test_every_page_was_opened_with_and_without_javascript(report: dict[str, Any]) -> None:
    assert report["failed"] == {}
    assert len(report["paths"]) > 90
    assert report["pages"] == 2 * len(report["paths"])


def test_no_request_leaves_the_pages_host_and_none_fails(report: dict[str, Any]) -> None:
    # a copy served anywhere must not contact the production host (base_url), nor get 404s
    assert report["requests"] > len(report["paths"])
    assert report["external"] == []
    assert report["failedResponses"] == []
    assert report["errors"] == []


def test_no_page_is_wider_than_the_phone(report: dict[str, Any]) -> None:
    assert report["wide"] == {}
    assert report["wideNoJs"] == {}  # without JavaScript as well


def test_footer_keeps_its_own_style(report: dict[str, Any]) -> None:
    for lang in ("de", "ar"):
        footer = report["footer"][lang]
        assert footer["listStyle"] == "none", footer  # not the theme's bulleted list
        assert footer["display"] == "flex", footer
        assert footer["linkColor"] == "rgb(255, 255, 255)", footer


def test_phone_language_menu_shows_every_language(report: dict[str, Any],
                                                  shipped_site: tuple[str, Path]) -> None:
    _, site = shipped_site
    languages = sorted(p.name for p in site.iterdir() if (p / "404.html").is_file())
    for lang in ("de", "ar"):
        menu = report["languageMenu"][lang]
        assert sorted(item["lang"] for item in menu) == languages
        assert [item["lang"] for item in menu if not item["visible"]] == [], lang


def test_language_switch_keeps_the_filter_and_the_anchor(report: dict[str, Any]) -> None:
    assert report["switcher"]["url"].endswith("/ar/angebote/?thema=sprache#sprache")
    assert report["switcher"]["category"] == "sprache"


def test_phone_screenshots_were_taken(report: dict[str, Any]) -> None:
    assert len(report["shots"]) == 4
    assert all(Path(p).stat().st_size > 20000 for p in report["shots"])
