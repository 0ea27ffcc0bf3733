"""paths.py: every public path, its Markdown file and its absolute URL, spelled once."""

from __future__ import annotations

import pytest

from wegweiser import paths


@pytest.mark.parametrize(("page", "source"), [
    ("", "index.md"),
    (paths.OFFERS, "angebote/index.md"),
    (paths.CONTACTS, "anlaufstellen/index.md"),
    (paths.PROGRAMME, "programm/index.md"),
    (paths.offer("sprachpaten"), "angebote/sprachpaten.md"),
    (paths.contact("ki"), "anlaufstellen/ki.md"),
    (paths.category("sprache"), "themen/sprache.md"),
    (paths.month("2026-12"), "programm/2026-12.md"),
    (paths.editorial("ueber-uns"), "ueber-uns.md"),
    (paths.editorial("programm"), "seiten/programm.md"),  # an id that names a section
    (paths.OPEN_DATA, "offene-daten.md"),
])
def test_a_page_and_its_markdown_file_map_both_ways(page: str, source: str) -> None:
    assert paths.source(page) == source
    assert paths.page(source) == page


def test_downloads_and_feeds_are_named_by_language_and_month() -> None:
    assert paths.brochure("fa") == "downloads/wegweiser-fa.pdf"
    assert paths.brochure("fa", printed=True) == "downloads/wegweiser-fa-print.pdf"
    assert paths.brochure_file("de") == "wegweiser-de.pdf"
    assert paths.flyer("2026-12", "uk") == "downloads/programm-2026-12-uk.pdf"
    assert paths.feed() == "programme.ics"
    assert paths.feed("ar") == "ar/programme.ics"


def test_absolute_urls_put_the_language_before_the_page() -> None:
    base = "https://integration.musterstadt.example/"
    assert paths.absolute(base, paths.in_language("en", paths.offer("x"))) == (
        "https://integration.musterstadt.example/en/angebote/x/")
    assert paths.absolute(base, paths.in_language("en")) == base + "en/"
    assert paths.absolute(base, paths.DATA) == base + "data/"
