"""The website built from a small fixture: pages, languages, RTL, structured data, links.

The fixture is the shared minimal project plus what the site must handle: a language the
theme has no translation for (Tigrinya), fa and uk for search, legal pages, a cancelled
and a moved date, an example value and hostile HTML in a description. It is built once.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from conftest import MINIMAL, REPO, TODAY, run_build, write_files

sys.path.insert(0, str(Path(__file__).parent.parent / "browser"))
from site_crawl import crawl  # noqa: E402

from wegweiser import paths  # noqa: E402
from wegweiser.content.tree import load_content  # noqa: E402
from wegweiser.i18n.localisation import Localisation  # noqa: E402
from wegweiser.model import Content  # noqa: E402
from wegweiser.problems import Problems  # noqa: E402
from wegweiser.site.pages import HOME, UNTRANSLATED_MARK, PageSpec, PageWriter  # noqa: E402

pytestmark = pytest.mark.slow

BASE = "https://integration.musterstadt.example/"
LANGUAGES = ("de", "en", "ar", "fa", "uk", "ti", "ckb")
EXTRA = {
    "content/contacts/verein.yml": """\
        name: Begegnungsstätte Brücke
        organisation: Verein Brücke e.V.
        address: {street: Am Markt 3, postcode: 01067, city: Musterstadt}
        coordinates: {lat: 51.03, lon: 6.98}
        email: bruecke@musterstadt.example
        opening_hours:
          temporarily_closed: Wegen Umbau bis März geschlossen.
          weekly:
            friday: [{opens: 15:00, closes: 18:00}]
        last_reviewed: 2026-10-01
        example_values: [email]
        """,
    "content/contacts/jobcenter.yml": """\
        name: Jobcenter Musterstadt
        organisation: Jobcenter Musterstadt
        public_body: true
        address: {street: Am Markt 5, postcode: 01067, city: Musterstadt}
        email: jobcenter@musterstadt.example
        languages: [de, en]
        last_reviewed: 2026-10-01
        """,
    "offers/sprachkurs.yml": """\
        title: Sprachkurs
        summary: Deutsch lernen in der Begegnungsstätte.
        description: Ein Kurs für Anfängerinnen und Anfänger.
        category: sprache
        audience: [erwachsene]
        languages: [de]
        provider: verein
        where_when: {place: verein}
        cost: {free: true}
        registration: {required: false}
        last_reviewed: 2026-09-01
        """,
    "content/pages/barrierefreiheit.md": """\
        ---
        title: Erklärung zur Barrierefreiheit
        role: accessibility
        ---
        Barrieren melden Sie bitte per E-Mail.
        """,
    "content/pages/impressum.md": """\
        ---
        title: Impressum
        role: imprint
        description: Wer diese Website herausgibt.
        ---
        Stadt Musterstadt<br>
        Marktplatz 1
        """,
}


def fixture_files() -> dict[str, str]:
    files = {name: textwrap.dedent(text) for name, text in {**MINIMAL, **EXTRA}.items()}
    files["content/site.yml"] = files["content/site.yml"].replace(
        "  - {code: ar, name: العربية, dir: rtl}\n",
        "  - {code: ar, name: العربية, dir: rtl}\n"
        "  - {code: fa, name: فارسی, dir: rtl}\n"
        "  - {code: uk, name: Українська}\n"
        "  - {code: ti, name: ትግርኛ}\n"
        "  - {code: ckb, name: کوردیی ناوەندی, dir: rtl}\n")
    files["offers/sprachcafe.yml"] = files["offers/sprachcafe.yml"].replace(
        "Ohne Anmeldung, einfach vorbeikommen.",
        'Ohne Anmeldung, <script>alert("x")</script> einfach vorbeikommen.',
    ) + "example_values: [cost]\n"
    files["content/programme/2026-12.yml"] = files["content/programme/2026-12.yml"] + (
        "    exceptions:\n"
        "      - {date: 2026-12-08, status: cancelled, note: Krankheit}\n"
        "      - date: 2026-12-15\n"
        "        status: moved\n"
        "        moved_to: {date: 2026-12-17}\n")
    closed = "    - {from: 2026-12-24, until: 2026-12-31, closed: true, note: Betriebsferien}\n"
    files["content/contacts/service-point.yml"] = files["content/contacts/service-point.yml"] \
        .replace("  by_appointment: true\n", "  by_appointment: true\n  exceptions:\n" + closed)
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    write_files(root, fixture_files())
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def page(site: Path, lang: str, path: str = "") -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / lang / path / "index.html").read_bytes())


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def json_ld(doc: lxml.html.HtmlElement) -> list[dict]:
    return [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]


def html_pages(site: Path, lang: str) -> list[Path]:
    return sorted(p for p in (site / lang).rglob("*.html") if p.name != "404.html")


def test_every_language_has_the_same_pages(site: Path) -> None:
    paths = {lang: {p.relative_to(site / lang) for p in html_pages(site, lang)}
             for lang in LANGUAGES}
    assert all(p == paths["de"] for p in paths.values())
    expected = {"index.html", "angebote/index.html", "angebote/sprachcafe/index.html",
                "angebote/familienberatung/index.html", "themen/sprache/index.html",
                "anlaufstellen/index.html", "anlaufstellen/ki/index.html",
                "programm/index.html", "programm/2026-12/index.html",
                "ueber-uns/index.html", "impressum/index.html",
                "barrierefreiheit/index.html"}
    assert expected <= {p.as_posix() for p in paths["de"]}
    for lang in LANGUAGES:
        assert (site / lang / "404.html").is_file()


def test_html_lang_and_direction(site: Path) -> None:
    for lang in LANGUAGES:
        html = page(site, lang, "angebote/sprachcafe")
        assert html.get("lang") == lang
        assert html.get("dir") == ("rtl" if lang in ("ar", "fa", "ckb") else "ltr")


def test_a_language_without_theme_translation_gets_its_own_partial(site: Path) -> None:
    html = page(site, "ti")
    assert html.get("lang") == "ti"
    # the theme's strings come from our catalogs (German until translated), not English
    assert "Zum Inhalt springen" in text(html.xpath("//a[@class='md-skip']")[0])
    assert html.xpath("//div[@data-md-component='search']/@aria-label") == ["Suche"]
    # CLDR gives Tigrinya names of the languages an offer is offered in
    assert "ጀርመን" in text(page(site, "ti", "angebote/sprachcafe"))


def test_head_has_canonical_and_description_but_no_alternate_links(site: Path) -> None:
    # Material's script fetches sitemap.xml next to every <link rel="alternate"> (at the
    # production host, from any copy); the hreflang alternates are in the root sitemap.xml.
    for lang in LANGUAGES:
        for path in html_pages(site, lang):
            doc = lxml.html.fromstring(path.read_bytes())
            url = path.relative_to(site / lang).as_posix().removesuffix("index.html")
            assert doc.xpath("//link[@rel='alternate']") == [], path
            assert doc.xpath("//head/link[@rel='canonical']/@href") == [f"{BASE}{lang}/{url}"]
            description = doc.xpath("//head/meta[@name='description']/@content")
            assert len(description) == 1 and description[0].strip(), path


def test_switcher_links_to_the_same_page_in_every_language(site: Path) -> None:
    doc = page(site, "de", "angebote/sprachcafe")
    links = doc.xpath("//a[contains(@class, 'md-select__link')]")
    assert {a.get("href") for a in links} == {f"/{c}/angebote/sprachcafe/" for c in LANGUAGES}
    assert {a.get("lang"): text(a) for a in links}["ar"] == "العربية"


def test_root_page_sitemap_and_robots(site: Path) -> None:
    root = lxml.html.fromstring((site / "index.html").read_bytes())
    links = {a.get("hreflang"): a for a in root.xpath("//nav//a")}
    assert list(links) == list(LANGUAGES)
    assert links["de"].get("class") == "default" and links["de"].get("href") == "de/"
    assert links["ar"].get("lang") == "ar" and links["ar"].get("dir") == "rtl"
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    locs = [u.find("s:loc", ns).text for u in sitemap.findall("s:url", ns)]
    assert f"{BASE}ar/angebote/sprachcafe/" in locs
    entry = next(u for u in sitemap.findall("s:url", ns)
                 if u.find("s:loc", ns).text == f"{BASE}uk/programm/2026-12/")
    hreflangs = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
    assert hreflangs["fa"] == f"{BASE}fa/programm/2026-12/"
    assert hreflangs["x-default"] == f"{BASE}de/programm/2026-12/"
    assert f"Sitemap: {BASE}sitemap.xml" in (site / "robots.txt").read_text()


def test_offer_page_shows_every_field(site: Path) -> None:
    doc = page(site, "de", "angebote/sprachcafe")
    body = text(doc.xpath("//article")[0])
    for expected in ("Sprachcafé", "Deutsch sprechen in entspannter Runde.",
                     "Jeden Dienstag treffen sich Menschen", "Erwachsene", "Mitte",
                     "kostenlos", "Ohne Anmeldung", "Zuletzt geprüft: 1. September 2026",
                     "Englisch", "Service-Point"):
        assert expected in body, expected
    assert text(doc.xpath("//dd[contains(., 'kostenlos')]//span[@class='ww-example']")[0]) \
        == "(Beispielwert)"
    table = doc.xpath("//table[@class='ww-hours']")[0]
    assert table.xpath(".//th[@scope='row']/text()") == ["Dienstag"]
    assert text(table.xpath(".//td")[0]) == "18:30–20:00"
    assert doc.xpath("//a[@href='tel:+49123456005']")
    assert doc.xpath("//a[@href='mailto:ki@musterstadt.example']")
    assert doc.xpath("//a[starts-with(@href, 'https://www.openstreetmap.org/')]")


def test_hostile_html_in_content_is_shown_as_text(site: Path) -> None:
    for lang in ("de", "ar"):
        html = (site / lang / "angebote/sprachcafe/index.html").read_text()
        assert '<script>alert("x")' not in html
        assert "&lt;script&gt;" in html


def test_structured_data(site: Path) -> None:
    [service] = json_ld(page(site, "de", "angebote/familienberatung"))
    assert service["@type"] == "GovernmentService"
    assert service["areaServed"] == {"@type": "City", "name": "Musterstadt"}
    assert service["provider"]["name"] == "Kommunales Integrationszentrum"
    assert service["availableChannel"][0]["serviceLocation"]["address"]["postalCode"] == "01067"
    [office] = json_ld(page(site, "de", "anlaufstellen/ki"))
    assert office["@type"] == "GovernmentOffice"
    days = {(s["dayOfWeek"], s["opens"], s["closes"]) for s in office["openingHoursSpecification"]}
    assert ("https://schema.org/Thursday", "14:00", "18:30") in days
    [graph] = json_ld(page(site, "de", "programm/2026-12"))
    events = graph["@graph"]
    assert all(e["@type"] == "Event" for e in events)
    assert {e["eventStatus"].rsplit("/", 1)[1] for e in events} == {
        "EventScheduled", "EventCancelled", "EventRescheduled"}
    moved = next(e for e in events if e["eventStatus"].endswith("Rescheduled"))
    assert moved["startDate"] == "2026-12-17T10:00:00+01:00"
    assert moved["previousStartDate"] == "2026-12-15T10:00:00+01:00"


def test_structured_data_names_the_state_only_where_a_public_body_is(site: Path) -> None:
    """A charity's offer is a Service of an Organization at a Place; the KI's organisation
    and a contact point marked `public_body: true` are the state's."""
    [charity] = json_ld(page(site, "de", "angebote/sprachkurs"))
    assert charity["@type"] == "Service"
    assert charity["provider"] == {"@type": "Organization", "name": "Begegnungsstätte Brücke",
                                   "url": BASE + "de/anlaufstellen/verein/"}
    assert charity["availableChannel"][0]["serviceLocation"]["@type"] == "Place"
    assert charity["offers"] == {"@type": "Offer", "price": 0, "priceCurrency": "EUR"}
    [own] = json_ld(page(site, "de", "angebote/familienberatung"))
    assert (own["@type"], own["provider"]["@type"]) == ("GovernmentService",
                                                         "GovernmentOrganization")
    [jobcenter] = json_ld(page(site, "de", "anlaufstellen/jobcenter"))
    assert jobcenter["@type"] == "GovernmentOffice" and jobcenter["knowsLanguage"] == ["de", "en"]


