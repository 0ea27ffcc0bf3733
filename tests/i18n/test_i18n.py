"""Localisation at render time: lookups by context, German fallback, CLDR formats."""

from __future__ import annotations

from datetime import date, time

import pytest
from babel.messages.catalog import Catalog

from wegweiser.i18n.localisation import (
    Formats,
    Localisation,
    Translator,
    context,
    paragraphs,
    value_at,
)
from wegweiser.model import (
    Address,
    ContactPoint,
    HoursException,
    Language,
    Occurrence,
    OpeningHours,
    Phone,
    ProgrammeMonth,
)
from wegweiser.problems import Location

EN = Language("en", "English")
HERE = Location("content/contacts/ki.yml", 1, 1)


def translator(*entries: tuple[str, str, str, bool]) -> Translator:
    catalog = Catalog(locale="en")
    for ctx, german, english, fuzzy in entries:
        catalog.add(german, english, context=ctx, flags=("fuzzy",) if fuzzy else ())
    return Translator(EN, "de", catalog)


def contact() -> ContactPoint:
    return ContactPoint(
        id="ki",
        name="Kommunales Integrationszentrum",
        organisation="Stadt Musterstadt",
        address=Address("Marktplatz 1", "01067", "Musterstadt", directions="Im Rathaus"),
        last_reviewed=date(2026, 10, 1),
        source=HERE,
        phones=(Phone("0123 456-005", "Zentrale"),),
        opening_hours=OpeningHours(
            note="Bitte klingeln.",
            exceptions=(
                HoursException(date(2026, 12, 24), date(2026, 12, 31), True, note="Ferien"),
            ),
        ),
    )


def test_lookup_uses_the_context_and_only_current_entries():
    t = translator(
        ("offer/a#title", "Beratung", "Counselling", False),
        ("offer/b#title", "Beratung", "Advice", False),
        ("offer/c#title", "Sprachcafé", "Language café", True),
    )
    assert (t.text("offer/a#title", "Beratung"), t.text("offer/b#title", "Beratung")) == (
        "Counselling",
        "Advice",
    )
    fuzzy = t.text("offer/c#title", "Sprachcafé")
    assert (fuzzy, fuzzy.lang, fuzzy.fallback) == ("Sprachcafé", "de", True)
    other = t.text("offer/z#title", "Beratung")  # same German, context not translated
    assert (other, other.lang, other.fallback) == ("Beratung", "de", True)
    done = t.text("offer/a#title", "Beratung\n")  # a YAML block's newline is not part of it
    assert (done, done.lang, done.fallback) == ("Counselling", "en", False)


def test_source_language_and_missing_catalog():
    german = Translator(Language("de", "Deutsch"), "de", None).text("offer/a#title", "Beratung")
    assert (german.lang, german.fallback) == ("de", False)
    missing = Translator(EN, "de", None).ui("Öffnungszeiten")
    assert (missing, missing.lang, missing.fallback) == ("Öffnungszeiten", "de", True)


def test_contexts_are_stable_per_field():
    point = contact()
    occurrence = Occurrence(
        "u",
        "offene-beratung",
        date(2026, 12, 8),
        time(10),
        time(12),
        "Offene Beratung",
        "ki",
        "ki",
        HERE,
    )
    month = ProgrammeMonth("2026-12", "ki", HERE, (occurrence,))
    assert context(point, "name") == "contact/ki#name"
    assert (
        context(point, "phones.0.label")
        == context(point, "phones.label")
        == "contact/ki#phones.label"
    )
    assert context(occurrence, "title") == "programme/2026-12/offene-beratung#title"
    assert context(month, "intro") == "programme/2026-12#intro"


def test_nested_and_listed_fields_are_read_and_translated():
    point = contact()
    assert value_at(point, "address.directions") == "Im Rathaus"
    assert value_at(point, "opening_hours.exceptions.0.note") == "Ferien"
    loc = Localisation(
        EN,
        translator(
            ("contact/ki#opening_hours.exceptions.note", "Ferien", "Holidays", False),
            ("contact/ki#phones.label", "Zentrale", "Switchboard", False),
        ),
        Formats.for_language(EN),
    )
    assert loc.field(point, "opening_hours.exceptions.0.note") == "Holidays"
    assert loc.field(point, "phones.label", "Zentrale") == "Switchboard"
    assert loc.field(point, "address.directions").fallback


