"""The translators' catalogs, checked before anything is rendered.

Catalogs come by e-mail and from Weblate, and Babel's reader accepts much that breaks the
build later (an unclosed quote, a renamed {placeholder} in a template string) or that
other tools refuse (a Plural-Forms header gettext cannot evaluate). `check` reads each
catalog of a site language line by line, as msgfmt would, and reports every problem at
translations/<lang>.po:line, so a translator's typo never reaches the build.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter

from wegweiser.content import markdown_cost
from wegweiser.content.load import read_text
from wegweiser.content.po import catalog_file, catalog_paths, readable
from wegweiser.model import Settings
from wegweiser.problems import Location, Problems
from wegweiser.wording import _

MAX_CATALOG_BYTES = 64 * 1024 * 1024  # a city of 5,000 offers has catalogs of a few MB
UI = "ui"  # the context of the templates' strings, the only ones filled with values
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]+(.*)$")
STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"[ \t]*$')
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
           "f": "\f", "v": "\v", "'": "'", "?": "?"}
ESCAPE = re.compile(r"\\(.)")
PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+?)\s*;?\s*$")


@dataclass
class Entry:
    """One msgctxt/msgid/msgstr group: each keyword's text and the line it starts on."""

    line: int
    texts: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    parts: list[tuple[int, str]] = field(default_factory=list)  # (line, text) of msgstr
    fuzzy: bool = False
    last: str = ""  # the keyword a continuation line belongs to


def check_catalogs(root: Path, settings: Settings, problems: Problems) -> None:
    """Every catalog of a translated site language that exists, content and interface."""
    for language in settings.languages[1:]:
        for path in catalog_paths(root, language.code):
            check_catalog(path, problems)


def check_catalog(path: Path, problems: Problems) -> None:
    file = catalog_file(path)
    text = read_text(path, file, problems, limit=MAX_CATALOG_BYTES)
    if text is None:
        return
    found = Problems()
    entries = parse(text, file, found)
    if not found.errors and readable(path, found) is not None:
        for entry in entries:
            check_entry(entry, file, found)
    problems.extend(found)


def parse(text: str, file: str, problems: Problems) -> list[Entry]:
    """The entries of a PO file; every line that is not PO syntax is a problem."""
    entries: list[Entry] = []
    flags: set[str] = set()
    for number, row in enumerate(text.split("\n"), start=1):
        line = row.strip()
        if not line or line.startswith("#~"):
            continue  # obsolete entries are never used
        if line.startswith("#"):
            flags |= {f.strip() for f in line[2:].split(",")} if line.startswith("#,") else set()
            continue
        here = Location(file, number, 1)
        keyword = KEYWORD.match(line)
        if keyword:
            entry = entry_for(entries, keyword[1], number, flags, here, problems)
            flags = set()
            add_text(entry, keyword[1], keyword[2], number, here, problems)
        elif line.startswith('"') and entries and entries[-1].last:
            add_text(entries[-1], entries[-1].last, line, number, here, problems)
        else:
            problems.error(here, _("this line is not part of a catalog entry; each line is a"
                                   " comment (#), msgctxt, msgid, msgstr or a text in"
                                   " double quotes"))
    for entry in entries:
        if "msgid" not in entry.texts or not any(k.startswith("msgstr") for k in entry.texts):
            problems.error(Location(file, entry.line, 1), _(
                "this entry needs both a msgid and a msgstr line"))
    return entries


def entry_for(entries: list[Entry], keyword: str, number: int, flags: set[str],
              here: Location, problems: Problems) -> Entry:
    """The entry a keyword line belongs to: msgctxt or msgid after a msgstr starts one."""
    current = entries[-1] if entries else None
    starts = keyword in ("msgctxt", "msgid") and (
        current is None or any(k.startswith("msgstr") for k in current.texts)
        or keyword in current.texts or (keyword == "msgctxt" and "msgid" in current.texts))
    if starts or current is None:
        current = Entry(number, fuzzy="fuzzy" in flags)
        entries.append(current)
    elif keyword in current.texts:
        problems.error(here, _("'{keyword}' appears twice in one entry", keyword=keyword))
    elif keyword.startswith("msgstr") and "msgid" not in current.texts:
        problems.error(here, _("a msgstr line needs a msgid line above it"))
    return current


