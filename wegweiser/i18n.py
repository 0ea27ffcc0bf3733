"""Localisation at render time: translated text by stable context, and CLDR formatting.

German is the source language. Every translatable text is looked up in
translations/<lang>.po by its context (e.g. `offer/sprachpaten#title`). A missing or fuzzy
entry falls back to German; the result says so, so renderers can mark it `lang="de"`
and tell the reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time, get_day_names, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, get_decimal_symbol

from .model import WEEKDAYS, Language, Occurrence, Settings

UI = "ui"  # msgctxt of the templates' own strings
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def context(item: object, field: str) -> str:
    """The stable msgctxt of a field, e.g. offer/sprachpaten#title.

    The context names the field, not the wording, so a changed German text is recognised
    as the same entry (and marked fuzzy) instead of becoming a new one.
    """
    kind = CONTEXT_KINDS[type(item).__name__]
    if isinstance(item, Occurrence):
        return f"{kind}/{item.day:%Y-%m}/{item.entry_id}#{field}"
    return f"{kind}/{item.id}#{field}"  # type: ignore[attr-defined]


CONTEXT_KINDS = {
    "Offer": "offer", "ContactPoint": "contact", "Category": "category", "Audience": "audience",
    "Notice": "notice", "Page": "page", "Occurrence": "programme",
}


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
def read_catalog(path: Path, mtime: float) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as f:
        return read_po(f)


@dataclass(frozen=True)
class Translator:
    """Looks up the texts of one language; the source language translates to itself."""

    language: Language
    source: str
    catalog: Catalog | None

    @classmethod
    def load(cls, root: Path, language: Language, source: str) -> Translator:
        path = root / "translations" / f"{language.code}.po"
        mtime = path.stat().st_mtime if path.exists() else 0.0
        catalog = None if language.code == source else read_catalog(path, mtime)
        return cls(language, source, catalog)

    def text(self, context: str, german: str) -> Localized:
        """The translation of `german`, stored under `context`, if it is current."""
        if self.language.code == self.source or not german:
            return Localized(german, self.language.code)
        message = self.catalog.get(german, context=context) if self.catalog else None
        if message is None or message.fuzzy or not message.string:
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
        return cls(Locale.parse(language.locale.replace("-", "_")))

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

    def weekday(self, name: str, width: str = "wide") -> str:
        return get_day_names(width, locale=self.locale)[WEEKDAYS.index(name)]

    def month(self, day: date) -> str:
        """The month and year, standalone form, e.g. "November 2026"."""
        names = get_month_names("wide", context="stand-alone", locale=self.locale)
        return f"{names[day.month]} {self.digits(str(day.year))}"

    def number(self, value: float | int) -> str:
        return self.digits(format_decimal(value, locale=self.locale))

    @property
    def decimal_symbol(self) -> str:
        return get_decimal_symbol(self.locale)


def _digit_table(zero: str) -> dict[int, str]:
    return {ord("0") + i: chr(ord(zero) + i) for i in range(10)}


NUMBERING_DIGITS = {"arab": _digit_table("\u0660"), "arabext": _digit_table("\u06f0")}


@dataclass(frozen=True)
class Localisation:
    """What a renderer needs for one language: its texts and its formats."""

    language: Language
    translator: Translator
    formats: Formats

    @classmethod
    def load(cls, root: Path, settings: Settings, language: Language) -> Localisation:
        source = settings.source_language.code
        return cls(language, Translator.load(root, language, source),
                   Formats.for_language(language))

    def text(self, context: str, german: str) -> Localized:
        return self.translator.text(context, german)

    def ui(self, german: str) -> Localized:
        return self.translator.ui(german)

    def field(self, item: object, name: str) -> Localized:
        """A short text field of a model object, e.g. field(offer, "title")."""
        return self.text(context(item, name), getattr(item, name))

    def blocks(self, item: object, name: str) -> list[Localized]:
        """A Markdown field, paragraph by paragraph, each translated or German."""
        ctx = context(item, name)
        return [self.text(ctx, p) for p in paragraphs(getattr(item, name))]