def nodes(data: object) -> list[dict]:
    """Every typed node of a JSON-LD document, nested ones included."""
    found: list[dict] = []
    if isinstance(data, list):
        for item in data:
            found += nodes(item)
    elif isinstance(data, dict):
        if "@type" in data:
            found.append(data)
        for value in data.values():
            found += nodes(value)
    return found


def test_structured_data_uses_schema_org_terms_where_they_belong(site: Path) -> None:
    """Every type is one of schema.org, every property is one its type (or a type it is
    a kind of) has: tests/site/schemaorg_terms.json holds the vocabulary's own lists for
    the terms written; a new term is added there from schema.org's release file."""
    terms = json.loads((Path(__file__).parent / "schemaorg_terms.json").read_text())
    pages = [p for lang in ("de", "ar") for p in html_pages(site, lang)]
    checked = set()
    for path in pages:
        for node in nodes(json_ld(lxml.html.fromstring(path.read_bytes()))):
            kind = node["@type"]
            assert kind in terms["types"], (path, kind)
            kinds = {kind, *terms["types"][kind]}
            for name in node:
                if not name.startswith("@"):
                    assert kinds & set(terms["properties"].get(name, [])), (path, kind, name)
                    checked.add((kind, name))
    assert ("Place", "address") in checked and ("Service", "provider") in checked


