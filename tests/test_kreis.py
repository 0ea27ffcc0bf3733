"""A second KI, a Kreis, built end to end: what issue 17 found a second KI running into.

The fixture is the Rheinisch-Bergischer Kreis: its districts are towns, its programme runs
in offices in two towns, and English translates its settings while Arabic does not. Beside
German, English and Arabic it publishes Sorani (ckb, right to left, named as the KI names
it rather than as CLDR does) and Kurmanji (kmr, which CLDR does not name); an offer and a
date are also in Dari (prs), a language CLDR does not know. Its translations are written
by `build.py translations` (content texts only), then the whole build runs once; the
website, the calendars, the brochures and the flyers are read back.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from conftest import MINIMAL, REPO, actual_texts, run_build, write_files
from icalendar import Calendar

from wegweiser.content.tree import load_content
from wegweiser.pdf import brochure
from wegweiser.problems import Problems

pytestmark = pytest.mark.slow

AREA = "Rheinisch-Bergischer Kreis"
AREA_IN = "im Rheinisch-Bergischen Kreis"
PROGRAMME = "Programm der Integrationsbüros"
PROGRAMME_IN = "in den Integrationsbüros in Bergisch Gladbach und Wermelskirchen"
DISTRICT = "Stadt oder Gemeinde"
SORANI = "کوردیی ناوەندی"  # Sorani in its own script
# What a city's wording would have put there.
CITY_WORDING = ("Service-Point", "Stadtteil", "der Stadt", f"in {AREA}")

SITE = f"""\
    name: Kommunales Integrationszentrum Rheinisch-Bergischer Kreis
    short_name: KI RBK
    organisation: {AREA}
    city: {AREA}
    base_url: https://integration.rbk.example/
    contact: ki
    service_point: buero-gl
    area:
      kind: Kreis
      where: {AREA_IN}
      district_label: {DISTRICT}
    programme:
      name: {PROGRAMME}
      where: {PROGRAMME_IN}
    languages:
      - {{code: de, name: Deutsch}}
      - {{code: en, name: English}}
      - {{code: ar, name: العربية, dir: rtl}}
      - {{code: ckb, name: {SORANI}, dir: rtl, names: {{de: Sorani, en: Sorani}}}}
      - {{code: kmr, name: Kurmancî, names: {{de: Kurmandschi, en: Kurmanji}}}}
    categories:
      - {{id: sprache, name: Sprache, icon: material/translate}}
      - {{id: beratung, name: Beratung, icon: material/account-voice}}
    audiences:
      - {{id: erwachsene, name: Erwachsene}}
      - {{id: familien, name: Familien}}
    districts: [Bergisch Gladbach, Wermelskirchen]
    brochure:
      edition: 2026-11
      publisher: {AREA}, Der Landrat
      publisher_address: {{street: Am Rübezahlwald 7, postcode: 51469, city: Bergisch Gladbach}}
      responsible: Maria Muster, Leitung des Kommunalen Integrationszentrums
      printer: Druckhaus Muster, Musterweg 1, 51469 Bergisch Gladbach
      print_run: 2500
    """

OFFICE = """\
    name: Integrationsbüro Bergisch Gladbach
    organisation: Rheinisch-Bergischer Kreis
    address: {street: Am Rübezahlwald 7, postcode: 51469, city: Bergisch Gladbach,
              district: Bergisch Gladbach}
    website: https://integration.rbk.example/buero
    phones:
      - {number: 02202 13-9999, label: Zentrale}
    email: buero@rbk.example
    opening_hours:
      by_appointment: true
    last_reviewed: 2026-10-01
    example_values: [address, phones, email]
    """
# Not confirmed: no machine reads these as facts (JSON-LD, calendar LOCATION).
EXAMPLES = ("Am Rübezahlwald 7", "02202 13-9999", "buero@rbk.example")

# The English catalog translates the settings; the Arabic site has none and shows German.
ENGLISH = f"""\
    msgid ""
    msgstr ""
    "Language: en\\n"
    "Content-Type: text/plain; charset=UTF-8\\n"

    msgctxt "site#area.where"
    msgid "{AREA_IN}"
    msgstr "in the Rheinisch-Bergischer Kreis district"

    msgctxt "site#area.district_label"
    msgid "{DISTRICT}"
    msgstr "Town"

    msgctxt "site#programme.name"
    msgid "{PROGRAMME}"
    msgstr "Programme of the integration offices"

    msgctxt "site#programme.where"
    msgid "{PROGRAMME_IN}"
    msgstr "at the integration offices in Bergisch Gladbach and Wermelskirchen"
    """


def fixture_files() -> dict[str, str]:
    files = {name: textwrap.dedent(text) for name, text in MINIMAL.items()}
    del files["content/contacts/service-point.yml"]
    files["content/site.yml"] = textwrap.dedent(SITE)
    files["content/contacts/buero-gl.yml"] = textwrap.dedent(OFFICE)
    files["content/contacts/ki.yml"] = files["content/contacts/ki.yml"].replace(
        "organisation: Stadt Musterstadt", f"organisation: {AREA}").replace(
        "{street: Marktplatz 1, postcode: 01067, city: Musterstadt, district: Mitte}",
        "{street: Hauptstraße 1, postcode: 42929, city: Wermelskirchen, district: Dabringhausen}")
    for name in ("offers/sprachcafe.yml", "content/programme/2026-12.yml"):
        files[name] = files[name].replace("service-point", "buero-gl").replace(
            "district: Mitte", "district: Bergisch Gladbach")
    files["offers/sprachcafe.yml"] = files["offers/sprachcafe.yml"].replace(
        "languages: [de, en]", f"languages: {KURDISH_AND_DARI}")
    files["content/programme/2026-12.yml"] = files["content/programme/2026-12.yml"].replace(
        "languages: [de]", f"languages: {KURDISH_AND_DARI}")
    files["translations/en.po"] = textwrap.dedent(ENGLISH) + OBSOLETE
    # a catalog of the shipped content, of a language this KI does not publish
    files["translations/tr.po"] = 'msgid ""\nmsgstr ""\n"Language: tr\\n"\n'
    return files


KURDISH_AND_DARI = "[de, ckb, kmr, prs]"
# An entry of the content another KI's catalog came with: obsolete here.
OBSOLETE = """
#~ msgctxt "offer/sprachcafe-wiesdorf#title"
#~ msgid "Sprachcafé Wiesdorf"
#~ msgstr "Language café Wiesdorf"
"""


@dataclass(frozen=True)
class Run:
    """The fixture KI after `translations --drop-obsolete` and `build`, with their output."""

    root: Path
    translations: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def kreis(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("kreis")
    write_files(root, fixture_files())
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    translations = run_build(root, "translations", "--drop-obsolete")
    assert translations.returncode == 0, translations.stdout + translations.stderr
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return Run(root, translations, result)


@pytest.fixture(scope="module")
def site(kreis: Run) -> Path:
    return kreis.root / "site"


def page(site: Path, lang: str, path: str = "") -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / lang / path / "index.html").read_bytes())


def text(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def article(site: Path, lang: str, path: str = "") -> str:
    return text(page(site, lang, path).xpath("//article")[0])


def description(site: Path, lang: str, path: str = "") -> str:
    return page(site, lang, path).xpath("//meta[@name='description']/@content")[0]


def pdf_text(path: Path) -> str:
    """The brochure's words in reading order, without hyphens: a line may end at the
    hyphen of "Rheinisch-Bergischen" as well as at one the typesetter put in."""
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return unhyphenated(raw)


def unhyphenated(text: str) -> str:
    return re.sub(r"-\s*", "", " ".join(text.split()))


def test_no_page_speaks_of_a_city(site: Path) -> None:
    pages = [p for lang in ("de", "en", "ar") for p in (site / lang).rglob("index.html")]
    assert len(pages) > 10
    for path in pages:
        doc = lxml.html.fromstring(path.read_bytes())
        shown = text(doc) + " " + " ".join(doc.xpath("//meta/@content | //title/text()"))
        for wording in CITY_WORDING:
            assert wording not in shown, (path, wording)


def test_the_programme_is_named_as_configured(site: Path) -> None:
    home = page(site, "de")
    headings = [text(h) for h in home.xpath("//article//h2")]
    assert f"Nächste Termine {PROGRAMME_IN}" in headings
    assert text(page(site, "de", "programm").xpath("//article//h1")[0]) == PROGRAMME
    assert page(site, "de", "programm").xpath("//title/text()")[0].startswith(PROGRAMME)
    assert description(site, "de", "programm") == (
        f"Offene Sprechstunden und Veranstaltungen {PROGRAMME_IN}, Monat für Monat.")
    assert description(site, "de", "programm/2026-12") == (
        f"Termine {PROGRAMME_IN} im Dezember 2026")


def test_english_pages_take_the_translated_settings(site: Path) -> None:
    headings = [text(h) for h in page(site, "en").xpath("//article//h2")]
    assert "Upcoming events at the integration offices in Bergisch Gladbach and" \
        " Wermelskirchen" in headings
    programme = page(site, "en", "programm")
    assert text(programme.xpath("//article//h1")[0]) == "Programme of the integration offices"
    label = page(site, "en", "angebote").xpath("//label[@for='ww-f-district']")[0]
    assert text(label) == "Town"


def test_a_setting_not_yet_translated_is_marked_german_inside_the_sentence(site: Path) -> None:
    home = page(site, "ar")
    [heading] = [h for h in home.xpath("//article//h2") if PROGRAMME_IN in text(h)]
    assert text(heading).startswith("المواعيد القادمة")  # the sentence is Arabic
    [german] = heading.xpath(".//*[@lang='de']")
    assert text(german) == PROGRAMME_IN


def test_districts_are_towns(site: Path) -> None:
    label = page(site, "de", "angebote").xpath("//label[@for='ww-f-district']")[0]
    assert text(label) == DISTRICT
    offer = page(site, "de", "angebote/sprachcafe")
    terms = {text(dt): text(dt.getnext()) for dt in offer.xpath("//article//dt")}
    assert terms[DISTRICT] == "Bergisch Gladbach"
    # the town is not repeated as its district; a district that is not the town is shown
    office = article(site, "de", "anlaufstellen/buero-gl")
    assert "51469 Bergisch Gladbach" in office and "(Bergisch Gladbach)" not in office
    assert "42929 Wermelskirchen (Dabringhausen)" in article(site, "de", "anlaufstellen/ki")


def test_structured_data_serves_an_administrative_area(site: Path) -> None:
    doc = page(site, "de", "angebote/sprachcafe")
    [service] = [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]
    assert service["areaServed"] == {"@type": "AdministrativeArea", "name": AREA}


def test_calendars_name_the_programme(site: Path) -> None:
    german = Calendar.from_ical((site / "programme.ics").read_bytes())
    english = Calendar.from_ical((site / "en" / "programme.ics").read_bytes())
    for calendar in (german, english):
        assert "Service-Point" not in str(calendar["PRODID"])
    assert str(german["X-WR-CALNAME"]) == PROGRAMME
    assert str(english["X-WR-CALNAME"]) == "Programme of the integration offices"


def notes_text(root: Path, code: str) -> str:
    """The text of the notes pages a brochure gets where its pages do not fill the last
    sheet (a brochure whose page count is a multiple of 4 prints none)."""
    content = load_content(root, date(2026, 12, 7), Problems())
    view = brochure.Brochure.prepare(content, root, content.settings.language(code))
    return text(lxml.html.fromstring(brochure.render_template(view, "notes.html.j2")))


def test_brochure_names_the_kreis_with_its_article(kreis: Run, site: Path) -> None:
    german = pdf_text(site / "downloads" / "wegweiser-de.pdf")
    english = pdf_text(site / "downloads" / "wegweiser-en.pdf")
    for expected, found in (
        (f"Wegweiser Integration {AREA_IN}", german),  # the cover: no title configured
        (f"Angebote für Zugewanderte {AREA_IN} vor", german),
        (f"{PROGRAMME}, jeden Monat neu:", notes_text(kreis.root, "de")),
        ("Guide to Integration in the Rheinisch-Bergischer Kreis district", english),
        ("services for immigrants in the Rheinisch-Bergischer Kreis district", english),
        ("Programme of the integration offices, new every month:", notes_text(kreis.root, "en")),
    ):
        assert unhyphenated(expected) in found, expected
    for wording in CITY_WORDING:
        assert unhyphenated(wording) not in german + english, wording


# --- 3: one name for each language, everywhere

def test_each_language_has_one_name_in_switcher_offer_brochure_and_flyer(site: Path) -> None:
    switcher = {a.get("hreflang"): text(a) for a in page(site, "de").xpath("//a[@hreflang]")}
    assert switcher["ckb"] == SORANI and switcher["kmr"] == "Kurmancî"  # their own names
    # a German reader reads the names site.yml gives for German; prs, which nobody named
    # and CLDR does not know, is its code, and naming it breaks nothing
    offer = page(site, "de", "angebote/sprachcafe")
    [languages] = [text(dd) for dd in offer.xpath("//article//dd") if "Sorani" in text(dd)]
    assert re.fullmatch(r"Deutsch\W+Sorani\W+Kurmandschi\W+prs", languages), languages
    brochure = pdf_text(site / "downloads" / "wegweiser-de.pdf")
    assert "Deutsch, Sorani, Kurmandschi und prs" in brochure  # the offer's languages
    assert unhyphenated("German, Sorani, Kurmanji, and prs") in pdf_text(
        site / "downloads" / "wegweiser-en.pdf")
    flyer = site / "downloads" / "programm-2026-12-de.pdf"
    assert "Kurmancî · prs" in pdf_text(flyer) and SORANI in actual_texts(flyer)
    for pdf in (site / "downloads").glob("*.pdf"):
        shown = pdf_text(pdf)
        for wrong in ("Türkei", "Turkey", "Tirkîye", "Zentralkurdisch", "Central Kurdish"):
            assert wrong not in shown, (pdf.name, wrong)
    for path in (site / "de").rglob("index.html"):
        assert "Zentralkurdisch" not in path.read_text(encoding="utf-8"), path


# --- 4: the KI's catalogs hold its content; the interface texts come with Wegweiser

def test_translations_holds_the_content_texts_only(kreis: Run) -> None:
    folder = kreis.root / "translations"
    assert sorted(p.name for p in folder.glob("*.po*")) == [
        "ar.po", "ckb.po", "en.po", "kmr.po", "messages.pot", "tr.po"]
    for name in ("messages.pot", "en.po", "ckb.po"):
        catalog = (folder / name).read_text(encoding="utf-8")
        assert 'msgctxt "ui"' not in catalog and "Öffnungszeiten" not in catalog, name
    # the shipped interface catalogs cover en and ar; the two Kurdish ones are the KI's own
    assert sorted(p.name for p in (folder / "interface").iterdir()) == ["ckb.po", "kmr.po"]
    assert 'msgid "Öffnungszeiten"' in (folder / "interface" / "ckb.po").read_text("utf-8")
    # --drop-obsolete removed the other KI's entry; a catalog of a language not configured
    # is named and left alone
    assert "Wiesdorf" not in (folder / "en.po").read_text(encoding="utf-8")
    assert "translations/tr.po: not used, tr is not a language of content/site.yml" \
        in kreis.translations.stdout


# --- 5: values marked as examples are not published to machines

def test_example_values_reach_no_machine(site: Path) -> None:
    for lang in ("de", "en"):
        for path in ("angebote/sprachcafe", "anlaufstellen/buero-gl"):
            for script in page(site, lang, path).xpath(
                    "//script[@type='application/ld+json']/text()"):
                for example in EXAMPLES:
                    assert example not in script, (lang, path, example)
        calendar = Calendar.from_ical((site / lang / "programme.ics").read_bytes())
        locations = [str(e["LOCATION"]) for e in calendar.walk("VEVENT")]
        assert locations and all(loc == "Integrationsbüro Bergisch Gladbach"
                                 for loc in locations), locations
    # the website shows them, marked as examples
    assert "Am Rübezahlwald 7" in article(site, "de", "anlaufstellen/buero-gl")


# --- 8: check names what a KI gets wrong, with file and line

def test_check_finds_what_a_kreis_gets_wrong(tmp_path: Path) -> None:
    files = fixture_files()
    files["content/site.yml"] = textwrap.dedent(SITE).replace(", dir: rtl, names:", ", names:") \
        .replace("icon: material/account-voice", "icon: material/account-voices")
    files["content/contacts/neu.yml"] = textwrap.dedent("""\
        name: Neue Anlaufstelle
        address: {street: Musterweg 1, postcode: "00000", city: Bergisch Gladbach}
        email: bitte-eintragen@example.org
        organisation: Rheinisch-Bergischer Kreis
        opening_hours: {by_appointment: true}
        last_reviewed: 2026-10-01
        """)
    files["content/contacts/buero-gl.yml"] = textwrap.dedent(OFFICE).replace(
        "  by_appointment: true\n",
        "  by_appointment: true\n  exceptions:\n"
        "    - {from: 2026-12-01, until: 2026-12-04, closed: true}\n")
    write_files(tmp_path, files)
    result = run_build(tmp_path, "check")
    lines = result.stdout.splitlines()

    def message(start: str, words: str) -> str:
        found = [line for line in lines if line.startswith(start) and words in line]
        assert found, (start, words, result.stdout)
        return found[0]

    message("content/site.yml:19:", "ckb")  # the language's line: right to left, no dir
    message("content/site.yml:", "account-voices")
    message("content/contacts/neu.yml:2:", "00000")
    message("content/contacts/neu.yml:3:", "bitte-eintragen@example.org")
    message("content/programme/2026-12.yml:3:", "on 2026-12-03: buero-gl is closed that day")
    for line in lines[:-2]:  # then the count and the summary
        assert re.match(r"[\w/.-]+\.yml:\d+:\d+: (error|warning): ", line), line


# --- 9: one language per message; one coverage figure

def test_build_speaks_one_language(kreis: Run, tmp_path: Path) -> None:
    english = kreis.build.stdout
    assert "Website: 5 of 5 languages built by mkdocs." in english
    assert "Brochures: 5 languages rendered" in english
    for german in ("Warnung", "Broschüre", "Sprachen", "erstellt"):
        assert german not in english, german
    german = run_build(kreis.root, "--messages", "de", "build", "--out",
                       str(tmp_path / "site")).stdout
    # the second build takes the pages and PDFs from the first one's cache
    assert re.search(r"^Website: \d von 5 Sprachen mit mkdocs erstellt\.$", german, re.MULTILINE)
    assert "0 Fehler und 1 Warnung in 1 Datei" in german
    assert re.search(r" erstellt: 8 Dateien gelesen, 72 Seiten, 1 Warnung, ", german), german
    for english_word in ("warning", "languages built", "rendered", "pages,", "Built "):
        assert english_word not in german, english_word
    # the stages by their German names, also those taken from the cache
    stages = re.search(r"^Zeit je Schritt: (.*)$", german, re.MULTILINE)[1]
    assert [part.rsplit(" ", 2)[0] for part in stages.split(", ")] == [
        "Inhalt", "Website", "Broschüren", "Flyer", "Formular-Editor", "offene Daten",
        "Kalender", "Bericht", "Übersetzungsstand"]
    assert re.search(r"^Unverändert, aus dem Zwischenspeicher: Broschüren, Flyer, ", german,
                     re.MULTILINE), german
    english_stages = re.search(r"^Time per stage: (.*)$", english, re.MULTILINE)[1]
    assert english_stages.startswith("content ") and ", brochures " in english_stages


def test_report_and_status_give_the_same_coverage(kreis: Run) -> None:
    status = run_build(kreis.root, "translations", "--status").stdout
    report = run_build(kreis.root, "report").stdout
    published = json.loads((kreis.root / "site" / "translations.json").read_text("utf-8"))
    for code in ("en", "ar", "ckb"):
        percent = published[code]["percent"]
        assert re.search(rf"^{code} .*\s{percent:.1f}%$", status, re.MULTILINE), (code, status)
        assert re.search(rf"^\s+{code} .*: {percent:.1f} %", report, re.MULTILINE), (code, report)


# --- 10: an untranslated interface text inside an element without markup

def test_an_option_is_marked_german_on_itself(site: Path) -> None:
    """ckb has no interface catalog yet: the filters' "alle" is German, marked on the
    <option>, which cannot hold a <span>."""
    html = (site / "ckb" / "angebote" / "index.html").read_text(encoding="utf-8")
    assert '<option value="" lang="de" dir="ltr">alle</option>' in html
    for option in page(site, "ckb", "angebote").xpath("//option"):
        assert len(option) == 0, lxml.html.tostring(option)


# 1 and 2: the tests above. 6: tests/editors/test_editor_schemas.py (schemas' examples from
# the KI's content). 7: tests/pdf/test_flyer.py (a long month on one page, or a warning).
# 11: tests/test_setup.py::test_a_changed_lock_installs_again (what is installed is known
# by the lock's content, not by its time).
