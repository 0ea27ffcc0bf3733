"""Left-to-right runs in right-to-left text: phone numbers, e-mails, web addresses, postcodes.

In an Arabic or Persian paragraph the Unicode bidi algorithm reorders the parts of a phone
number around its spaces and hyphens: `0214 406-5246` shows as `5246-406 0214`, and
`51373 Leverkusen` as `Leverkusen 51373`. Wrapped in <bdi dir="ltr"> each such run is
isolated (unicode-bidi: isolate) and reads left to right as a whole.

In text of a language not written in Latin script, a run of Latin words is a German name
("Kommunales Integrationszentrum", "Hauptstraße"): `mark_latin_runs` gives it lang="de",
so a screen reader reads it with German rules, not Arabic or Russian ones.
"""

from __future__ import annotations

import re

from markupsafe import Markup

LTR_RUN = re.compile(
    r"https?://[^\s<>\"]*[^\s<>\".,;:!?)»]"  # web address
    r"|\bwww\.[^\s<>\"]*[^\s<>\".,;:!?)»]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<![\w/])(?:\+|0|۰|٠)\d[\d /()-]{3,}\d(?![\w])"  # phone: 0 or + first, 6 characters on
    r"|\b\d{5}(?: [A-ZÄÖÜ][\w-]*)?",  # postcode, with a Latin place name after it
)
TAG = re.compile(r"(<[^>]*>)")


def isolate_ltr_runs(html: str, links: bool = False) -> Markup:
    """`html` with every phone number, e-mail, address and postcode in its text (not in
    its tags, and not inside a <bdi> already) wrapped in <bdi dir="ltr">.

    `links`: e-mails and web addresses outside a link become links (mailto:, https://)."""
    parts, isolated, linked = [], 0, 0
    for part in TAG.split(html):
        if part.startswith("<"):
            isolated += part.startswith("<bdi") - part.startswith("</bdi")
            linked += part.startswith("<a ") - part.startswith("</a")
            parts.append(part)
        elif isolated:
            parts.append(part)
        else:
            link = links and not linked
            parts.append(LTR_RUN.sub(lambda run, link=link: isolate(run[0], link), part))
    return Markup("".join(parts))


def isolate(run: str, link: bool) -> str:
    """One run (already HTML-escaped) in a <bdi>, as a link if it is an address."""
    target = ""
    if link and "@" in run and "/" not in run:
        target = f"mailto:{run}"
    elif link and run.startswith(("https://", "http://")):
        target = run
    elif link and run.startswith("www."):
        target = f"https://{run}"
    inner = f'<a href="{target}">{run}</a>' if target else run
    return f'<bdi dir="ltr">{inner}</bdi>'


LATIN_WORD = r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f][\w'’.-]*(?<![.-])"
LATIN_RUN = re.compile(rf"(?<![&#\w]){LATIN_WORD}(?:[ -]+{LATIN_WORD})*")


def mark_latin_runs(html: str, lang: str) -> Markup:
    """`html` with every run of Latin words in its text wrapped in <span lang=`lang`>,
    except inside links (a web or e-mail address is no German name)."""
    parts, nested = [], 0
    for part in TAG.split(html):
        if part.startswith("<"):
            nested += part.startswith("<a ") - part.startswith("</a>")
            parts.append(part)
        elif nested:
            parts.append(part)
        else:
            parts.append(LATIN_RUN.sub(
                lambda run: f'<span lang="{lang}">{run[0]}</span>', part))
    return Markup("".join(parts))
