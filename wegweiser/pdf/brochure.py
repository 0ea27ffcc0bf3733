"""The Wegweiser brochure: one accessible A5 PDF per language, plus a print variant.

Dedicated Jinja print templates (templates/brochure) turn the model into HTML with CSS
paged media; WeasyPrint lays it out as tagged PDF/UA-1. Rendering is the slow part, so
the HTML of a language (which holds everything it shows: content, translations, layout)
is hashed together with the fonts and the code (cache.brochure_key); an unchanged brochure
is copied from build/cache/brochure instead of being rendered again. A changed one is made
of parts (PARTS), each a PDF of its own kept in the cache, laid out again only when its own
text or first page changed, then bound into one (binding.py).
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import segno
import weasyprint
from babel.lists import format_list
from markupsafe import Markup, escape

from wegweiser import fonts, paths, resources, workers
from wegweiser.cache import (
    KEEP_ENTRIES,
    brochure_key,
    cache_root,
    layout_name,
    least_recently_used,
    memo,
    pages_file,
    record_pages,
    recorded_pages,
    write_whole,
)
from wegweiser.content import dated
from wegweiser.content.sanitize import safe_html
from wegweiser.i18n import languages
from wegweiser.i18n.bidi import (
    LTR_RUN,
    TAG,
    isolate_latin_runs,
    isolate_ltr_runs,
    mark_latin_runs,
    sub_text,
)
from wegweiser.i18n.localisation import Localisation, Localized, context
from wegweiser.markup import Fallbacks, environment
from wegweiser.model import (
    ContactPoint,
    Content,
    Language,
    Offer,
    Page,
    confirmed,
)
from wegweiser.pdf import binding, printshop, typeset
from wegweiser.wording import _, _n

TEMPLATE_DIR = resources.templates("brochure")
TEMPLATES = environment("brochure")
# Bleed only: WeasyPrint 70 draws crop marks inside the bleed, over the cover's colour;
# printshop.py draws them in a slug outside it.
PRINT_CSS = "@page { bleed: 3mm; }"
# Brochures laid out at once: each holds its longest part in memory (README "Limits").
WORKERS = 2
MARKDOWN_FIELDS = ("description", "body")  # translated paragraph by paragraph
# The counter style of page numbers, by the locale's numbering system (CLDR), and the
# digits of those styles for the page numbers the build writes into the text itself.
PAGE_NUMBERS = {"arab": "arabic-indic", "arabext": "persian"}
DIGITS = {"arabic-indic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹"}
# Layouts a brochure may take until the page numbers it prints are the pages laid out.
LAYOUTS = 4
PAGES_PER_OFFER = 1.5  # measured: 236 A5 pages for 150 offers, 918 for 600 (checks.py)
# Offers in one part of the chapters (Brochure.body_parts), at least: about 25 pages, laid
# out in 2 to 4 s; an edited offer lays out its part again, not all the chapters.
OFFERS_PER_PART = 16
# Lines of the indexes in one part (Brochure.back_parts), at most: about as many pages as a
# part of the chapters, so no part's layout holds much more memory than one of those. A
# contact point's entry counts CONTACT_LINES and a line per offer; a language, one and one.
INDEX_LINES_PER_PART = 1_000
CONTACT_LINES = 6
INDEX_LINES_AT_LEAST = 4  # an index, an entry or a cut list begins in a part with this room
# The fields of a contact point its entry in the contact index prints.
PRINTED_CONTACT_FIELDS = frozenset(
    {"organisation", "address", "phones", "email", "website", "persons", "opening_hours"})

ADDRESS = re.compile(r"@|www\.|://")  # e-mail and web addresses among bidi's LTR runs
LONG_WORD = 14  # letters of a word in an address that a QR code's caption may not hold
NAME_WORD = 6  # shorter words are not hyphenated anyway (hyphenate-limit-chars in the CSS)


def name_words(content: Content) -> re.Pattern[str] | None:
    """The long words of the proper names the brochure prints (contact points, their
    organisations and persons, the KI, the city), each with room for a German case ending,
    so "Integrationszentrums" is found by "Integrationszentrum"."""
    settings = content.settings
    names = [settings.name, settings.short_name, settings.organisation, settings.city,
             settings.brochure.publisher]
    for point in content.contacts:
        names += [point.name, point.organisation, *(p.name for p in point.persons)]
    words = {w for name in names for w in re.findall(r"\w+", name) if len(w) >= NAME_WORD}
    if not words:
        return None
    stems = sorted({re.escape(w[:-2]) for w in words}, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(stems)})\w{{0,3}}\b")


def unhyphenated(html: Markup, names: re.Pattern[str] | None) -> Markup:
    """`html` with proper names, e-mails and web addresses in <span class="name">, which the
    print CSS keeps from hyphenation: "Integrations-zentrum" in a name reads as two words,
    a hyphen in an address is taken for part of it. Phone numbers and postcodes go in
    <span class="number">, kept on one line. Text inside tags stays as it is."""
    def mark(text: str, isolated: bool, _linked: bool) -> str:
        text = LTR_RUN.sub(lambda run: f'<span class="{kept_whole(run[0])}">{run[0]}</span>',
                           text)
        if names is None or isolated:  # a <bdi> run (right to left) is never hyphenated
            return text
        return "".join(part if part.startswith("<") else
                       names.sub(lambda w: f'<span class="name">{w[0]}</span>', part)
                       for part in TAG.split(text))
    return sub_text(html, mark)


def kept_whole(run: str) -> str:
    """The class of a left-to-right run (bidi.LTR_RUN) in the print CSS."""
    return "name" if ADDRESS.search(run) else "number"


def markdown_html(text: str) -> Markup:
    """One Markdown block as HTML, sanitised (sanitize.py: no raw HTML, images or unsafe links)."""
    return Markup(safe_html(text))


def qr_svg(url: str, title: str) -> Markup:
    """A QR code as inline SVG; its title is the alternative text in the tagged PDF."""
    return Markup(segno.make(url, error="m").svg_inline(
        scale=1, border=0, title=title, svgclass="qr-code", lineclass=None, omitsize=True))


@dataclass(frozen=True)
class Chapter:
    """A top-level part of the brochure, listed in the table of contents."""

    anchor: str
    title: Markup


@dataclass(repr=False)
class Brochure:
    """What the templates see for one language: the model, localised, plus small helpers."""

    content: Content
    language: Language
    loc: Localisation
    offers: tuple[Offer, ...] = ()
    pages: tuple[Page, ...] = ()
    qr_cache: Path | None = None
    names: re.Pattern[str] | None = None  # words of proper names, not to be hyphenated
    # The page of each anchor as last laid out (`page_of`), and the page numbers the text
    # rendered last printed, by anchor (None: not laid out yet, an estimate was printed).
    anchor_pages: dict[str, int] = field(default_factory=dict)
    printed: dict[str, int | None] = field(default_factory=dict)
    # part_html's results by part, first page and pages: made once, in the worker or the layout
    made: dict[tuple, tuple[str, dict[str, int | None]]] = field(default_factory=dict)

    @classmethod
    def prepare(cls, content: Content, root: Path, language: Language,
                qr_cache: Path | None = None) -> Brochure:
        view = cls(content, language, Localisation.load(root, content.settings, language),
                   qr_cache=qr_cache)
        order = {c.id: i for i, c in enumerate(content.settings.categories)}
        view.offers = tuple(sorted(
            (o for o in content.offers if o.in_brochure),
            key=lambda o: (order[o.category], str(view.loc.field(o, "title")).casefold())))
        view.pages = tuple(p for p in content.pages if p.in_brochure)
        view.names = name_words(content)
        return view

    # --- text --------------------------------------------------------------------------

    def t(self, value: str) -> Markup:
        """Inline text; German standing in for a missing translation is marked lang="de"."""
        return unhyphenated(self.marked(value, escape(value)), self.names)

    def marked(self, found: str, html: Markup, tag: str = "span") -> Markup:
        """`html`, the text of `found`: in `tag` marked German (markup.Fallbacks) where it
        fell back, else isolated for the language's direction."""
        if self.fallbacks.fell_back(found):
            return self.fallbacks.mark(found, html, tag)
        return self.isolated(html)

    @cached_property
    def fallbacks(self) -> Fallbacks:
        """Print marks the direction of every German stand-in, with a class for the CSS."""
        return Fallbacks(self.language, always_dir=True, css_class="fallback")

    def isolated(self, html: Markup) -> Markup:
        """Right to left: phone numbers, e-mails, addresses, postcodes isolated (bidi.py),
        and runs of Latin words, so "(Kommunales Integrationszentrum)" keeps its word order
        and brackets whatever spans a name's words get; in a language not written in Latin
        script, Latin words marked as German."""
        if self.language.rtl:
            html = isolate_latin_runs(isolate_ltr_runs(html))
        return mark_latin_runs(html, self.source_code) \
            if languages.latin_stands_out(self.language) else html

    @property
    def source_code(self) -> str:
        return self.content.settings.source_language.code

    @property
    def source_lang(self) -> Markup:
        """` lang="de"` for what is German in every brochure (streets, places, names of
        persons), in the brochure of another language."""
        return self.fallbacks.source_attribute(self.source_code)

    def field(self, item: object, name: str) -> Markup:
        return self.t(self.loc.field(item, name))

    def nested(self, item: object, name: str, german: str) -> Markup:
        """A field below the top level, e.g. where_when.text, by its dotted context."""
        return self.t(self.loc.text(context(item, name), german))

    def setting(self, name: str, german: str) -> Markup:
        return self.t(self.loc.text(f"site#{name}", german))

    def ui(self, german: str, **values: str) -> Markup:
        """A fixed string of the templates, with {placeholders} filled in after lookup; a
        value (a setting) is marked with the language it is in."""
        if not values:  # braces in a translation without placeholders are text
            return self.t(self.loc.ui(german))
        return Markup("").join(self.t(run) for run in self.loc.ui_runs(german, **values))

    @property
    def programme_name(self) -> Localized:
        return self.loc.programme_name(self.content.settings)

    @property
    def area_where(self) -> Localized:
        return self.loc.area_where(self.content.settings)

    def markdown(self, item: object, name: str) -> Markup:
        """A Markdown field, paragraph by paragraph; untranslated ones keep lang="de"."""
        parts = []
        for block in self.loc.blocks(item, name):
            parts.append(unhyphenated(self.marked(block, markdown_html(block), "div"), self.names))
        return Markup("\n").join(parts)

    def untranslated(self, item: object, *names: str) -> bool:
        """True if any of the fields is shown in German in another language's brochure."""
        return any(
            any(b.fallback for b in self.loc.blocks(item, n)) if n in MARKDOWN_FIELDS
            else self.loc.field(item, n).fallback
            for n in names)

    # --- formats -----------------------------------------------------------------------

    @property
    def title(self) -> Markup:
        """The configured title; empty if the template's default title applies."""
        configured = self.content.settings.brochure.title
        return self.setting("brochure.title", configured) if configured else Markup("")

    @property
    def publisher(self) -> Markup:
        settings = self.content.settings
        return self.setting("brochure.publisher",
                            settings.brochure.publisher or settings.organisation)

    def imprint(self, name: str) -> Markup:
        """A text of the imprint (responsible, printer); empty if not configured."""
        value = getattr(self.content.settings.brochure, name)
        return self.setting(f"brochure.{name}", str(value)) if value else Markup("")

    @property
    def print_run(self) -> str:
        run = self.content.settings.brochure.print_run
        return self.loc.formats.number(run) if isinstance(run, int) else ""

    @property
    def edition(self) -> str:
        return self.loc.formats.month(dated.edition_month(self.content))

    @property
    def created(self) -> str:
        """The PDFs' creation date: the edition's first day, not the day of the build, so
        a brochure whose content did not change stays the same file."""
        return dated.edition_month(self.content).isoformat()

    @property
    def page_numbers(self) -> str:
        return PAGE_NUMBERS.get(self.loc.formats.locale.default_numbering_system, "decimal")

    @property
    def comma(self) -> str:
        """Between the parts of a line: a contact's name and its phone number."""
        return self.loc.formats.comma

    def language_name(self, code: str) -> str:
        """A language named for this brochure's reader, e.g. "Arabisch" for de."""
        return str(languages.language_name(code, self.language, self.loc.languages))

    def language_names(self, codes: tuple[str, ...]) -> str:
        return format_list([self.language_name(c) for c in codes], locale=self.loc.formats.locale)

    def audiences(self, offer: Offer) -> Markup:
        names = [str(self.field(a, "name")) for a in self.content.settings.audiences
                 if a.id in offer.audience]
        return Markup(format_list(names, locale=self.loc.formats.locale))

    # --- structure ---------------------------------------------------------------------

    @cached_property
    def body_parts(self) -> dict[str, list[tuple[object, tuple[Offer, ...], bool]]]:
        """The chapters in parts laid out apart ("body-1", ...), so an edited offer lays
        out only its own: a part ends before a category once it holds OFFERS_PER_PART
        offers, and inside one at twice as many. The first part begins
        with "how to use" and the editorial pages. Each part: its categories, each with
        its offers in the part and whether it begins there (else it goes on from the last)."""
        parts: list[list[tuple[object, tuple[Offer, ...], bool]]] = [[]]
        held = 0
        for category, offers in self.categories():
            if held >= OFFERS_PER_PART:
                parts.append([])
                held = 0
            begins, rest = True, offers
            while rest:
                room = 2 * OFFERS_PER_PART - held
                if not room:
                    parts.append([])
                    held, room = 0, 2 * OFFERS_PER_PART
                taken, rest = rest[:room], rest[room:]
                parts[-1].append((category, taken, begins))
                begins, held = False, held + len(taken)
        return {f"body-{number}": chapters for number, chapters in enumerate(parts, start=1)}

    def body_chapters(self, part: str | None) -> list[tuple[object, tuple[Offer, ...], bool]]:
        """The categories of one of `body_parts`; of all of them for the whole brochure."""
        if part is None:
            return [(category, offers, True) for category, offers in self.categories()]
        return self.body_parts.get(part, [])

    @cached_property
    def back_parts(self) -> dict[str, list[tuple[str, list[tuple], bool]]]:
        """The indexes in parts laid out apart ("back-1", ...) of INDEX_LINES_PER_PART lines
        at most: a part ends after an entry that reaches them, and a language's list of
        offers is cut there, the language named again in the next part. Each part: its
        indexes ("contact-index", "language-index"), each with its entries in the part and
        whether it begins there. The shipped content and a city's fit one part."""
        parts: list[list[tuple[str, list[tuple], bool]]] = [[]]
        held = 0
        full = INDEX_LINES_PER_PART - INDEX_LINES_AT_LEAST
        for index, entries in self.indexes():
            if held > full:
                parts.append([])
                held = 0
            parts[-1].append((index, [], True))
            for *term, offers in entries:
                while True:
                    if held > full:
                        parts.append([(index, [], False)])
                        held = 0
                    if index == "language-index":
                        room = max(INDEX_LINES_PER_PART - held - 1, 1)
                        taken, offers = offers[:room], offers[room:]
                    else:
                        taken, offers = offers, []
                    parts[-1][-1][1].append((*term, taken))
                    held += (1 if index == "language-index" else CONTACT_LINES) + len(taken)
                    if not offers:
                        break
        return {f"back-{number}": indexes for number, indexes in enumerate(parts, start=1)}

    def indexes(self) -> list[tuple[str, list[tuple]]]:
        """The two indexes by their anchors, with their entries."""
        return [("contact-index", self.contact_index()), ("language-index", self.language_index())]

    def index_sections(self, part: str | None) -> list[tuple[str, list[tuple], bool]]:
        """The indexes of one of `back_parts`; all of them for the whole brochure."""
        if part is None:
            return [(index, entries, True) for index, entries in self.indexes()]
        return self.back_parts.get(part, [])

    def goes_on(self, part: str | None) -> bool:
        """Whether `part` begins inside a chapter or index of the part before."""
        sections = self.body_chapters(part) or self.index_sections(part)
        return bool(part) and bool(sections) and not sections[0][2]

    def part_names(self) -> tuple[str, ...]:
        """The brochure's parts in order: see PARTS."""
        return ("front", *self.body_parts, *self.back_parts, "cover")

    def categories(self) -> list[tuple[object, tuple[Offer, ...]]]:
        """The categories that have offers in the brochure, in the configured order."""
        pairs = [(c, tuple(o for o in self.offers if o.category == c.id))
                 for c in self.content.settings.categories]
        return [(c, offers) for c, offers in pairs if offers]

    @staticmethod
    def confirmed(item: ContactPoint | Offer) -> Callable[[str], bool]:
        """Whether a field of `item` may be printed: example values are not (README)."""
        return lambda name: confirmed(item, name)

    @staticmethod
    def unconfirmed_in_print(point: ContactPoint) -> bool:
        """Whether the contact index leaves out a field of `point` it would print."""
        return bool(point.example_values & PRINTED_CONTACT_FIELDS)

    def contact_points(self, offer: Offer) -> list[ContactPoint]:
        """Provider, contacts and place of an offer, each once, in that order; a provider or
        contacts given as an example value are not named."""
        named = [("provider", offer.provider), *(("contacts", c) for c in offer.contacts),
                 ("where_when", offer.where_when.place)]
        ids = [i for name, i in named if name not in offer.example_values]
        return [self.content.contact(i) for i in dict.fromkeys(i for i in ids if i)]

    def contact_index(self) -> list[tuple[ContactPoint, list[Offer]]]:
        """Every contact point shown, alphabetically, with the offers it appears in."""
        offers: dict[str, list[Offer]] = {}
        for offer in self.offers:
            for point in self.contact_points(offer):
                offers.setdefault(point.id, []).append(offer)
        points = [self.content.contact(i) for i in offers]
        points.sort(key=lambda p: str(self.loc.field(p, "name")).casefold())
        return [(p, offers[p.id]) for p in points]

    def language_index(self) -> list[tuple[str, str, list[Offer]]]:
        """(code, name, offers) for every language an offer is held in; the reader's first."""
        offers = [o for o in self.offers if "languages" not in o.example_values]
        codes = sorted({c for o in offers for c in o.languages},
                       key=lambda c: (c != self.language.code, self.language_name(c).casefold()))
        return [(c, self.language_name(c), [o for o in offers if c in o.languages])
                for c in codes]

    def url(self, page: str = "") -> str:
        """A page of this language on the website, e.g. url(paths.offer(id))."""
        return paths.absolute(self.content.settings.base_url,
                              paths.in_language(self.language.code, page))

    def offer_url(self, offer: Offer) -> str:
        return self.url(paths.offer(offer.id))

    @staticmethod
    def short_url(url: str) -> str:
        return paths.printed(url)

    @staticmethod
    def breakable(address: str) -> Markup:
        """A printed address with a break allowed after each "/" and in the middle of each
        long word: a QR code's narrow caption then breaks "infoveranstaltungen" into two
        halves, not before its last letter (`overflow-wrap: anywhere` does)."""
        def halved(word: str) -> str:
            middle = len(word) // 2
            return word if len(word) < LONG_WORD else f"{word[:middle]}<wbr>{word[middle:]}"
        pieces = re.split(r"([/.-])", address)
        return Markup("").join(
            Markup("/<wbr>") if piece == "/" else Markup(halved(str(escape(piece))))
            for piece in pieces)

    @property
    def home_url(self) -> str:
        return self.url()

    def contact_url(self, point: ContactPoint) -> str:
        return self.url(paths.contact(point.id))

    @property
    def programme_url(self) -> str:
        return self.url(paths.PROGRAMME)

    @property
    def download_url(self) -> str:
        return paths.absolute(self.content.settings.base_url, paths.brochure(self.language.code))

    def qr(self, url: str, title: str) -> Markup:
        if self.qr_cache is None:
            return qr_svg(url, title)
        return Markup(memo(self.qr_cache, f"{segno.__version__}\n{url}\n{title}",
                           lambda: qr_svg(url, title)))

    def page_of(self, anchor: str) -> str:
        """The number of the page `anchor` is on, in the page numbers' digits; empty while
        not laid out. The contents, the indexes and the contact references print it."""
        number = self.printed[anchor] = self.anchor_pages.get(anchor)
        if number is None:  # as wide as most numbers will be: fewer pages move once known
            number = int("1" * len(str(round(PAGES_PER_OFFER * len(self.offers)))))
        digits = DIGITS.get(self.page_numbers)
        return str(number).translate(str.maketrans("0123456789", digits)) if digits else str(number)

    def chapters(self) -> list[Chapter]:
        """The table of contents; the templates use the same anchors."""
        ui = self.ui
        return [
            Chapter("how-to", ui("So benutzen Sie diese Broschüre")),
            *(Chapter(f"page-{p.id}", self.field(p, "title")) for p in self.pages),
            *(Chapter(f"category-{c.id}", self.field(c, "name")) for c, _ in self.categories()),
            Chapter("contact-index", ui("Anlaufstellen von A bis Z")),
            Chapter("language-index", ui("Angebote in Ihrer Sprache")),
        ]


