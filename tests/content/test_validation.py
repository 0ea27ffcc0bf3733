"""Validation: schema, references, uniqueness, dates and expiry, each at its exact place."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest

from wegweiser.content.tree import load_content
from wegweiser.model import Content
from wegweiser.problems import Location, Problem, Problems

TODAY = date(2026, 11, 23)


def validate(root: Path, today: date = TODAY) -> tuple[Content | None, list[str]]:
    problems = Problems()
    content = load_content(root, today, problems)
    return content, [p.format() for p in sorted(problems.items)]


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(root: Path, name: str, text: str) -> None:
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    (root / name).write_text(textwrap.dedent(text), encoding="utf-8")


def errors(lines: list[str]) -> list[str]:
    return [line for line in lines if ": error: " in line]


def test_minimal_project_is_valid(minimal_project: Path) -> None:
    content, problems = validate(minimal_project)
    assert problems == []
    assert content is not None
    assert [o.id for o in content.offers] == ["familienberatung", "sprachcafe"]


# --- the schema, with the place of each error


def test_unknown_fields_each_at_their_own_key(minimal_project: Path) -> None:
    edit(minimal_project, "offers/sprachcafe.yml", "district: Mitte", "distrikt: Mitte\nfarbe: rot")
    _, problems = validate(minimal_project)
    assert problems[0].startswith("offers/sprachcafe.yml:17:1: error: distrikt: unknown field"
                                  " 'distrikt'; did you mean 'district'? (allowed here: ")
    assert problems[1].startswith("offers/sprachcafe.yml:18:1: error: farbe: unknown field"
                                  " 'farbe' (allowed here: ")
    assert len(problems) == 2


def test_misspelled_weekday_is_shown_at_its_key(minimal_project: Path) -> None:
    edit(minimal_project, "content/contacts/ki.yml", "    thursday:", "    montag:")
    _, problems = validate(minimal_project)
    assert problems == [
        "content/contacts/ki.yml:10:5: error: opening_hours.weekly.montag: 'montag' is not"
        " allowed as a key here; did you mean 'monday'? write one of: monday, tuesday,"
        " wednesday, thursday, friday,"
        " saturday, sunday"]


def test_field_required_by_a_condition(minimal_project: Path) -> None:
    edit(minimal_project, "offers/familienberatung.yml",
         "registration: {required: true, how: Telefonisch unter 0123 456-005.}",
         "registration: {required: true}")
    _, problems = validate(minimal_project)
    assert problems == [
        "offers/familienberatung.yml:9:15: error: registration: the required field 'how' is"
        " missing; it is needed when required is true"]


def test_condition_is_not_applied_when_its_field_is_missing(minimal_project: Path) -> None:
    edit(minimal_project, "offers/familienberatung.yml",
         "cost: {free: false, text: 5 Euro pro Termin}", "cost: {text: 5 Euro pro Termin}")
    _, problems = validate(minimal_project)
    assert problems == ["offers/familienberatung.yml:8:7: error: cost: the required field"
                        " 'free' is missing"]


def test_contact_point_without_a_way_to_reach_it(minimal_project: Path) -> None:
    edit(minimal_project, "content/contacts/service-point.yml",
         "website: https://musterstadt.example/service-point\n", "")
    _, problems = validate(minimal_project)
    assert problems == ["content/contacts/service-point.yml:1:1: error: expected at least one"
                        " way to reach it: phones, email or website"]


def test_same_entry_twice_in_a_list(minimal_project: Path) -> None:
    edit(minimal_project, "offers/sprachcafe.yml", "audience: [erwachsene]",
         "audience: [erwachsene, familien, erwachsene]")
    _, problems = validate(minimal_project)
    assert problems == ["offers/sprachcafe.yml:8:11: error: audience: contains 'erwachsene'"
                        " twice; each entry may appear only once"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("last_reviewed: 2026-09-01", "last_reviewed: 2026-02-30",
     "18:16: error: last_reviewed: '2026-02-30' is not a date that exists; expected a date"
     " written as YYYY-MM-DD, e.g. 2026-11-05"),
    ("last_reviewed: 2026-09-01", "last_reviewed: 01.09.2026",
     "18:16: error: last_reviewed: '01.09.2026' is not valid here; expected a date written as"
     " YYYY-MM-DD, e.g. 2026-11-05"),
    ("closes: 20:00", "closes: 24:00",
     "14:38: error: where_when.schedule.tuesday[0].closes: '24:00' is not valid here; expected"
     " a time written as HH:MM on the 24-hour clock, e.g. 09:30"),
    ("cost: {free: true}", "cost: {free: ja}",
     "15:14: error: cost.free: expected true or false, but found 'ja'; write true or false"),
    ("languages: [de, en]", "languages: de",
     "9:12: error: languages: expected a list (lines starting with '- '), but found 'de'"),
    ("languages: [de, en]", "languages: [de, EN]",
     "9:17: error: languages[1]: 'EN' is not valid here; expected a language code such as de,"
     " en, ar, fa, uk or tr"),
    ("title: Sprachcafé", "title: ''",
     "1:8: error: title: is empty; expected some text"),
    ("title: Sprachcafé", "title: [Sprachcafé]",
     "1:8: error: title: expected a text, but found a list"),
    ("where_when:\n  place: service-point\n", "where_when:\n  place: service-point\n  web: x\n",
     "13:3: error: where_when.web: unknown field 'web' (allowed here: place, schedule, text)"),
])
def test_schema_errors_at_their_value(minimal_project: Path, old: str, new: str,
                                      expected: str) -> None:
    edit(minimal_project, "offers/sprachcafe.yml", old, new)
    _, problems = validate(minimal_project)
    assert problems == [f"offers/sprachcafe.yml:{expected}"]


def test_pattern_and_format_errors_are_reported_once(minimal_project: Path) -> None:
    edit(minimal_project, "content/notices.yml", "from: 2026-11-01", "from: 1. November")
    _, problems = validate(minimal_project)
    assert len(problems) == 1


# --- references: unknown ids, with the choices


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("provider: ki", "provider: ki-leverkusen",
     "10:11: error: provider: unknown contact point 'ki-leverkusen'; expected one of the file"
     " names in content/contacts/ (without .yml): ki, service-point"),
    ("place: service-point", "place: servicepoint",
     "12:10: error: where_when.place: unknown contact point 'servicepoint'; did you mean"
     " 'service-point'? expected one of the file names in content/contacts/ (without .yml): ki,"
     " service-point"),
    ("category: sprache", "category: kultur",
     "7:11: error: category: unknown category 'kultur'; expected one of the categories in"
     " content/site.yml: beratung, sprache"),
    ("audience: [erwachsene]", "audience: [erwachsene, kinder]",
     "8:24: error: audience[1]: unknown audience 'kinder'; expected one of the audiences in"
     " content/site.yml: erwachsene, familien"),
    ("district: Mitte", "district: Nordost",
     "17:11: error: district: district 'Nordost' is unknown; did you mean 'Nord'? expected one"
     " of the districts in content/site.yml: Mitte, Nord"),
])
def test_unknown_references(minimal_project: Path, old: str, new: str, expected: str) -> None:
    edit(minimal_project, "offers/sprachcafe.yml", old, new)
    _, problems = validate(minimal_project)
    assert problems == [f"offers/sprachcafe.yml:{expected}"]


def test_a_programme_refers_to_contact_points_as_offers_do(minimal_project: Path) -> None:
    """A typo in a date's venue or host is answered as one in an offer's provider: the
    closest id and the list of all."""
    month = "content/programme/2026-12.yml"
    edit(minimal_project, month, "venue: service-point", "venue: service-poin")
    edit(minimal_project, month, "host: ki", "host: kii")
    _, problems = validate(minimal_project)
    choices = ("expected one of the file names in content/contacts/ (without .yml): ki,"
               " service-point")
    assert errors(problems) == [
        f"{month}:1:8: error: venue: unknown contact point 'service-poin'; did you mean"
        f" 'service-point'? {choices}",
        f"{month}:8:11: error: events[0].host: unknown contact point 'kii'; did you mean 'ki'?"
        f" {choices}"]


@pytest.mark.parametrize(("area", "label"), [
    ("{kind: Kreis, where: im Kreis Mettmann, district_label: Stadt}", "Stadt"),
    ("{kind: Kreis, where: im Kreis Mettmann}", "Stadt oder Gemeinde"),
    ("{kind: Stadt}", "Stadtteil"),
])
def test_an_unknown_district_is_named_as_the_site_names_it(
        minimal_project: Path, monkeypatch: pytest.MonkeyPatch, area: str, label: str) -> None:
    monkeypatch.setenv("WEGWEISER_MESSAGES", "de")
    edit(minimal_project, "content/site.yml", "districts:", f"area: {area}\ndistricts:")
    edit(minimal_project, "offers/sprachcafe.yml", "district: Mitte", "district: Mite")
    _, problems = validate(minimal_project)
    assert problems == [
        f"offers/sprachcafe.yml:17:11: Fehler: district: {label} 'Mite' ist unbekannt. Meinten"
        " Sie 'Mitte'? Erlaubt sind die Einträge unter districts in content/site.yml: Mitte, Nord"]


def test_site_refers_to_a_missing_contact_point(minimal_project: Path) -> None:
    edit(minimal_project, "content/site.yml", "service_point: service-point",
         "service_point: servicepunkt")
    _, problems = validate(minimal_project)
    assert errors(problems)[0].startswith("content/site.yml:7:16: error: service_point: unknown"
                                          " contact point 'servicepunkt'")


def test_reference_to_a_contact_file_with_errors_is_not_called_unknown(
        minimal_project: Path) -> None:
    """The editor sees the contact file's own error, not a misleading 'unknown' elsewhere."""
    edit(minimal_project, "content/contacts/ki.yml", "last_reviewed: 2026-10-01",
         "last_reviewed: gestern")
    content, problems = validate(minimal_project)
    assert content is None
    assert problems == ["content/contacts/ki.yml:12:16: error: last_reviewed: 'gestern' is not"
                        " valid here; expected a date written as YYYY-MM-DD, e.g. 2026-11-05"]


