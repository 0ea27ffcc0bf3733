"""What a newcomer on a phone meets in the generated HTML: tappable numbers and addresses,
German-only values marked as German, Latin names isolated in right-to-left text, a compact
search index, the language picker at the root. Built once from the minimal fixture plus a
contact person, a room, a notice with a number, an e-mail and a web address, and an
Arabic catalog with a Latin name in brackets.
"""

from __future__ import annotations

import gzip
import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from conftest import MINIMAL, REPO, run_build, write_files

from wegweiser.content.po import read_po_file
from wegweiser.resources import SHIPPED_INTERFACE

pytestmark = pytest.mark.slow

NOTICE = "Rufen Sie 0123 456-005 an, schreiben Sie an ki@musterstadt.example oder lesen Sie https://musterstadt.example/ki."  # noqa: E501
ARABIC_NAME = "مركز الاندماج البلدي في موسترشتات (Kommunales Integrationszentrum)"
ARABIC_NOTICE = "اتصلوا على 0123 456-005 أو اكتبوا إلى ki@musterstadt.example."
AR_PO = f"""\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ar\\n"

msgctxt "site#name"
msgid "Kommunales Integrationszentrum Musterstadt"
msgstr "{ARABIC_NAME}"

msgctxt "notice/schliessung#text"
msgid "{NOTICE}"
msgstr "{ARABIC_NOTICE}"
"""


EXAMPLE_WEBSITE = "https://musterstadt.example/service-point"  # marked, as is the address
EXAMPLE_VALUES = ("Bahnhofstraße 2", EXAMPLE_WEBSITE)


def fixture_files() -> dict[str, str]:
    files = {name: textwrap.dedent(text) for name, text in MINIMAL.items()}
    files["content/notices.yml"] = files["content/notices.yml"].replace(
        "Das KI ist derzeit nur telefonisch erreichbar.", NOTICE)
    files["content/contacts/ki.yml"] += textwrap.dedent("""\
        persons:
          - {name: Erika Muster, area: Leitung, phone: {number: 0123 456-007}}
        """)
    files["content/programme/2026-12.yml"] = files["content/programme/2026-12.yml"].replace(
        "    languages: [de]\n", "    languages: [de]\n    room: Saal 2\n", 1)
    files["content/site.yml"] += ("data_licence: {name: Datenlizenz Deutschland – Namensnennung,"
                                  " url: 'https://www.govdata.de/dl-de/by-2-0'}\n")
    files["content/contacts/service-point.yml"] += "example_values: [address, website]\n"
    files["content/programme/2026-12.yml"] = files["content/programme/2026-12.yml"].replace(
        "    languages: [de]\n", f"    languages: [de]\n    registration: {{required: true, how: "
        f"Anmeldung unter {EXAMPLE_WEBSITE}}}\n", 1)
    files["translations/ar.po"] = AR_PO
    files["content/pages/impressum.md"] = "---\ntitle: Impressum\nrole: imprint\n---\nStadt.\n"
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("phone")
    write_files(root, fixture_files())
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def page(site: Path, lang: str, path: str = "") -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / lang / path / "index.html").read_bytes())


def language_of(node: Any) -> str:
    """The language of an element or of a text (from xpath): the nearest lang attribute."""
    element = node
    if not isinstance(node, lxml.html.HtmlElement):  # a text: its element, or a tail's parent
        element = node.getparent().getparent() if node.is_tail else node.getparent()
    return next(e.get("lang") for e in (element, *element.iterancestors()) if e.get("lang"))