def render_html(content: Content, root: Path, language: Language,
                qr_cache: Path | None = None) -> str:
    """The brochure of one language as a self-contained HTML document (CSS inlined).

    `qr_cache`: a folder where QR codes are kept between builds (making one takes 15 ms)."""
    return render_template(Brochure.prepare(content, root, language, qr_cache),
                           "brochure.html.j2")


def render_template(view: Brochure, template: str, part: str | None = None,
                    start: int = 1, notes_pages: int = 3) -> str:
    """brochure.html.j2, or notes.html.j2: the notes pages that may fill the last sheet.
    `part`: one of Brochure.part_names() (or NOTES), its first page numbered `start`; None: the
    whole brochure."""
    stack = fonts.STACK_ARABIC if view.language.rtl else fonts.STACK_LATIN
    return TEMPLATES.get_template(template).render(
        b=view, settings=view.content.settings, content=view.content, lang=view.language,
        part=part, start=start, notes_pages=notes_pages,
        font_css=typeset.print_font_css(),
        size=typeset.font_sizes(view.language.rtl),
        stack=typeset.print_stack(stack),
        stack_arabic=typeset.print_stack(fonts.STACK_ARABIC),
        stack_latin=typeset.print_stack(fonts.STACK_LATIN),
    )


# --- rendering and the cache ---------------------------------------------------------------