def test_all_problems_are_reported_together_and_sorted(minimal_project: Path) -> None:
    """A schema error in one file does not hide the cross-file errors of the others."""
    edit(minimal_project, "offers/sprachcafe.yml", "title: Sprachcafé", "titel: Sprachcafé")
    edit(minimal_project, "offers/familienberatung.yml", "category: beratung", "category: rat")
    edit(minimal_project, "content/programme/2026-12.yml", "date: 2026-12-03",
         "date: 2026-11-26")
    _, problems = validate(minimal_project)
    assert [p.split(": error: ")[0] for p in errors(problems)] == [
        "content/programme/2026-12.yml:4:11",
        "offers/familienberatung.yml:4:11",
        "offers/sprachcafe.yml:1:1",
        "offers/sprachcafe.yml:1:1",
    ]
    assert "titel" in problems[-1] and "'title' is missing" in problems[-2]


def test_broken_settings_file_is_reported_without_follow_up_errors(
        minimal_project: Path) -> None:
    edit(minimal_project, "content/site.yml", "categories:", "kategorien:")
    content, problems = validate(minimal_project)
    assert content is None
    assert problems == [
        "content/site.yml:1:1: error: the required field 'categories' is missing",
        "content/site.yml:12:1: error: kategorien: unknown field 'kategorien'; did you mean"
        " 'categories'? (allowed here: area, audiences, base_url, brochure, categories, city,"
        " contact, data_licence, districts, editor, example_values, expiry_warning_days,"
        " languages, name, organisation, programme, review_after_months, service_point,"
        " short_name, state, timezone, translations)",
    ]