def test_markdown_is_split_into_paragraphs():
    text = "Erster Absatz\nmit zwei Zeilen.\n\n  \n- Liste\n- Punkte\n\n## Titel\n"
    assert paragraphs(text) == ["Erster Absatz\nmit zwei Zeilen.", "- Liste\n- Punkte", "## Titel"]


@pytest.mark.parametrize(
    ("code", "day", "moment"),
    [
        ("de", "3. Dezember 2026", "18:30"),
        ("ar", "3 ديسمبر 2026", "6:30 م"),
        ("fa", "۳ دسامبر ۲۰۲۶", "۱۸:۳۰"),
    ],
)
def test_dates_and_times_as_the_locale_writes_them(code: str, day: str, moment: str):
    formats = Formats.for_language(Language(code, code))
    assert formats.date(date(2026, 12, 3)) == day
    assert formats.time(time(18, 30)) == moment


def test_weekdays_months_and_numbers():
    de, fa = (
        Formats.for_language(Language("de", "Deutsch")),
        Formats.for_language(Language("fa", "فارسی", "rtl")),
    )
    assert de.weekday_date(date(2026, 12, 3)) == "Donnerstag, 3. Dezember 2026"
    assert de.weekday("tuesday") == "Dienstag"
    assert de.month(date(2026, 11, 1)) == "November 2026"
    assert de.time_range(time(9), time(12, 30)) == "09:00\u201312:30"
    assert de.number(1234.5) == "1.234,5"
    assert fa.weekday("tuesday") == "سه\u200cشنبه"
    assert fa.month(date(2026, 11, 1)) == "نوامبر ۲۰۲۶"
    assert fa.number(1234.5) == "۱٬۲۳۴٫۵"  # Persian digits and separators


def test_leichte_sprache_formats_like_german():
    for language in (
        Language("de-x-ls", "Leichte Sprache", formats="de"),
        Language("de-x-ls", "Leichte Sprache"),
    ):
        formats = Formats.for_language(language)
        assert formats.date(date(2026, 12, 3)) == "3. Dezember 2026"
        assert formats.time(time(18, 30)) == "18:30"


@pytest.mark.parametrize(("code", "hours", "line"), [
    ("de", "09:00–12:00 und 14:00–16:00", "Name, 0214 1"),
    ("ar", "09:00–12:00 و14:00–16:00", "Name، 0214 1"),
    ("fa", "09:00–12:00 و 14:00–16:00", "Name،\u200f 0214 1"),
    ("ti", "09:00–12:00ን 14:00–16:00ን", "Name፣ 0214 1"),
])
def test_lists_and_commas_are_the_languages_own(code: str, hours: str, line: str) -> None:
    """Opening hours are listed as the language lists (Babel's unit style repeated the
    second item in Arabic: "09:00–12:00، و14:00–16:00، و14:00–16:00"), and the parts of a
    contact's line are separated by the language's comma (Arabic: "،")."""
    formats = Formats.for_language(Language(code, code))
    assert formats.and_list(["09:00–12:00", "14:00–16:00"]) == hours
    assert formats.comma.join(["Name", "0214 1"]) == line


def test_only_a_short_latin_run_in_brackets_is_kept_on_one_line() -> None:
    """"(Kommunales Integrationszentrum)" moves to the next line whole where it does not
    fit (site.css: .ww-latin); "(Ehrenamtliche Sprachpatinnen und Sprachpaten)" is longer
    than a phone's line holds with Arabic around it, and as such a unit it stood apart as
    a left-aligned block of two lines: it flows with the line, still isolated."""
    from wegweiser.i18n.bidi import isolate_latin_runs

    html = isolate_latin_runs("مركز (Kommunales Integrationszentrum) و"
                              "(Ehrenamtliche Sprachpatinnen und Sprachpaten) هم")
    assert '<bdi dir="ltr" class="ww-latin">(Kommunales Integrationszentrum)</bdi>' in html
    assert '<bdi dir="ltr">(Ehrenamtliche Sprachpatinnen und Sprachpaten)</bdi>' in html