def test_contact_page_shows_appointment_and_exceptions(site: Path) -> None:
    body = text(page(site, "de", "anlaufstellen/service-point").xpath("//article")[0])
    assert "Nur nach Terminvereinbarung" in body
    assert "24. Dezember 2026 – 31. Dezember 2026: geschlossen (Betriebsferien)" in body
    doc = page(site, "de", "anlaufstellen/verein")
    closed = doc.xpath("//div[contains(@class, 'admonition')]")[0]
    assert [text(p) for p in closed.xpath("p")] == ["Vorübergehend geschlossen",
                                                   "Wegen Umbau bis März geschlossen."]
    assert doc.xpath("//a[@href='https://www.openstreetmap.org/directions?to=51.03%2C6.98']")
    assert not doc.xpath("//iframe")  # a link to the map, never an embedded one
    [place] = json_ld(doc)
    assert place["@type"] == "Place"  # not run by the public body
    assert "openingHoursSpecification" not in place  # closed for now


def test_structured_data_leaves_example_values_out(site: Path) -> None:
    """Search engines show JSON-LD as facts: values marked as examples are not in it."""
    [place] = json_ld(page(site, "de", "anlaufstellen/verein"))
    assert place["address"]["streetAddress"] == "Am Markt 3"
    assert "email" not in place and place["geo"]["latitude"] == 51.03
    [example_cost] = json_ld(page(site, "de", "angebote/sprachcafe"))
    [confirmed_cost] = json_ld(page(site, "de", "angebote/familienberatung"))
    assert "offers" not in example_cost
    assert confirmed_cost["offers"] == {"@type": "Offer", "description": "5 Euro pro Termin"}


