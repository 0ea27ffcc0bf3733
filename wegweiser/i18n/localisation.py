"""Localisation at render time: translated text by stable context, and CLDR formatting.

German is the source language. Every text of the content is looked up in
translations/<lang>.po by its context (e.g. `offer/sprachpaten#title`). The interface texts
of the templates (context "ui") come with the package (locale/interface/<lang>.po), so a KI
keeps its catalogs to its own content; a project's translations/interface/<lang>.po, for a
language the package has no catalog for or to change its wording, is looked up first. A
missing or fuzzy entry falls back to German; the result says so, so renderers can mark it
`lang="de"` and tell the reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import get_global
from babel.dates import (
    format_date,
    format_time,
    get_datetime_format,
    get_day_names,
    get_month_names,
)
from babel.lists import format_list
from babel.messages.catalog import Catalog, Message
from babel.numbers import format_decimal

from wegweiser.content.po import interface_paths, read_po_file
from wegweiser.model import (
    WEEKDAYS,
    Language,
    Occurrence,
    ProgrammeMonth,
    Settings,
    WeeklyHours,
)

UI = "ui"  # msgctxt of the templates' own strings
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")


def context(item: object, field: str) -> str:
    """The stable msgctxt of a field, e.g. offer/sprachpaten#title.

    The context names the field, not the wording, so a changed German text is recognised
    as the same entry (and marked fuzzy) instead of becoming a new one. Texts in a list
    share one context, so reordering a list loses nothing: "phones.0.label" and
    "phones.label" both give contact/<id>#phones.label.
    """
    kind = CONTEXT_KINDS[type(item).__name__]
    field = ".".join(part for part in field.split(".") if not part.isdigit())
    if isinstance(item, Occurrence):
        return f"{kind}/{item.day:%Y-%m}/{item.entry_id}#{field}"
    if isinstance(item, ProgrammeMonth):
        return f"{kind}/{item.month}#{field}"
    if isinstance(item, Settings):
        return f"{kind}#{field}"
    return f"{kind}/{item.id}#{field}"  # type: ignore[attr-defined]


CONTEXT_KINDS = {
    "Offer": "offer",
    "ContactPoint": "contact",
    "Category": "category",
    "Audience": "audience",
    "Notice": "notice",
    "Page": "page",
    "Occurrence": "programme",
    "ProgrammeMonth": "programme",
    "Settings": "site",
}


def source_text(german: str) -> str:
    """The msgid of a German text: without surrounding blank space and newlines.

    YAML block scalars end with a newline; gettext tools insist that msgid and msgstr
    agree on it, which translators should never have to think about.
    """
    return german.strip()


def value_at(item: object, name: str) -> str:
    """The text of a (dotted) field: value_at(contact, "opening_hours.exceptions.0.note")."""
    value: Any = item
    for part in name.split("."):
        if isinstance(value, dict):
            value = value.get(part, "")
        elif part.isdigit():
            value = value[int(part)]
        else:
            value = getattr(value, part)
    return value if isinstance(value, str) else ""


def paragraphs(markdown: str) -> list[str]:
    """Long Markdown is translated paragraph by paragraph (blocks between blank lines)."""
    return [p.strip("\n") for p in PARAGRAPH_BREAK.split(markdown.strip()) if p.strip()]


class Localized(str):
    """A text in the reader's language, or German where no translation exists yet."""

    lang: str
    fallback: bool

    def __new__(cls, text: str, lang: str, fallback: bool = False) -> Localized:
        self = super().__new__(cls, text)
        self.lang, self.fallback = lang, fallback
        return self


@cache
def cached_catalog(path: Path, mtime: float) -> Catalog | None:
    if not path.exists():
        return None
    return read_po_file(path)


def catalog_at(path: Path) -> Catalog | None:
    return cached_catalog(path, path.stat().st_mtime if path.exists() else 0.0)


