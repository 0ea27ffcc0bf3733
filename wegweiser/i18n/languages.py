"""One name for each language: in a reader's language, and in its own (its autonym).

CLDR names the language alone: "kmr" is never "Kurdisch (Türkei)", which Babel's display
names would say after guessing a territory for it. A private-use tag (de-x-ls, Leichte
Sprache) and a language CLDR does not know (prs, Dari) take the names written in
site.yml: `names` per reader language, then the language's own `name`. A code nobody
named is shown as the code; naming a language never fails a build.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

from wegweiser.i18n.localisation import Localized, likely_script
from wegweiser.model import Language


def language_name(code: str, reader: Language, configured: tuple[Language, ...]) -> Localized:
    """`code` named for a reader of `reader`: a name site.yml gives for that reader, else
    CLDR's name in the reader's language, else the language's own name. The result's
    `lang` is the language the name is written in."""
    own = configured_language(code, configured)
    if own is not None and reader.code in dict(own.names):
        return Localized(dict(own.names)[reader.code], reader.code)
    name = cldr_name(code, reader.locale)
    if name:
        return Localized(name, reader.code)
    return autonym(code, configured)


def autonym(code: str, configured: tuple[Language, ...]) -> Localized:
    """`code` in its own name (Deutsch, العربية): readers find their language at a glance.
    The name site.yml gives it, else CLDR's, else the code."""
    own = configured_language(code, configured)
    if own is not None:
        return Localized(own.name, code)
    name = cldr_name(code, code)
    return Localized(name[:1].upper() + name[1:] if name else code, code)


def configured_language(code: str, configured: tuple[Language, ...]) -> Language | None:
    return next((lang for lang in configured if lang.code == code), None)


def cldr_name(code: str, locale: str) -> str | None:
    """CLDR's name of the language `code` (of the whole tag where CLDR names it, e.g. zh-Hant,
    else of its base language) in the language of `locale`; None where CLDR has none."""
    if "x" in code.lower().split("-"):
        return None  # private use: its base language (de) would name it wrongly
    names = cldr_names(locale)
    return names.get(code.replace("-", "_")) or names.get(code.split("-")[0])


@cache
def cldr_names(locale: str) -> dict[str, str]:
    """The language names of a CLDR locale; none for a locale CLDR does not know."""
    try:
        return dict(Locale.parse(locale.replace("-", "_")).languages)
    except (UnknownLocaleError, ValueError):
        return {}


def latin_stands_out(language: Language) -> bool:
    """Whether Latin script is foreign in text of `language` (Arabic, Cyrillic): there a
    run of Latin words is a German name, marked as German for screen readers."""
    return likely_script(language.code) not in ("", "Latn")