def test_programme_month_is_grouped_by_day_with_status(site: Path) -> None:
    doc = page(site, "de", "programm/2026-12")
    days = doc.xpath("//section[@class='ww-day']/h2/@id")
    assert days == sorted(days) and "d-2026-12-03" in days
    cancelled = doc.xpath("//section[h2/@id='d-2026-12-08']")[0]
    assert "Fällt aus" in text(cancelled) and cancelled.xpath(".//del")
    moved = text(doc.xpath("//section[h2/@id='d-2026-12-17']")[0])
    assert "Verlegt vom 15. Dezember 2026" in moved
    left = doc.xpath("//section[h2/@id='d-2026-12-15']")[0]
    assert "Verlegt auf" in text(left) and left.xpath(".//a[@href='#d-2026-12-17']")
    assert "Mit: Kommunales Integrationszentrum" in text(doc)
    index = text(page(site, "de", "programm").xpath("//article")[0])
    assert "Nächster Monat" in index and "Dezember 2026" in index
    home = text(page(site, "de").xpath("//article")[0])
    assert "Dienstag, 1. Dezember 2026, 10:00–12:00" in home  # the next dates


def test_the_home_page_shows_a_cancelled_date_struck_through(site: Path) -> None:
    """As on the month page: whoever knows the weekly slot sees that it falls out, and the
    list still holds five dates that take place."""
    dates = page(site, "de").xpath("//ul[@class='ww-events']/li")
    cancelled = [d for d in dates if "ww-event--cancelled" in d.get("class")]
    assert [text(d.xpath("p[@class='ww-event__when']")[0]) for d in cancelled] == [
        "Dienstag, 8. Dezember 2026, 10:00–12:00 Fällt aus"]
    assert cancelled[0].xpath("p[@class='ww-event__title']/del/text()") == ["Offene Beratung"]
    # its day and time struck through too, as on the flyer
    assert [text(d) for d in cancelled[0].xpath("p[@class='ww-event__when']/del")] == [
        "Dienstag, 8. Dezember 2026, 10:00–12:00"]
    assert len(dates) - len(cancelled) == 5


