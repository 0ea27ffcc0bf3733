"""The open-data export: HSDS 3.0 JSON validated against exports/hsds/, CSV tables, programme."""

from __future__ import annotations

import csv
import json
import textwrap
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from conftest import TODAY, run_build, write_files
from referencing import Registry, Resource

from wegweiser.content.tree import load_content
from wegweiser.exports import opendata
from wegweiser.i18n.localisation import Localisation
from wegweiser.model import Content
from wegweiser.pipeline import site_facts
from wegweiser.problems import Problems
from wegweiser.site.pages import OPEN_DATA, PageWriter, plan_pages

SCHEMAS = Path(__file__).parent / "hsds"
BASE = "https://hsds.schema.test/"


def load(root: Path, today: str = TODAY) -> Content:
    problems = Problems()
    content = load_content(root, date.fromisoformat(today), problems)
    assert content is not None, problems.report("text")
    return content


def export(root: Path, out: Path, today: str = TODAY) -> Path:
    opendata.write_data(load(root, today), root, out)
    return out


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def validator(name: str) -> jsonschema.Draft202012Validator:
    resources = [(f"{BASE}{p.name}", Resource.from_contents(json.loads(p.read_text())))
                 for p in SCHEMAS.glob("*.json")]
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return jsonschema.Draft202012Validator(schema, registry=registry,
                                           format_checker=jsonschema.FormatChecker())


def assert_valid(name: str, instance: object) -> None:
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def data(minimal_project: Path, tmp_path: Path) -> Path:
    return export(minimal_project, tmp_path / "data")


def test_every_language_validates_against_the_hsds_schema(data: Path) -> None:
    for lang in ("de", "en", "ar"):
        services = read(data / "hsds" / lang / "services.json")
        organizations = read(data / "hsds" / lang / "organizations.json")
        assert_valid("page", services)
        assert_valid("page", organizations)
        assert services["total_items"] == len(services["contents"]) == 2
        for service in services["contents"]:
            assert_valid("service", service)
        for organization in organizations["contents"]:
            assert_valid("organization", organization)


def test_the_schema_rejects_what_hsds_forbids(data: Path) -> None:
    """The test schema is strict enough to fail: a wrong status, a non-UUID id, a null."""
    service = read(data / "hsds" / "de" / "services.json")["contents"][0]
    for change in ({"status": "open"}, {"id": "sprachcafe"}, {"url": None},
                   {"opening_hours": "Di 18:30"}):
        with pytest.raises(jsonschema.ValidationError):
            validator("service").validate({**service, **change})


def test_offers_map_to_services(data: Path) -> None:
    services = {s["name"]: s for s in read(data / "hsds" / "de" / "services.json")["contents"]}
    cafe = services["Sprachcafé"]
    assert cafe["status"] == "active"
    assert cafe["url"] == "https://integration.musterstadt.example/de/angebote/sprachcafe/"
    assert cafe["email"] == "ki@musterstadt.example"  # from the provider, the place has none
    assert cafe["assured_date"] == "2026-09-01"
    assert cafe["fees_description"] == "Kostenlos."
    assert cafe["application_process"] == "Ohne Anmeldung."
    assert cafe["description"].startswith("Deutsch sprechen in entspannter Runde.\n\nJeden")
    assert [(lang["code"], lang["name"]) for lang in cafe["languages"]] == [
        ("de", "Deutsch"), ("en", "Englisch")]
    assert cafe["organization"]["name"] == "Stadt Musterstadt"
    assert cafe["organization_id"] == cafe["organization"]["id"]
    terms = {a["link_type"]: a["taxonomy_term"]["code"] for a in cafe["attributes"]}
    assert terms == {"category": "sprache", "audience": "erwachsene"}
    paid = services["Familienberatung"]
    assert paid["fees_description"] == "5 Euro pro Termin"
    assert paid["application_process"] == "Anmeldung erforderlich. Telefonisch unter 0123 456-005."