# The brochure in parts, each laid out as a document of its own, written as a PDF of its
# own and kept in the cache (parts/), then bound into one PDF (binding.py: one structure
# tree, outline and font per face, links across parts): the front (cover, imprint,
# contents), the chapters in parts of about OFFERS_PER_PART offers (Brochure.body_parts),
# the indexes in parts of at most INDEX_LINES_PER_PART lines (Brochure.back_parts; one for
# a city), and the back cover, before which the notes pages that fill the last sheet
# (NOTES) go in. The page numbers the text prints are where parts depend on each other:
# the front's contents print where the chapters and indexes start, the indexes the pages
# of the offers, and the chapters only the pages of the contact index. An edited offer
# lays out its part of the chapters once, and the small front and back again where pages
# moved; every other part is taken from the cache. Brochure.part_names() gives them in order.
PARTS = ("front", "body", "back", "cover")  # kinds: "body-1", "body-2", ..., "back-1", ...
NOTES = "notes"


@dataclass(frozen=True)
class Rendered:
    """One language's brochure: both PDFs rendered (pages), or found in the cache (None)."""

    language: str
    key: str
    pages: int | None
    seconds: float
    # how often each part was laid out (not found in the cache) until its page numbers held
    layouts: dict[str, int] = field(default_factory=dict)