def test_dates_and_times_are_joined_as_the_language_joins_them(site: Path) -> None:
    """CLDR's patterns, not a Latin comma: Arabic joins a date and its time with "، " and
    lists times with "و"."""
    when = text(page(site, "ar").xpath("//p[@class='ww-event__when']")[0])
    assert when == "الثلاثاء، 1 ديسمبر 2026، 10:00 ص–12:00 م"
    [thursday] = page(site, "ar", "anlaufstellen/ki").xpath("//tr[td][2]/td")
    assert text(thursday) == "9:00 ص–12:00 م و2:00 م–6:30 م"
    [german] = page(site, "de", "anlaufstellen/ki").xpath("//tr[td][2]/td")
    assert text(german) == "09:00–12:00 und 14:00–18:30"


def test_rtl_isolates_phone_numbers_and_names_languages_in_arabic(site: Path) -> None:
    doc = page(site, "ar", "anlaufstellen/ki")
    phone = doc.xpath("//a[@href='tel:+49123456005']/bdi")[0]
    assert phone.get("dir") == "ltr" and phone.text == "0123 456-005"
    email = doc.xpath("//a[starts-with(@href, 'mailto:')]/bdi")[0]
    assert email.get("dir") == "ltr"
    assert "الإنجليزية" in text(doc)  # English, named in Arabic
    assert doc.xpath("//address")[0].get("dir") == "ltr"  # a German postal address
    # a phone number inside running text is isolated too (here: registration notes)
    offer = page(site, "ar", "angebote/familienberatung")
    assert offer.xpath("//dd//bdi[@dir='ltr'][@class='ww-tel'][. = '0123 456-005']")
    assert not page(site, "de", "angebote/familienberatung").xpath(
        "//dd[contains(., 'Telefonisch')]//bdi")
    # untranslated German keeps its own direction inside the right-to-left page
    assert doc.xpath("//h1/span[@lang='de']")[0].get("dir") == "ltr"


def test_untranslated_text_is_marked_german_with_a_note(site: Path) -> None:
    doc = page(site, "en", "angebote/sprachcafe")
    assert doc.xpath("//h1/span[@lang='de']/text()") == ["Sprachcafé"]
    assert doc.xpath("//div[@lang='de']//p[contains(., 'Jeden Dienstag')]")
    assert doc.xpath("//p[@class='ww-untranslated']")
    assert not page(site, "de", "angebote/sprachcafe").xpath("//p[@class='ww-untranslated']")