def test_places_and_contacts_become_service_at_locations(data: Path) -> None:
    cafe = next(s for s in read(data / "hsds" / "de" / "services.json")["contents"]
                if s["name"] == "Sprachcafé")
    at = {sal["location"]["name"]: sal for sal in cafe["service_at_locations"]}
    assert set(at) == {"Kommunales Integrationszentrum", "Service-Point"}
    place = at["Service-Point"]
    assert place["description"] == "Veranstaltungsort"
    assert [(s["freq"], s["byday"], s["opens_at"], s["closes_at"]) for s in place["schedules"]] \
        == [("WEEKLY", "TU", "18:30", "20:00")]
    ki = at["Kommunales Integrationszentrum"]["location"]
    assert ki["addresses"] == [{
        "id": ki["addresses"][0]["id"], "address_1": "Marktplatz 1", "city": "Musterstadt",
        "region": "Mitte", "state_province": "Nordrhein-Westfalen", "postal_code": "01067",
        "country": "DE", "address_type": "physical"}]
    assert [(p["number"], p.get("description")) for p in ki["phones"]] == [
        ("0123 456-005", "Zentrale")]
    hours = [(s["byday"], s["opens_at"], s["closes_at"]) for s in ki["schedules"]]
    assert hours == [("MO,TH", "09:00", "12:00"), ("TH", "14:00", "18:30")]
    by_appointment = at["Service-Point"]["location"]["schedules"]
    assert [s["description"] for s in by_appointment] == ["Termine nach Vereinbarung"]


def test_ids_are_stable_across_builds_and_languages(minimal_project: Path, tmp_path: Path) -> None:
    first = export(minimal_project, tmp_path / "one")
    second = export(minimal_project, tmp_path / "two")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(second) for p in second.rglob("*")
                                     if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    ids = {lang: [s["id"] for s in read(first / "hsds" / lang / "services.json")["contents"]]
           for lang in ("de", "en", "ar")}
    assert ids["de"] == ids["en"] == ids["ar"]
    # a changed text keeps the id: it names the offer, not its wording
    offer = minimal_project / "offers" / "sprachcafe.yml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("Sprachcafé", "Sprachtreff"),
                     encoding="utf-8")
    third = export(minimal_project, tmp_path / "three")
    renamed = read(third / "hsds" / "de" / "services.json")["contents"]
    assert [s["id"] for s in renamed] == ids["de"]
    assert "Sprachtreff" in [s["name"] for s in renamed]


def test_the_hsds_files_are_one_line_and_the_descriptors_indented(data: Path) -> None:
    """services.json and organizations.json are for programs: compact, keys sorted. The
    small files people open (datapackage.json, programme.json) stay indented."""
    for lang in ("de", "en", "ar"):
        for name in ("services.json", "organizations.json"):
            text = (data / "hsds" / lang / name).read_text(encoding="utf-8")
            assert text.count("\n") == 1 and text.endswith("}\n")
            assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True,
                                      separators=(",", ":")) + "\n"
    for path in (data / "csv" / "datapackage.json", data / "programme.json"):
        assert path.read_text(encoding="utf-8").startswith('{\n  "')