def article(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return doc.xpath("//article")[0]


# --- 3: numbers, e-mail and web addresses in notices can be tapped -------------------------


@pytest.mark.parametrize("lang", ["de", "en", "ar"])
def test_notice_numbers_and_addresses_are_links_isolated_left_to_right(site: Path,
                                                                      lang: str) -> None:
    notice = page(site, lang).xpath("//div[contains(@class, 'admonition')]")[0]
    links = {a.get("href"): a for a in notice.xpath(".//a")}
    assert "tel:+49123456005" in links and "mailto:ki@musterstadt.example" in links
    for link in links.values():
        assert [b.get("dir") for b in link.xpath("bdi")] == ["ltr"]
    assert links["tel:+49123456005"].text_content() == "0123 456-005"
    if lang != "ar":  # the Arabic notice has no web address
        assert links["https://musterstadt.example/ki"].text_content() == \
            "https://musterstadt.example/ki"


def test_dates_and_postcodes_in_markdown_stay_text(site: Path) -> None:
    # "01067 Musterstadt" in the contact card and the dates are not phone numbers
    doc = page(site, "de")
    assert not [a for a in doc.xpath("//a[starts-with(@href, 'tel:')]")
                if "01067" in a.text_content() or "2026" in a.text_content()]


# --- 2: example values are marked wherever they appear -----------------------------------


def block_of(text: Any) -> lxml.html.HtmlElement:
    element = text.getparent()
    while element.tag not in ("p", "dd", "li", "td", "div", "article"):
        element = element.getparent()
    return element


@pytest.mark.parametrize("lang", ["de", "en", "ar"])
def test_example_values_are_marked_on_every_page(site: Path, lang: str) -> None:
    seen = set()
    for path in sorted((site / lang).rglob("index.html")):
        doc = lxml.html.fromstring(path.read_bytes())
        for text in doc.xpath("//body//text()[not(ancestor::script)]"):
            if any(value in text for value in EXAMPLE_VALUES):
                block = block_of(text)
                assert block.xpath(".//span[@class='ww-example']"), (path, text)
                seen.add(path.parent.relative_to(site / lang).as_posix())
    # the contact point's own page, the list of contact points, the programme month (its
    # venue and an event's registration note quoting the marked web address), an offer held there
    assert {"anlaufstellen/service-point", "anlaufstellen", "programm/2026-12"} <= seen


def test_example_values_are_left_out_of_structured_data(site: Path) -> None:
    for lang in ("de", "ar"):
        for path in ("anlaufstellen/service-point", "programm/2026-12", "angebote/sprachcafe"):
            scripts = page(site, lang, path).xpath("//script[@type='application/ld+json']")
            data = " ".join(s.text for s in scripts)
            assert scripts and not any(value in data for value in EXAMPLE_VALUES), path
    # real values stay
    real = page(site, "de", "anlaufstellen/ki").xpath("//script[@type='application/ld+json']")
    assert "Marktplatz 1" in real[0].text and "ki@musterstadt.example" in real[0].text


# --- 5: German-only values are marked as German in every translation ----------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_german_only_values_are_marked_german(site: Path, lang: str) -> None:
    contact = article(page(site, lang, "anlaufstellen/ki"))
    expected = {"Leitung", "Stadt Musterstadt", "Zentrale"}
    found = {t.strip().strip("()"): language_of(t) for t in contact.xpath(".//text()")
             if t.strip().strip("()") in expected}
    assert found == dict.fromkeys(expected, "de")
    assert language_of(contact.xpath(".//address")[0]) == "de"
    month = article(page(site, lang, "programm/2026-12"))
    room = [t for t in month.xpath(".//text()") if "Saal 2" in t]
    assert room and all(language_of(t) == "de" for t in room)


def test_german_labels_in_brackets_keep_their_brackets_in_arabic(site: Path) -> None:
    contact = article(page(site, "ar", "anlaufstellen/ki"))
    label = contact.xpath(".//span[@class='ww-latin']")
    assert [(s.text_content(), s.get("lang"), s.get("dir")) for s in label] == [
        ("(Zentrale)", "de", "ltr")]
    english = article(page(site, "en", "anlaufstellen/ki"))
    assert "(Zentrale)" in english.text_content() and not english.xpath(".//*[@class='ww-latin']")


def test_every_text_of_a_translation_is_in_its_language_or_marked(site: Path) -> None:
    # the German values of the fixture appear in the en pages only inside lang="de"
    german = ("Leitung", "Stadt Musterstadt", "Saal 2", "Zentrale", "Marktplatz 1")
    for path in sorted((site / "en").rglob("index.html")):
        doc = lxml.html.fromstring(path.read_bytes())
        for text in doc.xpath("//body//text()[not(ancestor::script)]"):
            if any(word in text for word in german):
                assert language_of(text) == "de", (path, text)


PERSON_NAMES = {"Erika Muster,"}  # a name is in no language


def unmarked_german(site: Path, lang: str, path: Path) -> set[str]:
    """Texts of a page that stand, the same, on its German page, with only the page's
    language on <html> around them: German left unmarked (e-mails, numbers and Latin names
    are isolated in <bdi>; language names carry their own lang)."""
    german = lxml.html.fromstring((site / "de" / path).read_bytes())
    german_texts = {t.strip() for t in german.xpath("//body//text()")}
    doc = lxml.html.fromstring((site / lang / path).read_bytes())
    texts = doc.xpath("//body//text()[not(ancestor::script)][not(ancestor::bdi)]"
                      "[not(ancestor::code)][not(ancestor::*[@lang][not(self::html)])]")
    same_word = {m.id for m in read_po_file(SHIPPED_INTERFACE / f"{lang}.po")
                 if m.id and m.string == m.id}  # "Filter", "Website": English too
    return {t.strip() for t in texts if t.strip() in german_texts - PERSON_NAMES - same_word
            and len(t.strip()) > 2 and any(c.isalpha() for c in t)}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_page_of_a_translation_shows_german_unmarked(site: Path, lang: str) -> None:
    # the fixture translates almost nothing: most of every en and ar page is German
    found = {}
    for path in sorted((site / lang).rglob("index.html")):
        if unmarked := unmarked_german(site, lang, path.relative_to(site / lang)):
            found[path.relative_to(site).as_posix()] = sorted(unmarked)
    assert found == {}


def test_german_pages_mark_nothing_extra(site: Path) -> None:
    contact = article(page(site, "de", "anlaufstellen/ki"))
    assert not contact.xpath(".//*[@lang='de'][contains(., 'Leitung') or contains(., 'Stadt')]")
    assert contact.xpath(".//address")[0].get("lang") is None


# --- 4: Latin names in right-to-left text are isolated --------------------------------------


def test_latin_names_in_arabic_headings_are_isolated_so_brackets_pair(site: Path) -> None:
    heading = page(site, "ar").xpath("//h1")[0]
    assert heading.text_content().strip() == ARABIC_NAME
    # the name and its brackets are one left-to-right unit, so the brackets pair in it
    isolated = heading.xpath(".//bdi")
    assert [(b.text_content(), b.get("dir"), b.get("class")) for b in isolated] == [
        ("(Kommunales Integrationszentrum)", "ltr", "ww-latin")]


def test_german_text_in_arabic_pages_is_not_cut_into_isolates(site: Path) -> None:
    # an untranslated (German) title is marked lang="de" dir="ltr" as a whole
    span = page(site, "ar", "angebote/sprachcafe").xpath("//h1/span[@lang='de']")[0]
    assert span.get("dir") == "ltr" and not span.xpath(".//bdi")


# --- 7: the search index is UTF-8; text files have a .gz beside them -----------------------


def test_search_index_is_utf8_without_escapes(site: Path) -> None:
    raw = (site / "ar" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "\\u0" not in raw and "موسترشتات" in raw
    assert json.loads(raw)["docs"]


def test_text_files_are_precompressed(site: Path) -> None:
    for name in ("ar/index.html", "ar/search/search_index.json",
                 "ar/assets/wegweiser/site.css"):
        plain = (site / name).read_bytes()
        assert gzip.decompress((site / f"{name}.gz").read_bytes()) == plain, name


# --- 9: the pages at / -----------------------------------------------------------------------


def test_language_picker_has_favicon_legal_links_and_a_line_per_language(site: Path) -> None:
    doc = lxml.html.fromstring((site / "index.html").read_bytes())
    icon = doc.xpath("//link[@rel='icon']/@href")[0]
    assert (site / icon).is_file()
    legal = {a.text_content(): a.get("href") for a in doc.xpath("//footer//a")}
    assert legal == {"Impressum": "de/impressum/"}  # the fixture has no privacy page
    assert (site / "de" / "impressum" / "index.html").is_file()
    prompts = {a.get("lang"): a.xpath("span[@class='prompt']/text()")
               for a in doc.xpath("//nav//a")}
    assert prompts["de"] == ["Wählen Sie Ihre Sprache."]
    # the interface catalogs of the package translate it; a language without one gets no
    # German line in its link
    assert prompts["en"] == ["Choose your language."] and len(prompts["ar"]) == 1
    assert "Wählen" not in prompts["ar"][0]


def test_root_404_page_links_every_language_by_absolute_path(site: Path) -> None:
    doc = lxml.html.fromstring((site / "404.html").read_bytes())
    assert doc.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert doc.xpath("//nav//a/@href") == ["/de/", "/en/", "/ar/"]
    assert doc.xpath("//link[@rel='icon']/@href") == ["/de/assets/images/favicon.png"]
    assert "url('/assets/fonts/" in (site / "404.html").read_text(encoding="utf-8")