def test_missing_settings_file(minimal_project: Path) -> None:
    (minimal_project / "content" / "site.yml").unlink()
    content, problems = validate(minimal_project)
    assert content is None
    assert problems == ["content/site.yml: error: the settings file is missing; every site"
                        " needs content/site.yml"]


def test_unknown_language_in_settings(minimal_project: Path) -> None:
    edit(minimal_project, "content/site.yml", "{code: ar, name: العربية, dir: rtl}",
         "{code: ar, name: العربية, dir: rtl, formats: qq}")
    _, problems = validate(minimal_project)
    assert problems == ["content/site.yml:11:50: error: languages[2].formats: 'qq' is not a"
                        " language code the build knows; use a code such as de, en, ar, fa, uk,"
                        " ru or tr"]


def test_unknown_language_of_an_offer_is_a_warning(minimal_project: Path) -> None:
    edit(minimal_project, "offers/sprachcafe.yml", "languages: [de, en]", "languages: [de, qq]")
    content, problems = validate(minimal_project)
    assert content is not None
    assert problems == ["offers/sprachcafe.yml:9:17: warning: languages[1]: 'qq' is not a known"
                        " language code; check the spelling (e.g. de, en, ar, fa, uk, ru, tr)"]


def test_language_direction_as_cldr_knows_it(minimal_project: Path) -> None:
    """ckb (Sorani) is written in Arabic script: without dir: rtl its pages would be
    laid out left to right; a dir: rtl on a left-to-right language is as wrong."""
    edit(minimal_project, "content/site.yml", "  - {code: en, name: English}\n",
         "  - {code: en, name: English, dir: rtl}\n  - {code: ckb, name: کوردی}\n")
    content, problems = validate(minimal_project)
    assert content is not None
    assert problems == [
        "content/site.yml:10:36: warning: languages[1].dir: 'en' is written left to right;"
        " remove dir: rtl from this language",
        "content/site.yml:11:5: warning: languages[2]: 'ckb' is written right to left; add"
        " dir: rtl to this language, or its pages are laid out the wrong way round"]


