"""Right-to-left text: left-to-right runs isolated, Latin runs isolated and marked German.

In an Arabic or Persian paragraph the Unicode bidi algorithm reorders the parts of a phone
number around its spaces and hyphens: `0214 406-5246` shows as `5246-406 0214`, and
`51373 Leverkusen` as `Leverkusen 51373`. Wrapped in <bdi dir="ltr"> each such run is
isolated (unicode-bidi: isolate) and reads left to right as a whole. A run of Latin words
in right-to-left text is isolated too, so "(Kommunales Integrationszentrum)" keeps its
word order and its brackets paired when the line wraps.

In text of a language not written in Latin script, a run of Latin words is a German name
("Kommunales Integrationszentrum", "Hauptstraße"): `mark_latin_runs` gives it lang="de",
so a screen reader reads it with German rules, not Arabic or Russian ones.

Every function takes escaped text or HTML and returns HTML. The website's pages are
Markdown, where `isolate_for_page` leaves link targets, raw tags, URLs and character
references alone (URLs are isolated where they become links, markup.linkify); the print
documents are HTML, where `isolate_ltr_runs` also isolates addresses and postcodes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup

TAG = re.compile(r"(<[^>]*>)")
TEL_CLASS = "ww-tel"  # a phone number, kept on one line (site.css)
LATIN_CLASS = "ww-latin"  # a Latin run in brackets, kept on one line where it fits (site.css)
LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def isolated(html: str, direction: str = "", css_class: str = "") -> Markup:
    """`html` (escaped already) in a <bdi>: `direction` "ltr" for what reads left to right
    in every language (numbers, addresses), none for what takes its own script's."""
    attributes = (f' dir="{direction}"' if direction else "") + \
        (f' class="{css_class}"' if css_class else "")
    return Markup(f"<bdi{attributes}>{html}</bdi>")


# --- print: phone numbers, e-mails, web addresses, postcodes ------------------------------

LTR_RUN = re.compile(
    r"https?://[^\s<>\"]*[^\s<>\".,;:!?)»]"  # web address
    r"|\bwww\.[^\s<>\"]*[^\s<>\".,;:!?)»]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<![\w/])(?:\+|0|۰|٠)\d[\d /()-]{3,}\d(?![\w])"  # phone: 0 or + first, 6 characters on
    r"|\b\d{5}(?: [A-ZÄÖÜ][\w-]*)?",  # postcode, with a Latin place name after it
)


def sub_text(html: str, change: Callable[[str, bool, bool], str]) -> Markup:
    """`html` with each text between its tags replaced by change(text, isolated, linked):
    whether the text is inside a <bdi>, and inside a link. The tags stay as they are."""
    parts, isolating, linking = [], 0, 0
    for part in TAG.split(html):
        if part.startswith("<"):
            isolating += part.startswith("<bdi") - part.startswith("</bdi")
            linking += part.startswith("<a ") - part.startswith("</a>")
            parts.append(part)
        else:
            parts.append(change(part, isolating > 0, linking > 0))
    return Markup("".join(parts))


def isolate_ltr_runs(html: str, links: bool = False) -> Markup:
    """`html` with every phone number, e-mail, address and postcode in its text (not in
    its tags, and not inside a <bdi> already) wrapped in <bdi dir="ltr">.

    `links`: e-mails and web addresses outside a link become links (mailto:, https://)."""
    def change(text: str, inside_bdi: bool, inside_link: bool) -> str:
        if inside_bdi:
            return text
        link = links and not inside_link
        return LTR_RUN.sub(lambda run: isolate(run[0], link), text)
    return sub_text(html, change)


def isolate(run: str, link: bool) -> str:
    """One run (already HTML-escaped) in a <bdi>, as a link if it is an address."""
    target = ""
    if link and "@" in run and "/" not in run:
        target = f"mailto:{run}"
    elif link and run.startswith(("https://", "http://")):
        target = run
    elif link and run.startswith("www."):
        target = f"https://{run}"
    return isolated(f'<a href="{target}">{run}</a>' if target else run, "ltr")


