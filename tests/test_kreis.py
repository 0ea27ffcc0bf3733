"""A Kreis, not a city: the area and the programme are named as site.yml says, everywhere.

The fixture is the Rheinisch-Bergischer Kreis: its districts are towns, its programme runs
in offices in two towns, and English translates its settings while Arabic does not. The
whole build runs once; the website, the calendars and the brochure are read back.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import lxml.html
import pytest
from conftest import MINIMAL, REPO, run_build, write_files
from icalendar import Calendar

pytestmark = pytest.mark.slow

AREA = "Rheinisch-Bergischer Kreis"
AREA_IN = "im Rheinisch-Bergischen Kreis"
PROGRAMME = "Programm der Integrationsbüros"
PROGRAMME_IN = "in den Integrationsbüros in Bergisch Gladbach und Wermelskirchen"
DISTRICT = "Stadt oder Gemeinde"
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
    opening_hours:
      by_appointment: true
    last_reviewed: 2026-10-01
    """

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
    files["translations/en.po"] = textwrap.dedent(ENGLISH)
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kreis")
    write_files(root, fixture_files())
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


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


def test_brochure_names_the_kreis_with_its_article(site: Path) -> None:
    german = pdf_text(site / "downloads" / "wegweiser-de.pdf")
    english = pdf_text(site / "downloads" / "wegweiser-en.pdf")
    for expected, found in (
        (f"Wegweiser Integration {AREA_IN}", german),  # the cover: no title configured
        (f"Angebote für Zugewanderte {AREA_IN} vor", german),
        (f"{PROGRAMME}, jeden Monat neu:", german),
        ("Guide to Integration in the Rheinisch-Bergischer Kreis district", english),
        ("services for immigrants in the Rheinisch-Bergischer Kreis district", english),
        ("Programme of the integration offices, new every month:", english),
    ):
        assert unhyphenated(expected) in found, expected
    for wording in CITY_WORDING:
        assert unhyphenated(wording) not in german + english, wording