def add_text(entry: Entry, keyword: str, quoted: str, number: int, here: Location,
             problems: Problems) -> None:
    entry.last = keyword
    entry.lines.setdefault(keyword, number)
    entry.texts.setdefault(keyword, "")  # present, even if its text is broken
    found = STRING.match(quoted.strip())
    if not found:
        problems.error(here, _("the text must be written in double quotes \"...\", with \\\" for"
                               " a quote inside it; a closing quote is missing or misplaced"))
        return
    unknown = next((m for m in ESCAPE.finditer(found[1]) if m[1] not in ESCAPES), None)
    if unknown:
        problems.error(here, _("'\\{char}' is not an escape a catalog knows; write \\\\ for a"
                               " backslash", char=unknown[1]))
        return
    text = ESCAPE.sub(lambda m: ESCAPES[m[1]], found[1])
    entry.texts[keyword] += text
    if keyword.startswith("msgstr"):
        entry.parts.append((number, text))


def check_entry(entry: Entry, file: str, problems: Problems) -> None:
    msgid, context = entry.texts.get("msgid", ""), entry.texts.get("msgctxt")
    for keyword, text in entry.texts.items():
        if not keyword.startswith("msgstr") or not text:
            continue
        here = Location(file, entry.lines[keyword], 1)
        if msgid == "" and context is None:
            check_header(entry, file, problems)
            continue
        if context == UI and not entry.fuzzy:
            check_placeholders(msgid, text, here, problems)
        found = markdown_cost.cost_problem(text)
        if found:
            problems.error(here, found[1])


def check_placeholders(msgid: str, msgstr: str, here: Location, problems: Problems) -> None:
    """A template string with {placeholders} is filled with str.format: the translation's
    must be the German's. A string without any is never formatted: braces there are text."""
    allowed = placeholders(msgid)
    if not allowed:
        return
    used = placeholders(msgstr)
    shown = ", ".join(f"{{{name}}}" for name in sorted(allowed))
    if used is None:
        problems.error(here, _("the translation has a '{{' or '}}' that is not part of a"
                               " placeholder; keep the placeholders of the German text as they"
                               " are ({placeholders})", placeholders=shown))
    elif used - allowed:
        problems.error(here, _("the translation uses {{{name}}}, which the German text does not"
                               " have; keep the placeholders as they are ({placeholders})",
                               name=sorted(used - allowed)[0], placeholders=shown))


def placeholders(text: str) -> set[str] | None:
    """The names of the {placeholders}, None if the text is no plain format string
    (an unpaired brace, or a placeholder with an attribute, index, conversion or format)."""
    try:
        parts = list(Formatter().parse(text))
    except ValueError:
        return None
    names = set()
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            return None
        names.add(name)
    return names


def check_header(header: Entry, file: str, problems: Problems) -> None:
    """The Plural-Forms header, as gettext evaluates it (its text may span several lines)."""
    text = "".join(part for _line, part in header.parts)
    offset = 0
    for row in text.split("\n"):
        name, _colon, value = row.partition(":")
        if name.strip().lower() == "plural-forms" and not plural_forms_valid(value):
            problems.error(Location(file, line_at(header, offset), 1), _(
                "the header 'Plural-Forms: {value}' cannot be evaluated; write it as"
                " 'nplurals=2; plural=(n != 1);' (the form for your language is in the"
                " gettext manual)", value=value.strip()))
        offset += len(row) + 1


def line_at(entry: Entry, offset: int) -> int:
    """The line of the msgstr part that holds the character at `offset`."""
    for line, part in entry.parts:
        if offset < len(part):
            return line
        offset -= len(part)
    return entry.lines.get("msgstr", entry.line)


def plural_forms_valid(value: str) -> bool:
    found = PLURAL_FORMS.match(value)
    if not found or not 1 <= int(found[1]) <= 6:
        return False
    try:
        plural = gettext.c2py(found[2])
        return all(0 <= plural(n) < int(found[1]) for n in range(1000))
    except (ValueError, SyntaxError, TypeError, OverflowError, RecursionError,
            ZeroDivisionError):
        return False