LATIN_WORD = rf"[{LATIN}][\w'’.-]*(?<![.-])"
LATIN_RUN = re.compile(rf"(?<![&#\w]){LATIN_WORD}(?:[ -]+{LATIN_WORD})*")


def mark_latin_runs(html: str, lang: str) -> Markup:
    """`html` with every run of Latin words in its text wrapped in <span lang=`lang`>,
    except inside links (a web or e-mail address is no German name)."""
    return sub_text(html, lambda text, _isolated, inside_link: text if inside_link else
                    LATIN_RUN.sub(lambda run: f'<span lang="{lang}">{run[0]}</span>', text))


# --- the website's Markdown, and Latin runs in both -----------------------------------------

# Phone numbers and e-mail addresses inside running text; in right-to-left text they are
# isolated left to right, or "0214 406-5246" would show its groups in reverse order.
PHONE_OR_EMAIL = re.compile(
    r"(?<![\w@.])(?:\+?\d{2,6}(?:[ /-]\d{2,}){1,4}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?![\w@])")
# A run of Latin words (with digits, hyphens, dots and apostrophes inside) in RTL text.
LATIN_PHRASE = re.compile(rf"[{LATIN}](?:[{LATIN}0-9'’.-]*[{LATIN}0-9])?"
                          rf"(?:[ \u00a0]+[{LATIN}0-9](?:[{LATIN}0-9'’.-]*[{LATIN}0-9])?)*")
# A Latin run in brackets is isolated with its brackets, as one left-to-right unit that
# the page keeps on one line where it fits (site.css: bdi.ww-latin) if it is short; a
# longer one flows with the line, or on a phone it stood apart as a block of its own.
BRACKETED_LATIN = re.compile(rf"\((?:{LATIN_PHRASE.pattern})\)|(?:{LATIN_PHRASE.pattern})")
LATIN_UNIT_CHARS = 36
# Markdown link targets, raw tags, URLs and text isolated already are left alone.
PROTECTED = re.compile(r"<bdi\b[^>]*>.*?</bdi>|\]\([^)]*\)|<[^>]*>|https?://\S+|&#?\w+;")


def sub_unprotected(text: str, change: Callable[[str], str]) -> str:
    """`text` with `change` applied to what lies between its PROTECTED parts."""
    parts, last = [], 0
    for match in PROTECTED.finditer(text):
        parts += [change(text[last:match.start()]), match.group()]
        last = match.end()
    parts.append(change(text[last:]))
    return "".join(parts)


def isolate_phones_and_emails(text: str) -> Markup:
    """Phone numbers and e-mail addresses of (escaped) Markdown or HTML in <bdi dir="ltr">,
    a phone number kept on one line."""
    def run(match: re.Match[str]) -> str:
        return isolated(match.group(), "ltr", "" if "@" in match.group() else TEL_CLASS)
    return Markup(sub_unprotected(text, lambda part: PHONE_OR_EMAIL.sub(run, part)))


def isolate_latin_runs(text: str) -> Markup:
    """Latin runs of (escaped) right-to-left text in <bdi dir="ltr">, one in brackets with
    its brackets; tags, references, URLs and isolated parts are left alone. The direction
    is given, not found (dir="auto"): WeasyPrint 70 lays the parts of a run that later gets
    spans inside ("<span lang="de">Hauptstraße</span> 105") out right to left otherwise."""
    def run(match: re.Match[str]) -> str:
        run = match.group()
        short = run.startswith("(") and len(run) <= LATIN_UNIT_CHARS
        return isolated(run, "ltr", LATIN_CLASS if short else "")
    return Markup(sub_unprotected(text, lambda part: BRACKETED_LATIN.sub(run, part)))


def isolate_for_page(text: str) -> Markup:
    """(Escaped) text of a right-to-left page: phone numbers and e-mail addresses isolated,
    and where it has right-to-left letters, its Latin runs."""
    found = isolate_phones_and_emails(text)
    return isolate_latin_runs(found) if RTL_LETTER.search(found) else found