def test_the_home_pages_dates_are_marked_german_where_they_fall_back(site: Path) -> None:
    """The dates are written into the home page after mkdocs (site/build.py, date_home),
    marked as on any page; no mark of mkdocs' build is left."""
    titles = "//ul[@class='ww-events']//p[@class='ww-event__title']"
    arabic = page(site, "ar").xpath(titles)
    # the title in <strong>, or in <del> on a cancelled date
    assert arabic and all(t.xpath("*/span[@lang='de'][@dir='ltr']") for t in arabic)
    assert not page(site, "de").xpath(titles + "//span")
    for home in site.glob("*/index.html"):
        assert "<!-- wegweiser:" not in home.read_text(encoding="utf-8"), home


def test_the_home_page_leaves_the_note_to_its_dates_if_only_they_fall_back(
        site: Path) -> None:
    """mkdocs builds a home page whose own texts are translated with a mark where the note
    on untranslated parts goes; the day's dates fill it in if one of them fell back."""
    root = site.parent
    content = load_content(root, date.fromisoformat(TODAY), Problems())
    assert content is not None
    german, arabic = (writer(content, root, code) for code in ("de", "ar"))
    home = PageSpec(paths.source(""), HOME)
    assert UNTRANSLATED_MARK in german.render(home)
    assert german.home_day()[UNTRANSLATED_MARK] == ""
    assert UNTRANSLATED_MARK not in arabic.render(home)  # its own texts need the note
    assert 'class="ww-untranslated"' in arabic.home_day()[UNTRANSLATED_MARK]


def writer(content: Content, root: Path, code: str) -> PageWriter:
    loc = Localisation.load(root, content.settings, content.settings.language(code))
    return PageWriter(content, loc, f"https://example.org/{code}/", root)


def test_the_open_data_page_marks_its_german_fallbacks(site: Path) -> None:
    """Tigrinya has no interface catalog: the open-data page's own texts are German, each
    marked lang="de" in the built page (headings, paragraphs, list items, table cells), and
    the page says it is partly untranslated."""
    doc = page(site, "ti", "offene-daten")
    article = doc.xpath("//article")[0]
    assert article.xpath("h1/span[@lang='de']/text()") == ["Offene Daten"]
    blocks = article.xpath("h2 | p | ul/li | table//th | table//td[2]")
    assert len(blocks) > 25
    for block in blocks:
        assert block.xpath("span[@lang='de']"), lxml.html.tostring(block, encoding=str)
    assert article.xpath("p[@class='ww-untranslated']/span[@lang='de']")
    # the Arabic page marks German with its direction; the German page marks nothing
    marked = page(site, "ar", "offene-daten").xpath("//article//span[@lang='de']")
    assert marked and all(s.get("dir") == "ltr" for s in marked)
    german = page(site, "de", "offene-daten").xpath("//article")[0]
    assert not german.xpath(".//p[@class='ww-untranslated']")
    assert german.xpath(".//span[@lang='de']") == german.xpath(".//td[2]/span[@lang='de']")


def test_offer_list_is_complete_and_grouped_without_javascript(site: Path) -> None:
    doc = page(site, "de", "angebote")
    groups = {s.xpath("h2/@id")[0]: s.xpath(".//li[@class='ww-offer']/@data-category")
              for s in doc.xpath("//section[@data-ww-group]")}
    assert groups == {"sprache": ["sprache"] * 2, "beratung": ["beratung"]}
    form = doc.xpath("//form[@data-ww-filter]")[0]
    assert form.get("hidden") is not None  # shown by the script only
    item = doc.xpath("//li[@data-category='sprache']")[0]
    assert item.get("data-languages") == "de en" and item.get("data-district") == "Mitte"
    assert "filter.js" in " ".join(doc.xpath("//script/@src"))


def test_footer_links_legal_pages_on_every_page(site: Path) -> None:
    for lang in ("de", "ar", "ti"):
        for path in html_pages(site, lang) + [site / lang / "404.html"]:
            doc = lxml.html.fromstring(path.read_bytes())
            footer = doc.xpath("//footer//nav//a")
            labels = [text(a) for a in footer]
            assert "Erklärung zur Barrierefreiheit" in labels and "Impressum" in labels, path