def test_icon_the_theme_does_not_have(minimal_project: Path) -> None:
    edit(minimal_project, "content/site.yml", "icon: material/account-voice",
         "icon: material/acount-voice")
    content, problems = validate(minimal_project)
    assert content is not None
    assert problems == [
        "content/site.yml:14:42: warning: categories[1].icon: the theme has no icon"
        " 'material/acount-voice'; look up a name at https://pictogrammers.com/library/mdi/"
        " and write it as material/<name>"]


def test_event_on_a_day_its_venue_is_closed(minimal_project: Path) -> None:
    edit(minimal_project, "content/contacts/service-point.yml", "  by_appointment: true\n",
         "  by_appointment: true\n  exceptions:\n"
         "    - {from: 2026-12-21, until: 2027-01-03, closed: true, note: Betriebsferien}\n")
    edit(minimal_project, "content/programme/2026-12.yml", "date: 2026-12-03",
         "date: 2026-12-22")
    content, problems = validate(minimal_project)
    assert content is not None
    closed = [p for p in problems if "closed that day" in p]
    assert closed[0] == ("content/programme/2026-12.yml:3:5: warning: 'Infoabend Einbürgerung'"
                         " on 2026-12-22: service-point is closed that day (Betriebsferien);"
                         " cancel the date or choose another day")
    assert {p.split(" on ")[1][:10] for p in closed} == {"2026-12-22", "2026-12-29"}


# --- uniqueness


def test_yml_and_yaml_with_the_same_id(minimal_project: Path) -> None:
    (minimal_project / "offers" / "sprachcafe.yaml").write_bytes(
        (minimal_project / "offers" / "sprachcafe.yml").read_bytes())
    _, problems = validate(minimal_project)
    assert problems == ["offers/sprachcafe.yaml:1:1: error: the id 'sprachcafe' is used twice"
                        " (also offers/sprachcafe.yml); the id is the file name, so rename or"
                        " remove one of the files"]


def test_yaml_extension_is_read(minimal_project: Path) -> None:
    offers = minimal_project / "offers"
    (offers / "sprachcafe.yml").rename(offers / "sprachcafe.yaml")
    content, problems = validate(minimal_project)
    assert problems == []
    assert content is not None and "sprachcafe" in [o.id for o in content.offers]


@pytest.mark.parametrize("name", ["Sprachcafe", "sprach_cafe", "sprach cafe", "-cafe", "café"])
def test_file_name_must_be_an_id(minimal_project: Path, name: str) -> None:
    (minimal_project / "offers" / "sprachcafe.yml").rename(
        minimal_project / "offers" / f"{name}.yml")
    _, problems = validate(minimal_project)
    assert problems == [f"offers/{name}.yml:1:1: error: the file name '{name}' is not valid;"
                        " name the file with lower-case letters a-z, digits and hyphens, e.g."
                        " sprachpaten; the file is not read until it is renamed"]


@pytest.mark.parametrize("name", ["2026-13", "0000-01", "2026-1", "dezember-2026"])
def test_month_file_name(minimal_project: Path, name: str) -> None:
    programme = minimal_project / "content" / "programme"
    (programme / "2026-12.yml").rename(programme / f"{name}.yml")
    _, problems = validate(minimal_project)
    assert problems == [f"content/programme/{name}.yml:1:1: error: the file name '{name}' is"
                        " not valid; name the file with YYYY-MM, e.g. 2026-11; the file is not"
                        " read until it is renamed"]