@dataclass
class Summary:
    rendered: list[Rendered] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # by file in the site, also cached ones


def cache_paths(cache: Path, code: str, key: str) -> tuple[Path, Path]:
    return (cache / f"wegweiser-{code}-{key}.pdf", cache / f"wegweiser-{code}-{key}-print.pdf")


def cached(cache: Path, code: str, key: str) -> bool:
    """Whether both PDFs of this rendering are in the cache, whole (their page count recorded)."""
    screen, printed = cache_paths(cache, code, key)
    return screen.exists() and printed.exists() and recorded_pages(screen) is not None


def partial(path: Path) -> Path:
    """Where a PDF is written first: a killed build leaves no half PDF in the cache."""
    return path.with_suffix(".part")


@dataclass(frozen=True)
class Part:
    """One part's PDF (print variant) in the cache, where it starts, its page count, the
    page of each anchor in it (counted from its first page) and the page numbers its text
    printed (by anchor)."""

    pdf: Path
    start: int
    pages: int
    anchors: dict[str, int]
    printed: dict[str, int | None]

    def holds(self, pages: dict[str, int]) -> bool:
        """Whether every page number its text printed is the page its anchor is on."""
        return all(pages.get(anchor) == page for anchor, page in self.printed.items())


@dataclass(frozen=True)
class Layout:
    """What a brochure's layout process hands back: the page of each anchor, the first
    page of each part, the rendering's key, its page count (None: the cache had it), and
    how often each part was laid out."""

    anchors: dict[str, int]
    starts: dict[str, int]
    key: str
    pages: int | None
    layouts: dict[str, int]


