"""Characters no content needs: control characters, bidirectional overrides, invisible ones.

YAML lets an editor write any character as an escape ("\\0", "\\x1b", "\\u202e"), and text
copied from elsewhere brings invisible ones. In content they hide or fake text: U+202E turns
"pdf.exe" into what reads as "exe.pdf", an escape sequence recolours or rewrites the
editor's terminal, a zero-width space makes two ids look alike. `check` refuses them, naming
the character; the problem printer shows any that reach a message as escapes (`printable`).

Kept: tab and line feed; no-break and other spaces (typography); soft hyphen; the zero-width
(non-)joiners Persian and emoji need; the left-to-right and right-to-left marks of RTL text.
"""

from __future__ import annotations

import re
import unicodedata

from wegweiser.wording import N_, _

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
INVISIBLE = re.compile("[\u115f\u1160\u180e\u200b\u2060-\u2064\u3164\ufeff\uffa0"
                       "\U000e0001\U000e0020-\U000e007f]")
KINDS = (
    (CONTROL, N_("the control character U+{code:04X} {name}, which can hide or fake text")),
    (BIDI, N_("the character U+{code:04X} {name}, which changes the direction in which text"
              " is shown")),
    (INVISIBLE, N_("the invisible character U+{code:04X} {name}")),
)
UNPRINTABLE = re.compile(f"[\t\n{CONTROL.pattern[1:-1]}{BIDI.pattern[1:-1]}"
                         f"{INVISIBLE.pattern[1:-1]}]")
# Control characters have no Unicode name, only aliases (NameAliases.txt).
C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
    "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
    "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
    "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)


def character_name(char: str) -> str:
    """RIGHT-TO-LEFT OVERRIDE, ESCAPE, ZERO WIDTH SPACE, ..."""
    code = ord(char)
    if code < 0x20:
        return C0_NAMES[code]
    if code == 0x7F:
        return "DELETE"
    return unicodedata.name(char, "CONTROL CHARACTER")


def refused_character(text: str) -> tuple[int, str] | None:
    """The first character content must not hold: its index and a description of it, e.g.
    "the character U+202E RIGHT-TO-LEFT OVERRIDE, which changes the direction ..."."""
    found = [(match.start(), kind) for pattern, kind in KINDS
             if (match := pattern.search(text))]
    if not found:
        return None
    index, kind = min(found)
    char = text[index]
    return index, _(kind, code=ord(char), name=character_name(char))


def printable(text: str, keep_lines: bool = False) -> str:
    """Text for one line of a terminal: control, direction and invisible characters (also
    line breaks and tabs) shown as escapes, so a value cannot recolour, hide or add lines.
    `keep_lines` leaves line breaks and tabs to a format that encodes them (GitHub's %0A)."""
    if keep_lines:
        return UNPRINTABLE.sub(lambda m: m.group() if m.group() in "\t\n" else _escape(m),
                               text)
    return UNPRINTABLE.sub(_escape, text)


def json_printable(text: str) -> str:
    """JSON text whose strings hold those characters as \\u escapes: the same data for a
    program, nothing that acts on a terminal that shows it."""
    return UNPRINTABLE.sub(lambda m: _json_escape(m.group()), text)


def _json_escape(char: str) -> str:
    if char in "\t\n":  # only outside strings: json.dumps escapes them inside
        return char
    data = char.encode("utf-16-be")
    return "".join(f"\\u{int.from_bytes(data[i:i + 2], 'big'):04x}"
                   for i in range(0, len(data), 2))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return {9: "\\t", 10: "\\n"}.get(code) or (f"\\x{code:02x}" if code < 0x100
                                               else f"\\u{code:04x}" if code < 0x10000
                                               else f"\\U{code:08x}")