def test_files_that_are_not_read_are_warned_about(minimal_project: Path) -> None:
    offers = minimal_project / "offers"
    (offers / "sprachcafe.yml").rename(offers / "sprachcafe.YML")
    (offers / "notizen.txt").write_text("x", encoding="utf-8")
    (offers / ".gitkeep").write_text("", encoding="utf-8")
    content, problems = validate(minimal_project)
    assert problems == [
        "offers/notizen.txt:1:1: warning: this file is not read: only *.yml files directly in"
        " offers/ are content",
        "offers/sprachcafe.YML:1:1: warning: this file is not read: only *.yml files directly in"
        " offers/ are content",
    ]
    assert content is not None and [o.id for o in content.offers] == ["familienberatung"]


def test_duplicate_ids_inside_lists(minimal_project: Path) -> None:
    edit(minimal_project, "content/site.yml", "{code: en, name: English}",
         "{code: de, name: English}")
    edit(minimal_project, "content/notices.yml", "notices:\n", "notices:\n"
         "  - {id: schliessung, severity: info, title: T, text: X, from: 2026-01-01}\n")
    _, problems = validate(minimal_project)
    assert problems == [
        "content/notices.yml:3:9: error: notices[1].id: 'schliessung' is used twice (first on"
        " line 2); each id must be unique",
        "content/site.yml:10:12: error: languages[1].code: 'de' is used twice (first on line 9);"
        " each code must be unique",
    ]


# --- dates


def test_valid_until_before_valid_from(minimal_project: Path) -> None:
    edit(minimal_project, "offers/familienberatung.yml", "in_brochure: false",
         "in_brochure: false\nvalid_from: 2027-02-01\nvalid_until: 2027-01-31")
    _, problems = validate(minimal_project)
    assert problems == ["offers/familienberatung.yml:13:14: error: valid_until: 2027-01-31 is"
                        " before valid_from (2027-02-01); the offer would never be published"]


def test_event_outside_its_month(minimal_project: Path) -> None:
    edit(minimal_project, "content/programme/2026-12.yml", "date: 2026-12-03",
         "date: 2027-01-03")
    _, problems = validate(minimal_project)
    assert problems == ["content/programme/2026-12.yml:4:11: error: events[0].date: 2027-01-03"
                        " is not in 2026-12; this file holds the programme of 2026-12 only"]


def test_event_ends_before_it_starts(minimal_project: Path) -> None:
    edit(minimal_project, "content/programme/2026-12.yml", "end: 19:30", "end: 08:00")
    _, problems = validate(minimal_project)
    assert problems == ["content/programme/2026-12.yml:6:10: error: events[0].end: end (08:00)"
                        " is not after start (18:00)"]


def test_event_on_a_public_holiday_is_a_warning(minimal_project: Path) -> None:
    edit(minimal_project, "content/programme/2026-12.yml", "date: 2026-12-03",
         "date: 2026-12-25")
    content, problems = validate(minimal_project)
    assert content is not None  # a warning does not stop the build
    assert len(problems) == 1
    assert problems[0].startswith("content/programme/2026-12.yml:4:11: warning: events[0].date:"
                                  " 2026-12-25 is a public holiday (Erster Weihnachtstag)")


def test_opening_hours_exception_ends_before_it_begins(minimal_project: Path) -> None:
    edit(minimal_project, "content/contacts/service-point.yml", "  by_appointment: true\n",
         "  by_appointment: true\n  exceptions:\n    - {from: 2026-12-24, until: 2026-12-01,"
         " closed: true}\n")
    _, problems = validate(minimal_project)
    assert problems == ["content/contacts/service-point.yml:8:33: error:"
                        " opening_hours.exceptions[0]: the exception ends (2026-12-01) before it"
                        " begins (2026-12-24)"]


# --- expiry


def test_expired_offer_is_not_published_and_warned_about(minimal_project: Path) -> None:
    edit(minimal_project, "offers/sprachcafe.yml", "district: Mitte",
         "district: Mitte\nvalid_until: 2026-11-22")
    content, problems = validate(minimal_project)
    assert problems == ["offers/sprachcafe.yml:18:14: warning: valid_until: the offer expired on"
                        " 2026-11-22 and is not published"]
    assert content is not None
    assert [o.id for o in content.offers] == ["familienberatung"]
    assert [o.id for o in content.unpublished] == ["sprachcafe"]


def test_offer_is_published_on_its_last_day_with_a_warning(minimal_project: Path) -> None:
    edit(minimal_project, "offers/sprachcafe.yml", "district: Mitte",
         "district: Mitte\nvalid_until: 2026-11-23")
    content, problems = validate(minimal_project)
    assert content is not None and "sprachcafe" in [o.id for o in content.offers]
    assert problems == ["offers/sprachcafe.yml:18:14: warning: valid_until: the offer expires on"
                        " 2026-11-23; extend valid_until or let it end"]