@dataclass(frozen=True)
class Translator:
    """Looks up the texts of one language; the source language translates to itself."""

    language: Language
    source: str
    catalog: Catalog | None  # the content's texts
    interface: tuple[Catalog, ...] = ()  # the templates' texts, the first that has one wins

    @classmethod
    def load(cls, root: Path, language: Language, source: str) -> Translator:
        if language.code == source:
            return cls(language, source, None)
        interface = (catalog_at(path) for path in interface_paths(root, language.code))
        return cls(language, source, catalog_at(root / "translations" / f"{language.code}.po"),
                   tuple(c for c in interface if c is not None))

    def entry(self, context: str, key: str) -> Message | None:
        """The entry that speaks for a text: the first current translation, else the
        first fuzzy one (counted as fuzzy, shown in German)."""
        catalogs = self.interface if context == UI else (self.catalog,) if self.catalog else ()
        found = [m for c in catalogs if (m := c.get(key, context=context)) is not None
                 and m.string]
        return next((m for m in found if not m.fuzzy), found[0] if found else None)

    def text(self, context: str, german: str) -> Localized:
        """The translation of `german`, stored under `context`, if it is current."""
        key = source_text(german)
        if self.language.code == self.source or not key:
            return Localized(german, self.language.code)
        message = self.entry(context, key)
        if message is None or message.fuzzy:
            return Localized(german, self.source, fallback=True)
        return Localized(str(message.string), self.language.code)

    def ui(self, german: str) -> Localized:
        """A string of the templates themselves (buttons, headings, labels)."""
        return self.text(UI, german)


@dataclass(frozen=True)
class Formats:
    """Dates, times, weekdays and numbers as CLDR writes them for a language."""

    locale: Locale

    @classmethod
    def for_language(cls, language: Language) -> Formats:
        return cls(babel_locale(language.locale))

    def digits(self, text: str) -> str:
        """Latin digits in the locale's default numbering system (Persian digits for fa)."""
        table = NUMBERING_DIGITS.get(self.locale.default_numbering_system)
        return text.translate(table) if table else text

    def date(self, day: date, form: str = "long") -> str:
        return self.digits(format_date(day, form, locale=self.locale))

    def weekday_date(self, day: date) -> str:
        return self.digits(format_date(day, "full", locale=self.locale))

    def time(self, moment: time) -> str:
        return self.digits(format_time(moment, "short", locale=self.locale))

    def time_range(self, start: time, end: time) -> str:
        return f"{self.time(start)}\u2013{self.time(end)}"

    def date_time_pattern(self) -> str:
        """How the language joins a date written in full and a time, as "{date}, {time}"
        (ar "{date}، {time}", fa "{date}، ساعت {time}"): CLDR's pattern for full dates,
        its quotes around literal text removed as Babel's format_datetime does."""
        pattern = get_datetime_format("full", locale=self.locale).replace("'", "")
        return pattern.replace("{1}", "{date}").replace("{0}", "{time}")

    def weekday_date_time(self, day: date, times: str) -> str:
        """A date with its weekday and a time or time range: "Dienstag, 8. Dezember 2026,
        10:00–12:00"."""
        return self.date_time_pattern().format(date=self.weekday_date(day), time=times)

    def list_pattern(self, count: int) -> str:
        """The language's list of `count` items with placeholders, "{0}, {1} und {2}"
        (ar "{0} و{1} و{2}"), for callers that fill in HTML. The standard style is the one
        Babel has complete for every locale (its unit styles lack entries in ar and de)."""
        return format_list([f"{{{i}}}" for i in range(count)], locale=self.locale)

    @property
    def comma(self) -> str:
        """What parts of one line are separated by ("Name, 0214 406-5246"): CLDR's list
        separator ("، " in Persian, "፣ " in Tigrinya); Arabic lists join with "و", so
        there, as in any language written in Arabic script, the Arabic comma."""
        start = self.locale.list_patterns["standard"]["start"]
        separator = start.removeprefix("{0}").removesuffix("{1}")
        if not any(c.isalpha() for c in separator):
            return separator
        return "، " if likely_script(self.locale.language) == "Arab" else ", "

    def and_list(self, items: Sequence[str]) -> str:
        """Items as the language lists them: "09:00–12:00 und 14:00–18:30"."""
        return self.list_pattern(len(items)).format(*items)

    def weekly_hours(self, hours: WeeklyHours) -> tuple[tuple[str, str], ...]:
        """(weekday, "09:00–12:00 und 14:00–18:30") per open day, as print shows them."""
        return tuple((self.weekday(day),
                      self.and_list([self.time_range(s.opens, s.closes) for s in slots]))
                     for day, slots in hours.days)

    def weekday(self, name: str, width: str = "wide") -> str:
        return get_day_names(width, locale=self.locale)[WEEKDAYS.index(name)]

    def month(self, day: date) -> str:
        """The month and year, standalone form, e.g. "November 2026"."""
        names = get_month_names("wide", context="stand-alone", locale=self.locale)
        return f"{names[day.month]} {self.digits(str(day.year))}"

    def number(self, value: float | int) -> str:
        # the locale's own separators (fa: ٬ and ٫); the digits follow in digits()
        return self.digits(format_decimal(value, locale=self.locale, numbering_system="default"))


