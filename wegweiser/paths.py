"""Every public path of the site: pages, downloads, feeds and data, and their absolute URLs.

A page's path is relative to its language's root (`angebote/sprachpaten/`), a file's to the
site's root (`downloads/wegweiser-de.pdf`). Renderers and templates (as the global `paths`)
ask here, so a URL that readers bookmark and print is spelled once.
"""

from __future__ import annotations

OFFERS = "angebote/"
CONTACTS = "anlaufstellen/"
CATEGORIES = "themen/"
PROGRAMME = "programm/"
OPEN_DATA = "offene-daten/"
EDITORIAL = "seiten/"  # an editorial page whose id names a section goes below it
DOWNLOADS = "downloads/"
DATA = "data/"
FEED = "programme.ics"
STATUS = "translations.json"
# The first part of a generated path below a language root; an editorial page of this id
# goes below EDITORIAL (and an offer, contact point or category `index` is refused, checks.py).
SECTIONS = frozenset({"index", "angebote", "themen", "anlaufstellen", "programm", "404",
                      "assets", "search", "seiten", "offene-daten"})


# -- pages below a language's root (directory URLs, as mkdocs writes them) ------------------


def offer(offer_id: str) -> str:
    return f"{OFFERS}{offer_id}/"


def contact(contact_id: str) -> str:
    return f"{CONTACTS}{contact_id}/"


def category(category_id: str) -> str:
    return f"{CATEGORIES}{category_id}/"


def month(month_id: str) -> str:
    """A month of the programme, `month_id` written YYYY-MM."""
    return f"{PROGRAMME}{month_id}/"


def editorial(page_id: str) -> str:
    return f"{EDITORIAL}{page_id}/" if page_id in SECTIONS else f"{page_id}/"


def source(page: str) -> str:
    """The Markdown file of a page: "" is index.md, "angebote/" angebote/index.md,
    "angebote/sprachpaten/" angebote/sprachpaten.md."""
    if page in ("", "index/"):
        return "index.md"
    stem = page.rstrip("/")
    return f"{stem}/index.md" if page in (OFFERS, CONTACTS, PROGRAMME) else f"{stem}.md"


def page(source_file: str) -> str:
    """The page of a Markdown file below the language's root, the reverse of `source`."""
    stem = source_file.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


# -- files at the site's root -------------------------------------------------------------


def brochure(code: str, printed: bool = False) -> str:
    """The brochure of a language; `printed`: the print-shop variant (bleed, crop marks)."""
    return DOWNLOADS + brochure_file(code, printed)


def brochure_file(code: str, printed: bool = False) -> str:
    """The brochure's file name in DOWNLOADS."""
    return f"wegweiser-{code}{'-print' if printed else ''}.pdf"


def flyer(month_id: str, code: str) -> str:
    return f"{DOWNLOADS}programm-{month_id}-{code}.pdf"


def poster(month_id: str, code: str) -> str:
    """The month's A3 poster for a notice board, beside its flyer."""
    return f"{DOWNLOADS}programm-{month_id}-{code}-aushang.pdf"


def feed(code: str | None = None) -> str:
    """The programme as iCalendar: all dates in German at the root, else in a language."""
    return f"{code}/{FEED}" if code else FEED


# -- absolute URLs ------------------------------------------------------------------------


def in_language(code: str, path: str = "") -> str:
    """A page's path from the site's root: its language, then the page."""
    return f"{code}/{path}"


def absolute(base_url: str, path: str = "") -> str:
    """`path` (from the site's root) at the site's address; base_url ends with '/'."""
    return f"{base_url}{path}"


def printed(url: str) -> str:
    """An address as print shows it: without the scheme and the trailing slash."""
    return url.removeprefix("https://").removeprefix("http://").rstrip("/")