def test_csv_tables_parse_and_match_the_json(data: Path) -> None:
    services = read(data / "hsds" / "de" / "services.json")["contents"]
    organizations = read(data / "hsds" / "de" / "organizations.json")["contents"]
    tables = {name: rows(data / "csv" / f"{name}.csv") for name in opendata.TABLES}
    for name in tables:
        with (data / "csv" / f"{name}.csv").open(encoding="utf-8") as f:
            assert next(csv.reader(f)) == list(opendata.TABLES[name])
    assert [r["id"] for r in tables["services"]] == sorted(s["id"] for s in services)
    assert len(tables["organizations"]) == len(organizations) == 1
    assert len(tables["locations"]) == 2  # both contact points
    assert len(tables["service_at_location"]) == sum(len(s["service_at_locations"])
                                                      for s in services) == 3
    location_ids = {r["id"] for r in tables["locations"]}
    assert {r["location_id"] for r in tables["service_at_location"]} <= location_ids
    assert {r["location_id"] for r in tables["addresses"]} == location_ids
    cafe = next(r for r in tables["services"] if r["name"] == "Sprachcafé")
    assert cafe["status"] == "active" and cafe["organization_id"] == organizations[0]["id"]
    # the place's weekly time belongs to the service there; the KI's hours to the KI
    tuesday = next(r for r in tables["schedules"] if r["byday"] == "TU")
    assert tuesday["service_at_location_id"] and not tuesday["location_id"]
    monday = next(r for r in tables["schedules"] if r["byday"] == "MO,TH")
    assert monday["location_id"] and not monday["service_at_location_id"]
    package = read(data / "csv" / "datapackage.json")
    assert [r["path"] for r in package["resources"]] == [f"{n}.csv" for n in opendata.TABLES]


def test_translations_fill_the_language_files(minimal_project: Path, tmp_path: Path) -> None:
    catalog = Catalog(locale="en")
    catalog.add("Sprachcafé", "Language café", context="offer/sprachcafe#title")
    catalog.add("Deutsch sprechen in entspannter Runde.", "Speak German in a relaxed group.",
                context="offer/sprachcafe#summary")
    catalog.add("Ohne Anmeldung.", "No registration needed.", context="ui")
    (minimal_project / "translations").mkdir()
    with (minimal_project / "translations" / "en.po").open("wb") as f:
        write_po(f, catalog)
    data = export(minimal_project, tmp_path / "data")
    en = {s["id"]: s for s in read(data / "hsds" / "en" / "services.json")["contents"]}
    de = {s["id"]: s for s in read(data / "hsds" / "de" / "services.json")["contents"]}
    cafe = next(i for i, s in de.items() if s["name"] == "Sprachcafé")
    assert en[cafe]["name"] == "Language café"
    assert en[cafe]["description"].startswith("Speak German in a relaxed group.\n\nJeden")
    assert en[cafe]["application_process"] == "No registration needed."
    assert [lang["name"] for lang in en[cafe]["languages"]] == ["German", "English"]
    ar = read(data / "hsds" / "ar" / "services.json")["contents"]
    assert "Sprachcafé" in [s["name"] for s in ar]  # not translated: German, as on the site


def test_expired_offers_are_inactive_and_future_ones_private(minimal_project: Path,
                                                             tmp_path: Path) -> None:
    write_files(minimal_project, {
        "offers/alt.yml": OFFER.format(title="Altes Angebot", extra="valid_until: 2026-10-31"),
        "offers/neu.yml": OFFER.format(title="Neues Angebot", extra="valid_from: 2027-01-01"),
    })
    data = export(minimal_project, tmp_path / "data")
    services = read(data / "hsds" / "de" / "services.json")["contents"]
    status = {s["name"]: s["status"] for s in services}
    assert status == {"Altes Angebot": "inactive", "Familienberatung": "active",
                      "Sprachcafé": "active"}
    for service in services:
        assert_valid("service", service)


def test_example_values_are_left_out(minimal_project: Path, tmp_path: Path) -> None:
    """What the site marks as an example is no fact for a consumer of the data."""
    ki = minimal_project / "content" / "contacts" / "ki.yml"
    ki.write_text(ki.read_text(encoding="utf-8")
                  + "example_values: [email, opening_hours, address]\n", encoding="utf-8")
    cafe = minimal_project / "offers" / "sprachcafe.yml"
    cafe.write_text(cafe.read_text(encoding="utf-8") + "example_values: [cost, where_when]\n",
                    encoding="utf-8")
    data = export(minimal_project, tmp_path / "data")
    services = {s["name"]: s for s in read(data / "hsds" / "de" / "services.json")["contents"]}
    assert "fees_description" not in services["Sprachcafé"]
    assert services["Familienberatung"]["fees_description"] == "5 Euro pro Termin"
    assert "email" not in services["Sprachcafé"]  # only the KI has one, and it is an example
    locations = {sal["location"]["name"]: sal
                 for sal in services["Sprachcafé"]["service_at_locations"]}
    assert "schedules" not in locations["Service-Point"]  # the Tuesday time is an example
    ki_location = locations["Kommunales Integrationszentrum"]["location"]
    assert "schedules" not in ki_location and "addresses" not in ki_location
    assert ki_location["phones"][0]["number"] == "0123 456-005"  # confirmed: stays
    for service in services.values():
        assert_valid("service", service)


