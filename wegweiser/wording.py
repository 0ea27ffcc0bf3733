"""The language of the messages for editors: German by default, English on request.

Every message is written in English in the code, `_("unknown field '{key}'", key=key)`,
and its German wording is in locale/de/LC_MESSAGES/wegweiser.po (gettext, read with Babel;
no compiled .mo). Placeholders stay as they are: they hold field names, values and file
names the editor types, not words. The language is chosen once per process with `use()`
(`--messages en`), else from WEGWEISER_MESSAGES, else German.

After adding or changing a message, update the catalog and translate what is new:

    .venv/bin/python -m wegweiser.wording
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from wegweiser.resources import LOCALE

LANGUAGES = ("de", "en")
DEFAULT = "de"  # the editors are German
ENVIRONMENT = "WEGWEISER_MESSAGES"
DOMAIN = "wegweiser"
KEYWORDS = {"_": None, "N_": None, "_n": (1, 2)}  # what extraction looks for

_chosen: str | None = None


def use(language: str | None) -> None:
    """Choose the language of messages for this process (None: back to the default)."""
    global _chosen
    _chosen = language if language in LANGUAGES else None


def language() -> str:
    """The chosen language, else WEGWEISER_MESSAGES (en, en_GB.UTF-8, ...), else German."""
    if _chosen:
        return _chosen
    wanted = os.environ.get(ENVIRONMENT, "")[:2].lower()
    return wanted if wanted in LANGUAGES else DEFAULT


def _(message: str, **fields: Any) -> str:
    """The message in the chosen language, with its {placeholders} filled in."""
    if language() != "en":
        message = _catalog(language()).get(message) or message
    return message.format(**fields)


def _n(singular: str, plural: str, n: int, **fields: Any) -> str:
    """'1 file' / '2 files'; German and English both use the singular for 1 only."""
    if language() != "en":
        forms = _catalog(language()).get((singular, plural))
        if isinstance(forms, tuple) and all(forms):
            singular, plural = forms[0], forms[1]
    return (singular if n == 1 else plural).format(n=n, **fields)


def number(n: float, pattern: str | None = None) -> str:
    """A number as the chosen language writes it: 50,000 / 50.000, 8.3 / 8,3; `pattern` is
    a CLDR number pattern such as "0.0" (always one decimal)."""
    from babel.numbers import format_decimal

    return format_decimal(n, format=pattern, locale=language())


def N_(message: str) -> str:  # noqa: N802 (the gettext name extraction looks for)
    """Marks a message for the catalog where it is translated later, with `_()`."""
    return message


@cache
def _catalog(lang: str) -> dict[Any, Any]:
    """msgid -> msgstr of one language; untranslated and fuzzy entries are left out."""
    from babel.messages.pofile import read_po

    path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


# Keeping the catalog up to date (not needed at run time) --------------------------------


def extract() -> Iterator[tuple[str, int, Any, list[str]]]:
    """Every message of the package: (file, line, msgid, comments); from the Python code
    and from the `errorMessage` of the JSON Schemas."""
    from babel.messages.extract import extract_from_dir

    package = LOCALE.parent
    methods = [("**.schema.json", "wegweiser.wording:extract_schema"), ("**.py", "python")]
    for file, line, message, comments, _context in extract_from_dir(
            str(package), methods, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        yield f"wegweiser/{file}", line, message, comments


def extract_schema(fileobj: Any, keywords: Any, comment_tags: Any,
                   options: Any) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for the JSON Schemas: the `errorMessage` texts."""
    text = fileobj.read().decode("utf-8")
    for found in re.finditer(r'"errorMessage"\s*:\s*("(?:[^"\\]|\\.)*")', text):
        line = text.count("\n", 0, found.start()) + 1
        yield line, "_", json.loads(found.group(1)), ["what to write, shown after 'expected'"]


def update_catalogs() -> None:
    """Write locale/wegweiser.pot from the code and merge it into every language's .po."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    template = Catalog(project="Wegweiser", domain=DOMAIN, fuzzy=False)
    for file, _line, message, comments in extract():
        flags = ("python-brace-format",) if "{" in str(message) else ()
        template.add(message, locations=[(file, None)], auto_comments=comments, flags=flags)
    with (LOCALE / f"{DOMAIN}.pot").open("wb") as f:
        write_po(f, template, width=100, omit_header=True, sort_output=True)
    for lang in LANGUAGES:
        path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if lang == "en" or not path.is_file():
            continue
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        created = catalog.creation_date  # kept: a new date alone is no change worth a commit
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = created
        catalog.project, catalog.version, catalog.msgid_bugs_address = DOMAIN, "", ""
        with path.open("wb") as f:
            write_po(f, catalog, width=100, sort_output=True, ignore_obsolete=True)
        missing = [m.id for m in catalog if m.id and not translated(m.string)]
        print(f"{path}: {len(missing)} message(s) to translate")


def translated(string: str | tuple[str, ...]) -> bool:
    """A plural entry is translated when each of its forms is."""
    return all(string) if isinstance(string, tuple) else bool(string)


if __name__ == "__main__":
    update_catalogs()