def part_html(view: Brochure, part: str, start: int) -> tuple[str, dict[str, int | None]]:
    """One part's HTML with the page numbers `view` has, and the numbers it printed; its
    links to other parts' anchors are resolved when the parts are bound."""
    made = (part, start, tuple(sorted(view.anchor_pages.items())))
    if made not in view.made:
        view.printed = {}
        html = binding.link_elsewhere(render_template(view, "brochure.html.j2", part, start))
        view.made[made] = html, view.printed
    return view.made[made]


def whole_key(view: Brochure, starts: dict[str, int], notes: str) -> str:
    """The key of the rendering the parts give with the pages `view` has, at `starts`."""
    html = "".join(part_html(view, part, starts.get(part, 1))[0] for part in view.part_names())
    return brochure_key(html, notes, PRINT_CSS)


def part_file(cache: Path, code: str, name: str, html: str) -> Path:
    return cache / "parts" / f"{code}-{name}-{brochure_key(html, '', PRINT_CSS)}.pdf"


def facts_file(pdf: Path) -> Path:
    """Beside a part's PDF: its page count and the pages of its anchors."""
    return pdf.with_suffix(".json")


def read_part(pdf: Path) -> tuple[int, dict[str, int]] | None:
    """A part's page count and anchors, if its PDF is in the cache (marked as just used)."""
    try:
        facts = json.loads(facts_file(pdf).read_text(encoding="utf-8"))
        os.utime(pdf)
        return int(facts["pages"]), dict(facts["anchors"])
    except (FileNotFoundError, ValueError, TypeError, KeyError):
        return None