@pytest.mark.parametrize(("until", "warned"), [("2026-12-23", True), ("2026-12-24", False)])
def test_expiry_is_announced_30_days_ahead(minimal_project: Path, until: str,
                                           warned: bool) -> None:
    edit(minimal_project, "offers/sprachcafe.yml", "district: Mitte",
         f"district: Mitte\nvalid_until: {until}")
    content, problems = validate(minimal_project)
    assert content is not None and "sprachcafe" in [o.id for o in content.offers]
    assert bool(problems) is warned


def test_offer_before_valid_from_is_not_published(minimal_project: Path) -> None:
    edit(minimal_project, "offers/sprachcafe.yml", "district: Mitte",
         "district: Mitte\nvalid_from: 2027-01-01")
    content, problems = validate(minimal_project)
    assert problems == []
    assert content is not None and [o.id for o in content.offers] == ["familienberatung"]


# --- pages


def test_page_front_matter_errors_have_file_lines(minimal_project: Path) -> None:
    write(minimal_project, "content/pages/kontakt.md", """\
        ---
        title: Kontakt
        order: erste
        ---
        # Kontakt
        """)
    _, problems = validate(minimal_project)
    assert problems == ["content/pages/kontakt.md:3:8: error: order: expected a whole number"
                        " (without quotes), but found 'erste'"]


@pytest.mark.parametrize(("text", "message"), [
    ("# Kontakt\n", "the page has no front matter"),
    ("---\ntitle: Kontakt\n# Kontakt\n", "the front matter is not closed"),
    ("---\n---\n# Kontakt\n", "the front matter between the '---' lines is empty"),
])
def test_page_without_usable_front_matter(minimal_project: Path, text: str,
                                          message: str) -> None:
    write(minimal_project, "content/pages/kontakt.md", text)
    _, problems = validate(minimal_project)
    assert len(problems) == 1
    assert problems[0].startswith(f"content/pages/kontakt.md:1:1: error: {message}")


# --- how problems are printed


def test_report_is_sorted_with_a_summary() -> None:
    problems = Problems()
    problems.warning(Location("b.yml", 2, 1), "second")
    problems.error(Location("b.yml", 10, 3), "third", "events[2].start")
    problems.error(Location("a.yml", 7, 1), "first")
    problems.error(Location("a.yml", 7, 1), "first")  # found twice, said once
    assert problems.report() == "\n".join([
        "a.yml:7:1: error: first",
        "b.yml:2:1: warning: second",
        "b.yml:10:3: error: events[2].start: third",
        "2 errors and 1 warning in 2 files",
    ])


def test_github_annotations_are_escaped() -> None:
    problem = Problem(Location("offers/a,b.yml", 3, 5), "error", "100% falsch\nzweite Zeile",
                      "title")
    assert problem.format("github") == (
        "::error file=offers/a%2Cb.yml,line=3,col=5::title: 100%25 falsch%0Azweite Zeile")


def test_json_report() -> None:
    problems = Problems()
    problems.error(Location("a.yml", 7, 2), "kaputt", "title")
    assert json.loads(problems.report("json")) == [{
        "file": "a.yml", "line": 7, "column": 2, "severity": "error", "path": "title",
        "message": "kaputt"}]


# --- no content defect ever raises


def test_removing_or_doubling_any_line_gives_problems_not_exceptions(
        minimal_project: Path) -> None:
    """Every one-line slip in any file of a valid project is reported, never raised."""
    files = sorted(p for p in minimal_project.rglob("*") if p.suffix in (".yml", ".md")
                   and p.name != "mkdocs.yml")
    slips = 0
    for path in files:
        original = path.read_text(encoding="utf-8")
        lines = original.splitlines(keepends=True)
        for i in range(len(lines)):
            for changed in (lines[:i] + lines[i + 1:], lines[:i + 1] + lines[i:]):
                path.write_text("".join(changed), encoding="utf-8")
                validate(minimal_project)  # must not raise
                slips += 1
        path.write_text(original, encoding="utf-8")
    assert slips > 150


def test_windows_line_ends_are_read_like_any_other(minimal_project: Path) -> None:
    for path in [*minimal_project.rglob("*.yml"), *minimal_project.rglob("*.md")]:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    content, problems = validate(minimal_project)
    assert problems == []
    assert content is not None and [p.title for p in content.pages] == ["Über uns"]
