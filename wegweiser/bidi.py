"""Left-to-right runs in right-to-left text: phone numbers, e-mails, web addresses, postcodes.

In an Arabic or Persian paragraph the Unicode bidi algorithm reorders the parts of a phone
number around its spaces and hyphens: `0214 406-5246` shows as `5246-406 0214`, and
`51373 Leverkusen` as `Leverkusen 51373`. Wrapped in <bdi dir="ltr"> each such run is
isolated (unicode-bidi: isolate) and reads left to right as a whole.
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


def isolate_ltr_runs(html: str) -> Markup:
    """`html` with every phone number, e-mail, address and postcode in its text (not in
    its tags, and not inside a <bdi> already) wrapped in <bdi dir="ltr">."""
    parts, depth = [], 0
    for part in TAG.split(html):
        if part.startswith("<"):
            depth += part.startswith("<bdi") - part.startswith("</bdi")
            parts.append(part)
        elif depth:
            parts.append(part)
        else:
            parts.append(LTR_RUN.sub(r'<bdi dir="ltr">\g<0></bdi>', part))
    return Markup("".join(parts))