def write_part(document: weasyprint.Document, pdf: Path, facts: tuple[int, dict[str, int]]
               ) -> None:
    """A part's layout written to `pdf`, its page count and anchors (`facts`) beside it."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    document.write_pdf(partial(pdf), pdf_variant=typeset.PDF_VARIANT)
    write_whole(facts_file(pdf), json.dumps({"pages": facts[0], "anchors": facts[1]},
                                            sort_keys=True))
    partial(pdf).replace(pdf)  # last: a PDF in the cache is whole, its facts beside it


@dataclass(frozen=True)
class Work:
    """What every brochure's worker needs besides its language; reaches the workers by fork."""

    content: Content
    root: Path
    cache: Path

    def make_brochure(self, code: str) -> Rendered:
        """HTML, key and, unless the cache has them, both PDFs of one language (in a worker).

        The HTML is made here too: it takes 1 to 2 s a language (QR codes, Markdown), and
        only the HTML tells whether the cached PDFs still fit.

        The page numbers the contents, the indexes and the contact references print are
        written into the HTML from the language's last layout (`read_layout`), then checked
        against the new one; a part whose numbers moved is laid out again (`lay_out`). (CSS
        target-counter() did this inside WeasyPrint 70, laying every page out three times.)

        The layouts run in a process of their own, which ends with them."""
        started = time.perf_counter()
        language = self.content.settings.language(code)
        view = Brochure.prepare(self.content, self.root, language, self.cache.parent / "qr")
        view.anchor_pages, starts = read_layout(self.cache, self.root, code)
        notes = render_template(view, "notes.html.j2")
        key = whole_key(view, starts, notes)
        if cached(self.cache, code, key):
            return Rendered(code, key, None, time.perf_counter() - started)
        typeset.read_fonts()  # here, once: each layout's process starts with them read
        for hyphenated in {code, view.source_code}:
            typeset.read_hyphenation(hyphenated)
        layout = workers.run_apart(self.lay_out, view, code, starts, notes)
        if layout.pages is not None:
            screen, printed = cache_paths(self.cache, code, layout.key)
            record_pages(screen, layout.pages)  # before the PDFs, whose presence says it is whole
            partial(printed).replace(printed)
            partial(screen).replace(screen)
        write_layout(self.cache, self.root, code, layout.anchors, layout.starts)
        return Rendered(code, layout.key, layout.pages, time.perf_counter() - started,
                        layout.layouts)

    def lay_out(self, view: Brochure, code: str, starts: dict[str, int], notes: str) -> Layout:
        """The parts, from the cache or laid out, until every page number they print holds,
        then bound and written as the print PDF (with the print shop's marks) and the
        screen PDF (to their `partial` names), unless the pages found make a rendering the
        cache already has.

        In a process of its own (workers.run_apart): CPython and qpdf keep freed memory for
        their own reuse; a long part's boxes take hundreds of MiB, and so does the bound PDF
        (binding 1,268 pages peaked at 0.6 GiB; marking them for print kept 0.46 GiB)."""
        layouts = dict.fromkeys(view.part_names(), 0)
        for attempt in range(LAYOUTS):
            if attempt:  # the pages found may make a rendering the cache has
                key = whole_key(view, starts, notes)
                if cached(self.cache, code, key):
                    return Layout(view.anchor_pages, starts, key, None, layouts)
            parts = self.parts(view, code, layouts)
            pages: dict[str, int] = {}
            for part in parts.values():
                for anchor, page in part.anchors.items():
                    pages.setdefault(anchor, part.start + page - 1)
            starts = {name: part.start for name, part in parts.items() if name != NOTES}
            if all(part.holds(pages) and part.pdf.exists() for part in parts.values()):
                break  # (a part of a first layout is not written: see `part`)
            view.anchor_pages = pages
        else:
            raise RuntimeError(f"brochure {code}: page numbers still moved after {LAYOUTS} layouts")
        key = whole_key(view, starts, notes)
        if cached(self.cache, code, key):
            return Layout(pages, starts, key, None, layouts)
        screen, printed = cache_paths(self.cache, code, key)
        bound = printed.with_suffix(".bound")
        count = binding.bind([part.pdf for part in parts.values()], bound)
        typeset.set_viewer_preferences(bound, partial(printed), rtl=view.language.rtl)
        typeset.trim(partial(printed), partial(screen))
        printshop.finish_for_print(partial(printed))
        return Layout(pages, starts, key, count, layouts)

    def parts(self, view: Brochure, code: str, layouts: dict[str, int]) -> dict[str, Part]:
        """Each part where it now starts, with the pages `view` has, in the order bound:
        the notes pages, if the sheet needs them, before the back cover."""
        parts: dict[str, Part] = {}
        known = bool(view.anchor_pages)
        *names, last = view.part_names()
        start = 1
        for name in names:
            parts[name] = self.part(code, name, start, *part_html(view, name, start), layouts,
                                    known)
            start += parts[name].pages
        cover_pages = 1
        for _attempt in range(typeset.SHEET):  # the cover's pages decide the notes' and its start
            missing = -(start - 1 + cover_pages) % typeset.SHEET
            cover_start = start + missing
            cover = self.part(code, last, cover_start,
                              *part_html(view, last, cover_start), layouts, known)
            if cover.pages == cover_pages:
                break
            cover_pages = cover.pages
        if missing:
            html = render_template(view, "notes.html.j2", NOTES, start, notes_pages=missing)
            parts[NOTES] = self.part(code, NOTES, start, html, {}, layouts, known)
        parts[last] = cover
        return parts

    def part(self, code: str, name: str, start: int, html: str,
             printed: dict[str, int | None], layouts: dict[str, int], known: bool) -> Part:
        """The part of `html` from the cache, or laid out and written there. In a first
        build's first layout (no pages `known`) a part that prints page numbers printed
        estimates: it is not written, but laid out again with the pages found. Its boxes
        (hundreds of MiB for a long part) are freed before the next part is laid out."""
        pdf = part_file(self.cache, code, name, html)
        facts = read_part(pdf)
        if facts is None:
            with typeset.collection_paused():
                document = typeset.render(html, TEMPLATE_DIR, PRINT_CSS)
                facts = len(document.pages), typeset.anchor_pages(document)
                if known or not printed:
                    write_part(document, pdf, facts)
                del document
            gc.collect()  # the boxes hold reference cycles
            layouts[name] = layouts.get(name, 0) + 1
        return Part(pdf, start, *facts, printed)