def test_theme_defects_are_fixed(site: Path) -> None:
    for path in html_pages(site, "de")[:5] + html_pages(site, "ar")[:5]:
        html = path.read_text()
        doc = lxml.html.fromstring(html)
        assert not doc.xpath("//input[@type='checkbox'][@autocomplete]"), path
        assert not re.search(r'tabindex=""', html), path
        assert doc.xpath("//div[@role='dialog'][@data-md-component='search']/@aria-label")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        assert "Made with" not in html


def test_no_resource_is_loaded_from_another_host(site: Path) -> None:
    result = crawl(site, BASE)
    loaded = {h for h in result.external if not h.startswith("a:")}
    assert loaded == set()
    css = (site / "de" / "assets" / "wegweiser" / "site.css").read_text()
    fonts = re.findall(r"url\('([^']+)'\)", css)
    assert fonts and all(f.startswith("../../../assets/fonts/") for f in fonts)
    assert all((site / "de" / "assets" / "wegweiser" / f).resolve().is_file() for f in fonts)


def test_no_broken_internal_links_or_anchors(site: Path) -> None:
    result = crawl(site, BASE)
    assert result.pages > 60 and result.links > 1000
    assert result.broken == []


def test_search_index_holds_words_of_every_language(site: Path) -> None:
    words = {"fa": "سه‌شنبه", "uk": "вівторок", "ar": "الثلاثاء", "ti": "ሰሉስ"}  # Tuesday
    for lang, word in words.items():
        index = json.loads((site / lang / "search" / "search_index.json").read_text())
        assert any(word in doc["text"] for doc in index["docs"]), lang
    fa = json.loads((site / "fa" / "search" / "search_index.json").read_text())["config"]
    assert "trimmer" not in fa["pipeline"]  # lunr's trimmer would strip Persian letters


def test_a_changed_theme_template_stops_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from wegweiser.site import theme

    monkeypatch.setitem(theme.DERIVED, "base.html", (("<no such markup>", ""),))
    with pytest.raises(RuntimeError, match="base.html changed; cannot apply: <no such markup>"):
        theme.derived_template("base.html")


def test_filter_options_hold_no_markup_and_mark_german_fallbacks(site: Path) -> None:
    """An <option> can hold only text (a <span lang> in it is invalid HTML): a German
    fallback (this fixture has no catalogs of its content; ti and ckb have no interface
    catalog) is marked on the option itself."""
    for lang in LANGUAGES:
        form = page(site, lang, "angebote").xpath("//form[@data-ww-filter]")[0]
        options = form.xpath(".//option")
        assert len(options) >= 8 and all(len(o) == 0 for o in options), lang  # text only
        fallback = None if lang == "de" else "de"
        everything = form.xpath(".//option[@value='']")  # "alle": the package translates it
        assert len(everything) == 4
        assert all((o.get("lang") == "de") == (lang != "de" and text(o) == "alle")
                   for o in everything), lang
        assert [o.get("lang") for o in
                form.xpath("//select[@id='ww-f-category']/option[@value!='']")] == [fallback] * 2
        # language names come from CLDR in the reader's language: no German fallback
        assert all(o.get("lang") in (None, lang)
                   for o in form.xpath("//select[@id='ww-f-language']/option[@value!='']"))


def test_sorani_gets_the_themes_own_strings(site: Path) -> None:
    """mkdocs-material files Sorani (ckb) as ku-IQ: its strings are used, under our tag."""
    html = page(site, "ckb", "angebote")
    assert (html.get("lang"), html.get("dir")) == ("ckb", "rtl")
    assert html.xpath("//input[@name='query']/@placeholder") == ["گەڕان"]
    assert html.xpath("//input[@name='query']/@aria-label") == ["گەڕان"]


def test_counts_are_in_the_languages_digits(site: Path) -> None:
    """The programme's "(n Termine)" per month (as the home page's "offers in your
    language (n)") in Persian digits on the Persian pages, as every other number there."""
    months = page(site, "fa", "programm").xpath("//article//li[a[contains(@href, '/20')]]")
    counts = [re.search(r"\((\S+) ", li.text_content())[1] for li in months]
    assert counts and all(c.isdigit() and all("۰" <= d <= "۹" for d in c) for c in counts)