def test_programme_occurrences(minimal_project: Path, tmp_path: Path) -> None:
    content = load(minimal_project)
    data = export(minimal_project, tmp_path / "data")
    programme = read(data / "programme.json")
    expected = [o for m in content.programme for o in m.occurrences]
    assert len(programme["occurrences"]) == len(expected) > 1
    info = next(o for o in programme["occurrences"] if o["title"] == "Infoabend Einbürgerung")
    assert (info["date"], info["start"], info["end"], info["status"]) == (
        "2026-12-03", "18:00", "19:30", "scheduled")
    assert info["host"]["name"] == "Kommunales Integrationszentrum"
    assert info["venue"] == {"id": "service-point", "name": "Service-Point",
                             "address": "Bahnhofstraße 2, 01067 Musterstadt"}
    dates = [(o["date"], o["start"]) for o in programme["occurrences"]]
    assert dates == sorted(dates)


def open_data_page(root: Path, content: Content, code: str) -> str:
    """The page offene-daten.md of a language, as the site writes it."""
    loc = Localisation.load(root, content.settings, content.settings.language(code))
    facts = site_facts(content)
    writer = PageWriter(content, loc, f"https://integration.musterstadt.example/{code}/", root,
                        facts)
    return writer.render(next(s for s in plan_pages(content, facts) if s.template == OPEN_DATA))


def test_the_page_names_files_and_licence(minimal_project: Path) -> None:
    site = minimal_project / "content" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + textwrap.dedent("""\
        data_licence:
          name: Datenlizenz Deutschland – Namensnennung – Version 2.0
          url: https://www.govdata.de/dl-de/by-2-0
        """), encoding="utf-8")
    content = load(minimal_project)
    page = open_data_page(minimal_project, content, "ar")
    # the licence's name exists in German only: marked so in the Arabic page
    assert ('<a href="https://www.govdata.de/dl-de/by-2-0" rel="license"><span lang="de"'
            ' dir="ltr">Datenlizenz Deutschland – Namensnennung – Version 2.0</span></a>') in page
    for lang in ("de", "en", "ar"):
        assert f"(/data/hsds/{lang}/services.json)" in page
    assert "(/data/csv/services.csv)" in page and "(/data/programme.json)" in page
    assert '<span lang="ar" dir="rtl">العربية</span>' in page
    assert 'class="ww-untranslated"' in page  # no Arabic catalog: the page says so
    german = open_data_page(minimal_project, content, "de")
    assert "ww-untranslated" not in german


@pytest.mark.slow
def test_the_build_publishes_the_data(minimal_project: Path) -> None:
    result = run_build(minimal_project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = minimal_project / "site"
    assert_valid("page", read(site / "data" / "hsds" / "de" / "services.json"))
    assert len(rows(site / "data" / "csv" / "services.csv")) == 2
    assert (site / "data" / "programme.json").is_file()
    assert (site / "de" / "offene-daten" / "index.html").is_file()


OFFER = """\
    title: {title}
    summary: Kurz.
    description: Lang.
    category: beratung
    audience: [familien]
    languages: [de]
    provider: ki
    cost: {{free: true}}
    registration: {{required: false}}
    last_reviewed: 2026-09-01
    {extra}
    """