def read_layout(cache: Path, root: Path, code: str) -> tuple[dict[str, int], dict[str, int]]:
    """The pages of the anchors and the first pages of the parts in the language's last
    layout; none before the first."""
    try:
        found = json.loads((cache / layout_name(root, code)).read_text(encoding="utf-8"))
        return dict(found["anchors"]), dict(found["starts"])
    except (FileNotFoundError, ValueError, TypeError, KeyError):
        return {}, {}


def write_layout(cache: Path, root: Path, code: str, anchors: dict[str, int],
                 starts: dict[str, int] | None = None) -> None:
    write_whole(cache / layout_name(root, code),
                json.dumps({"anchors": anchors, "starts": starts or {}}, sort_keys=True))


def write_brochures(content: Content, root: Path, build: Path, downloads: Path,
                    log: Callable[[str], None] = print) -> Summary:
    """Every language's brochure and print variant into `downloads`, rendering only changes.

    One job per language in parallel processes (WORKERS); the largest share of a cold build."""
    cache = cache_root(build) / "brochure"
    cache.mkdir(parents=True, exist_ok=True)
    downloads.mkdir(parents=True, exist_ok=True)
    codes = [language.code for language in content.settings.languages]
    summary = Summary()

    def done(code: str, result: Rendered) -> None:  # progress as each language is done
        if result.pages is None:
            summary.cached.append(code)
            return
        summary.rendered.append(result)
        log("  " + _("brochure {language}: {pages}, screen and print, {seconds} s",
                     language=code, pages=_n("{n} page", "{n} pages", result.pages),
                     seconds=f"{result.seconds:.1f}"))

    work = Work(content, root, cache)
    keys = {code: result.key for code, result in
            workers.run_jobs(work.make_brochure, codes, most=WORKERS, done=done).items()}
    for code in codes:
        screen, printed = cache_paths(cache, code, keys[code])
        shutil.copyfile(screen, downloads / paths.brochure_file(code))
        shutil.copyfile(printed, downloads / paths.brochure_file(code, printed=True))
        pages = recorded_pages(screen)  # as counted when rendered, also for a cached one
        if pages is not None:
            files = paths.brochure(code), paths.brochure(code, printed=True)
            summary.pages |= dict.fromkeys(files, pages)
        for used in (screen, printed):
            os.utime(used)  # recently used: pruned last
        prune_cache(cache, code)
    log(_("Brochures: {rendered} rendered, {cached} unchanged from the cache.",
          rendered=_n("{n} language", "{n} languages", len(summary.rendered)),
          cached=len(summary.cached)))
    return summary