def likely_script(code: str) -> str:
    """The script a language is most likely written in (CLDR), e.g. "Arab" for ar or fa,
    "Cyrl" for uk; "" for a language CLDR does not know."""
    parts = get_global("likely_subtags").get(code.split("-")[0], "").split("_")
    return parts[1] if len(parts) > 2 else ""


def babel_locale(tag: str) -> Locale:
    """CLDR data for a BCP 47 tag; private-use or unknown subtags fall back to the language.

    A Leichte Sprache site language such as `de-x-ls` thus formats like German even
    without a `formats: de` setting.
    """
    try:
        return Locale.parse(tag, sep="-")
    except (ValueError, LookupError):
        return Locale.parse(tag.split("-")[0])


def _digit_table(zero: str) -> dict[int, str]:
    return {ord("0") + i: chr(ord(zero) + i) for i in range(10)}


NUMBERING_DIGITS = {"arab": _digit_table("\u0660"), "arabext": _digit_table("\u06f0")}


@dataclass(frozen=True)
class Localisation:
    """What a renderer needs for one language: its texts and its formats."""

    language: Language
    translator: Translator
    formats: Formats
    languages: tuple[Language, ...] = ()  # the site's languages, with the names they are given

    @classmethod
    def load(cls, root: Path, settings: Settings, language: Language) -> Localisation:
        source = settings.source_language.code
        return cls(
            language, Translator.load(root, language, source), Formats.for_language(language),
            settings.languages,
        )

    def text(self, context: str, german: str) -> Localized:
        return self.translator.text(context, german)

    def ui(self, german: str, **values: str) -> Localized:
        """A string of the templates, with {placeholders} filled in after lookup."""
        text = self.translator.ui(german)
        if not values:  # braces in a translation without placeholders are text
            return text
        return Localized(text.format(**values), text.lang, text.fallback)

    def ui_runs(self, german: str, **values: str) -> list[Localized]:
        """A string of the templates with {placeholders} filled in, as runs of text for a
        page to mark: a value keeps the language it is in (a setting still in German inside
        a translated sentence), the rest is in the language of the sentence."""
        text = self.translator.ui(german)
        runs = []
        for i, part in enumerate(PLACEHOLDER.split(text)):
            value = values[part] if i % 2 else part
            if value:
                runs.append(value if isinstance(value, Localized) and i % 2
                            else Localized(value, text.lang, text.fallback))
        return runs

    # --- the KI's names for its programme and its area (site.yml), or the interface's ---

    def programme_name(self, settings: Settings) -> Localized:
        """What the programme is called: programme.name, else "Programm"."""
        if settings.programme.name:
            return self.field(settings, "programme.name")
        return self.ui("Programm")

    def programme_where(self, settings: Settings) -> Localized | None:
        """Where the programme takes place, as it follows "Termine" ("im Service-Point
        Integration"); None where site.yml does not say: the texts then name no place."""
        if settings.programme.where:
            return self.field(settings, "programme.where")
        return None

    def area_where(self, settings: Settings) -> Localized:
        """The KI's area as it follows "Angebote für Zugewanderte": area.where ("im
        Rheinisch-Bergischen Kreis"), else "in" and the city."""
        if settings.area.where:
            return self.field(settings, "area.where")
        return self.ui("in {city}", city=settings.city)

    def district_label(self, settings: Settings) -> Localized:
        """What one of the districts is called: area.district_label, else "Stadtteil" in a
        city and "Stadt oder Gemeinde" in a Kreis or a Städteregion."""
        if settings.area.district_label:
            return self.field(settings, "area.district_label")
        return self.ui("Stadtteil") if settings.area.is_city else self.ui("Stadt oder Gemeinde")

    def field(self, item: object, name: str, german: str | None = None) -> Localized:
        """A short text field of a model object, e.g. field(offer, "title").

        Nested fields are dotted: field(contact, "opening_hours.note"). Texts inside lists
        share one context and are passed in: field(offer, "links.title", link.title).
        """
        return self.text(context(item, name), value_at(item, name) if german is None else german)

    def blocks(self, item: object, name: str, german: str | None = None) -> list[Localized]:
        """A Markdown field, paragraph by paragraph, each translated or German."""
        ctx = context(item, name)
        text = value_at(item, name) if german is None else german
        return [self.text(ctx, p) for p in paragraphs(text)]
