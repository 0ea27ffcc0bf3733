"""Reading gettext catalogs: where a language's catalogs are, and Babel's reader made fit.

The translators' catalogs are part of the content tree (translations/), so the content
stage checks them; the renderers look texts up in them (i18n) and `translations` updates
them. All read them through here.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, denormalize, read_po

from wegweiser.problems import Location, Problems
from wegweiser.resources import PACKAGE, SHIPPED_INTERFACE
from wegweiser.wording import _

FOLDER = "translations"


LANGUAGE_HEADER = re.compile(rb'^"Language: *([^"\\]*)\\n"', re.MULTILINE)


def read_po_file(path: Path, abort_invalid: bool = False) -> Catalog:
    """Babel's reader, for any language tag, keeping the previous German of fuzzy entries.

    Babel refuses a Language header it has no CLDR data for (a private-use tag such as
    de-x-ls): such a catalog is read as one without a Language header (the file's name
    says the language anyway). Babel reads `#| msgid` lines, the previous German of a
    fuzzy entry, as translator comments; they are moved back to `previous_id`, so writing
    the catalog again keeps them.
    """
    data = LANGUAGE_HEADER.sub(_known_language_only, path.read_bytes(), count=1)
    catalog = read_po(io.BytesIO(data), abort_invalid=abort_invalid)
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous_id(message)
    return catalog


def _known_language_only(header: re.Match[bytes]) -> bytes:
    return header[0] if known_tag(header[1].decode("ascii", "replace")) else b'"Language: \\n"'


def known_tag(tag: str) -> bool:
    """True if Babel has CLDR data for the language tag (de-x-ls: no)."""
    try:
        Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, LookupError):
        return False
    return True


def _restore_previous_id(message: Message) -> None:
    previous = [c for c in message.user_comments if c.startswith("|")]
    if not previous:
        return
    message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    lines: list[str] = []
    for comment in previous:
        keyword, _, rest = comment[1:].strip().partition(" ")
        if keyword == "msgid":
            lines = [rest]
        elif keyword.startswith('"') and lines:  # a long previous msgid goes on
            lines.append(comment[1:].strip())
    message.previous_id = [denormalize("\n".join(lines))] if lines else []


def interface_paths(root: Path, code: str) -> tuple[Path, Path]:
    """Where the interface texts of a language are looked up, the first one first."""
    return root / "translations" / "interface" / f"{code}.po", SHIPPED_INTERFACE / f"{code}.po"


def catalog_paths(root: Path, code: str) -> list[Path]:
    """The project's catalogs of a language (content, interface) that exist."""
    paths = (root / FOLDER / f"{code}.po", interface_paths(root, code)[0])
    return [path for path in paths if path.is_file()]


def read_catalog(path: Path) -> Catalog | None:
    """The catalog in a file, None if there is none; PoFileError if it is broken."""
    if not path.exists():
        return None
    return read_po_file(path, abort_invalid=True)


def readable(path: Path, problems: Problems) -> Catalog | None:
    """The catalog, or None with an error naming the broken line (a translator's typo)."""
    try:
        return read_catalog(path)
    except (PoFileError, UnicodeDecodeError) as e:
        line = getattr(e, "lineno", -1) + 1
        problems.error(
            Location(catalog_file(path), line),
            _("the catalog cannot be read ({reason}); check it with Poedit or `msgfmt --check`",
              reason=e),
        )
        return None


def catalog_file(path: Path) -> str:
    """translations/en.po or translations/interface/en.po, as messages name a catalog."""
    parts = path.parts
    if FOLDER not in parts:
        return path.relative_to(PACKAGE.parent).as_posix()  # a catalog of the package
    return "/".join(parts[len(parts) - 1 - parts[::-1].index(FOLDER):])