def prune_cache(cache: Path, code: str, keep: int = KEEP_ENTRIES) -> None:
    """Only the most recently used renderings of a language are kept: switching back and
    forth between two states (a branch, an undone edit), or several projects sharing a
    cache (WEGWEISER_CACHE), does not lay a brochure out again."""
    screen_name = re.compile(rf"wegweiser-{re.escape(code)}-[0-9a-f]+\.pdf")  # not de-x-ls
    screens = (p for p in cache.glob(f"wegweiser-{code}-*.pdf") if screen_name.fullmatch(p.name))
    for screen in least_recently_used(screens, keep):
        for path in (screen, screen.with_name(screen.stem + "-print.pdf")):
            path.unlink(missing_ok=True)
            pages_file(path).unlink(missing_ok=True)
    kinds = "|".join((*PARTS, NOTES))
    part_name = re.compile(rf"{re.escape(code)}-((?:{kinds})(?:-\d+)?)-[0-9a-f]+\.pdf")
    parts: dict[str, list[Path]] = {}  # and as many of each part
    for pdf in (cache / "parts").glob(f"{code}-*.pdf"):
        if found := part_name.fullmatch(pdf.name):
            parts.setdefault(found[1], []).append(pdf)
    for pdfs in parts.values():
        for pdf in least_recently_used(pdfs, keep):
            pdf.unlink(missing_ok=True)
            facts_file(pdf).unlink(missing_ok=True)
